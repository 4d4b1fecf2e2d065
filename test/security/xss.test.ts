// Security suite: script payloads in every field people fill in (and in file names and settings) come out inert on every page and mail.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { settingsAsInput } from '../../src/modules/settings/settings-forms.js';
import { articlePath } from '../../src/modules/kb/kb-paths.js';
import { samples, submitMultipart } from '../integration/attachments-forms.js';
import { WebClient } from '../helpers/web-client.js';
import { expectStatus, formOf, securityWorld, type SecurityWorld } from './world.js';

const script = '<script>alert(1)</script>';
const breakout = '"><img src=x onerror=alert(1)>';
const attribute = '" onfocus=alert(1) x="';
const scheme = 'javascript:alert(1)';
/** All four in one string, short enough for every 100-character field. */
const payload = `${script}${breakout}${attribute}${scheme}`;

/** Fails if any payload survived as markup: an element, an attribute, or a javascript: link. */
function expectInert(html: string, where: string): void {
  const problems: string[] = [];
  if (html.includes(script)) problems.push('a <script> element');
  // Only real tags count: an escaped "<" makes the rest of the payload text.
  if (/<img src=x/i.test(html)) problems.push('an <img> element');
  for (const [tag] of html.matchAll(/<[a-z][^<>]*>/gi)) {
    // Quoted values are data: an escaped payload inside value="…" is text, whatever it says.
    const outsideValues = tag.replace(/"[^"]*"|'[^']*'/g, '""');
    if (/\son[a-z]+\s*=/i.test(outsideValues)) problems.push(`an event handler attribute in ${tag.slice(0, 80)}`);
    if (/\s(href|src|action|formaction)\s*=\s*["']?\s*javascript:/i.test(tag)) problems.push(`a javascript: link in ${tag.slice(0, 80)}`);
  }
  expect(problems, `${where} renders a payload as markup`).toEqual([]);
}

let w: SecurityWorld;
let contactTicketId: number;
let followUpTicketId: number;
beforeAll(async () => {
  w = await securityWorld();
  const { t, customer, agent, admin, ticket } = w;

  // The contact form, as a visitor: name, subject and description.
  const visitor = new WebClient(t.app);
  const sent = await visitor.submit('/requests/new', '/requests/new', { name: payload, email: 'besuch@example.org', subject: payload, description: payload });
  expectStatus(sent, 303, 'the contact form');
  contactTicketId = Number(String(sent.headers.location).match(/received\/(\d+)\./)![1]);

  // The customer: a reply with two files named like payloads, and their account name.
  const reply = await submitMultipart(t, customer.client, `/requests/${ticket.id}`, `/requests/${ticket.id}/replies`, [
    { name: 'body', value: payload },
    { name: 'attachments', filename: '<img src=x onerror=alert(1)>.png', content: samples.png, type: 'image/png' },
    { name: 'attachments', filename: `${script}.txt`, content: samples.text, type: 'text/plain' },
  ]);
  expectStatus(reply, 303, 'the customer reply');
  expectStatus(await customer.client.submit('/account', '/account/name', { name: payload }), 303, 'the account name');

  // The agent: a public answer and an internal note, a canned reply; the customer's KB comment.
  for (const visibility of ['public', 'internal']) {
    const page = await agent.client.get(`/agent/requests/${ticket.id}`);
    const fields = { ...formOf(page.body, `/agent/requests/${ticket.id}/replies`), body: payload, visibility, status: 'pending' };
    expectStatus(await agent.client.post(`/agent/requests/${ticket.id}/replies`, fields), 303, `the agent's ${visibility} reply`);
  }
  expectStatus(await agent.client.submit('/agent/canned', '/agent/canned', { title: payload, body: payload }), 303, 'the canned reply');
  expectStatus(await customer.client.submit(w.article.path, `/kb/articles/${w.article.id}/comments`, { comment: payload }), 303, 'the KB comment');

  // The admin: a team invitation and the settings shown on every page.
  expectStatus(await admin.client.submit('/agent/team', '/agent/team/invite', { name: payload, email: 'neu@shop.example.test', role: 'agent' }), 303, 'the team invitation');
  const settings = { ...settingsAsInput(t.services.settings.current()), portalName: `${script}${breakout}`, teamName: `${script}${breakout}`, shopName: `${script}${breakout}`, supportPhone: breakout };
  expectStatus(await admin.client.submit('/agent/settings', '/agent/settings', settings), 303, 'the settings');

  // An agent's new request on the customer's behalf (phone): name, subject, description, answer.
  const phone = await agent.client.submit('/agent/requests/new', '/agent/requests/new', {
    email: 'anrufer@example.org', name: payload, subject: payload, description: payload, channel: 'phone', answer: payload, status: 'pending',
  });
  expectStatus(phone, 303, 'the phone request');
  followUpTicketId = Number(String(phone.headers.location).match(/\/agent\/requests\/(\d+)/)![1]);
});
afterAll(async () => { await w.t.close(); });

test('the setup stored the payloads verbatim (they are data, not filtered away)', () => {
  const stored = JSON.stringify(w.t.db.$client.prepare('select subject from tickets').all());
  expect(stored).toContain('<script>alert(1)</script>');
});

describe('every page that shows them', () => {
  test('pages of the customer and of visitors', async () => {
    const { customer, ticket } = w;
    for (const url of ['/requests', `/requests/${ticket.id}`, '/account', '/', '/kb', w.article.path, '/requests/new']) {
      const page = await customer.client.get(url);
      expect(page.statusCode, url).toBe(200);
      expectInert(page.body, url);
    }
    const visitor = new WebClient(w.t.app);
    for (const url of ['/', '/login', '/kb', w.article.path, '/requests/new', '/kb/search?q=Versand']) expectInert((await visitor.get(url)).body, `${url} for visitors`);
    expect((await customer.client.get(`/requests/${ticket.id}`)).body).toContain('&lt;img src=x onerror=alert(1)&gt;.png');
  });

  test('pages of the team', async () => {
    const { agent, admin, ticket } = w;
    const agentPage = await agent.client.get('/agent/views/nicht-zugewiesen');
    const views = [...agentPage.body.matchAll(/href="(\/agent\/views\/[\w-]+)"/g)].map((match) => match[1]!);
    expect(views.length).toBeGreaterThan(3);
    const urls = [
      ...new Set(views), `/agent/requests/${ticket.id}`, `/agent/requests/${contactTicketId}`, `/agent/requests/${followUpTicketId}`,
      '/agent/search?q=alert', '/agent/search?q=%3Cscript%3E', '/agent/canned', '/agent/kb/comments', '/agent/requests/new', '/agent/kb',
    ];
    for (const url of urls) {
      const page = await agent.client.get(url);
      expect(page.statusCode, url).toBe(200);
      expectInert(page.body, url);
    }
    const cannedId = Number((await agent.client.get('/agent/canned')).body.match(/href="\/agent\/canned\/(\d+)"/)![1]);
    expectInert((await agent.client.get(`/agent/canned/${cannedId}`)).body, 'the canned reply page');
    for (const url of ['/agent/settings', '/agent/team', '/agent/mail', '/agent/ratings', '/agent/inbound']) {
      const page = await admin.client.get(url);
      expect(page.statusCode, url).toBe(200);
      expectInert(page.body, url);
    }
  });

  test('forms that come back with errors show the typed payload escaped', async () => {
    const visitor = new WebClient(w.t.app);
    const invalid = await visitor.submit('/requests/new', '/requests/new', { name: payload, email: payload, subject: payload, description: '' });
    expect(invalid.statusCode).toBe(422);
    expectInert(invalid.body, 'the contact form with errors');
    const login = await visitor.submit('/login', '/login', { email: payload, password: 'x' });
    expectInert(login.body, 'the login form with errors');
    const search = await visitor.get(`/kb/search?q=${encodeURIComponent(payload)}`);
    expectInert(search.body, 'the KB search page');
  });

  test('the mails that went out', async () => {
    const mails = await w.t.mailbox.receive();
    expect(mails.length).toBeGreaterThan(2);
    for (const mail of mails) expectInert(mail.html, `the mail "${mail.subject}" to ${mail.to}`);
  });

  test('files named like a payloads download under a header-safe name, sandboxed, never sniffed', async () => {
    const page = (await w.customer.client.get(`/requests/${w.ticket.id}`)).body;
    const hrefs = [...page.matchAll(/href="(\/attachments\/\d+)" download/g)].map((match) => match[1]!);
    expect(hrefs).toHaveLength(2);
    for (const href of hrefs) {
      const download = await w.customer.client.get(href);
      expect(download.statusCode).toBe(200);
      const disposition = String(download.headers['content-disposition']);
      // One quoted name, nothing that could end the header or the quotes early.
      expect(disposition).toMatch(/^(attachment|inline); filename="[^"\r\n]*"(; filename\*=UTF-8''[\w%.!~*'()-]+)?$/);
      expect(download.headers['x-content-type-options']).toBe('nosniff');
      expect(String(download.headers['content-security-policy'])).toContain('sandbox');
      expect(String(download.headers['content-type'])).not.toContain('text/html');
    }
  });
});

test('Markdown of an article: script, event handlers and javascript: links are removed', async () => {
  const kb = w.t.services.kb;
  const article = kb.createArticle(w.admin.user, {
    title: 'Markdown-Test', sectionId: w.t.services.kb.findArticle(w.article.id)!.article.sectionId,
    body: `${script}\n\n<img src=x onerror=alert(1)>\n\n[Klick](javascript:alert(1)) <a href="javascript:alert(1)">x</a> <b onmouseover="alert(1)">b</b>`,
  });
  kb.publishArticle(w.admin.user, article.id);
  const page = await new WebClient(w.t.app).get(articlePath(article));
  expect(page.statusCode).toBe(200);
  expectInert(page.body, 'the article');
});

test('settings that become links accept only http(s) addresses', async () => {
  const fields = { ...settingsAsInput(w.t.services.settings.current()), impressumUrl: scheme, datenschutzUrl: 'data:text/html,x', shopUrl: scheme };
  const response = await w.admin.client.submit('/agent/settings', '/agent/settings', fields);
  expect(response.statusCode).toBe(422);
  expect(w.t.services.settings.current().impressumUrl).toMatch(/^https?:/);
});
