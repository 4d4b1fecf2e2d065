// The admin audit log: role changes, invitations, deactivation, settings, export and erasure are recorded (who, when, whom)
// and listed for admins only at /agent/audit, newest first, 50 a page, without any erased data.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { adminAuditLog } from '../../src/db/schema.js';
import { defaultSettings } from '../../src/modules/settings/settings-schema.js';
import { settingsAsInput } from '../../src/modules/settings/settings-forms.js';
import { createUser } from '../helpers/fixtures.js';
import { testApp, type TestApp } from '../helpers/test-app.js';
import { csrfTokenOf } from '../helpers/web-client.js';
import { anonymous, anyCsrfToken, outcomes, personWithClient, type Probe, routesUnder } from './admin-pages.js';

let t: TestApp;
beforeAll(async () => { t = await testApp(); });
afterAll(async () => { await t.close(); });

/** The rows of the audit page as text: when, who, what, whom, details. */
function auditRows(html: string): string[][] {
  const body = html.split('<tbody>')[1]?.split('</tbody>')[0] ?? '';
  return body.split('<tr').slice(1).map((row) => [...row.matchAll(/<td>(.*?)<\/td>/gs)].map((cell) => cell[1]!.replace(/<[^>]+>/g, '').trim()));
}

const privacyProbes: Probe[] = [
  { method: 'GET', url: '/agent/privacy', pattern: '/agent/privacy' },
  { method: 'POST', url: '/agent/privacy/erase', pattern: '/agent/privacy/erase' },
  { method: 'POST', url: '/agent/privacy/erase/confirm', pattern: '/agent/privacy/erase/confirm' },
  { method: 'POST', url: '/agent/privacy/export', pattern: '/agent/privacy/export' },
];
const auditProbes: Probe[] = [{ method: 'GET', url: '/agent/audit', pattern: '/agent/audit' }];

describe('who may see the log and use the Datenschutz page', () => {
  test('the probes cover every route of both pages', () => {
    expect(routesUnder(t, '/agent/audit')).toEqual(['GET /agent/audit']);
    expect(routesUnder(t, '/agent/privacy')).toEqual(privacyProbes.map((probe) => `${probe.method} ${probe.pattern}`).sort());
  });

  test('a visitor is sent to the login', async () => {
    expect(await outcomes(anonymous(t), [...auditProbes, ...privacyProbes])).toEqual({
      'GET /agent/audit': `303 /login?next=${encodeURIComponent('/agent/audit')}`,
      'GET /agent/privacy': `303 /login?next=${encodeURIComponent('/agent/privacy')}`,
      'POST /agent/privacy/erase': '303 /login?next=%2F',
      'POST /agent/privacy/erase/confirm': '303 /login?next=%2F',
      'POST /agent/privacy/export': '303 /login?next=%2F',
    });
  });

  test.each(['customer', 'agent', 'lead'] as const)('a %s gets 403 even with a valid CSRF token, and erases nothing', async (role) => {
    const victim = await createUser(t, `opfer-${role}@example.org`, { name: 'Olga Opfer' });
    const { client } = await personWithClient(t, role);
    const csrf = await anyCsrfToken(client);
    const results = await outcomes(client, [...auditProbes, ...privacyProbes], csrf);
    expect(Object.values(results)).toEqual(['403', '403', '403', '403', '403']);
    expect((await client.post('/agent/privacy/erase/confirm', { _csrf: csrf, email: victim.email })).statusCode).toBe(403);
    expect(t.services.privacy.preview(victim.email)).toMatchObject({ name: 'Olga Opfer' });
    expect((await client.get('/agent')).body).not.toContain('href="/agent/audit"');
  });
});

describe('what the log records', () => {
  test('every admin action of the team, settings and Datenschutz pages appears, newest first, with German labels', async () => {
    t.db.delete(adminAuditLog).run();
    const { user: admin, client } = await personWithClient(t, 'admin', 'Adam Admin');
    const { user: member } = await personWithClient(t, 'agent', 'Bea Agentin');
    const customer = await createUser(t, 'karin@example.org', { name: 'Karin Kundschaft' });

    const steps: Array<[string, string, Record<string, string>]> = [
      ['/agent/team', `/agent/team/${member.id}/role`, { role: 'lead' }],
      ['/agent/team', `/agent/team/${member.id}/disable`, {}],
      ['/agent/team', `/agent/team/${member.id}/enable`, {}],
      ['/agent/team', '/agent/team/invite', { name: 'Nina Neu', email: 'nina@shop.example.test', role: 'agent' }],
      ['/agent/settings', '/agent/settings', { ...settingsAsInput(defaultSettings), supportPhone: '+49 30 999', retentionOutboxDays: '14' }],
      ['/agent/privacy', '/agent/privacy/export', { email: customer.email }],
    ];
    for (const [page, action, fields] of steps) {
      const response = await client.submit(page, action, fields);
      expect(response.statusCode, action).toBeLessThan(400);
    }
    const confirm = await client.submit('/agent/privacy', '/agent/privacy/erase', { email: customer.email });
    expect(confirm.statusCode).toBe(200);
    const erased = await client.post('/agent/privacy/erase/confirm', { _csrf: csrfTokenOf(confirm.body, '/agent/privacy/erase/confirm'), email: customer.email });
    expect(erased.statusCode).toBe(303);

    const page = await client.get('/agent/audit');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1>Protokoll</h1>');
    expect(page.body).toContain('<a href="/agent/audit" aria-current="page">Protokoll</a>');
    const rows = auditRows(page.body).map(([, who, what, whom, details]) => [who, what, whom, details]);
    const nina = t.services.privacy.preview('nina@shop.example.test')!;
    expect(rows).toEqual([
      ['Adam Admin', 'Person gelöscht', `Gelöschte Person #${customer.id} (#${customer.id})`, '0 Anfragen · 0 Nachrichten · 0 Dateien · im Agentenbereich'],
      ['Adam Admin', 'Daten einer Person exportiert', `Gelöschte Person #${customer.id} (#${customer.id})`, '0 Dateien · im Agentenbereich'],
      ['Adam Admin', 'Einstellungen gespeichert', '–', 'Geändert: supportPhone, retentionOutboxDays'],
      ['Adam Admin', 'In das Team eingeladen', `Nina Neu (#${nina.id})`, 'Rolle: Agent'],
      ['Adam Admin', 'Konto reaktiviert', `Bea Agentin (#${member.id})`, '–'],
      ['Adam Admin', 'Konto deaktiviert', `Bea Agentin (#${member.id})`, '–'],
      ['Adam Admin', 'Rolle geändert', `Bea Agentin (#${member.id})`, 'Agent → Teamleitung'],
    ]);
    // The log keeps who and when, never what was erased.
    expect(page.body).not.toContain('karin@example.org');
    expect(page.body).not.toContain('Karin Kundschaft');
    expect(JSON.stringify(t.db.select().from(adminAuditLog).all())).not.toContain('Karin');
    expect(t.db.select().from(adminAuditLog).where(eq(adminAuditLog.action, 'person_erased')).get()).toMatchObject({ actorId: admin.id, at: t.clock.now() });
  });

  test('refused actions and a role "change" to the same role write no entry', async () => {
    t.db.delete(adminAuditLog).run();
    const { user: admin, client } = await personWithClient(t, 'admin', 'Adam Admin');
    const { user: member } = await personWithClient(t, 'agent', 'Bea Agentin');
    const csrf = await anyCsrfToken(client);
    expect((await client.post(`/agent/team/${admin.id}/disable`, { _csrf: csrf })).statusCode).toBe(422);
    expect((await client.post(`/agent/team/${member.id}/role`, { _csrf: csrf, role: 'agent' })).statusCode).toBe(303);
    expect((await client.submit('/agent/privacy', '/agent/privacy/export', { email: 'niemand@example.org' })).statusCode).toBe(422);
    expect(t.db.select().from(adminAuditLog).all()).toEqual([]);
  });

  test('pages hold 50 entries, newest first; "Ältere Einträge" leads to the rest', async () => {
    t.db.delete(adminAuditLog).run();
    const { user: admin, client } = await personWithClient(t, 'admin', 'Adam Admin');
    for (let index = 0; index < 60; index++) {
      t.db.insert(adminAuditLog).values({ actorId: admin.id, action: 'settings_saved', details: { changed: `feld${index}` }, at: t.clock.now() }).run();
    }
    const first = await client.get('/agent/audit');
    const firstRows = auditRows(first.body);
    expect(firstRows).toHaveLength(50);
    expect(firstRows[0]![4]).toBe('Geändert: feld59');
    const older = first.body.match(/<a href="(\/agent\/audit\?vor=\d+)">Ältere Einträge<\/a>/)![1]!;
    const second = await client.get(older);
    expect(auditRows(second.body).map((row) => row[4])).toEqual(Array.from({ length: 10 }, (_, index) => `Geändert: feld${9 - index}`));
    expect(second.body).not.toContain('Ältere Einträge');
  });
});
