// Security suite: oversized and malformed bodies get a German 4xx page (413 for too large), and the portal keeps answering.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { multipartBody } from '../integration/attachments-forms.js';
import { WebClient } from '../helpers/web-client.js';
import { cookieHeader, csrfToken, securityWorld, type SecurityWorld } from './world.js';

let w: SecurityWorld;
let visitor: WebClient;
let visitorToken: string;
beforeAll(async () => {
  w = await securityWorld();
  visitor = new WebClient(w.t.app);
  visitorToken = await csrfToken(visitor, false);
});
afterAll(async () => { await w.t.close(); });

function post(url: string, payload: string | Buffer, contentType: string | undefined, client = visitor) {
  return w.t.app.inject({ method: 'POST', url, payload, headers: { ...(contentType ? { 'content-type': contentType } : {}), ...cookieHeader(client) } });
}

function expectGermanErrorPage(response: { statusCode: number; headers: Record<string, unknown>; body: string }, what: string) {
  expect(response.statusCode, what).toBeGreaterThanOrEqual(400);
  expect(response.statusCode, what).toBeLessThan(500);
  expect(String(response.headers['content-type']), what).toContain('text/html');
  expect(response.body, what).toContain('<html lang="de">');
}

async function expectAlive() {
  expect((await w.t.app.inject({ url: '/healthz' })).statusCode).toBe(200);
  expect((await w.customer.client.get('/requests')).statusCode).toBe(200);
}

describe('too large', () => {
  test('a 2 MB urlencoded body gets the German 413 page', async () => {
    const body = `_csrf=${visitorToken}&email=a%40b.de&password=${'x'.repeat(2 * 1024 * 1024)}`;
    const response = await post('/login', body, 'application/x-www-form-urlencoded');
    expect(response.statusCode).toBe(413);
    expectGermanErrorPage(response, '2 MB urlencoded');
    expect(response.body).toContain('Eingabe zu groß');
    await expectAlive();
  });

  test('a 2 MB multipart text field on the contact form is refused with a 4xx page', async () => {
    const { payload, contentType } = multipartBody([
      { name: '_csrf', value: visitorToken }, { name: 'name', value: 'Groß' }, { name: 'email', value: 'gross@example.org' },
      { name: 'subject', value: 'Groß' }, { name: 'description', value: 'x'.repeat(2 * 1024 * 1024) },
    ]);
    const response = await post('/requests/new', payload, contentType);
    expectGermanErrorPage(response, '2 MB multipart field');
    await expectAlive();
  });

  test('a logged-in customer\'s 2 MB reply gets the 413 page too', async () => {
    const token = await csrfToken(w.customer.client);
    const response = await post(`/requests/${w.ticket.id}/replies`, `_csrf=${token}&body=${'x'.repeat(2 * 1024 * 1024)}`, 'application/x-www-form-urlencoded', w.customer.client);
    expect(response.statusCode).toBe(413);
    expectGermanErrorPage(response, '2 MB reply');
  });
});

const malformedBodies: Array<[string, string | undefined, () => string]> = [
  ['broken percent escapes', 'application/x-www-form-urlencoded', () => `_csrf=${visitorToken}&email=%E0%A4%A&password=%%%ZZ&x=%`],
  ['a body that is no form at all', 'application/x-www-form-urlencoded', () => '\u0000\u0001\u0002=&&&===;'],
  ['repeated keys, arrays and brackets', 'application/x-www-form-urlencoded', () => `_csrf=${visitorToken}&email=a&email=b&password[]=x&password[a]=y&__proto__[x]=1&constructor[prototype][y]=1`],
  ['invalid JSON', 'application/json', () => '{"email": "a@b.de", '],
  ['JSON instead of a form', 'application/json', () => JSON.stringify({ _csrf: visitorToken, email: 'a@b.de', password: 'x' })],
  ['plain text', 'text/plain', () => 'email=a@b.de'],
  ['XML', 'application/xml', () => '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'],
  ['multipart without a boundary', 'multipart/form-data', () => '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n--x--'],
  ['multipart cut off in the middle', 'multipart/form-data; boundary=abc', () => `--abc\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${visitorToken}\r\n--abc\r\nContent-Disposition: form-data; name="subject"\r\n\r\nhalb`],
  ['no content type', undefined, () => 'email=a@b.de'],
  ['multipart cut off inside a file', 'multipart/form-data; boundary=abc', () => `--abc\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${visitorToken}\r\n--abc\r\nContent-Disposition: form-data; name="attachments"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nhalbe Datei`],
];

describe('malformed', () => {
  test.each(malformedBodies)('%s: a German 4xx page, the portal keeps answering', async (_what, contentType, body) => {
    for (const url of ['/login', '/requests/new', '/password/forgot']) {
      const response = await post(url, body(), contentType);
      expectGermanErrorPage(response, `${url}: ${_what}`);
    }
    await expectAlive();
    // Nothing leaked onto the prototype of every object.
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    expect(({} as Record<string, unknown>).y).toBeUndefined();
  });
});
