// The form of a canned reply (Textbaustein): a title to pick it by and the text it inserts.
import { z } from 'zod';
import { formText } from '../../lib/forms.js';

export const cannedTitleMaxLength = 100;
// As long as an agent's reply may be, so that a canned reply always fits into an empty reply field.
export const cannedBodyMaxLength = 20_000;

export const cannedReplyForm = z.object({
  title: formText.pipe(z.string().trim()
    .min(1, 'Bitte geben Sie einen Titel an.')
    .max(cannedTitleMaxLength, `Der Titel darf höchstens ${cannedTitleMaxLength} Zeichen lang sein.`)),
  body: formText.pipe(z.string().trim()
    .min(1, 'Bitte schreiben Sie den Text des Textbausteins.')
    .max(cannedBodyMaxLength, `Der Text darf höchstens ${cannedBodyMaxLength.toLocaleString('de-DE')} Zeichen lang sein.`)),
});

export type CannedReplyInput = z.infer<typeof cannedReplyForm>;
