// Every setting that admins can change, its validation and its default.
import { z } from 'zod';
import { formatWeeklyHours, germanStates, type GermanState, parseWeeklyHours } from '../../lib/business-hours.js';

const url = z.url({ protocol: /^https?$/, message: 'Bitte geben Sie eine Adresse beginnend mit http:// oder https:// an.' });
const closeAfterDaysMessage = 'Bitte geben Sie eine ganze Zahl von 1 bis 365 an.';
const line = (max: number) => z.string().trim().min(1, 'Bitte füllen Sie dieses Feld aus.').max(max, `Höchstens ${max} Zeichen.`);
const wholeNumber = (min: number, max: number) => {
  const message = `Bitte geben Sie eine ganze Zahl von ${min} bis ${max} an.`;
  return z.coerce.number({ message }).int(message).min(min, message).max(max, message);
};
/**
 * Hours as people write them ("Mo–Do 09:00–18:00, Fr 09:00–17:00"), read into weekday intervals and stored in one
 * canonical spelling: what customers read is exactly what due times are counted from (src/lib/business-hours.ts).
 */
const weeklyHours = line(120).transform((text, context) => {
  const parsed = parseWeeklyHours(text);
  if (parsed.ok) return formatWeeklyHours(parsed.hours);
  context.addIssue({ code: 'custom', message: parsed.message });
  return z.NEVER;
});
const germanStateCodes = Object.keys(germanStates) as [GermanState, ...GermanState[]];

export const settingsSchema = z.object({
  portalName: line(80).default('Servicecenter'),
  teamName: line(80).default('Servicecenter'),
  shopName: line(80).default('Unser Shop'),
  shopUrl: url.default('https://shop.example.com'),
  supportPhone: line(40).default('+49 30 123456-0'),
  /** When requests are answered: the business hours that first- and next-response due times count. */
  answerHours: weeklyHours.default('Mo–Fr 09:00–18:00'),
  phoneHours: weeklyHours.default('Mo–Do 09:00–18:00, Fr 09:00–17:00'),
  /** The shop's Bundesland: its public holidays are no business days. */
  holidayRegion: z.enum(germanStateCodes, { message: 'Bitte wählen Sie ein Bundesland.' }).default('BE'),
  /** Business hours until the first answer is due; customers read the promise ("in der Regel bis Montag, 12:00 Uhr"). */
  firstResponseHours: wholeNumber(1, 200).default(9),
  /** Business hours until an answer to a customer's further message is due. */
  nextResponseHours: wholeNumber(1, 200).default(9),
  impressumUrl: url.default('https://shop.example.com/impressum'),
  datenschutzUrl: url.default('https://shop.example.com/datenschutz'),
  closeAfterDays: z.coerce.number({ message: closeAfterDaysMessage }).int(closeAfterDaysMessage)
    .min(1, closeAfterDaysMessage).max(365, closeAfterDaysMessage).default(4),
  /** How many earlier messages an answer mail repeats; Gmail clips mails above about 100 KB. */
  mailHistoryLimit: z.coerce.number().int().min(0).max(100).default(20),
  /** Mail the customer a separate rating request 24 hours after a request is solved (the solved mail carries the links anyway). */
  surveyMail: z.boolean().default(false),
  /** Remind a customer once when a request has waited on their answer for 3 days. */
  reminderMail: z.boolean().default(false),
  /** Files per message on the contact form and in replies. */
  attachmentMaxFiles: wholeNumber(1, 20).default(5),
  /** Size limit per file, in MB. */
  attachmentMaxMegabytes: wholeNumber(1, 25).default(10),
  /** Mail agents about new requests and about customer replies on their requests. */
  notifyAgents: z.boolean().default(true),
  /** Reply-To support+t123.…@: only when the mailbox delivers plus-addresses to the support inbox. */
  plusAddressing: z.boolean().default(false),
  /** Inbound mail: the IMAP folder the poller reads (IMAP_URL names the mailbox). */
  imapFolder: line(200).default('INBOX'),
  /** Where the poller moves a mail it has taken; empty: it stays in the folder, marked as read. */
  imapProcessedFolder: z.string().trim().max(200, 'Höchstens 200 Zeichen.').default(''),
  /** The authserv-id of our own mail server's Authentication-Results; only its DMARC verdict counts. Empty: none. */
  trustedAuthservId: z.string().trim().max(200, 'Höchstens 200 Zeichen.').default(''),
  /** More mails than this within an hour from one sender go to quarantine. */
  inboundQuarantineThreshold: wholeNumber(1, 1000).default(20),
  /** Larger mails are refused (SMTP 552) or left in the mailbox (IMAP). */
  inboundMaxMegabytes: wholeNumber(1, 100).default(25),
  /** Retention: the text of a sent mail is deleted from the outbox this many days after it went out. */
  retentionOutboxDays: wholeNumber(1, 3650).default(30),
  /** Retention: a stored raw inbound mail (DATA_DIR/inbound) is deleted this many days after it arrived. */
  retentionInboundDays: wholeNumber(1, 3650).default(90),
});

export type Settings = z.infer<typeof settingsSchema>;
export type SettingKey = keyof Settings;
export const defaultSettings: Settings = settingsSchema.parse({});
