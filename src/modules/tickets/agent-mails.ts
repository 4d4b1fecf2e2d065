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
  /** Lines about the answer's files (attached, or too large and left in the portal). */
  files?: MailBlock[];
  /** The rating question with its links, when the answer solves the request. */
  rating?: MailBlock[];
}): MailContent {
  const blocks: MailBlock[] = [
    { kind: 'paragraph', text: replyAboveMarker },
    { kind: 'paragraph', text: `Guten Tag,\n\n${leadIns[input.status] ?? leadIns.open}` },
    { kind: 'message', heading: `${input.answer.author}, ${formatDateTime(input.answer.createdAt)}`, text: input.answer.body },
    ...(input.files ?? []),
    { kind: 'link', label: `Anfrage #${input.ticketId} im ${input.settings.portalName} ansehen`, url: input.link },
    ...(input.rating ?? []),
  ];
  const shown = capHistory(input.earlier, input.settings.mailHistoryLimit);
  if (shown.length > 0) {
    blocks.push({ kind: 'paragraph', text: 'Bisheriger Verlauf:' });
    for (const message of shown) {
      blocks.push({ kind: 'message', heading: `${message.author}, ${formatDateTime(message.createdAt)}`, text: message.body });
    }
  }
  if (shown.length < input.earlier.length) {
    blocks.push({ kind: 'link', label: 'Ältere Nachrichten finden Sie im Verlauf der Anfrage', url: input.link });
  }
  return { subject: `[#${input.ticketId}] ${input.subject}`, blocks };
}

// Gmail clips mails above about 100 KB and hides what follows; text and HTML together stay well below that.
const historyCharacterBudget = 40_000;

/** The newest earlier messages that fit both the count setting and the size budget. */
export function capHistory(earlier: ThreadMessage[], limit: number): ThreadMessage[] {
  const shown: ThreadMessage[] = [];
  let characters = 0;
  for (const message of earlier.slice(0, limit)) {
    characters += message.body.length;
    if (characters > historyCharacterBudget && shown.length > 0) break;
    shown.push(message);
  }
  return shown;
}
