// Reads the support mailbox over IMAP: IDLE while connected, a poll as fallback; remembers UIDVALIDITY and the last UID.
import { EventEmitter } from 'node:events';
import type { FastifyBaseLogger } from 'fastify';
import { ImapFlow } from 'imapflow';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import type { SettingsService } from '../settings/settings-service.js';
import { findImapFolder, saveImapFolder } from './inbound-repository.js';
import type { InboundService } from './inbound-service.js';

export type ImapAccount = { host: string; port: number; secure: boolean; user: string; pass: string };

/** imap://user:pass@host[:143] (STARTTLS when offered) or imaps://user:pass@host[:993]. */
export function parseImapUrl(url: string): ImapAccount {
  const parsed = new URL(url);
  if (parsed.protocol !== 'imap:' && parsed.protocol !== 'imaps:') throw new Error('IMAP_URL must start with imap:// or imaps://');
  const secure = parsed.protocol === 'imaps:';
  return {
    host: parsed.hostname.replace(/^\[|\]$/g, ''),
    port: parsed.port ? Number(parsed.port) : secure ? 993 : 143,
    secure,
    user: decodeURIComponent(parsed.username),
    pass: decodeURIComponent(parsed.password),
  };
}

export type SyncResult = { fetched: number; stored: number; duplicates: number; skippedTooLarge: number; uidValidityChanged: boolean };

export type ImapPoller = {
  /** Connects and keeps the mailbox in view until stop(): IDLE, the poll timer and reconnects. */
  start(): void;
  stop(): Promise<void>;
  /** One pass over the folder on a connection of its own: what the timer does, and what tests call. */
  pollOnce(): Promise<SyncResult>;
  /** 'synced' (SyncResult) after every pass, 'failed' (Error) when a pass or the connection failed. */
  events: EventEmitter;
};

export function createImapPoller(deps: {
  account: ImapAccount; inbound: InboundService; db: Db; clock: Clock; settings: SettingsService; logger: FastifyBaseLogger;
  pollIntervalMs?: number;
}): ImapPoller {
  const { account, inbound, db, clock, settings, logger } = deps;
  const pollIntervalMs = deps.pollIntervalMs ?? 60_000;
  const events = new EventEmitter();
  let client: ImapFlow | undefined;
  let stopped = true;
  let pollTimer: NodeJS.Timeout | undefined;
  let reconnectTimer: NodeJS.Timeout | undefined;
  let reconnectDelay = 5_000;
  // One pass at a time: IDLE's "exists", the timer and a reconnect may all ask for one at once.
  let queue: Promise<unknown> = Promise.resolve();

  function newClient(): ImapFlow {
    return new ImapFlow({
      host: account.host, port: account.port, secure: account.secure, auth: { user: account.user, pass: account.pass },
      logger: false, clientInfo: { name: 'Hilfeportal' }, missingIdleCommand: 'NOOP',
      // IDLE a second after each pass (imapflow waits 15 s by default): new mail is then announced as it arrives.
      autoIdleDelay: 1000,
    });
  }

  function mailboxKey(folder: string): string {
    return `${account.user}@${account.host}:${account.port}/${folder}`;
  }

  async function sync(connection: ImapFlow): Promise<SyncResult> {
    const current = settings.current();
    const folder = current.imapFolder;
    const processedFolder = current.imapProcessedFolder;
    const result: SyncResult = { fetched: 0, stored: 0, duplicates: 0, skippedTooLarge: 0, uidValidityChanged: false };
    if (processedFolder) await connection.mailboxCreate(processedFolder).catch(() => undefined);
    const lock = await connection.getMailboxLock(folder);
    try {
      const mailbox = connection.mailbox;
      if (!mailbox) throw new Error(`IMAP folder ${folder} could not be opened`);
      const uidValidity = String(mailbox.uidValidity);
      const key = mailboxKey(folder);
      const known = findImapFolder(db, key);
      let lastUid = known?.uidValidity === uidValidity ? known.lastUid : 0;
      if (known && known.uidValidity !== uidValidity) {
        // The server renumbered the folder: every UID is new. Reading it all again is safe, since stored mails are recognised.
        logger.warn({ mailbox: key, before: known.uidValidity, now: uidValidity }, 'IMAP UIDVALIDITY changed, reading the folder again');
        result.uidValidityChanged = true;
        lastUid = 0;
      }
      if (!known || result.uidValidityChanged) saveImapFolder(db, key, uidValidity, lastUid, clock.now());
      if (mailbox.exists === 0) return result;
      // Listed first and downloaded after: no other command may run while a FETCH is being read.
      const waiting: Array<{ uid: number; size: number }> = [];
      for await (const message of connection.fetch(`${lastUid + 1}:*`, { uid: true, size: true }, { uid: true })) {
        // "n:*" always names the newest message, even when its UID is below n.
        if (message.uid > lastUid) waiting.push({ uid: message.uid, size: message.size ?? 0 });
      }
      waiting.sort((a, b) => a.uid - b.uid);
      for (const message of waiting) {
        result.fetched++;
        const remember = () => saveImapFolder(db, key, uidValidity, message.uid, clock.now());
        if (message.size > inbound.maxBytes()) {
          // Left in the mailbox, unread, for a person to look at; the poller moves past it.
          logger.warn({ mailbox: key, uid: message.uid, size: message.size }, 'inbound mail too large, left in the mailbox');
          result.skippedTooLarge++;
          remember();
          continue;
        }
        const download = await connection.download(String(message.uid), undefined, { uid: true });
        if (!download || !('content' in download) || !download.content) continue;
        const chunks: Buffer[] = [];
        for await (const chunk of download.content) chunks.push(chunk as Buffer);
        const outcome = await inbound.ingest(Buffer.concat(chunks), 'imap', async () => {
          if (processedFolder) await connection.messageMove(String(message.uid), processedFolder, { uid: true });
          else await connection.messageFlagsAdd(String(message.uid), ['\\Seen'], { uid: true });
          remember();
        });
        if (outcome.status === 'stored') result.stored++;
        else if (outcome.status === 'duplicate') result.duplicates++;
      }
      return result;
    } finally {
      lock.release();
    }
  }

  function enqueueSync(connection: ImapFlow): Promise<SyncResult> {
    const run = queue.then(() => sync(connection));
    queue = run.then((result) => events.emit('synced', result), (error: unknown) => {
      logger.error({ err: error }, 'IMAP pass failed');
      // Not 'error': an EventEmitter throws on an 'error' nobody listens to, and the server does not listen.
      events.emit('failed', error);
    });
    return run;
  }

  function scheduleReconnect() {
    if (stopped || reconnectTimer) return;
    reconnectTimer = setTimeout(() => {
      reconnectTimer = undefined;
      void connect();
    }, reconnectDelay);
    reconnectDelay = Math.min(reconnectDelay * 2, 5 * 60_000);
  }

  async function connect(): Promise<void> {
    if (stopped) return;
    const connection = newClient();
    connection.on('error', (error: Error) => logger.warn({ err: error }, 'IMAP connection error'));
    connection.on('close', () => {
      if (client === connection) client = undefined;
      scheduleReconnect();
    });
    // New mail announced while idling: read it now rather than at the next poll.
    connection.on('exists', () => void enqueueSync(connection).catch(() => undefined));
    try {
      await connection.connect();
      client = connection;
      reconnectDelay = 5_000;
      logger.info({ host: account.host, folder: settings.current().imapFolder }, 'IMAP poller connected');
      // The pass opens the folder, and imapflow idles in it whenever no command is running.
      await enqueueSync(connection).catch(() => undefined);
    } catch (error) {
      logger.warn({ err: error }, 'IMAP connection failed, trying again later');
      events.emit('failed', error);
      await connection.logout().catch(() => undefined);
      scheduleReconnect();
    }
  }

  return {
    events,
    start() {
      if (!stopped) return;
      stopped = false;
      void connect();
      // The fallback: servers without IDLE, and "exists" notices that a connection drop swallowed.
      pollTimer = setInterval(() => {
        if (client?.usable) void enqueueSync(client).catch(() => undefined);
      }, pollIntervalMs);
      pollTimer.unref();
    },
    async stop() {
      stopped = true;
      if (pollTimer) clearInterval(pollTimer);
      if (reconnectTimer) clearTimeout(reconnectTimer);
      await queue.catch(() => undefined);
      const connection = client;
      client = undefined;
      await connection?.logout().catch(() => undefined);
    },
    async pollOnce() {
      const connection = newClient();
      connection.on('error', (error: Error) => logger.warn({ err: error }, 'IMAP connection error'));
      await connection.connect();
      try {
        return await sync(connection);
      } finally {
        await connection.logout().catch(() => undefined);
      }
    },
  };
}
