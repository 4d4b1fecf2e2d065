// The mail that carries an agent's public answer to the customer, with the earlier conversation below it.
import { formatDateTime } from '../../lib/dates.js';
import type { MailBlock, MailContent } from '../mail/mail-content.js';
import type { Settings } from '../settings/settings-schema.js';

export const replyAboveMarker = '##- Bitte geben Sie Ihre Antwort über dieser Zeile ein -##';

export type ThreadMessage = { author: string; createdAt: Date; body: string };

const leadIns: Record<string, string> = {
  pending: 'wir haben eine Rückfrage zu Ihrer Anfrage. Bitte antworten Sie uns, damit wir weiterhelfen können.',
  solved: 'wir haben Ihre Anfrage beantwortet und als gelöst markiert. Ist doch noch etwas offen? Dann antworten Sie einfach auf diese E-Mail.',
  open: 'es gibt eine neue Antwort auf Ihre Anfrage.',
  on_hold: 'es gibt eine neue Antwort auf Ihre Anfrage. Wir kümmern uns weiter darum.',
};

/** Newest message first, then the earlier public conversation newest first, as mail readers expect. */
export function agentAnswerMail(input: {
  ticketId: number; subject: string; status: string; answer: ThreadMessage; earlier: ThreadMessage[]; link: string; settings: Settings;
}): MailContent {
  const blocks: MailBlock[] = [
    { kind: 'paragraph', text: replyAboveMarker },
    { kind: 'paragraph', text: `Guten Tag,\n\n${leadIns[input.status] ?? leadIns.open}` },
    { kind: 'message', heading: `${input.answer.author}, ${formatDateTime(input.answer.createdAt)}`, text: input.answer.body },
    { kind: 'link', label: `Anfrage #${input.ticketId} im ${input.settings.portalName} ansehen`, url: input.link },
  ];
  if (input.earlier.length > 0) {
    blocks.push({ kind: 'paragraph', text: 'Bisheriger Verlauf:' });
    for (const message of input.earlier) {
      blocks.push({ kind: 'message', heading: `${message.author}, ${formatDateTime(message.createdAt)}`, text: message.body });
    }
  }
  return { subject: `[#${input.ticketId}] ${input.subject}`, blocks };
}
