// Reads the mail that the app wrote as .eml files, parsed the way a mail client would see it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';

export type ReceivedMail = {
  to: string;
  subject: string;
  text: string;
  html: string;
  headers: Map<string, unknown>;
  messageId: string | undefined;
  file: string;
};

export class Mailbox {
  private seen = new Set<string>();

  constructor(private readonly dir: string, private readonly deliver: () => Promise<unknown>) {}

  /** Lets the outbox worker send what is due, then returns the mails that arrived since the last call. */
  async receive(): Promise<ReceivedMail[]> {
    await this.deliver();
    if (!existsSync(this.dir)) return [];
    const fresh = readdirSync(this.dir).filter((name) => name.endsWith('.eml') && !this.seen.has(name)).sort();
    const mails: ReceivedMail[] = [];
    for (const name of fresh) {
      this.seen.add(name);
      const parsed = await simpleParser(readFileSync(join(this.dir, name)));
      const to = Array.isArray(parsed.to) ? parsed.to[0] : parsed.to;
      mails.push({
        to: to?.value[0]?.address ?? '',
        subject: parsed.subject ?? '',
        text: parsed.text ?? '',
        html: typeof parsed.html === 'string' ? parsed.html : '',
        headers: parsed.headers,
        messageId: parsed.messageId,
        file: join(this.dir, name),
      });
    }
    return mails;
  }

  /** The one new mail to this address; fails the test if there is none or more than one. */
  async receiveOne(address: string): Promise<ReceivedMail> {
    const mails = (await this.receive()).filter((mail) => mail.to === address);
    if (mails.length !== 1) throw new Error(`expected one mail to ${address}, got ${mails.length}`);
    return mails[0]!;
  }
}

/** The first link in a mail's text that starts with the given prefix. */
export function linkIn(mail: ReceivedMail, prefix: string): string {
  const match = mail.text.match(new RegExp(`${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\S*`));
  if (!match) throw new Error(`no link starting with ${prefix} in mail "${mail.subject}"`);
  return match[0];
}
