// The forms of login, password links and "Mein Konto".
import { z } from 'zod';
import { emailField, formText } from '../../lib/forms.js';
import { isCommonPassword, passwordLength } from './passwords.js';

export const loginForm = z.object({
  email: emailField,
  password: formText.pipe(z.string().min(1, 'Bitte geben Sie Ihr Kennwort ein.').max(1024, 'Dieses Kennwort ist zu lang.')),
  next: formText,
});

export const forgotForm = z.object({ email: emailField });

const newPassword = formText.pipe(z.string()
  .min(passwordLength.min, `Das Kennwort muss mindestens ${passwordLength.min} Zeichen lang sein.`)
  .max(passwordLength.max, `Das Kennwort darf höchstens ${passwordLength.max} Zeichen lang sein.`)
  .refine((password) => !isCommonPassword(password), 'Dieses Kennwort ist zu verbreitet und leicht zu erraten. Bitte wählen Sie ein anderes.'));

const repeatMatches = (form: { password: string; passwordRepeat: string }) => form.password === form.passwordRepeat;
const repeatMismatch = { path: ['passwordRepeat'], message: 'Die beiden Kennwörter stimmen nicht überein.' };

export const setPasswordForm = z.object({ password: newPassword, passwordRepeat: formText }).refine(repeatMatches, repeatMismatch);

export const changePasswordForm = z.object({
  currentPassword: formText.pipe(z.string().min(1, 'Bitte geben Sie Ihr bisheriges Kennwort ein.').max(1024)),
  password: newPassword,
  passwordRepeat: formText,
}).refine(repeatMatches, repeatMismatch);

export const nameForm = z.object({
  name: formText.pipe(z.string().trim().min(1, 'Bitte geben Sie Ihren Namen an.').max(100, 'Der Name darf höchstens 100 Zeichen lang sein.')),
});
