// The demo shop's Wissensdatenbank (seed:demo): how the Servicecenter works, and a few shop topics, with a comment and votes.
//
// "Ich kann mich nicht einloggen" stays the page /login/help (it must exist without any seeded data); the article
// on setting a password links there instead of repeating it.
import type { User } from '../../db/schema.js';
import type { KbService } from './kb-service.js';

type DemoArticle = { title: string; body: string; draft?: boolean };
type DemoSection = { name: string; description: string; articles: DemoArticle[] };
type DemoCategory = { name: string; description: string; sections: DemoSection[] };

export const demoKnowledgeBase: DemoCategory[] = [
  {
    name: 'Servicecenter',
    description: 'So erreichen Sie uns, und so verfolgen Sie Ihre Anfragen.',
    sections: [
      {
        name: 'Anfragen',
        description: 'Von der ersten Nachricht bis zur gelösten Anfrage.',
        articles: [
          {
            title: 'Kontaktaufnahme: So erreichen Sie unser Servicecenter',
            body: `Sie erreichen uns auf zwei Wegen – beide führen zur selben Anfrage, die Sie danach im Servicecenter verfolgen können.

## Kontaktformular

Über **Anfrage einreichen** schreiben Sie uns rund um die Uhr, mit oder ohne Anmeldung. Bitte nennen Sie, wenn vorhanden, Ihre Bestellnummer – dann können wir sofort nachsehen.

## E-Mail

Sie können uns auch einfach eine E-Mail schreiben. Die Adresse steht unten auf jeder Seite des Servicecenters.

## Was danach passiert

1. Sie erhalten eine Eingangsbestätigung mit der Nummer Ihrer Anfrage, z. B. #1234.
2. Wir beantworten Anfragen während unserer Servicezeiten; diese und unsere Telefonzeiten finden Sie auf der Startseite des Servicecenters.
3. Jede Antwort bekommen Sie per E-Mail, mit dem ganzen bisherigen Verlauf. Sie können direkt auf die E-Mail antworten oder im Servicecenter.`,
          },
          {
            title: 'Status Ihrer Anfragen einsehen',
            body: `Unter **Meine Aktivitäten** sehen Sie alle Ihre Anfragen – gleich, ob Sie uns per Formular oder per E-Mail geschrieben haben.

Für jede Anfrage zeigt die Liste:

- **Betreff** – ein Klick darauf öffnet den ganzen Verlauf,
- **ID** – die Nummer, die auch im Betreff unserer E-Mails steht,
- **Erstellt** und **Letzte Aktivität**,
- **Status** – was er bedeutet, erklärt der Artikel „Was bedeutet der Bearbeitungsstatus?“.

„Letzte Aktivität“ ändert sich bei jeder Bearbeitung durch unser Team, auch wenn wir Ihnen noch nicht geantwortet haben. So sehen Sie, dass an Ihrer Anfrage gearbeitet wird.

Über der Liste können Sie nach Status filtern und im Betreff suchen.

Für **Meine Aktivitäten** brauchen Sie ein Kennwort für das Servicecenter – siehe „Kennwort für das Servicecenter vergeben“.`,
          },
          {
            title: 'Was bedeutet der Bearbeitungsstatus?',
            body: `Jede Anfrage hat einen von drei Bearbeitungsständen:

| Status | Bedeutung |
|---|---|
| Offen | Ihre Anfrage ist eingegangen und wird bearbeitet. |
| Wartet auf Ihre Antwort | Wir haben geantwortet und brauchen noch eine Information von Ihnen. |
| Gelöst | Wir haben Ihre Anfrage beantwortet. |

## Gelöst, aber noch nicht erledigt?

Antworten Sie einfach auf die Anfrage – per E-Mail oder im Servicecenter. Sie ist dann wieder **Offen**.

Einige Tage nach dem Lösen wird eine Anfrage abgeschlossen. Haben Sie danach noch etwas dazu, erstellen Sie eine **Folgeanfrage**: Die Schaltfläche dafür steht auf der Seite der Anfrage, und eine Antwort per E-Mail legt sie von selbst an.`,
          },
          {
            title: 'Anfrage als gelöst markieren',
            body: `Hat sich Ihr Anliegen erledigt, können Sie die Anfrage selbst als gelöst markieren:

1. Öffnen Sie die Anfrage unter **Meine Aktivitäten**.
2. Schreiben Sie, wenn Sie möchten, noch eine kurze Nachricht.
3. Setzen Sie das Häkchen bei **Bitte betrachten Sie diese Anfrage als gelöst** und senden Sie ab.

Steht in Ihrer Nachricht noch eine Frage, fragen wir sicherheitshalber einmal nach, bevor die Anfrage als gelöst gilt.

Doch noch nicht erledigt? Antworten Sie einfach noch einmal – die Anfrage ist dann wieder offen.`,
          },
        ],
      },
      {
        name: 'Ihr Konto im Servicecenter',
        description: 'Anmeldung und Kennwort.',
        articles: [
          {
            title: 'Kennwort für das Servicecenter vergeben',
            body: `Haben Sie uns schon einmal geschrieben, gibt es für Ihre E-Mail-Adresse bereits ein Konto im Servicecenter – meist noch ohne Kennwort. So legen Sie eines fest:

1. Öffnen Sie **Kennwort vergessen** auf der Anmeldeseite.
2. Geben Sie die E-Mail-Adresse ein, mit der Sie uns geschrieben haben, und fordern Sie den Link an.
3. Öffnen Sie den Link aus der E-Mail innerhalb von 60 Minuten und wählen Sie ein Kennwort mit mindestens 10 Zeichen.

Das Kennwort gilt nur für das Servicecenter. Es ist **nicht** das Kennwort Ihres Kundenkontos im Shop, und eine Änderung hier ändert dort nichts.

Die Anmeldung klappt trotzdem nicht? Hilfe dazu finden Sie auf der Seite [Ich kann mich nicht einloggen](/login/help).`,
          },
        ],
      },
    ],
  },
  {
    name: 'Bestellung und Versand',
    description: 'Lieferung, Versandkosten und Rücksendungen.',
    sections: [
      {
        name: 'Versand',
        description: '',
        articles: [
          {
            title: 'Versandkosten und Lieferzeiten',
            body: `Innerhalb Deutschlands versenden wir mit DHL.

- **Versandkosten:** 4,95 € je Bestellung, ab 50 € Bestellwert versandkostenfrei.
- **Lieferzeit:** Vorrätige Artikel verlassen unser Lager in der Regel am nächsten Werktag; die Zustellung dauert meist 1–3 Werktage.
- **Sendungsverfolgung:** Sobald Ihr Paket unterwegs ist, erhalten Sie eine Versandbestätigung mit Link zur Sendungsverfolgung.
- **Packstation:** Geben Sie als Lieferadresse „Packstation“, die Nummer der Packstation und Ihre DHL-Postnummer an.

Fehlt etwas in Ihrem Paket oder kommt es beschädigt an, schreiben Sie uns bitte mit Bestellnummer und, wenn möglich, einem Foto.`,
          },
        ],
      },
      {
        name: 'Rücksendung',
        description: '',
        articles: [
          {
            title: 'Artikel zurücksenden',
            body: `Sie können Artikel innerhalb von 14 Tagen nach Erhalt ohne Angabe von Gründen zurücksenden.

1. Melden Sie sich im **Kundenkonto des Shops** an und öffnen Sie **Bestellungen**.
2. Wählen Sie die Bestellung und die Artikel, die Sie zurücksenden möchten. Sie erhalten ein kostenloses Rücksendeetikett.
3. Verpacken Sie die Ware möglichst in der Originalverpackung – bei Modellen schützt sie empfindliche Teile wie Griffstangen und Puffer.

Sobald die Rücksendung bei uns eingegangen und geprüft ist, erstatten wir den Betrag über die Zahlungsart Ihrer Bestellung, spätestens innerhalb von 14 Tagen.

Ist ein Artikel defekt, schreiben Sie uns bitte vor der Rücksendung: Oft hilft ein Ersatzteil schneller.`,
          },
        ],
      },
    ],
  },
  {
    name: 'Produkte und Technik',
    description: 'Ersatzteile und Digitalsteuerung.',
    sections: [
      {
        name: 'Ersatzteile',
        description: '',
        articles: [
          {
            title: 'Ersatzteile finden und bestellen',
            body: `Für viele Loks, Wagen und Weichen gibt es Ersatzteile einzeln – vom Haftreifen bis zum Weichenantrieb.

## So finden Sie das richtige Teil

- Die **Artikelnummer** steht auf der Verpackung, in der Anleitung und bei Weichen meist auf der Unterseite.
- Die **Ersatzteilliste** mit den Teilenummern finden Sie in der Anleitung, oft als Explosionszeichnung.

## So bestellen Sie

Viele gängige Ersatzteile finden Sie direkt im Shop unter der Artikelnummer. Ist ein Teil dort nicht zu finden, schreiben Sie uns über **Anfrage einreichen** die Artikelnummer des Modells und die Teilenummer aus der Ersatzteilliste. Wir prüfen, ob der Hersteller es liefern kann, und nennen Ihnen Preis und Lieferzeit.`,
          },
        ],
      },
      {
        name: 'Digitalsteuerung',
        description: 'Decoder einbauen und programmieren (DCC).',
        articles: [
          {
            title: 'Digitaldecoder programmieren: die ersten Schritte',
            body: `Einstellungen eines Decoders stehen in **Konfigurationsvariablen (CVs)**. Die wichtigsten:

| CV | Bedeutung |
|---|---|
| 1 | Kurze Lokadresse (1–127) |
| 3 | Anfahrverzögerung |
| 4 | Bremsverzögerung |
| 29 | Grundeinstellungen, z. B. lange Adresse oder Fahrtrichtung |

## Am besten auf dem Programmiergleis

Programmieren Sie auf dem **Programmiergleis** Ihrer Zentrale. Dort erreicht der Befehl nur die eine Lok – auf dem Hauptgleis würden sonst womöglich alle Loks dieselbe Adresse bekommen.

## Zurück auf Werkseinstellung

Bei vielen Decodern setzt der Wert 8 in CV 8 alle Einstellungen zurück. Ob das auch für Ihren Decoder gilt, steht in seiner Anleitung.`,
          },
          {
            title: 'Welche Decoder-Größe passt in meine Lok?',
            body: `Welcher Decoder passt, hängt von zwei Dingen ab: der **Schnittstelle** und dem **Platz** in der Lok.

## Schnittstelle

- **NEM 651** (6-polig): vor allem kleine Loks in Spur N und H0.
- **NEM 652** (8-polig): ältere H0-Loks.
- **PluX16 / PluX22**: verbreitet in neueren H0-Loks.
- **Next18** und **21MTC**: weitere Steckplätze neuerer Modelle.

Welche Schnittstelle Ihre Lok hat, steht in ihrer Anleitung.

## Platz

Auch mit der richtigen Schnittstelle muss der Decoder in den vorgesehenen Raum passen. Vergleichen Sie die Maße (Länge × Breite × Höhe in mm) in der Anleitung der Lok mit der Größe des Decoders.`,
          },
          {
            title: 'Sound nachrüsten',
            body: 'Dieser Artikel entsteht gerade: welche Loks sich für einen Sounddecoder eignen, und wo der Lautsprecher Platz findet.',
            draft: true,
          },
        ],
      },
    ],
  },
];

/** Writes the demo articles through the service, as an agent would, and lets a customer comment and vote. */
export function seedDemoKnowledgeBase(kb: KbService, { author, customer }: { author: User; customer: User }): number {
  let published = 0;
  const titles = new Map<string, number>();
  demoKnowledgeBase.forEach((demoCategory, categoryIndex) => {
    const category = kb.createCategory({ name: demoCategory.name, description: demoCategory.description, position: categoryIndex * 10 });
    demoCategory.sections.forEach((demoSection, sectionIndex) => {
      const section = kb.createSection({ categoryId: category.id, name: demoSection.name, description: demoSection.description, position: sectionIndex * 10 })!;
      for (const demoArticle of demoSection.articles) {
        const article = kb.createArticle(author, { title: demoArticle.title, sectionId: section.id, body: demoArticle.body });
        titles.set(demoArticle.title, article.id);
        if (!demoArticle.draft) {
          kb.publishArticle(author, article.id);
          published += 1;
        }
      }
    });
  });

  const decoderSize = titles.get('Welche Decoder-Größe passt in meine Lok?')!;
  kb.addComment(customer, decoderSize, 'Passt ein PluX22-Decoder auch in eine Lok mit PluX16-Schnittstelle?');
  const question = kb.moderationPage({ articleId: decoderSize }).comments[0]!;
  kb.answerComment(author, question.id, 'Umgekehrt geht es: Ein PluX16-Decoder passt auch in eine PluX22-Schnittstelle, ein PluX22-Decoder aber nicht in eine PluX16-Schnittstelle.');
  kb.vote(decoderSize, `user:${customer.id}`, true);
  kb.vote(titles.get('Kennwort für das Servicecenter vergeben')!, `user:${customer.id}`, true);
  return published;
}
