// Shared setup of the security suite: one portal with a person of every role, a request, a published article, and the route walk.
import type { LightMyRequestResponse } from 'fastify';
import type { User, UserRole } from '../../src/db/schema.js';
import { articlePath } from '../../src/modules/kb/kb-paths.js';
import { createRequest, createUser, loggedInClient } from '../helpers/fixtures.js';
import { testApp, type TestApp } from '../helpers/test-app.js';
import { csrfTokenOf, WebClient } from '../helpers/web-client.js';

export type Person = { user: User; client: WebClient };
export type Route = { method: string; url: string };

let nextPerson = 0;

export async function person(t: TestApp, role: UserRole, name = role === 'customer' ? 'Karla Kundin' : 'Anna Agentin'): Promise<Person> {
  nextPerson += 1;
  const user = await createUser(t, `sec-${role}${nextPerson}@${role === 'customer' ? 'example.org' : 'shop.example.test'}`, { name, role });
  return { user, client: await loggedInClient(t, user.email) };
}

/** A portal with a customer's request, a canned reply and a published article, and a logged-in client for every role. */
export async function securityWorld(options: Parameters<typeof testApp>[0] = {}) {
  const t = await testApp(options);
  const customer = await person(t, 'customer');
  const agent = await person(t, 'agent');
  const lead = await person(t, 'lead', 'Lena Leitung');
  const admin = await person(t, 'admin', 'Adam Admin');
  const ticket = createRequest(t, customer.user, 'Lok BR 218 fehlt', 'In meinem Paket fehlt die Lok.');
  const canned = t.services.canned.create(agent.user, { title: 'Versandzeit', body: 'Der Versand dauert 2 Tage.' });
  const kb = t.services.kb;
  const category = kb.createCategory({ name: 'Versand', description: 'Rund um den Versand.', position: 0 });
  const section = kb.createSection({ categoryId: category.id, name: 'Lieferzeiten', description: '', position: 0 })!;
  const article = kb.createArticle(admin.user, { title: 'Wie lange dauert der Versand', sectionId: section.id, body: 'Zwei Tage.' });
  kb.publishArticle(admin.user, article.id);
  return { t, customer, agent, lead, admin, ticket, canned, article: { ...article, path: articlePath(article) } };
}

export type SecurityWorld = Awaited<ReturnType<typeof securityWorld>>;

/** Every registered route once (as app.routeTable lists them), filtered. */
export function routesOf(t: TestApp, filter: (route: Route) => boolean = () => true): Route[] {
  const seen = new Set<string>();
  return t.app.routeTable.filter((route) => {
    const key = `${route.method} ${route.url}`;
    if (seen.has(key) || !filter(route)) return false;
    seen.add(key);
    return true;
  });
}

/** A URL that reaches the route: every parameter becomes the given id. */
export function concrete(url: string, id: number | string = 1): string {
  return url.replace(/:[^/]+/g, String(id)).replace(/\*$/, 'app.css');
}

export const isAgentRoute = (route: Route) => route.url === '/agent' || route.url.startsWith('/agent/');

/** A valid CSRF token of this client, from any page with the logout form (or the login form for visitors). */
export async function csrfToken(client: WebClient, loggedIn = true): Promise<string> {
  return loggedIn ? csrfTokenOf((await client.get('/account')).body, '/logout') : csrfTokenOf((await client.get('/login')).body, '/login');
}

/** Sends a raw urlencoded body (repeated keys allowed) with the client's cookies. */
export function postRaw(t: TestApp, client: WebClient, url: string, body: string, contentType = 'application/x-www-form-urlencoded'): Promise<LightMyRequestResponse> {
  return t.app.inject({ method: 'POST', url, payload: body, headers: { 'content-type': contentType, ...cookieHeader(client) } });
}

export function cookieHeader(client: WebClient): Record<string, string> {
  return client.cookies.size ? { cookie: [...client.cookies].map(([name, value]) => `${name}=${value}`).join('; ') } : {};
}

export function describeResponse(response: LightMyRequestResponse): string {
  return `${response.statusCode}${response.headers.location ? ` → ${String(response.headers.location)}` : ''}`;
}

const entities: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };
const decode = (text: string) => text.replace(/&(amp|lt|gt|quot|#39);/g, (entity) => entities[entity]!);
const attribute = (tag: string, name: string) => {
  const match = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return match ? decode(match[1]!) : undefined;
};

/** The fields a browser would send from the form posting to `action`, as the page fills them (CSRF token included). */
export function formOf(html: string, action: string): Record<string, string> {
  const start = html.split('<form').slice(1).find((markup) => markup.includes(`action="${action}"`));
  if (!start) throw new Error(`no form posting to ${action}`);
  const form = start.split('</form>')[0]!;
  const fields: Record<string, string> = {};
  for (const [tag] of form.matchAll(/<input\b[^>]*>/g)) {
    const name = attribute(tag, 'name');
    const type = attribute(tag, 'type') ?? 'text';
    if (!name || type === 'file' || type === 'submit') continue;
    if ((type === 'checkbox' || type === 'radio') && !/\schecked\b/.test(tag)) continue;
    fields[name] = attribute(tag, 'value') ?? (type === 'checkbox' ? 'on' : '');
  }
  for (const match of form.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/g)) {
    const name = attribute(match[1]!, 'name');
    if (name) fields[name] = decode(match[2]!);
  }
  for (const match of form.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
    const name = attribute(match[1]!, 'name');
    const options = [...match[2]!.matchAll(/<option\b[^>]*>/g)].map(([tag]) => tag);
    const chosen = options.find((tag) => /\sselected\b/.test(tag)) ?? options[0];
    if (name && chosen) fields[name] = attribute(chosen, 'value') ?? '';
  }
  return fields;
}

/** Checks the status; on a mismatch the message carries the page's error summary, so the reason is readable. */
export function expectStatus(response: LightMyRequestResponse, status: number, what: string): void {
  if (response.statusCode === status) return;
  const summary = response.body.match(/<div class="error-summary"[\s\S]*?<\/div>/)?.[0].replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ') ?? response.body.slice(0, 300);
  throw new Error(`${what}: expected ${status}, got ${describeResponse(response)}: ${summary}`);
}
