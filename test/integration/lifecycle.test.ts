// The request lifecycle under a test clock: auto-close, the review exception, follow-ups, reminders, the survey, leases, the CLI, the scheduler.
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { buildApp } from '../../src/app.js';
import type { Db } from '../../src/db/client.js';
import * as schema from '../../src/db/schema.js';
import { closableTickets, reminderDueTickets, surveyDueTickets } from '../../src/modules/automation/automation-repository.js';
import { prepareDueViewQueries } from '../../src/modules/tickets/agent-repository.js';
import { attachments as attachmentsTable, jobLeases, outbox } from '../../src/db/schema.js';
import { runAutomationsCommand } from '../../src/modules/automation/automation-cli.js';
import type { Settings } from '../../src/modules/settings/settings-schema.js';
import { loggedInClient } from '../helpers/fixtures.js';
import { testApp, type TestApp } from '../helpers/test-app.js';
import { WebClient } from '../helpers/web-client.js';
import { agentFact, answer, customer, customerWithPortal, eventLines, newRequest, staffWithClient } from './agent-pages.js';
import { keptTokens, samples, storedFiles, submitMultipart } from './attachments-forms.js';
import { fact, reply, statusEventsOf, ticketRow } from './request-pages.js';

let t: TestApp;
beforeEach(async () => { t = await testApp(); });
afterEach(async () => { await t.close(); });

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

function runAutomations() {
  return t.services.automations.runDue(t.clock.now());
}

/** Sessions end after 12 idle hours: after the clock moved on by days, people log in again. */
function again(person: { email: string }) {
  return loggedInClient(t, person.email);
}

/** Changes some settings and keeps the rest (the settings service stores the whole set it is given). */
function changeSettings(changes: Partial<Settings>) {
  t.services.settings.update({ ...t.services.settings.current(), ...changes });
}

/** A request an agent answered with "Gelöst" now. */
async function solvedByAgent(subject = 'Lok fehlt') {
  const agent = await staffWithClient(t, 'agent', 'Anna Agentin');
  const { user: requester, client } = await customerWithPortal(t, 'Karla Kundin');
  const ticket = newRequest(t, requester, subject);
  answer(t, agent.user, ticket.id, 'solved', 'Die Lok ist unterwegs.');
  return { agent, requester, client, ticket };
}

describe('auto-close', () => {
  test('a solved request closes after the close delay (4 days), not a minute before; the audit trail names no person', async () => {
    const { agent, requester, ticket } = await solvedByAgent();
    t.clock.advance(4 * day - minute);
    expect((await runAutomations()).auto_close).toBe(0);
    expect(ticketRow(t, ticket.id).status).toBe('solved');

    t.clock.advance(minute);
    expect((await runAutomations()).auto_close).toBe(1);
    expect(ticketRow(t, ticket.id).status).toBe('closed');
    expect(statusEventsOf(t, ticket.id).at(-1)).toEqual({ actorId: null, from: 'solved', to: 'closed' });
    expect(eventLines((await (await again(agent.user)).get(`/agent/requests/${ticket.id}`)).body).at(-1)).toBe('System: Status: Gelöst → Geschlossen');

    const page = await (await again(requester)).get(`/requests/${ticket.id}`);
    expect(fact(page.body, 'Status')).toBe('Gelöst');
    expect(page.body).toContain(`<a class="button" href="/requests/new?folgeanfrage=${ticket.id}">Folgeanfrage erstellen</a>`);
    expect(page.body).not.toContain(`action="/requests/${ticket.id}/replies"`);
    expect((await runAutomations()).auto_close).toBe(0);
  });

  test('the close delay is a setting', async () => {
    changeSettings({ closeAfterDays: 7 });
    const { ticket } = await solvedByAgent();
    t.clock.advance(5 * day);
    await runAutomations();
    expect(ticketRow(t, ticket.id).status).toBe('solved');
    t.clock.advance(2 * day);
    await runAutomations();
    expect(ticketRow(t, ticket.id).status).toBe('closed');
  });

  test('a request the customer solved stays solved until a team lead has reviewed it, then closes', async () => {
    const lead = await staffWithClient(t, 'lead', 'Lena Leiterin');
    const { user: requester, client } = await customerWithPortal(t);
    const ticket = newRequest(t, requester);
    answer(t, lead.user, ticket.id, 'pending');
    expect((await reply(client, ticket.id, { body: 'Danke, erledigt.', markSolved: true })).statusCode).toBe(303);
    t.clock.advance(10 * day);
    await runAutomations();
    expect(ticketRow(t, ticket.id).status).toBe('solved');

    t.services.agentTickets.markReviewed(lead.user, ticket.id);
    await runAutomations();
    expect(ticketRow(t, ticket.id).status).toBe('closed');
  });

  test('a reply before the delay reopens the request, and it does not close', async () => {
    const { requester, ticket } = await solvedByAgent();
    t.clock.advance(3 * day);
    expect((await reply(await again(requester), ticket.id, { body: 'Die Lok ist doch nicht gekommen.' })).statusCode).toBe(303);
    t.clock.advance(2 * day);
    await runAutomations();
    expect(ticketRow(t, ticket.id).status).toBe('open');
  });

  test('a closed request takes a follow-up, and both requests show the link to each other, for customer and agent', async () => {
    const { agent, requester, ticket } = await solvedByAgent('Lok fehlt');
    t.clock.advance(4 * day);
    await runAutomations();
    const client = await again(requester);
    const agentClient = await again(agent.user);
    const form = await client.get(`/requests/new?folgeanfrage=${ticket.id}`);
    expect(form.body).toContain(`value="Folgeanfrage zu #${ticket.id}: Lok fehlt"`);
    const sent = await submitMultipart(t, client, `/requests/new?folgeanfrage=${ticket.id}`, '/requests/new', [
      { name: 'followUpOf', value: String(ticket.id) },
      { name: 'subject', value: `Folgeanfrage zu #${ticket.id}: Lok fehlt` },
      { name: 'description', value: 'Die Lok ist angekommen, aber der Tender fehlt.' },
    ]);
    expect(sent.statusCode).toBe(303);
    const followUpId = ticket.id + 1;
    expect(ticketRow(t, followUpId).followUpOfId).toBe(ticket.id);

    expect(fact((await client.get(`/requests/${followUpId}`)).body, 'Folgeanfrage zu')).toBe(`#${ticket.id}`);
    expect(fact((await client.get(`/requests/${ticket.id}`)).body, 'Folgeanfragen')).toBe(`#${followUpId} Folgeanfrage zu #${ticket.id}: Lok fehlt`);
    expect(agentFact((await agentClient.get(`/agent/requests/${followUpId}`)).body, 'Folgeanfrage zu')).toBe(`#${ticket.id}`);
    expect(agentFact((await agentClient.get(`/agent/requests/${ticket.id}`)).body, 'Folgeanfragen')).toBe(`#${followUpId} Folgeanfrage zu #${ticket.id}: Lok fehlt (Neu)`);
  });
});

describe('reminder to a customer we wait on', () => {
  async function pendingRequest() {
    const agent = await staffWithClient(t, 'agent', 'Anna Agentin');
    const { user: requester, client } = await customerWithPortal(t);
    const ticket = newRequest(t, requester, 'Welche Spurweite?');
    answer(t, agent.user, ticket.id, 'pending', 'Welche Spurweite hat Ihre Anlage?');
    await t.mailbox.receive();
    return { agent, requester, client, ticket };
  }

  test('is off by default', async () => {
    const { ticket } = await pendingRequest();
    t.clock.advance(10 * day);
    expect((await runAutomations()).pending_reminder).toBe(0);
    expect(ticketRow(t, ticket.id).reminderSentAt).toBeNull();
  });

  test('when on, goes out once after 3 days of waiting, and again only after we asked again', async () => {
    changeSettings({ reminderMail: true });
    const { agent, requester, ticket } = await pendingRequest();
    t.clock.advance(3 * day - minute);
    expect((await runAutomations()).pending_reminder).toBe(0);
    t.clock.advance(minute);
    expect((await runAutomations()).pending_reminder).toBe(1);
    const mail = await t.mailbox.receiveOne(requester.email);
    expect(mail.subject).toBe(`[#${ticket.id}] Wir warten auf Ihre Antwort: Welche Spurweite?`);
    expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
    expect(mail.text).toContain(`http://portal.example.test/requests/${ticket.id}`);
    expect(eventLines((await (await again(agent.user)).get(`/agent/requests/${ticket.id}`)).body)).toContain('System: Erinnerung an die Kundin oder den Kunden gesendet');

    t.clock.advance(5 * day);
    expect((await runAutomations()).pending_reminder).toBe(0);
    expect(await t.mailbox.receive()).toEqual([]);

    expect((await reply(await again(requester), ticket.id, { body: 'Spur H0.' })).statusCode).toBe(303);
    answer(t, agent.user, ticket.id, 'pending', 'Und welche Epoche?');
    await t.mailbox.receive();
    t.clock.advance(3 * day);
    expect((await runAutomations()).pending_reminder).toBe(1);
    expect((await t.mailbox.receiveOne(requester.email)).subject).toContain('Wir warten auf Ihre Antwort');
  });

  test('not for a request that is no longer waiting on the customer', async () => {
    changeSettings({ reminderMail: true });
    const { client, ticket } = await pendingRequest();
    expect((await reply(client, ticket.id, { body: 'H0.' })).statusCode).toBe(303);
    t.clock.advance(4 * day);
    expect((await runAutomations()).pending_reminder).toBe(0);
  });
});

describe('satisfaction survey a day after solving', () => {
  test('is off by default: the solved mail carries the rating links anyway', async () => {
    const { requester } = await solvedByAgent();
    const solvedMail = (await t.mailbox.receive()).find((mail) => mail.to === requester.email && mail.subject === '[#1] Lok fehlt');
    expect(solvedMail?.text).toContain('Gut, ich bin zufrieden');
    t.clock.advance(2 * day);
    expect((await runAutomations()).satisfaction_survey).toBe(0);
    expect(await t.mailbox.receive()).toEqual([]);
  });

  test('when on, one survey mail with the rating links 24 hours after solving, not earlier, not twice, not once rated', async () => {
    changeSettings({ surveyMail: true });
    const { requester, ticket } = await solvedByAgent('Lok fehlt');
    const rated = await solvedByAgent('Schon bewertet');
    t.services.ratings.rate(rated.ticket.id, { rating: 'good', comment: '' });
    await t.mailbox.receive();
    t.clock.advance(day - minute);
    expect((await runAutomations()).satisfaction_survey).toBe(0);
    t.clock.advance(minute);
    expect((await runAutomations()).satisfaction_survey).toBe(1);
    const survey = await t.mailbox.receiveOne(requester.email);
    expect(survey.subject).toBe(`[#${ticket.id}] Wie zufrieden waren Sie mit unserer Hilfe?`);
    const token = t.services.ratingLinks.tokenFor(ticket.id);
    expect(survey.text).toContain(`http://portal.example.test/ratings/${token}?bewertung=gut`);
    expect(survey.text).toContain(`http://portal.example.test/ratings/${token}?bewertung=schlecht`);
    t.clock.advance(day);
    expect((await runAutomations()).satisfaction_survey).toBe(0);
  });

  test('a request that closes at the same moment gets no survey whose links could no longer rate it', async () => {
    changeSettings({ surveyMail: true, closeAfterDays: 1 });
    const { ticket } = await solvedByAgent();
    await t.mailbox.receive();
    t.clock.advance(day);
    const run = await runAutomations();
    expect(run).toMatchObject({ auto_close: 1, satisfaction_survey: 0 });
    expect(ticketRow(t, ticket.id).status).toBe('closed');
  });
});

describe('jobs claim their work with a lease in the database', () => {
  test('a job whose lease another process holds is skipped; once the lease runs out, it runs', async () => {
    const { ticket } = await solvedByAgent();
    t.clock.advance(5 * day);
    t.db.insert(jobLeases).values({ name: 'auto_close', holder: 'other-server#1', leaseUntil: new Date(t.clock.now().getTime() + 5 * minute) }).run();
    const run = await runAutomations();
    expect(run.skipped).toEqual(['auto_close']);
    expect(ticketRow(t, ticket.id).status).toBe('solved');

    t.clock.advance(5 * minute);
    expect((await runAutomations()).auto_close).toBe(1);
    expect(t.db.select().from(jobLeases).all().map((lease) => lease.holder).every((holder) => holder === t.services.automations.holder)).toBe(true);
  });

  test('two server processes on the same database: every request is closed once and every reminder sent once', async () => {
    changeSettings({ reminderMail: true });
    const second = await buildApp(t.config, { clock: t.clock });
    try {
      const { ticket: solved } = await solvedByAgent('Zum Schließen');
      const agent = await staffWithClient(t, 'agent', 'Bea Agentin');
      const { user: waiting } = await customerWithPortal(t);
      const pending = newRequest(t, waiting, 'Zum Erinnern');
      answer(t, agent.user, pending.id, 'pending', 'Welche Spur?');
      t.clock.advance(5 * day);

      const runs = await Promise.all([runAutomations(), second.services.automations.runDue(t.clock.now()), runAutomations()]);
      expect(runs.reduce((sum, run) => sum + run.auto_close, 0)).toBe(1);
      expect(runs.reduce((sum, run) => sum + run.pending_reminder, 0)).toBe(1);
      expect(statusEventsOf(t, solved.id).filter((event) => event.to === 'closed')).toHaveLength(1);
      expect(t.db.select().from(outbox).all().filter((mail) => mail.kind === 'pending_reminder' && mail.ticketId === pending.id)).toHaveLength(1);
    } finally {
      await second.close();
    }
  });
});

describe('npm run cli -- automations:run --now ISO', () => {
  test('runs the due work as if the time were --now; the mail it queues is due at once in real time', async () => {
    changeSettings({ reminderMail: true });
    const { ticket: solved } = await solvedByAgent('Zum Schließen');
    const agent = await staffWithClient(t, 'agent', 'Bea Agentin');
    const { user: waiting } = await customerWithPortal(t);
    const pending = newRequest(t, waiting, 'Zum Erinnern');
    answer(t, agent.user, pending.id, 'pending', 'Welche Spur?');
    await t.mailbox.receive();

    const lines: string[] = [];
    const asOf = new Date(t.clock.now().getTime() + 5 * day);
    const code = await runAutomationsCommand(t.services.automations, ['--now', asOf.toISOString()], (line) => lines.push(line));
    expect(code).toBe(0);
    expect(lines).toEqual([
      `Automations as of ${asOf.toISOString()}:`,
      '  closed requests:      1',
      '  survey mails queued:  0',
      '  reminders queued:     1',
      '  unsent uploads swept: 0',
      '  mail texts deleted:   0',
      '  raw mails deleted:    0',
    ]);
    expect(ticketRow(t, solved.id).status).toBe('closed');
    const reminder = t.db.select().from(outbox).all().find((mail) => mail.kind === 'pending_reminder')!;
    expect(reminder.nextAttemptAt).toEqual(t.clock.now());
    expect((await t.mailbox.receiveOne(waiting.email)).subject).toContain('Wir warten auf Ihre Antwort');
  });

  test('refuses a --now that is no date', async () => {
    const lines: string[] = [];
    expect(await runAutomationsCommand(t.services.automations, ['--now', 'nächsten Montag'], (line) => lines.push(line))).toBe(2);
    expect(lines[0]).toContain('Invalid --now');
  });
});

describe('the scheduler inside the server', () => {
  test('runs the due jobs when started, and stop waits for the run to finish', async () => {
    const { ticket } = await solvedByAgent();
    t.clock.advance(5 * day);
    t.services.scheduler.start(3600_000);
    await t.services.scheduler.stop();
    expect(ticketRow(t, ticket.id).status).toBe('closed');
  });
});

describe('uploads of forms that were never sent', () => {
  test('are deleted, file and row, a day after the upload', async () => {
    const visitor = new WebClient(t.app);
    const response = await submitMultipart(t, visitor, '/requests/new', '/requests/new', [
      { name: 'name', value: 'Erika' }, { name: 'email', value: 'erika@example.org' }, { name: 'subject', value: '' }, { name: 'description', value: 'x' },
      { name: 'attachments', filename: 'foto.png', content: samples.png, type: 'image/png' },
    ]);
    expect(keptTokens(response.body)).toHaveLength(1);
    expect(storedFiles(t)).toHaveLength(1);
    t.clock.advance(day - minute);
    expect((await runAutomations()).staged_uploads).toBe(0);
    t.clock.advance(minute + 1);
    expect((await runAutomations()).staged_uploads).toBe(1);
    expect(storedFiles(t)).toEqual([]);
    expect(t.db.select().from(attachmentsTable).all()).toEqual([]);
  });
});

describe('first- and next-response due times in business hours', () => {
  test('on Friday evening the thank-you page and the acknowledgement say by when we usually answer: Monday', async () => {
    changeSettings({ firstResponseHours: 3 });
    t.clock.set(new Date('2026-12-04T19:00:00+01:00'));
    const visitor = new WebClient(t.app);
    const sent = await submitMultipart(t, visitor, '/requests/new', '/requests/new', [
      { name: 'name', value: 'Erika' }, { name: 'email', value: 'erika@example.org' },
      { name: 'subject', value: 'Lok fehlt' }, { name: 'description', value: 'Bitte helfen.' },
    ]);
    expect(sent.statusCode).toBe(303);
    const thanks = await visitor.get(sent.headers.location as string);
    expect(thanks.body).toContain('Wir antworten in der Regel bis <strong>Montag, 12:00 Uhr</strong> (unsere Servicezeiten: Mo–Fr 09:00–18:00).');
    const ticketId = Number(/received\/(\d+)\./.exec(sent.headers.location as string)![1]);
    expect(ticketRow(t, ticketId).firstResponseDueAt).toEqual(new Date('2026-12-07T12:00:00+01:00'));
    const acknowledgement = await t.mailbox.receiveOne('erika@example.org');
    expect(acknowledgement.text).toContain('Wir antworten in der Regel bis Montag, 07.12., 12:00 Uhr (unsere Servicezeiten: Mo–Fr 09:00–18:00).');
  });

  test('the Bundesland\'s holidays count: in Bayern, Epiphany moves the answer to the next day', async () => {
    changeSettings({ holidayRegion: 'BY', firstResponseHours: 2 });
    t.clock.set(new Date('2027-01-05T17:00:00+01:00'));
    const ticket = newRequest(t, await customer(t));
    expect(ticketRow(t, ticket.id).firstResponseDueAt).toEqual(new Date('2027-01-07T10:00:00+01:00'));
    changeSettings({ holidayRegion: 'BE' });
    const berlin = newRequest(t, await customer(t));
    expect(ticketRow(t, berlin.id).firstResponseDueAt).toEqual(new Date('2027-01-06T10:00:00+01:00'));
  });

  test('the answer hours setting is what due times count, in the spelling customers read', async () => {
    changeSettings({ answerHours: 'Mo-Fr 8-12 Uhr' });
    expect(t.services.settings.current().answerHours).toBe('Mo–Fr 08:00–12:00');
    t.clock.set(new Date('2026-12-01T11:00:00+01:00'));
    const ticket = newRequest(t, await customer(t));
    // Tuesday 11–12, Wednesday 8–12, Thursday 8–12: nine hours end on Thursday at noon.
    expect(ticketRow(t, ticket.id).firstResponseDueAt).toEqual(new Date('2026-12-03T12:00:00+01:00'));
    expect(() => changeSettings({ answerHours: 'werktags' })).toThrow();
  });

  test('agents see the first-response due time, overdue once passed; then the next response due after the customer writes again', async () => {
    t.clock.set(new Date('2026-11-30T10:00:00+01:00'));
    const agent = await staffWithClient(t, 'agent', 'Anna Agentin');
    const { user: requester } = await customerWithPortal(t);
    const ticket = newRequest(t, requester);
    const page = async () => (await (await again(agent.user)).get(`/agent/requests/${ticket.id}`)).body;
    expect(agentFact(await page(), 'Erste Antwort fällig')).toBe('01.12.2026, 10:00');

    t.clock.set(new Date('2026-12-01T11:00:00+01:00'));
    expect(agentFact(await page(), 'Erste Antwort fällig')).toBe('01.12.2026, 10:00 (überfällig)');
    answer(t, agent.user, ticket.id, 'pending', 'Welche Spur?');
    expect(agentFact(await page(), 'Erste Antwort')).toBe('01.12.2026, 11:00 (nach der Frist)');
    expect(agentFact(await page(), 'Nächste Antwort fällig')).toBeUndefined();
    expect(ticketRow(t, ticket.id).replyDueAt).toBeNull();

    t.clock.set(new Date('2026-12-01T16:00:00+01:00'));
    const client = await again(requester);
    expect((await reply(client, ticket.id, { body: 'H0.' })).statusCode).toBe(303);
    expect(agentFact(await page(), 'Nächste Antwort fällig')).toBe('02.12.2026, 16:00');
    t.clock.advance(hour);
    expect((await reply(client, ticket.id, { body: 'Und Epoche IV.' })).statusCode).toBe(303);
    expect(agentFact(await page(), 'Nächste Antwort fällig'), 'the first unanswered message sets the time').toBe('02.12.2026, 16:00');
    answer(t, agent.user, ticket.id, 'solved', 'Passt.');
    expect(ticketRow(t, ticket.id).replyDueAt).toBeNull();
  });

  test('the to-do views sort by the answer due first, requests owing nothing last, page by page', async () => {
    const lead = await staffWithClient(t, 'lead', 'Lena Leiterin');
    const requester = await customer(t);
    const created: number[] = [];
    for (let index = 0; index < 27; index += 1) {
      // Each request arrived earlier than the one before, so the due order is the reverse of the numbers.
      t.clock.set(new Date(Date.parse('2026-11-30T15:00:00+01:00') - index * 7 * minute));
      created.push(newRequest(t, requester, `Anfrage ${index}`).id);
    }
    answer(t, lead.user, created[3]!, 'pending', 'Rückfrage');
    t.services.agentTickets.assign(lead.user, created[3]!, null);

    const ids: number[] = [];
    let url: string | undefined = '/agent/views/nicht-zugewiesen?sortierung=faellig';
    while (url) {
      const response = await lead.client.get(url);
      expect(response.body).toContain('<strong aria-current="true">Fälligkeit</strong>');
      ids.push(...[...response.body.matchAll(/<td>#(\d+)<\/td>/g)].map((match) => Number(match[1])));
      url = response.body.match(/<a href="([^"]*)">Ältere Anfragen<\/a>/)?.[1]?.replaceAll('&amp;', '&');
    }
    const expected = created
      .map((id) => ({ id, due: ticketRow(t, id).replyDueAt?.getTime() ?? Number.MAX_SAFE_INTEGER }))
      .sort((a, b) => a.due - b.due || a.id - b.id)
      .map((row) => row.id);
    expect(ids).toEqual(expected);
    expect(ids[0]).toBe(created[26]);
    expect(ids.at(-1)).toBe(created[3]);
    expect(new Set(ids).size).toBe(27);
  });
});

describe('the due-time order and the jobs\' scans read by index', () => {
  function plansOf(run: (db: Db) => unknown): string[][] {
    const queries: Array<{ sql: string; params: unknown[] }> = [];
    const db = drizzle(t.db.$client, { schema, logger: { logQuery: (sql, params) => queries.push({ sql, params }) } }) as unknown as Db;
    run(db);
    return queries.map((query) => (t.db.$client.prepare(`EXPLAIN QUERY PLAN ${query.sql}`).all(...query.params) as Array<{ detail: string }>).map((row) => row.detail));
  }

  test.each(['nicht-zugewiesen', 'meine', 'alle-offenen', 'wartet', 'wartestellung'] as const)('"%s" by due time: one index range, no sorting', (key) => {
    for (const cursor of [undefined, { dueOrder: Date.now(), id: 5 }]) {
      const [plan] = plansOf((db) => prepareDueViewQueries(db).list(key, 1, cursor, 26));
      expect(plan!.join('\n')).toMatch(/tickets_(todo_assignee|agent_view)_due_idx/);
      expect(plan!.join('\n')).not.toContain('TEMP B-TREE');
    }
  });

  test('auto-close and reminders use their partial indexes', () => {
    expect(plansOf((db) => closableTickets(db, new Date(), 100))[0]!.join('\n')).toContain('tickets_solved_at_idx');
    expect(plansOf((db) => reminderDueTickets(db, new Date(), 100))[0]!.join('\n')).toContain('tickets_waiting_idx');
    expect(plansOf((db) => surveyDueTickets(db, new Date(), 100))[0]!.join('\n')).toContain('tickets_solved_at_idx');
  });
});
