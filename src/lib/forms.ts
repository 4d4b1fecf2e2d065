// Helpers shared by every form: first error message per field, and text fields as people type them.
import { z } from 'zod';

export type FieldErrors = Record<string, string>;

export function fieldErrors(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? 'form');
    errors[field] ??= issue.message;
  }
  return errors;
}

/** A form field as text: missing or repeated fields become "" or their first value, never a crash. */
export const formText = z.preprocess((value) => {
  if (Array.isArray(value)) value = value[0];
  return typeof value === 'string' ? value.replace(/\r\n?/g, '\n') : '';
}, z.string());

export const checkbox = z.preprocess((value) => value !== undefined && value !== '', z.boolean());

export const emailField = formText.pipe(
  z.string().trim().min(1, 'Bitte geben Sie Ihre E-Mail-Adresse an.').max(254, 'Diese E-Mail-Adresse ist zu lang.')
    .pipe(z.email('Bitte geben Sie eine gültige E-Mail-Adresse an, z. B. name@beispiel.de.')),
);

/** What the page shows again after an error: the strings the person typed. */
export function keptInput(body: unknown): Record<string, string> {
  const kept: Record<string, string> = {};
  if (body && typeof body === 'object') {
    for (const [key, value] of Object.entries(body)) {
      if (key === '_csrf' || key.toLowerCase().includes('password')) continue;
      const first = Array.isArray(value) ? value[0] : value;
      if (typeof first === 'string') kept[key] = first;
    }
  }
  return kept;
}
