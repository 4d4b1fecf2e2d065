// The form of the Datenschutz page: the address of the person whose data is exported or erased.
import { z } from 'zod';
import { formText } from '../../lib/forms.js';

export const personForm = z.object({
  email: formText.pipe(z.string().trim().min(1, 'Bitte geben Sie die E-Mail-Adresse der Person an.').max(254, 'Diese E-Mail-Adresse ist zu lang.')
    .pipe(z.email('Bitte geben Sie eine gültige E-Mail-Adresse an, z. B. name@beispiel.de.'))),
});
