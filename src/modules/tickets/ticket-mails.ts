// The texts of the mails about a request that this module sends.
import type { MailContent } from '../mail/mail-content.js';
import type { Settings } from '../settings/settings-schema.js';

/** Fixed text: an anonymous form could name any address, so nothing the sender typed is echoed. */
export function acknowledgementMail(
  ticketId: number, links: { request: string; setPassword?: string }, settings: Settings, answerBy: string,
): MailContent {
  const blocks: MailContent['blocks'] = [
    { kind: 'paragraph', text: 'Guten Tag,' },
    { kind: 'paragraph', text: `vielen Dank für Ihre Nachricht. Ihre Anfrage ist bei uns eingegangen und hat die Nummer #${ticketId}. Wir antworten in der Regel bis ${answerBy} (unsere Servicezeiten: ${settings.answerHours}).` },
    { kind: 'link', label: 'Anfrage im Servicecenter ansehen', url: links.request },
  ];
  if (links.setPassword) {
    blocks.push(
      { kind: 'paragraph', text: `Sie haben noch kein Kennwort für das ${settings.portalName}. Mit „Kennwort vergessen“ legen Sie eines fest und sehen danach alle Ihre Anfragen unter „Meine Aktivitäten“. Das Kennwort ist unabhängig von Ihrem Kundenkonto im Shop.` },
      { kind: 'link', label: 'Kennwort festlegen', url: links.setPassword },
    );
  }
  blocks.push({ kind: 'paragraph', text: `Ihr ${settings.teamName}-Team von ${settings.shopName}` });
  return { subject: `[#${ticketId}] Ihre Anfrage ist eingegangen`, blocks };
}
