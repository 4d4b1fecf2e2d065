// The mails the automations send: the satisfaction survey a day after solving, and the one reminder to a customer we wait on.
import type { MailBlock, MailContent } from '../mail/mail-content.js';
import type { Settings } from '../settings/settings-schema.js';

export function surveyMail(ticket: { id: number; subject: string }, ratingBlocks: MailBlock[], settings: Settings): MailContent {
  return {
    subject: `[#${ticket.id}] Wie zufrieden waren Sie mit unserer Hilfe?`,
    blocks: [
      { kind: 'paragraph', text: 'Guten Tag,' },
      { kind: 'paragraph', text: `Ihre Anfrage „${ticket.subject}“ (#${ticket.id}) haben wir gestern als gelöst markiert. Wir würden gern wissen, ob wir Ihnen helfen konnten.` },
      ...ratingBlocks,
      { kind: 'paragraph', text: `Ihr ${settings.teamName}-Team von ${settings.shopName}` },
    ],
  };
}

export function reminderMail(ticket: { id: number; subject: string }, link: string, settings: Settings): MailContent {
  return {
    subject: `[#${ticket.id}] Wir warten auf Ihre Antwort: ${ticket.subject}`,
    blocks: [
      { kind: 'paragraph', text: 'Guten Tag,' },
      { kind: 'paragraph', text: `vor einigen Tagen haben wir Ihnen zu Ihrer Anfrage #${ticket.id} geschrieben und brauchen noch eine Antwort von Ihnen, um weiterhelfen zu können. Antworten Sie einfach auf diese E-Mail oder im ${settings.portalName}.` },
      { kind: 'link', label: `Anfrage #${ticket.id} ansehen und antworten`, url: link },
      { kind: 'paragraph', text: 'Hat sich Ihr Anliegen inzwischen erledigt? Dann markieren Sie die Anfrage dort bitte als gelöst.' },
      { kind: 'paragraph', text: `Ihr ${settings.teamName}-Team von ${settings.shopName}` },
    ],
  };
}
