// Einstellungen: only admins change what customers see (names, links, phone and hours, close delay), at once and validated.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { settings as settingsTable } from '../../src/db/schema.js';
import { defaultSettings, type Settings } from '../../src/modules/settings/settings-schema.js';
import { testApp, type TestApp } from '../helpers/test-app.js';
import { WebClient } from '../helpers/web-client.js';
import { anonymous, anyCsrfToken, controlTag, fieldError, notice, outcomes, personWithClient, type Probe, routesUnder } from './admin-pages.js';

let t: TestApp;
beforeAll(async () => { t = await testApp(); });
afterAll(async () => { await t.close(); });

const probes: Probe[] = [
  { method: 'GET', url: '/agent/settings', pattern: '/agent/settings' },
  { method: 'POST', url: '/agent/settings', pattern: '/agent/settings' },
];

const changed: Record<keyof Settings, string> = {
  portalName: 'Hilfe-Center Modellbahn',
  teamName: 'Kundenservice',
  shopName: 'Modellbahn Müller',
  shopUrl: 'https://modellbahn-mueller.example',
  supportPhone: '+49 89 987654-0',
  answerHours: 'Mo–Sa 08:00–20:00',
  phoneHours: 'Mo–Fr 10:00–16:00',
  impressumUrl: 'https://modellbahn-mueller.example/impressum',
  datenschutzUrl: 'https://modellbahn-mueller.example/datenschutz',
  closeAfterDays: '7',
  mailHistoryLimit: '5',
  notifyAgents: '',
  plusAddressing: '1',
  imapFolder: 'Support',
  imapProcessedFolder: 'Support/Verarbeitet',
  trustedAuthservId: 'mx.modellbahn-mueller.example',
  inboundQuarantineThreshold: '30',
  inboundMaxMegabytes: '20',
  holidayRegion: 'BY',
  firstResponseHours: '3',
  nextResponseHours: '9',
  surveyMail: '1',
  reminderMail: '',
  attachmentMaxFiles: '4',
  attachmentMaxMegabytes: '8',
  retentionOutboxDays: '14',
  retentionInboundDays: '60',
};

const checkboxes = new Set(['notifyAgents', 'plusAddressing', 'surveyMail', 'reminderMail']);

/** The form as a browser sends it: an unticked checkbox is not sent at all. */
function formFields(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter(([key, value]) => !checkboxes.has(key) || value !== ''));
}

function resetSettings() {
  t.db.delete(settingsTable).run();
}

describe('who may change the settings', () => {
  test('the probes cover every route of the page', () => {
    expect(routesUnder(t, '/agent/settings')).toEqual(probes.map((probe) => `${probe.method} ${probe.pattern}`).sort());
  });

  test('a visitor is sent to the login', async () => {
    expect(await outcomes(anonymous(t), probes)).toEqual({
      'GET /agent/settings': `303 /login?next=${encodeURIComponent('/agent/settings')}`,
      'POST /agent/settings': '303 /login?next=%2F',
    });
  });

  test.each(['customer', 'agent', 'lead'] as const)('a %s gets 403, even with a valid CSRF token, and changes nothing', async (role) => {
    const { client } = await personWithClient(t, role);
    const csrf = await anyCsrfToken(client);
    expect(await outcomes(client, probes, csrf)).toEqual({ 'GET /agent/settings': '403', 'POST /agent/settings': '403' });
    const posted = await client.post('/agent/settings', { _csrf: csrf, ...formFields(changed) });
    expect(posted.statusCode).toBe(403);
    expect(t.services.settings.current()).toEqual(defaultSettings);
  });

  test('an agent does not see "Einstellungen" in the navigation; an admin does', async () => {
    const { client: agent } = await personWithClient(t, 'agent');
    const { client: admin } = await personWithClient(t, 'admin');
    expect((await agent.get('/agent/canned')).body).not.toContain('href="/agent/settings"');
    expect((await admin.get('/agent/settings')).body).toContain('<a href="/agent/settings" aria-current="page">Einstellungen</a>');
  });

  test('a form sent without its CSRF token is refused with 403', async () => {
    const { client } = await personWithClient(t, 'admin');
    expect((await client.post('/agent/settings', formFields(changed))).statusCode).toBe(403);
    expect((await client.post('/agent/settings', { _csrf: 'falsch', ...formFields(changed) })).statusCode).toBe(403);
    expect(t.services.settings.current()).toEqual(defaultSettings);
  });
});

describe('the settings form', () => {
  test('shows every setting with its label and current value', async () => {
    const { client } = await personWithClient(t, 'admin');
    const page = await client.get('/agent/settings');
    expect(page.statusCode).toBe(200);
    expect(page.body.match(/<h1>/g)).toHaveLength(1);
    expect(page.body).toContain('<h1>Einstellungen</h1>');
    for (const key of Object.keys(defaultSettings) as Array<keyof Settings>) {
      expect(page.body).toMatch(new RegExp(`<label for="${key}">[^<]+</label>`));
      const value = defaultSettings[key];
      if (typeof value === 'boolean') expect(controlTag(page.body, key).includes(' checked')).toBe(value);
      else expect(controlTag(page.body, key)).toContain(`value="${value}"`);
    }
    expect(page.body).toContain('<label for="supportPhone">Telefonnummer</label>');
    expect(page.body).toContain('<label for="closeAfterDays">Tage bis zum Schließen gelöster Anfragen</label>');
    expect(controlTag(page.body, 'supportPhone')).toContain('aria-describedby="supportPhone-hinweis"');
  });

  test('saving changes every setting at once; customers see the new phone number, names and links on the next page', async () => {
    resetSettings();
    const { client } = await personWithClient(t, 'admin');
    const visitor = new WebClient(t.app);
    expect((await visitor.get('/')).body).toContain(defaultSettings.supportPhone);

    const response = await client.submit('/agent/settings', '/agent/settings', formFields({ ...changed, portalName: `  ${changed.portalName}  ` }));
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/agent/settings?hinweis=gespeichert');
    expect(t.services.settings.current()).toEqual({
      ...changed, closeAfterDays: 7, mailHistoryLimit: 5, notifyAgents: false, plusAddressing: true,
      inboundQuarantineThreshold: 30, inboundMaxMegabytes: 20,
      firstResponseHours: 3, nextResponseHours: 9, surveyMail: true, reminderMail: false, attachmentMaxFiles: 4, attachmentMaxMegabytes: 8,
      retentionOutboxDays: 14, retentionInboundDays: 60,
    });

    const saved = await client.get('/agent/settings?hinweis=gespeichert');
    expect(notice(saved.body)).toBe('Die Einstellungen wurden gespeichert. Kundinnen und Kunden sehen die neuen Angaben ab sofort.');
    expect(controlTag(saved.body, 'supportPhone')).toContain(`value="${changed.supportPhone}"`);
    expect(controlTag(saved.body, 'notifyAgents')).not.toContain(' checked');
    expect(controlTag(saved.body, 'plusAddressing')).toContain(' checked');

    const home = await visitor.get('/');
    expect(home.body).toContain(`<dt>Telefon</dt><dd>${changed.supportPhone}</dd>`);
    expect(home.body).toContain(`Telefon: ${changed.supportPhone}</p>`);
    expect(home.body).toContain(`<dt>Telefonisch erreichbar</dt><dd>${changed.phoneHours}</dd>`);
    expect(home.body).toContain(`<h1>Willkommen im ${changed.portalName}</h1>`);
    expect(home.body).toContain(`<a href="${changed.impressumUrl}">Impressum</a>`);
    expect(home.body).not.toContain(defaultSettings.supportPhone);
    resetSettings();
  });

  test('every empty field is refused with 422 and its own German message, the input kept, nothing stored', async () => {
    resetSettings();
    const { client } = await personWithClient(t, 'admin');
    const empty = Object.fromEntries(Object.keys(changed).map((key) => [key, ''])) as Record<string, string>;
    const response = await client.submit('/agent/settings', '/agent/settings', formFields({ ...empty, supportPhone: '+49 1' }));
    expect(response.statusCode).toBe(422);
    for (const key of ['portalName', 'teamName', 'shopName', 'answerHours', 'phoneHours']) {
      expect(fieldError(response.body, key)).toBe('Bitte füllen Sie dieses Feld aus.');
      expect(controlTag(response.body, key)).toContain(`-fehler"`);
      expect(controlTag(response.body, key)).toContain('aria-invalid="true"');
    }
    for (const key of ['shopUrl', 'impressumUrl', 'datenschutzUrl']) {
      expect(fieldError(response.body, key)).toBe('Bitte geben Sie eine Adresse beginnend mit http:// oder https:// an.');
    }
    expect(fieldError(response.body, 'closeAfterDays')).toBe('Bitte geben Sie eine ganze Zahl von 1 bis 365 an.');
    expect(fieldError(response.body, 'mailHistoryLimit')).toBe('Bitte geben Sie eine ganze Zahl von 0 bis 100 an.');
    expect(fieldError(response.body, 'supportPhone')).toBeUndefined();
    expect(controlTag(response.body, 'supportPhone')).toContain('value="+49 1"');
    expect(controlTag(response.body, 'portalName')).toContain('aria-describedby="portalName-hinweis portalName-fehler"');
    expect(response.body).toContain('<a href="#shopUrl">Bitte geben Sie eine Adresse beginnend mit http:// oder https:// an.</a>');
    expect(t.db.select().from(settingsTable).all()).toEqual([]);
  });

  test('wrong values get messages that say what is expected, with what was typed kept', async () => {
    resetSettings();
    const { client } = await personWithClient(t, 'admin');
    const cases: Array<[keyof Settings, string, string]> = [
      ['portalName', 'P'.repeat(81), 'Höchstens 80 Zeichen.'],
      ['supportPhone', '1'.repeat(41), 'Höchstens 40 Zeichen.'],
      ['shopUrl', 'modellbahn-mueller.example', 'Bitte geben Sie eine Adresse beginnend mit http:// oder https:// an.'],
      ['impressumUrl', 'javascript:alert(1)', 'Bitte geben Sie eine Adresse beginnend mit http:// oder https:// an.'],
      ['closeAfterDays', '0', 'Bitte geben Sie eine ganze Zahl von 1 bis 365 an.'],
      ['closeAfterDays', '366', 'Bitte geben Sie eine ganze Zahl von 1 bis 365 an.'],
      ['closeAfterDays', '2.5', 'Bitte geben Sie eine ganze Zahl von 1 bis 365 an.'],
      ['closeAfterDays', 'vier', 'Bitte geben Sie eine ganze Zahl von 1 bis 365 an.'],
      ['mailHistoryLimit', '101', 'Bitte geben Sie eine ganze Zahl von 0 bis 100 an.'],
      ['mailHistoryLimit', '-1', 'Bitte geben Sie eine ganze Zahl von 0 bis 100 an.'],
    ];
    for (const [key, value, message] of cases) {
      const response = await client.submit('/agent/settings', '/agent/settings', formFields({ ...changed, [key]: value }));
      expect(response.statusCode, `${key}=${value}`).toBe(422);
      expect(fieldError(response.body, key), `${key}=${value}`).toBe(message);
      expect(controlTag(response.body, key)).toContain(`value="${value}"`);
      expect(controlTag(response.body, 'shopName')).toContain(`value="${changed.shopName}"`);
    }
    expect(t.services.settings.current()).toEqual(defaultSettings);
  });

  test('a closed-after value of 1 and a history of 0 are accepted', async () => {
    const { client } = await personWithClient(t, 'admin');
    const response = await client.submit('/agent/settings', '/agent/settings', formFields({ ...changed, closeAfterDays: '1', mailHistoryLimit: '0' }));
    expect(response.statusCode).toBe(303);
    expect(t.services.settings.current()).toMatchObject({ closeAfterDays: 1, mailHistoryLimit: 0 });
    resetSettings();
  });
});

describe('mail delivery warning', () => {
  test('is absent while mail can go out', async () => {
    const { client } = await personWithClient(t, 'admin');
    expect((await client.get('/agent/settings')).body).not.toContain('SMTP_URL');
  });

  test('in production without SMTP_URL, the settings and team pages warn that no mail is delivered', async () => {
    const production = await testApp({ env: { NODE_ENV: 'production', LOG_LEVEL: 'silent' } });
    try {
      const { client } = await personWithClient(production, 'admin');
      for (const path of ['/agent/settings', '/agent/team']) {
        const page = await client.get(path);
        expect(page.statusCode).toBe(200);
        expect(page.body).toContain('Es ist kein SMTP_URL eingestellt.');
      }
    } finally {
      await production.close();
    }
  });
});

test('changing one setting leaves every other stored setting as it was', async () => {
  const { services } = t;
  services.settings.update({ supportPhone: '+49 40 555-0' });
  services.settings.update({ portalName: 'Hilfe-Ecke' });
  expect(services.settings.current()).toMatchObject({ supportPhone: '+49 40 555-0', portalName: 'Hilfe-Ecke' });
});
