// The team page: only admins list the staff, invite people by mail, change roles, deactivate and reactivate accounts.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { and, desc, eq } from 'drizzle-orm';
import { passwordTokens, sessions, tickets, type User, users } from '../../src/db/schema.js';
import { formatDateTime } from '../../src/lib/dates.js';
import { sha256 } from '../../src/lib/tokens.js';
import { createRequest, createUser, defaultPassword, loggedInClient } from '../helpers/fixtures.js';
import { linkIn } from '../helpers/mailbox.js';
import { testApp, testPublicUrl, type TestApp } from '../helpers/test-app.js';
import { WebClient } from '../helpers/web-client.js';
import { anonymous, anyCsrfToken, controlTag, fieldError, notice, outcomes, personWithClient, type Probe, routesUnder } from './admin-pages.js';
import { answer, viewIds } from './agent-pages.js';

let t: TestApp;
beforeAll(async () => { t = await testApp(); });
afterAll(async () => { await t.close(); });

const day = 24 * 3600_000;
const newPassword = 'mein neues Teamkennwort 7';

function userRow(id: number): User {
  return t.db.select().from(users).where(eq(users.id, id)).get()!;
}

function userByEmail(email: string): User | undefined {
  return t.db.select().from(users).where(eq(users.email, email)).get();
}

function sessionsOf(userId: number) {
  return t.db.select().from(sessions).where(eq(sessions.userId, userId)).all();
}

/** The table row of one member on the team page, as text without tags. */
function memberRow(html: string, userId: number): string {
  const row = html.match(new RegExp(`<tr id="mitglied-${userId}"[^>]*>([\\s\\S]*?)</tr>`))?.[1];
  if (row === undefined) throw new Error(`member ${userId} is not listed`);
  return row.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
}

async function invite(admin: WebClient, fields: Record<string, string>) {
  return admin.submit('/agent/team', '/agent/team/invite', fields);
}

/** Follows an invitation link as the invited person: sets the password, then logs in. */
async function acceptInvitation(link: string, email: string) {
  const browser = new WebClient(t.app);
  const path = link.slice(testPublicUrl.length);
  const saved = await browser.submit(path, path, { password: newPassword, passwordRepeat: newPassword });
  const login = await browser.submit('/login', '/login', { email, password: newPassword });
  return { browser, saved, login };
}

describe('who may use the team page', () => {
  function probes(id: number): Probe[] {
    return [
      { method: 'GET', url: '/agent/team', pattern: '/agent/team' },
      { method: 'POST', url: '/agent/team/invite', pattern: '/agent/team/invite' },
      { method: 'POST', url: `/agent/team/${id}/invite`, pattern: '/agent/team/:id/invite' },
      { method: 'POST', url: `/agent/team/${id}/role`, pattern: '/agent/team/:id/role' },
      { method: 'POST', url: `/agent/team/${id}/disable`, pattern: '/agent/team/:id/disable' },
      { method: 'POST', url: `/agent/team/${id}/enable`, pattern: '/agent/team/:id/enable' },
    ];
  }

  test('the probes below cover every route of the page', () => {
    expect(routesUnder(t, '/agent/team')).toEqual(probes(1).map((probe) => `${probe.method} ${probe.pattern}`).sort());
  });

  test('a visitor is sent to the login', async () => {
    const { user: agent } = await personWithClient(t, 'agent');
    const before = userRow(agent.id);
    const results = await outcomes(anonymous(t), probes(agent.id));
    expect(results['GET /agent/team']).toBe(`303 /login?next=${encodeURIComponent('/agent/team')}`);
    for (const probe of probes(agent.id).filter((candidate) => candidate.method === 'POST')) {
      expect(results[`POST ${probe.pattern}`]).toBe('303 /login?next=%2F');
    }
    expect(userRow(agent.id)).toEqual(before);
  });

  test.each(['customer', 'agent', 'lead'] as const)('a %s gets 403 on every route, even with a valid CSRF token', async (role) => {
    const { user: target } = await personWithClient(t, 'agent');
    const before = userRow(target.id);
    const { client } = await personWithClient(t, role);
    const results = await outcomes(client, probes(target.id), await anyCsrfToken(client));
    expect(Object.values(results)).toEqual(probes(target.id).map(() => '403'));
    expect(userRow(target.id)).toEqual(before);
    expect(sessionsOf(target.id)).toHaveLength(1);
  });

  test('only admins see "Team" in the navigation', async () => {
    const { client: agent } = await personWithClient(t, 'agent');
    const { client: admin } = await personWithClient(t, 'admin');
    expect((await agent.get('/agent/canned')).body).not.toContain('href="/agent/team"');
    const page = await admin.get('/agent/team');
    expect(page.body).toContain('<a href="/agent/team" aria-current="page">Team</a>');
    expect(page.body).toContain('<span>Vom Kunden gelöst – zu prüfen</span> <span class="count">');
  });

  test('a form sent without its CSRF token is refused with 403 and changes nothing', async () => {
    const { user: target } = await personWithClient(t, 'agent');
    const { client } = await personWithClient(t, 'admin');
    const before = t.db.select().from(users).all();
    expect((await client.post('/agent/team/invite', { name: 'Ohne Token', email: 'ohne-token@shop.example.test', role: 'agent' })).statusCode).toBe(403);
    expect((await client.post(`/agent/team/${target.id}/role`, { role: 'admin' })).statusCode).toBe(403);
    expect((await client.post(`/agent/team/${target.id}/disable`, {})).statusCode).toBe(403);
    expect((await client.post(`/agent/team/${target.id}/enable`, {})).statusCode).toBe(403);
    expect((await client.post(`/agent/team/${target.id}/invite`, {})).statusCode).toBe(403);
    expect(t.db.select().from(users).all()).toEqual(before);
    expect(sessionsOf(target.id)).toHaveLength(1);
    expect((await t.mailbox.receive()).map((mail) => mail.to)).not.toContain('ohne-token@shop.example.test');
  });
});

describe('the list', () => {
  test('shows agents, leads and admins with e-mail, role, status and last login, but no customers', async () => {
    const { user: admin, client } = await personWithClient(t, 'admin', 'Ada Admin');
    const loggedInAt = t.clock.now();
    const { user: lead } = await personWithClient(t, 'lead', 'Lena Leitung');
    const invited = await createUser(t, 'eingeladen@shop.example.test', { name: 'Ina Eingeladen', role: 'agent', password: null });
    const { user: customer } = await personWithClient(t, 'customer', 'Kurt Kunde');

    const page = await client.get('/agent/team');
    expect(page.statusCode).toBe(200);
    expect(page.body.match(/<h1>/g)).toHaveLength(1);
    expect(page.body).toMatch(/<th scope="col">Name<\/th><th scope="col">E-Mail-Adresse<\/th><th scope="col">Rolle<\/th><th scope="col">Status<\/th><th scope="col">Letzte Anmeldung<\/th>/);
    expect(memberRow(page.body, admin.id)).toBe(`Ada Admin (Sie) ${admin.email} Administrator Aktiv ${formatDateTime(loggedInAt)} Ihr eigenes Konto`);
    expect(memberRow(page.body, lead.id)).toContain(`Lena Leitung ${lead.email}`);
    expect(memberRow(page.body, lead.id)).toContain('Aktiv');
    expect(controlTag(page.body, `role-${lead.id}`)).toBe(`<select id="role-${lead.id}" name="role">`);
    expect(page.body).toContain(`<label for="role-${lead.id}" class="visually-hidden">Rolle von Lena Leitung</label>`);
    expect(page.body).toMatch(new RegExp(`<select id="role-${lead.id}" name="role">\\s*<option value="agent">Agent</option>\\s*<option value="lead" selected>Teamleitung</option>`));
    expect(memberRow(page.body, invited.id)).toContain('Eingeladen Kennwort noch nicht festgelegt noch nie');
    expect(page.body).not.toContain(customer.email);
    expect(page.body).not.toContain(`mitglied-${customer.id}"`);
  });
});

describe('inviting', () => {
  test('creates the account without a password and mails a link that sets it; then the person works as an agent', async () => {
    const { user: admin, client } = await personWithClient(t, 'admin', 'Ada Admin');
    const response = await invite(client, { name: 'Nora Neu', email: ' Nora.Neu@Shop.Example.test ', role: 'agent' });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/agent/team?hinweis=eingeladen');

    const nora = userByEmail('nora.neu@shop.example.test')!;
    expect(nora).toMatchObject({ name: 'Nora Neu', role: 'agent', passwordHash: null, disabledAt: null, createdAt: t.clock.now() });
    const page = await client.get('/agent/team?hinweis=eingeladen');
    expect(notice(page.body)).toBe('Die Einladung wurde verschickt. Der Link darin gilt 7 Tage.');
    expect(memberRow(page.body, nora.id)).toContain('Eingeladen');

    const mail = await t.mailbox.receiveOne('nora.neu@shop.example.test');
    expect(mail.subject).toBe('Servicecenter: Einladung in das Team');
    expect(mail.text).toContain('Guten Tag Nora Neu,');
    expect(mail.text).toContain(`${admin.name} hat Sie eingeladen, im Servicecenter mitzuarbeiten (Rolle: Agent).`);
    expect(mail.text).toContain('Der Link gilt 7 Tage');
    const link = linkIn(mail, `${testPublicUrl}/password/reset/`);
    expect(linkIn(mail, `${testPublicUrl}/login`)).toBe(`${testPublicUrl}/login`);

    // Stored only as a hash, for the invitation's purpose, for 7 days.
    const token = link.slice(`${testPublicUrl}/password/reset/`.length);
    const stored = t.db.select().from(passwordTokens).where(eq(passwordTokens.userId, nora.id)).all();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ tokenHash: sha256(token), purpose: 'invite', usedAt: null, expiresAt: new Date(t.clock.now().getTime() + 7 * day) });
    expect(JSON.stringify(stored)).not.toContain(token);

    const { browser, saved, login } = await acceptInvitation(link, 'nora.neu@shop.example.test');
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe('/login?hinweis=kennwort-gespeichert');
    expect(login.statusCode).toBe(303);
    expect(login.headers.location).toBe('/agent');
    const workspace = await browser.get('/agent/views/nicht-zugewiesen');
    expect(workspace.statusCode).toBe(200);
    expect(workspace.body).toContain('Abmelden (Nora Neu)');
    expect(memberRow((await client.get('/agent/team')).body, nora.id)).toContain('Aktiv');
  });

  test('the link works for 7 days only, and only once', async () => {
    const { client } = await personWithClient(t, 'admin');
    await invite(client, { name: 'Einmal Nur', email: 'einmal@shop.example.test', role: 'agent' });
    const once = linkIn(await t.mailbox.receiveOne('einmal@shop.example.test'), `${testPublicUrl}/password/reset/`);
    expect((await acceptInvitation(once, 'einmal@shop.example.test')).login.statusCode).toBe(303);
    expect((await new WebClient(t.app).get(once.slice(testPublicUrl.length))).statusCode).toBe(410);

    await invite(client, { name: 'Spät Dran', email: 'spaet@shop.example.test', role: 'lead' });
    const path = linkIn(await t.mailbox.receiveOne('spaet@shop.example.test'), `${testPublicUrl}/password/reset/`).slice(testPublicUrl.length);
    t.clock.advance(7 * day - 60_000);
    expect((await new WebClient(t.app).get(path)).statusCode).toBe(200);
    t.clock.advance(2 * 60_000);
    expect((await new WebClient(t.app).get(path)).statusCode).toBe(410);
  });

  test('an address that belongs to a customer becomes a team account with the chosen role, their requests kept', async () => {
    const kunde = await createUser(t, 'wird-agentin@example.org', { name: 'Wera Kundin', password: null });
    const request = createRequest(t, kunde, 'Meine alte Anfrage');
    await t.mailbox.receive();
    const { client } = await personWithClient(t, 'admin');

    const response = await invite(client, { name: 'Wera Weber', email: 'WIRD-AGENTIN@example.org', role: 'lead' });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/agent/team?hinweis=hochgestuft');
    expect(notice((await client.get('/agent/team?hinweis=hochgestuft')).body)).toContain('Es ist jetzt ein Teamkonto');
    expect(userRow(kunde.id)).toMatchObject({ role: 'lead', name: 'Wera Weber', email: 'wird-agentin@example.org' });
    expect(t.db.select().from(users).where(eq(users.email, 'wird-agentin@example.org')).all()).toHaveLength(1);
    expect(t.db.select().from(tickets).where(eq(tickets.id, request.id)).get()!.requesterId).toBe(kunde.id);

    const link = linkIn(await t.mailbox.receiveOne('wird-agentin@example.org'), `${testPublicUrl}/password/reset/`);
    const { login, browser } = await acceptInvitation(link, 'wird-agentin@example.org');
    expect(login.headers.location).toBe('/agent');
    expect((await browser.get('/agent/views/zu-pruefen')).statusCode).toBe(200);
  });

  test('an address already in the team is refused with a German message, input kept, nothing sent', async () => {
    const { user: agent } = await personWithClient(t, 'agent', 'Anna Agentin');
    const before = userRow(agent.id);
    const { client } = await personWithClient(t, 'admin');
    await t.mailbox.receive();
    const response = await invite(client, { name: 'Noch Einmal', email: agent.email.toUpperCase(), role: 'admin' });
    expect(response.statusCode).toBe(422);
    expect(fieldError(response.body, 'email')).toBe('Diese E-Mail-Adresse gehört bereits zum Team. Ein deaktiviertes Konto können Sie in der Liste oben wieder aktivieren.');
    expect(controlTag(response.body, 'email')).toContain('aria-describedby="email-fehler"');
    expect(controlTag(response.body, 'email')).toContain(`value="${agent.email.toUpperCase()}"`);
    expect(controlTag(response.body, 'name')).toContain('value="Noch Einmal"');
    expect(response.body).toContain('<option value="admin" selected>Administrator</option>');
    expect(userRow(agent.id)).toEqual(before);
    expect(await t.mailbox.receive()).toEqual([]);
  });

  test('a blocked customer account is not invited', async () => {
    const blocked = await createUser(t, 'gesperrt@example.org', { name: 'Gesperrt', password: null });
    t.db.update(users).set({ disabledAt: t.clock.now() }).where(eq(users.id, blocked.id)).run();
    const { client } = await personWithClient(t, 'admin');
    const response = await invite(client, { name: 'Gesperrt', email: 'gesperrt@example.org', role: 'agent' });
    expect(response.statusCode).toBe(422);
    expect(fieldError(response.body, 'email')).toBe('Das Konto mit dieser E-Mail-Adresse ist gesperrt und kann nicht eingeladen werden.');
    expect(userRow(blocked.id).role).toBe('customer');
  });

  test('invalid fields are refused with 422 and a German message for each', async () => {
    const { client } = await personWithClient(t, 'admin');
    const count = t.db.select().from(users).all().length;
    const empty = await invite(client, { name: ' ', email: '', role: '' });
    expect(empty.statusCode).toBe(422);
    expect(fieldError(empty.body, 'name')).toBe('Bitte geben Sie den Namen an.');
    expect(fieldError(empty.body, 'email')).toBe('Bitte geben Sie die E-Mail-Adresse an.');
    expect(fieldError(empty.body, 'role')).toBe('Bitte wählen Sie eine Rolle: Agent, Teamleitung oder Administrator.');
    expect(controlTag(empty.body, 'role')).toContain('aria-describedby="role-hinweis role-fehler"');

    const wrong = await invite(client, { name: 'N'.repeat(101), email: 'keine-adresse', role: 'customer' });
    expect(wrong.statusCode).toBe(422);
    expect(fieldError(wrong.body, 'name')).toBe('Der Name darf höchstens 100 Zeichen lang sein.');
    expect(fieldError(wrong.body, 'email')).toBe('Bitte geben Sie eine gültige E-Mail-Adresse an, z. B. name@beispiel.de.');
    expect(fieldError(wrong.body, 'role')).toBe('Bitte wählen Sie eine Rolle: Agent, Teamleitung oder Administrator.');
    expect(controlTag(wrong.body, 'email')).toContain('value="keine-adresse"');
    expect(t.db.select().from(users).all()).toHaveLength(count);
  });

  test('"Einladung erneut senden" mails a fresh link; the older one stops working', async () => {
    const { client } = await personWithClient(t, 'admin');
    await invite(client, { name: 'Vera Vergessen', email: 'vergessen@shop.example.test', role: 'agent' });
    const first = linkIn(await t.mailbox.receiveOne('vergessen@shop.example.test'), `${testPublicUrl}/password/reset/`);
    const vera = userByEmail('vergessen@shop.example.test')!;

    const response = await client.submit('/agent/team', `/agent/team/${vera.id}/invite`, {});
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/agent/team?hinweis=erneut-eingeladen');
    const second = linkIn(await t.mailbox.receiveOne('vergessen@shop.example.test'), `${testPublicUrl}/password/reset/`);
    expect(second).not.toBe(first);
    expect((await new WebClient(t.app).get(first.slice(testPublicUrl.length))).statusCode).toBe(410);
    expect((await acceptInvitation(second, 'vergessen@shop.example.test')).login.headers.location).toBe('/agent');
    await t.mailbox.receive(); // "Kennwort geändert"

    // Once the password is set there is nothing to resend, and the page offers no button for it.
    const page = await client.get('/agent/team');
    expect(page.body).not.toContain(`action="/agent/team/${vera.id}/invite"`);
    const again = await client.post(`/agent/team/${vera.id}/invite`, { _csrf: await anyCsrfToken(client) });
    expect(again.statusCode).toBe(422);
    expect(again.body).toContain('Diese Person hat ihr Kennwort bereits festgelegt oder ist deaktiviert; eine Einladung ist nicht nötig.');
    expect(await t.mailbox.receive()).toEqual([]);
  });
});

describe('roles', () => {
  test('an admin makes an agent a team lead, who then sees the review queue', async () => {
    const { user: agent, client: agentClient } = await personWithClient(t, 'agent');
    const { client } = await personWithClient(t, 'admin');
    expect((await agentClient.get('/agent/views/zu-pruefen')).statusCode).toBe(404);

    const response = await client.submit('/agent/team', `/agent/team/${agent.id}/role`, { role: 'lead' });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/agent/team?hinweis=rolle');
    expect(notice((await client.get('/agent/team?hinweis=rolle')).body)).toBe('Die Rolle wurde geändert.');
    expect(userRow(agent.id).role).toBe('lead');
    expect((await agentClient.get('/agent/views/zu-pruefen')).statusCode).toBe(200);

    await client.submit('/agent/team', `/agent/team/${agent.id}/role`, { role: 'admin' });
    expect((await agentClient.get('/agent/settings')).statusCode).toBe(200);
    await client.submit('/agent/team', `/agent/team/${agent.id}/role`, { role: 'agent' });
    expect((await agentClient.get('/agent/settings')).statusCode).toBe(403);
  });

  test('an unknown role is refused with 422 and the message under that row\'s field', async () => {
    const { user: agent } = await personWithClient(t, 'agent');
    const { client } = await personWithClient(t, 'admin');
    for (const role of ['customer', 'superuser', '']) {
      const response = await client.submit('/agent/team', `/agent/team/${agent.id}/role`, { role });
      expect(response.statusCode).toBe(422);
      expect(fieldError(response.body, `role-${agent.id}`)).toBe('Bitte wählen Sie eine Rolle: Agent, Teamleitung oder Administrator.');
      expect(controlTag(response.body, `role-${agent.id}`)).toContain(`aria-describedby="role-${agent.id}-fehler"`);
    }
    expect(userRow(agent.id).role).toBe('agent');
  });

  test('an admin cannot demote themselves', async () => {
    const { user: admin, client } = await personWithClient(t, 'admin');
    expect((await client.get('/agent/team')).body).not.toContain(`action="/agent/team/${admin.id}/role"`);
    for (const role of ['agent', 'lead']) {
      const response = await client.post(`/agent/team/${admin.id}/role`, { _csrf: await anyCsrfToken(client), role });
      expect(response.statusCode).toBe(422);
      expect(response.body).toContain('Sie können Ihre eigene Rolle nicht ändern. Bitten Sie eine andere Person mit der Rolle Administrator darum.');
    }
    expect(userRow(admin.id).role).toBe('admin');
    expect((await client.get('/agent/team')).statusCode).toBe(200);
  });

  test('customers and unknown ids are not team members: 404', async () => {
    const { user: customer } = await personWithClient(t, 'customer');
    const { client } = await personWithClient(t, 'admin');
    const csrf = await anyCsrfToken(client);
    for (const id of [String(customer.id), '999999', 'abc']) {
      expect((await client.post(`/agent/team/${id}/role`, { _csrf: csrf, role: 'agent' })).statusCode).toBe(404);
      expect((await client.post(`/agent/team/${id}/disable`, { _csrf: csrf })).statusCode).toBe(404);
      expect((await client.post(`/agent/team/${id}/enable`, { _csrf: csrf })).statusCode).toBe(404);
      expect((await client.post(`/agent/team/${id}/invite`, { _csrf: csrf })).statusCode).toBe(404);
    }
    expect(userRow(customer.id)).toMatchObject({ role: 'customer', disabledAt: null });
  });
});

describe('deactivating and reactivating', () => {
  test('a deactivated agent is logged out everywhere at once and cannot log in; reactivated, they can again', async () => {
    const { user: agent, client: agentClient } = await personWithClient(t, 'agent', 'Dieter Deaktiviert');
    const secondDevice = await loggedInClient(t, agent.email);
    expect(sessionsOf(agent.id)).toHaveLength(2);
    const { client } = await personWithClient(t, 'admin');

    const response = await client.submit('/agent/team', `/agent/team/${agent.id}/disable`, {});
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/agent/team?hinweis=deaktiviert');
    expect(userRow(agent.id).disabledAt).toEqual(t.clock.now());
    expect(sessionsOf(agent.id)).toEqual([]);

    const next = await agentClient.get('/agent/views/nicht-zugewiesen');
    expect(next.statusCode).toBe(303);
    expect(next.headers.location).toBe(`/login?next=${encodeURIComponent('/agent/views/nicht-zugewiesen')}`);
    expect((await secondDevice.get('/account')).statusCode).toBe(303);

    const login = await new WebClient(t.app).submit('/login', '/login', { email: agent.email, password: defaultPassword });
    expect(login.statusCode).toBe(422);
    expect(login.body).toContain('E-Mail-Adresse oder Kennwort ist nicht richtig.');

    const page = await client.get('/agent/team?hinweis=deaktiviert');
    expect(notice(page.body)).toContain('Das Konto ist deaktiviert.');
    expect(memberRow(page.body, agent.id)).toContain('Deaktiviert seit');
    expect(page.body).toContain(`action="/agent/team/${agent.id}/enable"`);

    const enabled = await client.submit('/agent/team', `/agent/team/${agent.id}/enable`, {});
    expect(enabled.statusCode).toBe(303);
    expect(enabled.headers.location).toBe('/agent/team?hinweis=reaktiviert');
    expect(userRow(agent.id).disabledAt).toBeNull();
    const again = await new WebClient(t.app).submit('/login', '/login', { email: agent.email, password: defaultPassword });
    expect(again.headers.location).toBe('/agent');
  });

  test('the requests a deactivated agent still had to work go back to "Nicht zugewiesen"; solved ones keep the name', async () => {
    const { user: leaving } = await personWithClient(t, 'agent', 'Gerda Geht');
    const { client } = await personWithClient(t, 'admin', 'Anna Admin');
    const requester = { email: 'kundin-von-gerda@example.org', name: 'Kundin Kurz' };
    const [open, waiting, solved] = ['Offen bei Gerda', 'Wartet bei Gerda', 'Gelöst von Gerda'].map((subject) => createRequest(t, requester, subject));
    answer(t, leaving, open!.id, 'open');
    answer(t, leaving, waiting!.id, 'pending');
    answer(t, leaving, solved!.id, 'solved');

    expect((await client.submit('/agent/team', `/agent/team/${leaving.id}/disable`, {})).statusCode).toBe(303);
    const assigneeOf = (id: number) => t.db.select().from(tickets).where(eq(tickets.id, id)).get()!.assigneeId;
    expect([assigneeOf(open!.id), assigneeOf(waiting!.id), assigneeOf(solved!.id)]).toEqual([null, null, leaving.id]);
    const unassigned = await viewIds(client, 'nicht-zugewiesen');
    expect(unassigned).toEqual(expect.arrayContaining([open!.id, waiting!.id]));
    expect(unassigned).not.toContain(solved!.id);
    expect((await client.get(`/agent/requests/${open!.id}`)).body).toContain('Zuweisung entfernt (vorher Gerda Geht)');
    expect(notice((await client.get('/agent/team?hinweis=deaktiviert')).body)).toContain('Ihre offenen Anfragen sind wieder „Nicht zugewiesen“.');
  });

  test('deactivating someone who was invited makes their link useless, also after reactivation', async () => {
    const { client } = await personWithClient(t, 'admin');
    await invite(client, { name: 'Paula Pause', email: 'pause@shop.example.test', role: 'agent' });
    const link = linkIn(await t.mailbox.receiveOne('pause@shop.example.test'), `${testPublicUrl}/password/reset/`);
    const paula = userByEmail('pause@shop.example.test')!;
    await client.submit('/agent/team', `/agent/team/${paula.id}/disable`, {});
    expect((await new WebClient(t.app).get(link.slice(testPublicUrl.length))).statusCode).toBe(410);
    await client.submit('/agent/team', `/agent/team/${paula.id}/enable`, {});
    expect((await new WebClient(t.app).get(link.slice(testPublicUrl.length))).statusCode).toBe(410);
    const open = t.db.select().from(passwordTokens).where(and(eq(passwordTokens.userId, paula.id))).orderBy(desc(passwordTokens.id)).all();
    expect(open.every((token) => token.usedAt !== null)).toBe(true);
  });

  test('an admin cannot deactivate themselves', async () => {
    const { user: admin, client } = await personWithClient(t, 'admin');
    expect((await client.get('/agent/team')).body).not.toContain(`action="/agent/team/${admin.id}/disable"`);
    const response = await client.post(`/agent/team/${admin.id}/disable`, { _csrf: await anyCsrfToken(client) });
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('Sie können Ihr eigenes Konto nicht deaktivieren.');
    expect(userRow(admin.id).disabledAt).toBeNull();
    expect(sessionsOf(admin.id)).toHaveLength(1);
    expect((await client.get('/agent/team')).statusCode).toBe(200);
  });
});
