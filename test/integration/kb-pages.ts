// Shared steps of the Wissensdatenbank tests (kb*.test.ts): people, a small knowledge base made through the service, reading the pages.
import type { User, UserRole } from '../../src/db/schema.js';
import { articlePath } from '../../src/modules/kb/kb-paths.js';
import { hitEnd, hitStart } from '../../src/lib/plain-text.js';
import { createUser, loggedInClient } from '../helpers/fixtures.js';
import type { TestApp } from '../helpers/test-app.js';
import type { WebClient } from '../helpers/web-client.js';

let nextPerson = 0;

/** Someone of this role and a client logged in as them. Every call makes a new person. */
export async function personWithClient(t: TestApp, role: UserRole, name = role === 'customer' ? 'Karla Kundin' : 'Anna Berger'): Promise<{ user: User; client: WebClient }> {
  nextPerson += 1;
  const user = await createUser(t, `kb-${role}${nextPerson}@${role === 'customer' ? 'example.org' : 'shop.example.test'}`, { name, role });
  return { user, client: await loggedInClient(t, user.email) };
}

/** A category with one section, and ways to add articles to it as this author. */
export function knowledgeBase(t: TestApp, author: User, names: { category?: string; section?: string } = {}) {
  const kb = t.services.kb;
  const category = kb.createCategory({ name: names.category ?? 'Servicecenter', description: 'So funktioniert es.', position: 0 });
  const section = kb.createSection({ categoryId: category.id, name: names.section ?? 'Ihr Konto', description: '', position: 0 })!;
  return {
    category,
    section,
    draft(title: string, body = `Text zu ${title}.`) {
      return kb.createArticle(author, { title, sectionId: section.id, body });
    },
    publish(title: string, body = `Text zu ${title}.`) {
      const article = kb.createArticle(author, { title, sectionId: section.id, body });
      kb.publishArticle(author, article.id);
      return { ...article, path: articlePath(article) };
    },
  };
}

export type ListedHit = { title: string; path: string; marked: string[]; snippet: string };

/** The hits of a search page, top to bottom, as a reader sees them (the marked words listed apart). */
export function searchHits(html: string): ListedHit[] {
  const list = html.split('<ol class="kb-hits">')[1]?.split('</ol>')[0] ?? '';
  return list.split('<li>').slice(1).map((item) => {
    const link = item.match(/<h2 class="kb-hit-title"><a href="([^"]+)">(.*?)<\/a><\/h2>/s);
    const snippet = item.match(/<p class="snippet">(.*?)<\/p>/s)?.[1] ?? '';
    return {
      path: link?.[1] ?? '',
      title: textOf(link?.[2] ?? ''),
      marked: [...`${link?.[2] ?? ''} ${snippet}`.matchAll(/<mark>(.*?)<\/mark>/g)].map((match) => match[1]!),
      snippet: textOf(snippet),
    };
  });
}

/** The titles that a search for this text lists on its first page (or on `seite`). */
export async function searchTitles(client: WebClient, text: string, page?: number): Promise<string[]> {
  const response = await client.get(`/kb/search?q=${encodeURIComponent(text)}${page ? `&seite=${page}` : ''}`);
  if (response.statusCode !== 200) throw new Error(`search for ${JSON.stringify(text)} answered ${response.statusCode}`);
  return searchHits(response.body).map((hit) => hit.title);
}

/** Markup out, entities back: the text a reader sees. */
export function textOf(html: string): string {
  return html.replace(/<[^>]+>/g, '')
    .replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&')
    .replaceAll(hitStart, '').replaceAll(hitEnd, '')
    .replace(/\s+/g, ' ').trim();
}

/** The German message shown under a field, or undefined. */
export function fieldError(html: string, field: string): string | undefined {
  return html.match(new RegExp(`<p class="field-error" id="${field}-fehler"><span class="visually-hidden">Fehler: </span>([^<]*)</p>`))?.[1];
}

/** The notice (role="status") of a page, if any. */
export function notice(html: string): string | undefined {
  return html.match(/<p class="notice" role="status">([^<]*)<\/p>/)?.[1];
}

/** The <h1> of a page. */
export function heading(html: string): string | undefined {
  const match = html.match(/<h1[^>]*>(.*?)<\/h1>/s);
  return match ? textOf(match[1]!) : undefined;
}

/** The visible comments of an article page, as "author: text", each answer right after its comment. */
export function listedComments(html: string): string[] {
  const section = html.split('<section id="kommentare"')[1] ?? '';
  return [...section.matchAll(/<li class="kb-comment[^"]*" id="kommentar-\d+">\s*<p class="message-meta"><strong>([^<]*)<\/strong>.*?<div class="message-body">(.*?)<\/div>/gs)]
    .map((match) => `${textOf(match[1]!)}: ${textOf(match[2]!)}`);
}
