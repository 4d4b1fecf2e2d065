// The contact form: anonymous and logged in, validation on the page, the honeypot, the acknowledgement mail.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eq } from 'drizzle-orm';
import { outbox, tickets, ticketMessages, users } from '../../src/db/schema.js';
import { createUser, loggedInClient } from '../helpers/fixtures.js';
import { linkIn } from '../helpers/mailbox.js';
import { testApp, testPublicUrl, type TestApp } from '../helpers/test-app.js';
import { WebClient } from '../helpers/web-client.js';

let t: TestApp;
beforeAll(async () => { t = await testApp(); });
afterAll(async () => { await t.close(); });

const validForm = { name: 'Erika Mustermann', email: 'Erika@Example.org', subject: 'Lok BR 218 fehlt', description: 'In meinem Paket fehlt die Lok.\nBestellung 100234.' };

describe('anonymous visitor', () => {
  test('writes in: a customer without password is created, the thank-you page names the request number, a mail confirms it', async () => {
    const visitor = new WebClient(t.app);
    const response = await visitor.submit('/requests/new', '/requests/new', validForm);
    expect(response.statusCode).toBe(303);

    const thanks = await visitor.get(response.headers.location as string);
    const ticket = t.db.select().from(tickets).orderBy(tickets.id).all().at(-1)!;
    expect(thanks.body).toContain(`#${ticket.id}`);

    const customer = t.db.select().from(users).where(eq(users.id, ticket.requesterId)).get()!;
    expect(customer).toMatchObject({ email: 'erika@example.org', name: 'Erika Mustermann', role: 'customer', passwordHash: null });
    expect(ticket).toMatchObject({ subject: 'Lok BR 218 fehlt', status: 'new', channel: 'web' });
    const messages = t.db.select().from(ticketMessages).where(eq(ticketMessages.ticketId, ticket.id)).all();
    expect(messages.map((m) => m.body)).toEqual(['In meinem Paket fehlt die Lok.\nBestellung 100234.']);
    expect(visitor.cookies.has('hp_session')).toBe(false);

    const mail = await t.mailbox.receiveOne('erika@example.org');
    expect(mail.subject).toBe(`[#${ticket.id}] Ihre Anfrage ist eingegangen`);
    expect(mail.headers.get('auto-submitted')).toBe('auto-replied');
    expect(linkIn(mail, `${testPublicUrl}/requests/`)).toBe(`${testPublicUrl}/requests/${ticket.id}`);
    expect(linkIn(mail, `${testPublicUrl}/password/`)).toBe(`${testPublicUrl}/password/forgot`);
    expect(mail.text).not.toContain('Lok BR 218');
  });

  test('a known address adds the request to that account but does not log the sender in', async () => {
    const known = await createUser(t, 'bekannt@example.org', { name: 'Bekannte Kundin' });
    const visitor = new WebClient(t.app);
    const response = await visitor.submit('/requests/new', '/requests/new', { ...validForm, email: 'bekannt@example.org', name: 'Jemand Anderes' });
    expect(response.statusCode).toBe(303);
    const ticket = t.db.select().from(tickets).orderBy(tickets.id).all().at(-1)!;
    expect(ticket.requesterId).toBe(known.id);
    expect(t.db.select().from(users).where(eq(users.id, known.id)).get()!.name).toBe('Bekannte Kundin');
    expect((await visitor.get('/requests')).statusCode).toBe(303);
    const mail = await t.mailbox.receiveOne('bekannt@example.org');
    expect(mail.text).not.toContain('Kennwort festlegen');
  });

  test('every invalid field is named in German on the same page, with the input kept', async () => {
    const visitor = new WebClient(t.app);
    const before = t.db.select().from(tickets).all().length;
    const response = await visitor.submit('/requests/new', '/requests/new', {
      name: '', email: 'keine-adresse', subject: 'x'.repeat(151), description: '   ',
    });
    expect(response.statusCode).toBe(422);
    expect(response.headers['content-type']).toContain('text/html');
    expect(response.body).toContain('Bitte geben Sie Ihren Namen an.');
    expect(response.body).toContain('Bitte geben Sie eine gültige E-Mail-Adresse an');
    expect(response.body).toContain('Der Betreff darf höchstens 150 Zeichen lang sein.');
    expect(response.body).toContain('Bitte beschreiben Sie Ihr Anliegen.');
    expect(response.body).toContain('value="keine-adresse"');
    expect(response.body).toMatch(/id="email"[^>]*aria-invalid="true"[^>]*aria-describedby="email-hinweis email-fehler"/);
    expect(t.db.select().from(tickets).all().length).toBe(before);
  });

  test('a description over 20,000 characters is refused, one of exactly 20,000 is taken', async () => {
    const visitor = new WebClient(t.app);
    const tooLong = await visitor.submit('/requests/new', '/requests/new', { ...validForm, description: 'a'.repeat(20_001) });
    expect(tooLong.statusCode).toBe(422);
    expect(tooLong.body).toContain('Die Beschreibung darf höchstens 20.000 Zeichen lang sein.');
    const longest = await visitor.submit('/requests/new', '/requests/new', { ...validForm, description: 'a'.repeat(20_000) });
    expect(longest.statusCode).toBe(303);
  });

  test('a filled honeypot looks accepted but creates nothing and sends nothing', async () => {
    await t.mailbox.receive();
    const before = t.db.select().from(tickets).all().length;
    const bot = new WebClient(t.app);
    const response = await bot.submit('/requests/new', '/requests/new', { ...validForm, website: 'http://spam.example' });
    expect(response.statusCode).toBe(303);
    expect((await bot.get(response.headers.location as string)).body).toContain('Vielen Dank');
    expect(t.db.select().from(tickets).all().length).toBe(before);
    expect(await t.mailbox.receive()).toEqual([]);
  });

  test('a post without CSRF token is refused with a German page and creates nothing', async () => {
    const before = t.db.select().from(tickets).all().length;
    const response = await new WebClient(t.app).post('/requests/new', validForm);
    expect(response.statusCode).toBe(403);
    expect(response.body).toContain('Formular abgelaufen');
    expect(t.db.select().from(tickets).all().length).toBe(before);
  });

  test('a forged thank-you link names no request', async () => {
    const response = await new WebClient(t.app).get('/requests/received/1.forged');
    expect(response.statusCode).toBe(200);
    expect(response.body).not.toContain('#1');
  });
});

describe('logged-in customer', () => {
  test('writes in without name and e-mail fields; the request is theirs', async () => {
    const customer = await createUser(t, 'angemeldet@example.org', { name: 'Angela Angemeldet' });
    const client = await loggedInClient(t, 'angemeldet@example.org');
    const form = await client.get('/requests/new');
    expect(form.body).not.toContain('id="email"');
    expect(form.body).toContain('angemeldet@example.org');
    const response = await client.submit('/requests/new', '/requests/new', { subject: 'Rechnung', description: 'Bitte als PDF.' });
    expect(response.statusCode).toBe(303);
    const ticket = t.db.select().from(tickets).orderBy(tickets.id).all().at(-1)!;
    expect(ticket.requesterId).toBe(customer.id);
    const page = await client.get(`/requests/${ticket.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Bitte als PDF.');
  });
});

test('the acknowledgement is queued in the same transaction as the request', async () => {
  const ticket = t.services.tickets.createRequest({ name: 'A', email: 'outbox@example.org', subject: 'S', description: 'D' });
  const queued = t.db.select().from(outbox).where(eq(outbox.ticketId, ticket.id)).all();
  expect(queued).toHaveLength(1);
  expect(queued[0]).toMatchObject({ kind: 'acknowledgement', status: 'pending', toAddress: 'outbox@example.org' });
});
