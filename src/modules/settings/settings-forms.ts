// The admin settings form: a label, a kind of field and a group for every setting, and parsing with German messages.
import type { z } from 'zod';
import { type SettingKey, type Settings, settingsSchema } from './settings-schema.js';

type SettingField = {
  label: string;
  group: 'portal' | 'contact' | 'requests' | 'privacy';
  kind: 'text' | 'url' | 'tel' | 'number' | 'checkbox';
  hint?: string;
  maxlength?: number;
  min?: number;
  max?: number;
};

// A Record over every key: a setting added to the schema does not compile until it has its field here.
export const settingFields: Record<SettingKey, SettingField> = {
  portalName: { label: 'Name des Portals', group: 'portal', kind: 'text', maxlength: 80, hint: 'Steht oben auf jeder Seite und in jeder E-Mail.' },
  teamName: { label: 'Name des Teams', group: 'portal', kind: 'text', maxlength: 80, hint: 'Antworten sind so unterschrieben: „Anna vom Servicecenter“.' },
  shopName: { label: 'Name des Shops', group: 'portal', kind: 'text', maxlength: 80 },
  shopUrl: { label: 'Adresse des Shops', group: 'portal', kind: 'url', hint: 'Beginnend mit https://' },
  impressumUrl: { label: 'Link zum Impressum', group: 'portal', kind: 'url' },
  datenschutzUrl: { label: 'Link zur Datenschutzerklärung', group: 'portal', kind: 'url' },
  supportPhone: { label: 'Telefonnummer', group: 'contact', kind: 'tel', maxlength: 40, hint: 'Steht auf der Startseite und unten auf jeder Seite.' },
  answerHours: { label: 'Antwortzeiten', group: 'contact', kind: 'text', maxlength: 120, hint: 'Wann Anfragen beantwortet werden, z. B. „Mo–Fr 09:00–18:00“.' },
  phoneHours: { label: 'Telefonzeiten', group: 'contact', kind: 'text', maxlength: 120, hint: 'Wann das Telefon besetzt ist, z. B. „Mo–Do 09:00–18:00, Fr 09:00–17:00“.' },
  // Lifecycle settings (attachments, due times, automations). holidayRegion would read better as a select of the 16 Länder.
  holidayRegion: {
    label: 'Bundesland für die Feiertage', group: 'contact', kind: 'text', maxlength: 2,
    hint: 'Kürzel: BW, BY, BE, BB, HB, HH, HE, MV, NI, NW, RP, SL, SN, ST, SH oder TH. An gesetzlichen Feiertagen zählt keine Antwortzeit.',
  },
  firstResponseHours: {
    label: 'Erste Antwort innerhalb von (Arbeitsstunden)', group: 'contact', kind: 'number', min: 1, max: 200,
    hint: 'Gezählt in den Antwortzeiten. Die Bestätigung nennt daraus, bis wann wir in der Regel antworten.',
  },
  nextResponseHours: { label: 'Weitere Antworten innerhalb von (Arbeitsstunden)', group: 'contact', kind: 'number', min: 1, max: 200 },
  closeAfterDays: {
    label: 'Tage bis zum Schließen gelöster Anfragen', group: 'requests', kind: 'number', min: 1, max: 365,
    hint: 'Danach wird aus einer Antwort der Kundin oder des Kunden eine Folgeanfrage. Vom Kunden gelöste Anfragen bleiben gelöst, bis die Teamleitung sie geprüft hat.',
  },
  mailHistoryLimit: {
    label: 'Frühere Nachrichten in Antwort-E-Mails', group: 'requests', kind: 'number', min: 0, max: 100,
    hint: 'So viele frühere Nachrichten wiederholt jede Antwort-E-Mail. Manche E-Mail-Programme kürzen sehr lange E-Mails.',
  },
  notifyAgents: { label: 'Teammitglieder per E-Mail über neue Anfragen und Kundenantworten benachrichtigen', group: 'requests', kind: 'checkbox' },
  surveyMail: { label: 'Einen Tag nach dem Lösen zusätzlich um eine Bewertung bitten', group: 'requests', kind: 'checkbox', hint: 'Die E-Mail zur gelösten Anfrage enthält die Bewertungslinks ohnehin.' },
  reminderMail: { label: 'Kundinnen und Kunden einmal erinnern, wenn eine Rückfrage 3 Tage unbeantwortet ist', group: 'requests', kind: 'checkbox' },
  attachmentMaxFiles: { label: 'Anhänge pro Nachricht (höchstens)', group: 'requests', kind: 'number', min: 1, max: 20 },
  attachmentMaxMegabytes: { label: 'Größe je Anhang in MB (höchstens)', group: 'requests', kind: 'number', min: 1, max: 25 },
  plusAddressing: {
    label: 'Plus-Adressen als Antwortadresse verwenden (support+…@)', group: 'requests', kind: 'checkbox',
    hint: 'Nur einschalten, wenn Ihr Postfach E-Mails an solche Adressen in das Support-Postfach zustellt.',
  },
  imapFolder: { label: 'IMAP-Ordner für eingehende E-Mails', group: 'requests', kind: 'text', maxlength: 200, hint: 'Nur mit IMAP_URL. Meist „INBOX“.' },
  imapProcessedFolder: {
    label: 'IMAP-Ordner für übernommene E-Mails', group: 'requests', kind: 'text', maxlength: 200,
    hint: 'Leer lassen: übernommene E-Mails bleiben im Ordner und werden als gelesen markiert.',
  },
  trustedAuthservId: {
    label: 'Vertrauenswürdiger Mailserver (authserv-id)', group: 'requests', kind: 'text', maxlength: 200,
    hint: 'Der Name, mit dem Ihr eigener Mailserver „Authentication-Results“ schreibt. Nur sein DMARC-Ergebnis zählt; leer: keines.',
  },
  inboundQuarantineThreshold: {
    label: 'Quarantäne ab so vielen E-Mails pro Stunde und Absender', group: 'requests', kind: 'number', min: 1, max: 1000,
    hint: 'Weitere E-Mails desselben Absenders warten im E-Mail-Eingang auf ein Teammitglied.',
  },
  inboundMaxMegabytes: { label: 'Größte angenommene E-Mail (MB)', group: 'requests', kind: 'number', min: 1, max: 100 },
  retentionOutboxDays: {
    label: 'Text versandter E-Mails löschen nach (Tagen)', group: 'privacy', kind: 'number', min: 1, max: 3650,
    hint: 'Betreff, Empfänger und Versandzeit bleiben; der Text der E-Mail wird gelöscht. Die Nachrichten in den Anfragen bleiben erhalten.',
  },
  retentionInboundDays: {
    label: 'Gespeicherte Original-E-Mails löschen nach (Tagen)', group: 'privacy', kind: 'number', min: 1, max: 3650,
    hint: 'Die Originale im E-Mail-Eingang; der übernommene Text bleibt in der Anfrage.',
  },
};

export const settingGroups = { portal: 'Portal und Shop', contact: 'Erreichbarkeit', requests: 'Anfragen und E-Mails', privacy: 'Datenschutz' } as const;

const entries = Object.entries(settingFields) as Array<[SettingKey, SettingField]>;

/** The form's fields as text, the way the page shows them: a ticked checkbox is "1", an unticked one absent. */
export function settingsAsInput(settings: Settings): Record<string, string> {
  const input: Record<string, string> = {};
  for (const [key, field] of entries) {
    const value = settings[key];
    if (field.kind !== 'checkbox') input[key] = String(value);
    else if (value === true) input[key] = '1';
  }
  return input;
}

/** Every setting from the posted form; a missing field counts as empty (or unticked), never as "keep the default". */
export function parseSettingsForm(body: unknown): z.ZodSafeParseResult<Settings> {
  const posted = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const values: Record<string, unknown> = {};
  for (const [key, field] of entries) {
    const raw = Array.isArray(posted[key]) ? (posted[key] as unknown[])[0] : posted[key];
    const text = typeof raw === 'string' ? raw.trim() : '';
    if (field.kind === 'checkbox') values[key] = text !== '';
    // The schema coerces, and Number('') is 0: an empty number field must fail, not save a zero.
    else if (field.kind === 'number' && text === '') values[key] = Number.NaN;
    else values[key] = text;
  }
  return settingsSchema.safeParse(values, { error: (issue) => germanFallback(issue.path?.[0]) });
}

// The schema's own messages come first; this speaks only for checks that have none (zod's would be English).
function germanFallback(key: PropertyKey | undefined): string {
  const field = settingFields[key as SettingKey];
  if (field?.kind === 'number') return `Bitte geben Sie eine ganze Zahl von ${field.min} bis ${field.max} an.`;
  return 'Bitte prüfen Sie diese Angabe.';
}
