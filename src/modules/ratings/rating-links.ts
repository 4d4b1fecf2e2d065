// The links in a solved-mail that rate one request without a login: the request number with an HMAC bound to this purpose.
import { remembered } from '../../lib/remembered.js';
import type { Signer } from '../../lib/tokens.js';
import type { MailBlock } from '../mail/mail-content.js';

export type RatingLinks = ReturnType<typeof createRatingLinks>;

export const ratingChoices = { gut: 'good', schlecht: 'bad' } as const;
export type RatingChoice = keyof typeof ratingChoices;

export function createRatingLinks(signer: Signer, publicUrl: string) {
  const purpose = 'satisfaction-rating';

  /** "42-<signature>": the path segment that stands for one request. A solved request's page shows it on every view. */
  const tokenFor = remembered(10_000, (ticketId: number): string => `${ticketId}-${signer.sign(purpose, String(ticketId))}`);

  return {
    tokenFor,

    /** The request a token names, or undefined for anything forged, mangled or meant for another purpose. */
    ticketOf(token: string): number | undefined {
      const match = /^(\d{1,12})-([\w-]{22})$/.exec(token);
      if (!match || !signer.verify(purpose, match[1]!, match[2]!)) return undefined;
      return Number(match[1]);
    },

    pagePath(ticketId: number, choice?: RatingChoice): string {
      return `/ratings/${tokenFor(ticketId)}${choice ? `?bewertung=${choice}` : ''}`;
    },

    /** The rating question with its three links, for the mail that says a request is solved and for the survey. */
    mailBlocks(ticketId: number): MailBlock[] {
      const page = `${publicUrl}/ratings/${tokenFor(ticketId)}`;
      return [
        { kind: 'paragraph', text: 'Wie zufrieden sind Sie mit unserer Hilfe? Ein Klick genügt, eine Anmeldung ist nicht nötig:' },
        { kind: 'link', label: 'Gut, ich bin zufrieden', url: `${page}?bewertung=gut` },
        { kind: 'link', label: 'Schlecht, ich bin unzufrieden', url: `${page}?bewertung=schlecht` },
        { kind: 'link', label: 'Mein Anliegen ist noch nicht gelöst', url: `${page}#noch-nicht-geloest` },
      ];
    },
  };
}
