// Security suite: fast-check throws arbitrary field maps at every form through the real routes (valid CSRF token): never a 5xx.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { settingFields } from '../../src/modules/settings/settings-forms.js';
import { multipartBody } from '../integration/attachments-forms.js';
import { linkIn } from '../helpers/mailbox.js';
import { testPublicUrl } from '../helpers/test-app.js';
import { WebClient } from '../helpers/web-client.js';
import { cookieHeader, csrfToken, postRaw, securityWorld, type SecurityWorld } from './world.js';

/** Runs per form: enough to meet arrays, controls, huge and odd values on every field, small enough for a busy machine. */
const numRuns = 25;

const oddValues = [
  '', ' ', '0', '-1', '1.5', '1e309', 'NaN', 'Infinity', '999999999999999999999', 'null', 'undefined', 'true', 'on', '1',
  '__proto__', 'constructor', '[]', '{}', 'me', 'none', 'public', 'internal', 'pending', 'solved', 'open', 'reopen', 'reviewed',
  'high', 'urgent', 'admin', 'lead', 'customer', 'ja', 'nein', 'a@b.de', ' A@B.DE ', 'x@', '@x', '%', '_', '\u0000', '\uFEFF', '\u202E',
  '<script>alert(1)</script>', '../../etc/passwd', "'; DROP TABLE tickets; --", '//evil.example', 'Mo–Fr 09:00–18:00', 'BE',
];

const text = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'binary', maxLength: 80 }) },
  { weight: 2, arbitrary: fc.string({ unit: fc.integer({ min: 0, max: 0x1f }).map((code) => String.fromCharCode(code)), maxLength: 20 }) },
  { weight: 3, arbitrary: fc.constantFrom(...oddValues) },
  { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 120_000 }).map((length) => 'ßx'.repeat(length / 2)) },
);

/** One field: usually one value, sometimes the key repeated (an array on the server). */
const values = fc.oneof({ weight: 5, arbitrary: text.map((value) => [value]) }, { weight: 1, arbitrary: fc.array(text, { minLength: 2, maxLength: 3 }) });

function fieldMaps(names: string[]) {
  const key = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...names) },
    { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'a[b]', 'x[]', 'keepAttachment') },
    { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
  );
  return fc.array(fc.tuple(key, values), { maxLength: names.length + 4 });
}

type FuzzForm = { name: string; who: () => WebClient; action: () => string; fields: string[]; uploads?: boolean };

let w: SecurityWorld;
let visitor: WebClient;
let resetPath: string;
const tokens = new Map<WebClient, string>();
const errors: string[] = [];
beforeAll(async () => {
  w = await securityWorld({ env: { LOG_LEVEL: 'error' }, overrides: { logStream: { write: (line) => { errors.push(line); } } } });
  visitor = new WebClient(w.t.app);
  tokens.set(visitor, await csrfToken(visitor, false));
  for (const client of [w.customer.client, w.agent.client, w.lead.client, w.admin.client]) tokens.set(client, await csrfToken(client));
  await w.t.mailbox.receive();
  await new WebClient(w.t.app).submit('/password/forgot', '/password/forgot', { email: w.customer.user.email });
  resetPath = new URL(linkIn(await w.t.mailbox.receiveOne(w.customer.user.email), `${testPublicUrl}/password/reset/`)).pathname;
});
afterAll(async () => { await w.t.close(); });

const forms: FuzzForm[] = [
  { name: 'contact form', who: () => visitor, action: () => '/requests/new', fields: ['name', 'email', 'subject', 'description', 'followUpOf', 'website'], uploads: true },
  { name: 'contact form, logged in', who: () => w.customer.client, action: () => '/requests/new', fields: ['subject', 'description', 'followUpOf'], uploads: true },
  { name: 'login', who: () => visitor, action: () => '/login', fields: ['email', 'password', 'next'] },
  { name: 'forgot password', who: () => visitor, action: () => '/password/forgot', fields: ['email'] },
  { name: 'reset password', who: () => visitor, action: () => resetPath, fields: ['password', 'passwordRepeat'] },
  { name: 'customer reply', who: () => w.customer.client, action: () => `/requests/${w.ticket.id}/replies`, fields: ['body', 'markSolved'], uploads: true },
  { name: 'account name', who: () => w.customer.client, action: () => '/account/name', fields: ['name'] },
  { name: 'account password', who: () => w.customer.client, action: () => '/account/password', fields: ['currentPassword', 'password', 'passwordRepeat'] },
  { name: 'agent reply', who: () => w.agent.client, action: () => `/agent/requests/${w.ticket.id}/replies`, fields: ['body', 'visibility', 'status', 'lastSeenMessageId', 'cannedReplyId', 'insertCanned'], uploads: true },
  { name: 'agent new request', who: () => w.agent.client, action: () => '/agent/requests/new', fields: ['email', 'name', 'subject', 'description', 'channel', 'answer', 'status'] },
  { name: 'assign', who: () => w.agent.client, action: () => `/agent/requests/${w.ticket.id}/assign`, fields: ['assignee'] },
  { name: 'priority', who: () => w.agent.client, action: () => `/agent/requests/${w.ticket.id}/priority`, fields: ['priority'] },
  { name: 'review', who: () => w.lead.client, action: () => `/agent/requests/${w.ticket.id}/review`, fields: ['decision', 'reason'] },
  { name: 'canned reply', who: () => w.agent.client, action: () => '/agent/canned', fields: ['title', 'body'] },
  { name: 'canned reply edit', who: () => w.agent.client, action: () => `/agent/canned/${w.canned.id}`, fields: ['title', 'body'] },
  { name: 'settings', who: () => w.admin.client, action: () => '/agent/settings', fields: Object.keys(settingFields) },
  { name: 'team invite', who: () => w.admin.client, action: () => '/agent/team/invite', fields: ['name', 'email', 'role'] },
  { name: 'team role', who: () => w.admin.client, action: () => `/agent/team/${w.agent.user.id}/role`, fields: ['role'] },
  { name: 'kb comment', who: () => w.customer.client, action: () => `/kb/articles/${w.article.id}/comments`, fields: ['comment'] },
  { name: 'kb vote', who: () => visitor, action: () => `/kb/articles/${w.article.id}/vote`, fields: ['helpful'] },
];

async function submit(form: FuzzForm, pairs: Array<[string, string[]]>, asMultipart: boolean) {
  const client = form.who();
  const token = tokens.get(client)!;
  if (asMultipart) {
    const parts = [{ name: '_csrf', value: token }, ...pairs.flatMap(([name, list]) => list.map((value) => ({ name, value })))];
    const { payload, contentType } = multipartBody(parts);
    return w.t.app.inject({ method: 'POST', url: form.action(), payload, headers: { 'content-type': contentType, ...cookieHeader(client) } });
  }
  const body = new URLSearchParams([['_csrf', token]]);
  for (const [name, list] of pairs) for (const value of list) body.append(name, value);
  return postRaw(w.t, client, form.action(), body.toString());
}

describe('every form answers below 500, whatever it is sent', () => {
  test.each(forms)('$name', async (form) => {
    const statuses: number[] = [];
    await fc.assert(
      fc.asyncProperty(fieldMaps(form.fields), fc.boolean(), async (pairs, multipart) => {
        const errorsBefore = errors.length;
        const response = await submit(form, pairs, Boolean(form.uploads) && multipart);
        statuses.push(response.statusCode);
        if (response.statusCode >= 500) {
          throw new Error(`POST ${form.action()} answered ${response.statusCode}; the log says:\n${errors.slice(errorsBefore).join('\n').slice(0, 2000)}`);
        }
      }),
      { numRuns },
    );
    // The fuzzing reached the route's own code: not every answer was the CSRF refusal or the size limit.
    expect(statuses.filter((status) => status !== 403 && status !== 413).length, `statuses: ${statuses.join(' ')}`).toBeGreaterThan(numRuns / 3);
  });
});
