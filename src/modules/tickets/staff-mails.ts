// Mails to the team: a new request waits in "Nicht zugewiesen", or a customer answered a request assigned to someone.
import type { MailContent } from '../mail/mail-content.js';

export function newRequestNotice(ticket: { id: number; subject: string }, requesterName: string, link: string): MailContent {
  return {
    subject: `[#${ticket.id}] Neue Anfrage: ${ticket.subject}`,
    blocks: [
      { kind: 'paragraph', text: `${requesterName} hat eine neue Anfrage gestellt. Sie liegt in „Nicht zugewiesen“.` },
      { kind: 'link', label: `Anfrage #${ticket.id} öffnen`, url: link },
    ],
  };
}

export function customerReplyNotice(ticket: { id: number; subject: string }, requesterName: string, body: string, link: string): MailContent {
  return {
    subject: `[#${ticket.id}] Antwort von ${requesterName}: ${ticket.subject}`,
    blocks: [
      { kind: 'paragraph', text: `${requesterName} hat auf eine Ihnen zugewiesene Anfrage geantwortet:` },
      { kind: 'message', heading: requesterName, text: body },
      { kind: 'link', label: `Anfrage #${ticket.id} öffnen`, url: link },
    ],
  };
}
