// Shared steps of the agent workspace tests (agent-*.test.ts): staff and customers, the states requests reach, and reading /agent pages.
import type { User, UserRole } from '../../src/db/schema.js';
import type { StatusAfterReply } from '../../src/modules/tickets/agent-tickets-service.js';
import { createRequest, createUser, loggedInClient } from '../helpers/fixtures.js';
import type { TestApp } from '../helpers/test-app.js';
import type { WebClient } from '../helpers/web-client.js';
import { olderLink } from './request-pages.js';

let nextPerson = 0;

/** A team member of this role and a client logged in as them. Every call makes a new person. */
export async function staffWithClient(t: TestApp, role: Exclude<UserRole, 'customer'>, name = 'Anna Agentin') {
  nextPerson += 1;
  const user = await createUser(t, `team${nextPerson}@shop.example.test`, { name, role });
  return { user, client: await loggedInClient(t, user.email) };
}

/** A customer with a password, so they can log in to the portal. */
export async function customerWithPortal(t: TestApp, name = 'Karla Kundin') {
  nextPerson += 1;
  const user = await createUser(t, `kunde${nextPerson}@example.org`, { name });
  return { user, client: await loggedInClient(t, user.email) };
}

/** A customer as most are: written in once, never logged in. */
export async function customer(t: TestApp, name = 'Karla Kundin'): Promise<User> {
  nextPerson += 1;
  return createUser(t, `kunde${nextPerson}@example.org`, { name, password: null });
}

/** A new request through the contact form's use case. */
export function newRequest(t: TestApp, requester: User, subject = 'Lok BR 218 fehlt', description = 'In meinem Paket fehlt die Lok.') {
  return createRequest(t, requester, subject, description);
}

/** A public answer (or a note) through the agent use case, as if sent from a freshly loaded page. */
export function answer(t: TestApp, agent: User, ticketId: number, status: StatusAfterReply, body = 'Wir kümmern uns darum.', visibility: 'public' | 'internal' = 'public') {
  const agentTickets = t.services.agentTickets;
  const result = agentTickets.agentReplies(agent, ticketId, { body, visibility, status, lastSeenMessageId: agentTickets.latestMessageId(ticketId) });
  if (result.outcome !== 'sent') throw new Error(`answer to #${ticketId} collided`);
}

/** The request ids of one agent view, following "Ältere Anfragen" through every page, and the pages' sizes. */
export async function viewPages(client: WebClient, key: string): Promise<{ ids: number[]; pageSizes: number[] }> {
  const ids: number[] = [];
  const pageSizes: number[] = [];
  let url: string | undefined = `/agent/views/${key}`;
  while (url) {
    const page = await client.get(url);
    if (page.statusCode !== 200) throw new Error(`${url} answered ${page.statusCode}`);
    const rows = viewRows(page.body).map((row) => row.id);
    ids.push(...rows);
    pageSizes.push(rows.length);
    url = olderLink(page.body);
    if (pageSizes.length > 50) throw new Error(`${key} pages without end`);
  }
  return { ids, pageSizes };
}

export async function viewIds(client: WebClient, key: string): Promise<number[]> {
  return (await viewPages(client, key)).ids;
}

/** Each row of an agent view as agents read it. */
export function viewRows(html: string) {
  const body = html.split('<tbody>')[1]?.split('</tbody>')[0] ?? '';
  return body.split('<tr>').slice(1).map((row) => {
    const cells = [...row.matchAll(/<td>([\s\S]*?)<\/td>/g)].map((match) => match[1]!);
    return {
      id: Number(row.match(/<td>#(\d+)<\/td>/)?.[1]),
      subject: row.match(/<a href="\/agent\/requests\/\d+">([^<]*)<\/a>/)?.[1],
      customerWroteLast: row.includes('Kunde hat zuletzt geschrieben'),
      containedQuestion: row.includes('Enthielt eine Frage'),
      status: cells[3]?.trim(),
      priority: cells[4]?.trim(),
      assignee: cells[5]?.trim(),
    };
  });
}

/** The views in the navigation, label → count as shown. */
export function navCounts(html: string): Record<string, string> {
  const nav = html.split('aria-label="Ansichten"')[1]?.split('</nav>')[0] ?? '';
  return Object.fromEntries([...nav.matchAll(/<span>([^<]*)<\/span> <span class="count">([^<]*)<\/span>/g)].map((match) => [match[1]!, match[2]!]));
}

/** The to-do views: a request that needs nobody's work any more must be in none of them. */
export const todoViews = ['nicht-zugewiesen', 'meine', 'alle-offenen', 'wartet', 'wartestellung'] as const;
export const allViews = [...todoViews, 'kuerzlich-geloest', 'zu-pruefen', 'spam'] as const;

/** Which views list this request, read from the pages as this client sees them. */
export async function viewsListing(client: WebClient, ticketId: number, keys: readonly string[] = allViews): Promise<string[]> {
  const found: string[] = [];
  for (const key of keys) if ((await viewIds(client, key)).includes(ticketId)) found.push(key);
  return found;
}

/** The form on a page that holds this button, with its hidden fields as a browser would send them. */
export function formWithSubmit(html: string, buttonText: string): { action: string; fields: Record<string, string> } {
  const form = html.split('<form').slice(1).map((markup) => markup.split('</form>')[0]!).find((markup) => markup.includes(`>${buttonText}</button>`));
  if (!form) throw new Error(`no form with a button "${buttonText}"`);
  const fields: Record<string, string> = {};
  for (const input of form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields[input[1]!] = decodeEntities(input[2]!);
  return { action: form.match(/action="([^"]+)"/)![1]!, fields };
}

/** Presses a button on a page that is already loaded: its form's hidden fields plus what the person filled in. */
export function press(client: WebClient, html: string, buttonText: string, filled: Record<string, string> = {}) {
  const { action, fields } = formWithSubmit(html, buttonText);
  return client.post(action, { ...fields, ...filled });
}

/** Opens the page and presses the button, like an agent with a fresh page. */
export async function openAndPress(client: WebClient, pageUrl: string, buttonText: string, filled: Record<string, string> = {}) {
  const page = await client.get(pageUrl);
  if (page.statusCode !== 200) throw new Error(`${pageUrl} answered ${page.statusCode}`);
  return press(client, page.body, buttonText, filled);
}

/** Sends an answer or note from the agent request page. */
export function sendFromAgentPage(client: WebClient, ticketId: number, fields: { body: string; visibility?: 'public' | 'internal'; status?: StatusAfterReply }) {
  return openAndPress(client, `/agent/requests/${ticketId}`, 'Senden', {
    body: fields.body, visibility: fields.visibility ?? 'public', status: fields.status ?? 'pending',
  });
}

/** The text of one fact in the agent page's side panel. */
export function agentFact(html: string, term: string): string | undefined {
  return html.match(new RegExp(`<dt>${term}</dt><dd>(.*?)</dd>`, 's'))?.[1]?.replace(/<[^>]+>/g, '').trim();
}

/** Who the agent page says the request is assigned to. */
export function assigneeShown(html: string): string | undefined {
  return html.match(/<h3>Zugewiesen an<\/h3>\s*<p>([^<]*)<\/p>/)?.[1];
}

/** The option of a select that is marked selected. */
export function selectedOption(html: string, selectId: string): string | undefined {
  const select = html.split(`<select id="${selectId}"`)[1]?.split('</select>')[0] ?? '';
  return select.match(/<option value="[^"]*" selected>([^<]*)<\/option>/)?.[1];
}

/** The conversation on the agent page: one entry per message, top to bottom. */
export function agentMessages(html: string) {
  const list = html.split('<ol class="messages">')[1]?.split('</ol>')[0] ?? '';
  return list.split('<li ').slice(1).map((item) => ({
    id: Number(item.match(/id="nachricht-(\d+)"/)?.[1]),
    internal: item.includes('<span class="tag tag-internal">Interne Notiz</span>'),
    isNew: item.includes('Neu seit dem Öffnen'),
    author: item.match(/<strong>([^<]*)<\/strong>/)?.[1],
    body: item.match(/<div class="message-body">([\s\S]*?)<\/div>/)?.[1],
  }));
}

/** The lines of the "Ereignisse" list, without their times. */
export function eventLines(html: string): string[] {
  const list = html.split('<ol class="events">')[1]?.split('</ol>')[0] ?? '';
  return [...list.matchAll(/<li><time[^>]*>[^<]*<\/time> – ([^<]*)<\/li>/g)].map((match) => decodeEntities(match[1]!));
}

export function decodeEntities(text: string): string {
  return text.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&amp;', '&');
}
