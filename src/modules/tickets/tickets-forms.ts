// The customer's forms about requests: contact form, reply, list filters.
import { z } from 'zod';
import { checkbox, emailField, formText } from '../../lib/forms.js';
import { customerStatusFilters } from './ticket-labels.js';

export const subjectMaxLength = 150;
export const descriptionMaxLength = 20_000;

const subject = formText.pipe(z.string().trim()
  .min(1, 'Bitte geben Sie einen Betreff an.')
  .max(subjectMaxLength, `Der Betreff darf höchstens ${subjectMaxLength} Zeichen lang sein.`));
const description = formText.pipe(z.string().trim()
  .min(1, 'Bitte beschreiben Sie Ihr Anliegen.')
  .max(descriptionMaxLength, `Die Beschreibung darf höchstens ${descriptionMaxLength.toLocaleString('de-DE')} Zeichen lang sein.`));
const followUpOf = formText.pipe(z.string().regex(/^\d*$/).transform((value) => (value ? Number(value) : undefined)));

export const contactFormAnonymous = z.object({
  name: formText.pipe(z.string().trim().min(1, 'Bitte geben Sie Ihren Namen an.').max(100, 'Der Name darf höchstens 100 Zeichen lang sein.')),
  email: emailField,
  subject,
  description,
  followUpOf,
});

export const contactFormLoggedIn = contactFormAnonymous.omit({ name: true, email: true });

export const replyForm = z.object({
  body: formText.pipe(z.string().trim().max(descriptionMaxLength, `Ihre Antwort darf höchstens ${descriptionMaxLength.toLocaleString('de-DE')} Zeichen lang sein.`)),
  markSolved: checkbox,
  confirmed: checkbox,
}).refine((form) => form.body.length > 0 || form.markSolved, {
  path: ['body'],
  message: 'Bitte schreiben Sie eine Antwort, oder markieren Sie die Anfrage als gelöst.',
});

export const listQuery = z.object({
  status: z.enum(Object.keys(customerStatusFilters) as [keyof typeof customerStatusFilters]).optional().catch(undefined),
  q: formText.pipe(z.string().trim().max(150)).optional().catch(undefined),
  after: z.string().regex(/^\d{1,15}_\d{1,12}$/).optional().catch(undefined),
});
