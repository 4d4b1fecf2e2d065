// Fills a fresh database at benchmark scale through the real schema: customers, staff, requests, messages, search rows, KB articles.
import type Database from 'better-sqlite3';
import { type Db, openDatabase } from '../src/db/client.js';
import { indexArticle, insertArticle } from '../src/modules/kb/kb-repository.js';
import { recountSearchTerms } from '../src/modules/tickets/ticket-search.js';

export type SeedProfile = { customers: number; requests: number; messages: number; articles: number };

/** The people and requests that the scenarios need, all known by the seed. */
export type SeededShop = {
  customerEmail: string;
  agentEmail: string;
  password: string;
  /** "Meine Aktivitäten" of this customer lists exactly this many requests. */
  customerRequestCount: number;
  /** A request of that customer with exactly `busyTicketMessages` public messages. */
  busyTicketId: number;
  busyTicketMessages: number;
  /** A word that occurs in many messages, for the agents' search. */
  searchWord: string;
  seconds: number;
};

export const benchPassword = 'Bench-Kennwort-2026!';
const customerEmail = 'kundin@bench.example';
const agentEmail = 'agentin@bench.example';
const listCustomerRequests = 200;
const busyTicketMessages = 100;
const agentCount = 8;
const batchSize = 50_000;
const dayMs = 86_400_000;

/** Deterministic pseudo-random numbers (mulberry32), so every run measures the same data. */
function createRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return { next, int: (below: number) => Math.floor(next() * below), pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]! };
}

const firstNames = ['Anna', 'Ben', 'Clara', 'David', 'Emma', 'Felix', 'Greta', 'Hannes', 'Ida', 'Jonas', 'Karla', 'Lukas', 'Mia', 'Noah', 'Olga', 'Paul'];
const lastNames = ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Schulz', 'Hoffmann', 'Koch', 'Richter'];
const subjects = [
  'Lieferung unvollständig', 'Rücksendung', 'Rechnung als PDF', 'Ersatzteil gesucht', 'Lok läuft nicht', 'Gutschein einlösen',
  'Lieferzeit', 'Falscher Artikel geliefert', 'Decoder programmieren', 'Weiche defekt', 'Zahlung nicht erkannt', 'Adresse ändern',
];
// Short bodies keep the full-text index small; "Lieferung" appears in roughly one message in six.
const words = [
  'Bestellung', 'Paket', 'Lok', 'Wagen', 'Gleis', 'Weiche', 'Signal', 'Decoder', 'Rechnung', 'Versand', 'Rücksendung', 'Ersatz',
  'bitte', 'danke', 'heute', 'morgen', 'leider', 'schnell', 'prüfen', 'senden', 'fehlt', 'defekt', 'passt', 'neu', 'Spur', 'H0',
  'Lieferung', 'Adresse', 'Gutschein', 'Zahlung', 'Frage', 'Antwort',
];
const statusWeights: Array<[string, number]> = [['new', 4], ['open', 8], ['pending', 8], ['on_hold', 2], ['solved', 8], ['closed', 70]];

function statusPicker(random: ReturnType<typeof createRandom>) {
  const total = statusWeights.reduce((sum, [, weight]) => sum + weight, 0);
  return () => {
    let roll = random.next() * total;
    for (const [status, weight] of statusWeights) {
      roll -= weight;
      if (roll < 0) return status;
    }
    return 'closed';
  };
}

function sentence(random: ReturnType<typeof createRandom>): string {
  const length = 5 + random.int(8);
  const parts: string[] = [];
  for (let i = 0; i < length; i++) parts.push(random.pick(words));
  return `${parts.join(' ')}.`;
}

/** Bulk inserts run with the FTS triggers off (the search rows go in directly) and without a journal on disk. */
export function seedDatabase(path: string, profile: SeedProfile, passwordHash: string, now = Date.now()): SeededShop {
  if (profile.requests < listCustomerRequests + 1 || profile.messages < profile.requests + busyTicketMessages) {
    throw new Error(`profile too small: ${JSON.stringify(profile)}`);
  }
  const started = performance.now();
  const db = openDatabase(path);
  const sqlite = db.$client;
  // better-sqlite3's defensive mode refuses journal_mode=OFF; an in-memory rollback journal costs no disk writes either.
  sqlite.pragma('journal_mode = MEMORY');
  sqlite.pragma('synchronous = OFF');
  sqlite.pragma('cache_size = -1000000');
  const triggers = sqlite.prepare(`select name, sql from sqlite_master where type = 'trigger' and tbl_name = 'ticket_messages'`).all() as Array<{ name: string; sql: string }>;
  for (const trigger of triggers) sqlite.exec(`drop trigger ${trigger.name}`);

  const random = createRandom(20261130);
  const pickStatus = statusPicker(random);
  const insertUser = sqlite.prepare('insert into users (id, email, name, role, password_hash, created_at) values (?, ?, ?, ?, ?, ?)');
  const insertTicket = sqlite.prepare(`insert into tickets (id, requester_id, subject, status, priority, channel, assignee_id, created_at,
    last_activity_at, last_public_by, solved_at, solved_by_customer) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertMessage = sqlite.prepare(`insert into ticket_messages (id, ticket_id, author_id, visibility, body, channel, created_at)
    values (?, ?, ?, ?, ?, ?, ?)`);
  const insertSearchRow = sqlite.prepare('insert into ticket_search (rowid, subject, body) values (?, ?, ?)');

  // Staff first (ids 1…agentCount), then the known customer, then everyone else.
  const spanMs = 3 * 365 * dayMs;
  const customerIdBase = agentCount + 1;
  const knownCustomerId = customerIdBase;
  inBatches(sqlite, profile.customers + agentCount, (index) => {
    const id = index + 1;
    const name = `${random.pick(firstNames)} ${random.pick(lastNames)}`;
    if (id <= agentCount) {
      insertUser.run(id, id === 1 ? agentEmail : `team${id}@bench.example`, name, id === 2 ? 'lead' : 'agent', passwordHash, now - spanMs);
    } else if (id === knownCustomerId) {
      insertUser.run(id, customerEmail, 'Karla Kundin', 'customer', passwordHash, now - spanMs);
    } else {
      insertUser.run(id, `kunde${id}@bench.example`, name, 'customer', null, now - spanMs + random.int(spanMs));
    }
  });

  // The known customer's 200 requests are spread over the whole history; the newest of them gets 100 messages.
  const knownCustomerTickets = new Set<number>();
  while (knownCustomerTickets.size < listCustomerRequests) knownCustomerTickets.add(random.int(profile.requests));
  const busyTicketIndex = Math.max(...knownCustomerTickets);
  let messagesLeft = profile.messages - busyTicketMessages;
  let messageId = 0;
  inBatches(sqlite, profile.requests, (index) => {
    const ticketId = index + 1;
    const requesterId = knownCustomerTickets.has(index) ? knownCustomerId : customerIdBase + 1 + random.int(profile.customers - 1);
    const createdAt = now - spanMs + Math.floor((index / profile.requests) * spanMs);
    const picked = pickStatus();
    const assigneeId = picked === 'new' ? null : 1 + random.int(agentCount);
    const subject = `${random.pick(subjects)} ${100_000 + random.int(900_000)}`;
    const channel = random.next() < 0.7 ? 'web' : 'email';

    let count: number;
    if (index === busyTicketIndex) {
      count = busyTicketMessages;
    } else {
      const ticketsLeft = profile.requests - index - (index < busyTicketIndex ? 1 : 0);
      const average = messagesLeft / ticketsLeft;
      count = ticketsLeft === 1 ? messagesLeft : Math.max(1, Math.min(messagesLeft - (ticketsLeft - 1), Math.round(average * 2 * random.next())));
      messagesLeft -= count;
    }
    // Activity lies within 30 days of creation and never in the future.
    const lastActivityAt = Math.min(now, createdAt + random.int(30 * dayMs));
    // As the automations leave a running shop: solved for more than a few days means closed (else the server's
    // scheduler would close tens of thousands of requests in the middle of the benchmark).
    const status = picked === 'solved' && lastActivityAt < now - 3 * dayMs ? 'closed' : picked;
    const step = Math.max(1, Math.floor((lastActivityAt - createdAt) / count));
    let lastPublicBy = 'customer';
    const messageRows: Array<[number, number, number | null, string, string, string, number]> = [];
    for (let n = 0; n < count; n++) {
      messageId++;
      const fromCustomer = n % 2 === 0;
      // In the busy request every message is public, so the customer's page shows all 100.
      const internal = !fromCustomer && index !== busyTicketIndex && random.next() < 0.1;
      const body = sentence(random);
      if (!internal) lastPublicBy = fromCustomer ? 'customer' : 'agent';
      messageRows.push([messageId, ticketId, fromCustomer ? requesterId : assigneeId ?? 1, internal ? 'internal' : 'public', body, channel, createdAt + n * step]);
    }
    const solved = status === 'solved' || status === 'closed';
    insertTicket.run(ticketId, requesterId, subject, status, 'normal', channel, assigneeId, createdAt, lastActivityAt, lastPublicBy,
      solved ? lastActivityAt : null, 0);
    for (const row of messageRows) {
      insertMessage.run(...row);
      // What the removed insert trigger would have written: the subject goes with the request's first message.
      insertSearchRow.run(row[0], row[0] === messageRows[0]![0] ? subject : '', row[4]);
    }
  });

  for (const trigger of triggers) sqlite.exec(trigger.sql);
  // The removed triggers also counted each message's words for the agents' search.
  recountSearchTerms(db);
  seedKnowledgeBase(db, profile.articles, now, random);
  sqlite.pragma('journal_mode = WAL');
  sqlite.close();
  return {
    customerEmail, agentEmail, password: benchPassword,
    customerRequestCount: listCustomerRequests,
    busyTicketId: busyTicketIndex + 1,
    busyTicketMessages,
    searchWord: 'Lieferung',
    seconds: (performance.now() - started) / 1000,
  };
}

/** Published articles through the KB repository's own write path (article row and search entry), as an editor would make them. */
function seedKnowledgeBase(db: Db, count: number, now: number, random: ReturnType<typeof createRandom>): void {
  const at = new Date(now - 30 * dayMs);
  db.$client.prepare('insert into kb_categories (id, name, description, position, created_at, updated_at) values (1, ?, ?, 0, ?, ?)')
    .run('Bestellung und Versand', '', at.getTime(), at.getTime());
  db.$client.prepare('insert into kb_sections (id, category_id, name, description, position, created_at, updated_at) values (1, 1, ?, ?, 0, ?, ?)')
    .run('Häufige Fragen', '', at.getTime(), at.getTime());
  db.transaction((tx) => {
    for (let index = 0; index < count; index++) {
      const paragraphs = Array.from({ length: 3 }, () => Array.from({ length: 4 }, () => sentence(random)).join(' '));
      const body = paragraphs.join('\n\n');
      const article = insertArticle(tx, {
        sectionId: 1, title: `${random.pick(subjects)}: ${random.pick(words)} und ${random.pick(words)}`, body,
        bodyHtml: paragraphs.map((paragraph) => `<p>${paragraph}</p>`).join(''), bodyText: paragraphs.join('\n'), status: 'published',
        authorId: 1, updatedById: 1, createdAt: at, updatedAt: at, publishedAt: at,
      });
      indexArticle(tx, article);
    }
  });
}

/** Runs `insert(index)` for 0…count-1 in transactions of batchSize rows. */
function inBatches(sqlite: Database.Database, count: number, insert: (index: number) => void): void {
  const batch = sqlite.transaction((from: number, to: number) => {
    for (let index = from; index < to; index++) insert(index);
  });
  for (let from = 0; from < count; from += batchSize) batch(from, Math.min(count, from + batchSize));
}
