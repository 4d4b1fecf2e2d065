// Every setting that admins can change, its validation and its default.
import { z } from 'zod';

const url = z.url({ protocol: /^https?$/, message: 'Bitte geben Sie eine Adresse beginnend mit http:// oder https:// an.' });
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
  closeAfterDays: z.coerce.number().int().min(1).max(365).default(4),
});

export type Settings = z.infer<typeof settingsSchema>;
export type SettingKey = keyof Settings;
export const defaultSettings: Settings = settingsSchema.parse({});
