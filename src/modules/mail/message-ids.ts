// Message-IDs and reply addresses that carry the request number with an HMAC, so answers can be matched and forgeries told apart.
import { randomBytes } from 'node:crypto';
import type { Signer } from '../../lib/tokens.js';

export type MessageIds = ReturnType<typeof createMessageIds>;

export function createMessageIds(signer: Signer, domain: string) {
  return {
    /** The id every mail of a request refers to first in References, so clients thread even if mails went missing. */
    ticketRoot(ticketId: number): string {
      return `<ticket-${ticketId}.${signer.sign('ticket-root', String(ticketId))}@${domain}>`;
    },

    /** A new, unique id; for a request's mail it names the request and is signed. */
    create(ticketId?: number): string {
      const random = randomBytes(9).toString('base64url');
      if (ticketId === undefined) return `<m.${random}@${domain}>`;
      const value = `t${ticketId}.${random}`;
      return `<${value}.${signer.sign('message-id', value)}@${domain}>`;
    },

    /** The request an id of ours names, or undefined for foreign or forged ids. */
    ticketOf(messageId: string): number | undefined {
      const match = /^<?(?:ticket-(\d{1,12})\.([\w-]{22})|(t(\d{1,12})\.[\w-]{12})\.([\w-]{22}))@([^>]+)>?$/.exec(messageId.trim());
      if (!match || match[6]?.toLowerCase() !== domain.toLowerCase()) return undefined;
      if (match[1] && match[2]) return signer.verify('ticket-root', match[1], match[2]) ? Number(match[1]) : undefined;
      if (match[3] && match[4] && match[5]) return signer.verify('message-id', match[3], match[5]) ? Number(match[4]) : undefined;
      return undefined;
    },

    /** support@shop → support+t123.<hmac>@shop: answers find their request even when headers are lost. */
    plusAddress(supportAddress: string, ticketId: number): string {
      const [local, host] = supportAddress.split('@');
      return `${local}+t${ticketId}.${signer.sign('reply-address', String(ticketId)).slice(0, 12)}@${host}`;
    },

    /** "[Ref:t123.<hmac>]" in the footer of a request's mails: found in the quoted text of an answer whose headers were lost. */
    bodyToken(ticketId: number): string {
      return `[Ref:t${ticketId}.${signer.sign('reply-address', String(ticketId)).slice(0, 12)}]`;
    },

    /** The request of the first validly signed reference in a text, or undefined. */
    ticketOfBodyToken(text: string): number | undefined {
      for (const match of text.slice(0, 2_000_000).matchAll(/\[Ref:t(\d{1,12})\.([\w-]{12})\]/g)) {
        if (signer.sign('reply-address', match[1]!).slice(0, 12) === match[2]) return Number(match[1]);
      }
      return undefined;
    },

    ticketOfPlusAddress(address: string): number | undefined {
      const match = /^[^+@]+\+t(\d{1,12})\.([\w-]{12})@/i.exec(address.trim());
      if (!match) return undefined;
      const expected = signer.sign('reply-address', match[1]!).slice(0, 12);
      return expected === match[2] ? Number(match[1]) : undefined;
    },
  };
}
