// Shared steps of the agent admin page tests (canned replies, team, settings): people with clients, and reading the pages.
import type { User, UserRole } from '../../src/db/schema.js';
import { createUser, loggedInClient } from '../helpers/fixtures.js';
import type { TestApp } from '../helpers/test-app.js';
import { csrfTokenOf, WebClient } from '../helpers/web-client.js';

let nextPerson = 0;

/** Someone of this role and a client logged in as them. Every call makes a new person. */
export async function personWithClient(t: TestApp, role: UserRole, name = role === 'customer' ? 'Karla Kundin' : 'Anna Agentin'): Promise<{ user: User; client: WebClient }> {
  nextPerson += 1;
  const domain = role === 'customer' ? 'example.org' : 'shop.example.test';
  const user = await createUser(t, `${role}${nextPerson}@${domain}`, { name, role });
  return { user, client: await loggedInClient(t, user.email) };
}

/** A valid CSRF token of this client, taken from "Mein Konto", for posts that no page of theirs offers. */
export async function anyCsrfToken(client: WebClient): Promise<string> {
  return csrfTokenOf((await client.get('/account')).body, '/logout');
}

/** The German message shown under a field, or undefined. */
export function fieldError(html: string, field: string): string | undefined {
  const match = html.match(new RegExp(`<p class="field-error" id="${field}-fehler"><span class="visually-hidden">Fehler: </span>([^<]*)</p>`));
  return match?.[1];
}

/** The opening tag of the form control with this id, to check its attributes. */
export function controlTag(html: string, id: string): string {
  const tag = html.match(new RegExp(`<(?:input|textarea|select) id="${id}"[^>]*>`))?.[0];
  if (!tag) throw new Error(`no form control with id ${id}`);
  return tag;
}

/** The notice (role="status") of a page, if any. */
export function notice(html: string): string | undefined {
  return html.match(/<p class="notice" role="status">([^<]*)<\/p>/)?.[1];
}

/** The routes of the app under this path prefix, as "METHOD url", so a test can check it probed every one. */
export function routesUnder(t: TestApp, prefix: string): string[] {
  return t.app.routeTable
    .filter((route) => route.url.startsWith(prefix) && route.method !== 'HEAD')
    .map((route) => `${route.method} ${route.url}`)
    .sort();
}

/** One concrete request per route pattern, with ids filled in. */
export type Probe = { method: 'GET' | 'POST'; url: string; pattern: string };

/** What each kind of visitor gets from every probed route: status and, for redirects, where to. */
export async function outcomes(client: WebClient, probes: Probe[], csrf?: string) {
  const results: Record<string, string> = {};
  for (const probe of probes) {
    const response = probe.method === 'GET' ? await client.get(probe.url) : await client.post(probe.url, csrf ? { _csrf: csrf } : {});
    const location = response.headers.location;
    results[`${probe.method} ${probe.pattern}`] = location ? `${response.statusCode} ${String(location)}` : String(response.statusCode);
  }
  return results;
}

export function anonymous(t: TestApp): WebClient {
  return new WebClient(t.app);
}
