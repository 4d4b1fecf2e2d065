// The Wissensdatenbank's forms: articles, categories and sections (agents), comments and votes (readers), search queries.
import { z } from 'zod';
import { formText } from '../../lib/forms.js';
import { searchTextMaxLength } from './kb-query.js';

export const kbLimits = {
  titleMax: 150,
  bodyMax: 50_000,
  nameMax: 100,
  descriptionMax: 500,
  commentMax: 2_000,
  positionMax: 9_999,
} as const;

const number = (value: number) => value.toLocaleString('de-DE');

const idField = (message: string) => formText.pipe(z.string().regex(/^\d{1,12}$/, message).transform(Number));

export const articleForm = z.object({
  title: formText.pipe(z.string().trim()
    .min(1, 'Bitte geben Sie einen Titel an.')
    .max(kbLimits.titleMax, `Der Titel darf höchstens ${kbLimits.titleMax} Zeichen lang sein.`)),
  sectionId: idField('Bitte wählen Sie einen Abschnitt.'),
  body: formText.pipe(z.string().trim()
    .min(1, 'Bitte schreiben Sie den Inhalt des Artikels.')
    .max(kbLimits.bodyMax, `Der Inhalt darf höchstens ${number(kbLimits.bodyMax)} Zeichen lang sein.`)),
});
export type ArticleInput = z.infer<typeof articleForm>;

/** Which button sent the article form: "Vorschau" shows the rendered text, "Speichern" saves. */
export const articleAction = formText.pipe(z.enum(['vorschau', 'speichern']).catch('speichern'));

const name = formText.pipe(z.string().trim()
  .min(1, 'Bitte geben Sie einen Namen an.')
  .max(kbLimits.nameMax, `Der Name darf höchstens ${kbLimits.nameMax} Zeichen lang sein.`));
const description = formText.pipe(z.string().trim()
  .max(kbLimits.descriptionMax, `Die Beschreibung darf höchstens ${kbLimits.descriptionMax} Zeichen lang sein.`));
const position = formText.pipe(z.string().trim()
  .regex(/^\d{0,4}$/, `Bitte geben Sie als Reihenfolge eine Zahl von 0 bis ${number(kbLimits.positionMax)} an.`)
  .transform((value) => (value === '' ? 0 : Number(value))));

export const categoryForm = z.object({ name, description, position });
export type CategoryInput = z.infer<typeof categoryForm>;

export const sectionForm = z.object({ categoryId: idField('Bitte wählen Sie eine Kategorie.'), name, description, position });
export type SectionInput = z.infer<typeof sectionForm>;

const commentBody = (empty: string) => formText.pipe(z.string().trim()
  .min(1, empty)
  .max(kbLimits.commentMax, `Ein Kommentar darf höchstens ${number(kbLimits.commentMax)} Zeichen lang sein.`));

export const commentForm = z.object({ comment: commentBody('Bitte schreiben Sie Ihren Kommentar.') });

export const answerForm = z.object({ answer: commentBody('Bitte schreiben Sie eine Antwort.') });

export const voteForm = z.object({ helpful: formText.pipe(z.enum(['ja', 'nein'])) });

/** A query string value as text: a repeated parameter counts once, anything else as empty. */
export const queryText = formText.pipe(z.string().transform((value) => value.slice(0, searchTextMaxLength)));

export const pageNumber = formText.pipe(z.string().regex(/^\d{1,3}$/).transform(Number).refine((value) => value >= 1)).catch(1);
