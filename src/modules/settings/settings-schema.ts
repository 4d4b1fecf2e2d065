// Every setting that admins can change, its validation and its default.
import { z } from 'zod';

const url = z.url({ protocol: /^https?$/, message: 'Bitte geben Sie eine Adresse beginnend mit http:// oder https:// an.' });
const closeAfterDaysMessage = 'Bitte geben Sie eine ganze Zahl von 1 bis 365 an.';
const line = (max: number) => z.string().trim().min(1, 'Bitte füllen Sie dieses Feld aus.').max(max, `Höchstens ${max} Zeichen.`);

export const settingsSchema = z.object({
  portalName: line(80).default('Servicecenter'),
  teamName: line(80).default('Servicecenter'),
  shopName: line(80).default('Unser Shop'),
  shopUrl: url.default('https://shop.example.com'),
  supportPhone: line(40).default('+49 30 123456-0'),
  answerHours: line(120).default('Mo–Fr 09:00–18:00'),
  phoneHours: line(120).default('Mo–Do 09:00–18:00, Fr 09:00–17:00'),
  impressumUrl: url.default('https://shop.example.com/impressum'),
  datenschutzUrl: url.default('https://shop.example.com/datenschutz'),
  closeAfterDays: z.coerce.number({ message: closeAfterDaysMessage }).int(closeAfterDaysMessage)
    .min(1, closeAfterDaysMessage).max(365, closeAfterDaysMessage).default(4),
  /** How many earlier messages an answer mail repeats; Gmail clips mails above about 100 KB. */
  mailHistoryLimit: z.coerce.number().int().min(0).max(100).default(20),
  /** Mail agents about new requests and about customer replies on their requests. */
  notifyAgents: z.boolean().default(true),
  /** Reply-To support+t123.…@: only when the mailbox delivers plus-addresses to the support inbox. */
  plusAddressing: z.boolean().default(false),
});

export type Settings = z.infer<typeof settingsSchema>;
export type SettingKey = keyof Settings;
export const defaultSettings: Settings = settingsSchema.parse({});
