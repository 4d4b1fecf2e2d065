// Mail appended to a real Dovecot mailbox on loopback is picked up: flags, the processed folder, duplicates, UIDVALIDITY, IDLE.
import { once } from 'node:events';
import type { ImapFlow } from 'imapflow';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { imapFolders } from '../../src/db/schema.js';
import { createImapPoller, type ImapPoller, parseImapUrl, type SyncResult } from '../../src/modules/inbound/imap-poller.js';
import { type Dovecot, startDovecot } from '../helpers/dovecot.js';
import { testApp, type TestApp } from '../helpers/test-app.js';
import { allTickets, mailFixture } from './inbound-mails.js';

let dovecot: Dovecot;
let imap: ImapFlow;
beforeAll(async () => {
  dovecot = await startDovecot();
  imap = await dovecot.connect();
});
afterAll(async () => {
  await imap?.logout().catch(() => undefined);
  await dovecot?.stop();
});

let t: TestApp;
let poller: ImapPoller;
let folder: string;
let folderNumber = 0;
beforeEach(async () => {
  t = await testApp();
  // A folder of its own per test: what one test leaves in the mailbox never reaches the next.
  folder = `Support${++folderNumber}`;
  // settings.update() writes every setting it is not given back to its default, so each update below names the folder again.
  await imap.mailboxCreate(folder);
  t.services.settings.update({ imapFolder: folder });
  poller = createImapPoller({
    account: parseImapUrl(dovecot.imapUrl), inbound: t.services.inbound, db: t.db, clock: t.clock, settings: t.services.settings, logger: t.app.log,
  });
});
afterEach(async () => {
  await poller.stop();
  await t.close();
});

async function flagsIn(path: string): Promise<string[][]> {
  const lock = await imap.getMailboxLock(path);
  try {
    if (!imap.mailbox || imap.mailbox.exists === 0) return [];
    const flags: string[][] = [];
    for await (const message of imap.fetch('1:*', { flags: true })) flags.push([...(message.flags ?? [])]);
    return flags;
  } finally {
    lock.release();
  }
}

describe('the IMAP poller', () => {
  test('takes an appended mail, marks it as read and remembers where it stands', async () => {
    await imap.append(folder, mailFixture('new-request.eml', { FROM: 'imap@example.org' }));

    expect(await poller.pollOnce()).toEqual({ fetched: 1, stored: 1, duplicates: 0, skippedTooLarge: 0, uidValidityChanged: false });
    expect(allTickets(t)).toHaveLength(1);
    expect(allTickets(t)[0]!.channel).toBe('email');
    expect(await flagsIn(folder)).toEqual([['\\Seen']]);
    const position = t.db.select().from(imapFolders).all();
    expect(position).toEqual([expect.objectContaining({ mailbox: `support@127.0.0.1:${dovecot.port}/${folder}`, lastUid: 1 })]);

    expect((await poller.pollOnce()).fetched).toBe(0);
    expect(allTickets(t)).toHaveLength(1);
  });

  test('the same mail twice in the mailbox is applied once', async () => {
    const raw = mailFixture('new-request.eml', { MESSAGE_ID: 'imap-twice@example.org' });
    await imap.append(folder, raw);
    await imap.append(folder, raw);
    expect(await poller.pollOnce()).toMatchObject({ fetched: 2, stored: 1, duplicates: 1 });
    expect(allTickets(t)).toHaveLength(1);
    expect(await flagsIn(folder)).toEqual([['\\Seen'], ['\\Seen']]);
  });

  test('moves what it took into the processed folder when one is set', async () => {
    t.services.settings.update({ imapFolder: folder, imapProcessedFolder: `${folder}/Verarbeitet` });
    await imap.append(folder, mailFixture('new-request.eml'));
    expect((await poller.pollOnce()).stored).toBe(1);
    expect(await flagsIn(folder)).toEqual([]);
    expect(await flagsIn(`${folder}/Verarbeitet`)).toHaveLength(1);
  });

  test('a mail above the size limit stays unread in the mailbox and is skipped', async () => {
    t.services.settings.update({ imapFolder: folder, inboundMaxMegabytes: 1 });
    await imap.append(folder, Buffer.concat([mailFixture('new-request.eml'), Buffer.alloc(1024 * 1024, 'a')]));
    await imap.append(folder, mailFixture('new-request.eml'));
    expect(await poller.pollOnce()).toMatchObject({ fetched: 2, stored: 1, skippedTooLarge: 1 });
    expect(await flagsIn(folder)).toEqual([[], ['\\Seen']]);
  });

  test('a changed UIDVALIDITY reads the folder again; what was applied is not applied twice', async () => {
    const first = mailFixture('new-request.eml', { MESSAGE_ID: 'before-renumbering@example.org' });
    await imap.append(folder, first);
    expect((await poller.pollOnce()).stored).toBe(1);
    const before = t.db.select().from(imapFolders).get()!.uidValidity;

    // Deleting and creating the folder again is how a server renumbers it (as after a restore or a migration).
    await imap.mailboxDelete(folder);
    await imap.mailboxCreate(folder);
    await imap.append(folder, first);
    await imap.append(folder, mailFixture('new-request.eml', { MESSAGE_ID: 'after-renumbering@example.org' }));

    expect(await poller.pollOnce()).toEqual({ fetched: 2, stored: 1, duplicates: 1, skippedTooLarge: 0, uidValidityChanged: true });
    expect(t.db.select().from(imapFolders).get()!.uidValidity).not.toBe(before);
    expect(allTickets(t)).toHaveLength(2);
  });

  test('while connected it idles and takes a new mail as it arrives', async () => {
    const synced = (predicate: (result: SyncResult) => boolean) => new Promise<SyncResult>((resolve) => {
      const listener = (result: SyncResult) => {
        if (!predicate(result)) return;
        poller.events.off('synced', listener);
        resolve(result);
      };
      poller.events.on('synced', listener);
    });
    const firstPass = synced(() => true);
    poller.start();
    await firstPass;

    const arrival = synced((result) => result.stored > 0);
    await imap.append(folder, mailFixture('new-request.eml', { FROM: 'idle@example.org' }));
    expect((await arrival).stored).toBe(1);
    expect(allTickets(t)).toHaveLength(1);
  });
});

test('a login the server refuses is reported as an error, not a crash', async () => {
  const local = await testApp();
  try {
    const broken = createImapPoller({
      account: { ...parseImapUrl(dovecot.imapUrl), pass: 'falsch' }, inbound: local.services.inbound, db: local.db, clock: local.clock,
      settings: local.services.settings, logger: local.app.log,
    });
    const failed = once(broken.events, 'failed');
    broken.start();
    expect(await failed).toHaveLength(1);
    await broken.stop();
  } finally {
    await local.close();
  }
});
