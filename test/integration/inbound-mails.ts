// The .eml fixtures of test/fixtures/mail, filled with the ids of the request under test, and a request with an agent's answer to reply to.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { and, desc, eq } from 'drizzle-orm';
import { inboundMails, outbox, ticketMessages, tickets } from '../../src/db/schema.js';
import { createUser } from '../helpers/fixtures.js';
import type { TestApp } from '../helpers/test-app.js';

export const fixturesDir = join(import.meta.dirname, '../fixtures/mail');

type Placeholder = 'FROM' | 'MESSAGE_ID' | 'IN_REPLY_TO' | 'REFERENCES' | 'TICKET' | 'TOKEN' | 'RECIPIENT' | 'ORIGINAL_MESSAGE_ID';

/** A fixture with its {{PLACEHOLDERS}} filled; bytes stay bytes, so Latin-1 fixtures arrive as Latin-1. */
export function mailFixture(name: string, values: Partial<Record<Placeholder, string | number>> = {}): Buffer {
  const filled: Record<Placeholder, string> = {
    FROM: 'karla@example.org', MESSAGE_ID: `${randomUUID()}@mail.example.org`, IN_REPLY_TO: '', REFERENCES: '', TICKET: '0', TOKEN: '',
    RECIPIENT: 'karla@example.org', ORIGINAL_MESSAGE_ID: '<unknown@example.org>',
    ...Object.fromEntries(Object.entries(values).map(([key, value]) => [key, String(value)])),
  };
  const text = readFileSync(join(fixturesDir, name)).toString('latin1');
  return Buffer.from(text.replace(/\{\{([A-Z_]+)\}\}/g, (_match, key: Placeholder) => filled[key]), 'latin1');
}

/** Karla's request with Anna's public answer: the mail a customer answers, with its threading headers and footer token. */
export async function requestWithAnswer(t: TestApp, options: { email?: string; status?: 'pending' | 'solved' | 'open' } = {}) {
  const email = options.email ?? 'karla@example.org';
  const agent = await createUser(t, `anna.${randomUUID().slice(0, 8)}@shop.example.test`, { name: 'Anna Agentin', role: 'agent' });
  const ticket = t.services.tickets.createRequest({ name: 'Karla Kundin', email, subject: 'Lok BR 218 fehlt im Paket', description: 'In meinem Paket fehlt die Lok.' });
  const lastSeenMessageId = t.services.agentTickets.latestMessageId(ticket.id);
  t.services.agentTickets.agentReplies(agent, ticket.id, {
    body: 'Können Sie uns bitte die Bestellnummer nennen?', visibility: 'public', status: options.status ?? 'pending', lastSeenMessageId,
  });
  const answer = t.db.select().from(outbox).where(and(eq(outbox.ticketId, ticket.id), eq(outbox.kind, 'agent_answer'))).orderBy(desc(outbox.id)).get()!;
  return {
    ticket,
    agent,
    answer,
    inReplyTo: answer.headers['In-Reply-To']!,
    references: answer.headers.References!,
    token: /\[Ref:t\d+\.[\w-]{12}\]/.exec(answer.textBody)![0],
  };
}

export function ticketById(t: TestApp, id: number) {
  return t.db.select().from(tickets).where(eq(tickets.id, id)).get()!;
}

export function messagesOf(t: TestApp, ticketId: number) {
  return t.db.select().from(ticketMessages).where(eq(ticketMessages.ticketId, ticketId)).orderBy(ticketMessages.id).all();
}

export function inboundRow(t: TestApp, id: number) {
  return t.db.select().from(inboundMails).where(eq(inboundMails.id, id)).get()!;
}

export function allTickets(t: TestApp) {
  return t.db.select().from(tickets).orderBy(tickets.id).all();
}
