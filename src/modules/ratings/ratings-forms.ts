// The forms of the rating page: the rating with an optional comment, and "Mein Anliegen ist noch nicht gelöst" with a message.
import { z } from 'zod';
import { formText } from '../../lib/forms.js';
import { descriptionMaxLength } from '../tickets/tickets-forms.js';

export const commentMaxLength = 2000;

export const ratingForm = z.object({
  rating: z.enum(['good', 'bad'], { message: 'Bitte wählen Sie „Gut, ich bin zufrieden“ oder „Schlecht, ich bin unzufrieden“.' }),
  comment: formText.pipe(z.string().trim().max(commentMaxLength, `Ihr Kommentar darf höchstens ${commentMaxLength.toLocaleString('de-DE')} Zeichen lang sein.`)),
});

export const notSolvedForm = z.object({
  message: formText.pipe(z.string().trim()
    .min(1, 'Bitte beschreiben Sie kurz, was noch offen ist.')
    .max(descriptionMaxLength, `Ihre Nachricht darf höchstens ${descriptionMaxLength.toLocaleString('de-DE')} Zeichen lang sein.`)),
});

export const reportQuery = z.object({
  wochen: z.coerce.number().int().min(1).max(52).catch(12),
});
