// The forms of the team page: invite someone, change a role.
import { z } from 'zod';
import { formText } from '../../lib/forms.js';
import { teamRoles } from './team-rules.js';

const role = z.enum(teamRoles, { message: 'Bitte wählen Sie eine Rolle: Agent, Teamleitung oder Administrator.' });

export const inviteForm = z.object({
  name: formText.pipe(z.string().trim().min(1, 'Bitte geben Sie den Namen an.').max(100, 'Der Name darf höchstens 100 Zeichen lang sein.')),
  // Not the shared emailField: its messages speak to the person whose address it is ("Ihre E-Mail-Adresse").
  email: formText.pipe(z.string().trim().min(1, 'Bitte geben Sie die E-Mail-Adresse an.').max(254, 'Diese E-Mail-Adresse ist zu lang.')
    .pipe(z.email('Bitte geben Sie eine gültige E-Mail-Adresse an, z. B. name@beispiel.de.'))),
  role,
});

export const roleForm = z.object({ role });
