// The agents' forms about requests: reply or note, assignment, priority, review, a request for a customer.
import { z } from 'zod';
import { checkbox, emailField, formText } from '../../lib/forms.js';
import { ticketPriorities } from '../../db/schema.js';
import { descriptionMaxLength, subjectMaxLength } from './tickets-forms.js';
import { statusAfterReply } from './agent-tickets-service.js';

const idText = formText.pipe(z.string().regex(/^\d{1,12}$/).transform(Number));

export const agentReplyForm = z.object({
  body: formText.pipe(z.string().trim().min(1, 'Bitte schreiben Sie eine Antwort oder Notiz.').max(descriptionMaxLength, 'Die Antwort ist zu lang.')),
  visibility: z.enum(['public', 'internal'], { message: 'Bitte wählen Sie „Öffentliche Antwort“ oder „Interne Notiz“.' }),
  status: z.enum(statusAfterReply, { message: 'Bitte wählen Sie einen Status.' }),
  lastSeenMessageId: idText.catch(0),
});

export const assignForm = z.object({
  assignee: formText.pipe(z.string().regex(/^(me|none|\d{1,12})$/, 'Bitte wählen Sie, wem die Anfrage zugewiesen wird.')),
});

export const priorityForm = z.object({ priority: z.enum(ticketPriorities, { message: 'Bitte wählen Sie eine Priorität.' }) });

export const spamForm = z.object({ spam: checkbox });

export const reviewForm = z.discriminatedUnion('decision', [
  z.object({ decision: z.literal('reviewed') }),
  z.object({
    decision: z.literal('reopen'),
    reason: formText.pipe(z.string().trim().min(1, 'Bitte schreiben Sie als interne Notiz, warum die Anfrage wieder geöffnet wird.').max(descriptionMaxLength)),
  }),
], { message: 'Bitte wählen Sie „Geprüft“ oder „Wieder öffnen“.' });

export const customerRequestForm = z.object({
  email: emailField,
  name: formText.pipe(z.string().trim().min(1, 'Bitte geben Sie den Namen der Kundin oder des Kunden an.').max(100, 'Der Name darf höchstens 100 Zeichen lang sein.')),
  subject: formText.pipe(z.string().trim().min(1, 'Bitte geben Sie einen Betreff an.').max(subjectMaxLength, `Der Betreff darf höchstens ${subjectMaxLength} Zeichen lang sein.`)),
  description: formText.pipe(z.string().trim().min(1, 'Bitte halten Sie fest, was die Kundin oder der Kunde möchte.').max(descriptionMaxLength, 'Die Beschreibung ist zu lang.')),
  channel: z.enum(['phone', 'letter'], { message: 'Bitte wählen Sie Telefon oder Brief.' }),
  answer: formText.pipe(z.string().trim().max(descriptionMaxLength, 'Die Antwort ist zu lang.')),
  status: z.enum(statusAfterReply).catch('pending'),
});

export const priorityLabels: Record<(typeof ticketPriorities)[number], string> = {
  low: 'Niedrig', normal: 'Normal', high: 'Hoch', urgent: 'Dringend',
};
export const statusAfterReplyLabels: Record<(typeof statusAfterReply)[number], string> = {
  open: 'Offen', pending: 'Wartet auf Kunde', on_hold: 'In Wartestellung', solved: 'Gelöst',
};
