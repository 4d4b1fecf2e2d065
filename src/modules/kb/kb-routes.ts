// The Wissensdatenbank for readers: overview, categories, sections, articles, search, suggestions, votes and comments.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { User } from '../../db/schema.js';
import { fieldErrors, keptInput } from '../../lib/forms.js';
import { randomToken } from '../../lib/tokens.js';
import { canReadArticle, commentRateLimit, voterKeyOf } from './kb-access.js';
import { commentForm, kbLimits, pageNumber, queryText, voteForm } from './kb-forms.js';
import { type ArticlePageState, articlePageModel, breadcrumbsOf } from './kb-page-models.js';
import { articlePath, categoryPath, idOfPathSegment, sectionPath } from './kb-paths.js';
import type { ArticleWithPlace } from './kb-repository.js';
import { type KbService, searchCandidateCap } from './kb-service.js';

export type KbRoutesOptions = { kb: KbService; secureCookies: boolean };

/** The random id of a visitor who voted without logging in: a signed cookie, no session row (DESIGN §6). */
export const visitorCookieName = 'hp_kb_besucher';
const visitorCookieMaxAgeSeconds = 365 * 24 * 3600;

const notices: Record<string, string> = {
  abgestimmt: 'Vielen Dank für Ihre Rückmeldung!',
  kommentiert: 'Vielen Dank, Ihr Kommentar ist veröffentlicht.',
};

// Generous for people (an office behind one address types many subjects), a ceiling for scripts; the vote form is rare.
const suggestRateLimit = { max: 600, timeWindow: 60_000 };
const visitorVoteRateLimit = { max: 60, timeWindow: 60 * 60_000 };

export default async function kbRoutes(app: FastifyInstance, { kb, secureCookies }: KbRoutesOptions) {
  app.get('/kb', async (_request, reply) => {
    const structure = kb.readerStructure().map(({ category, sections }) => ({
        name: category.name, description: category.description, path: categoryPath(category),
        sections: sections.map((section) => ({ name: section.name, path: sectionPath(section) })),
      }));
    return reply.view('kb/index', { title: 'Wissensdatenbank', categories: structure });
  });

  app.get<{ Querystring: { q?: unknown; seite?: unknown } }>('/kb/search', async (request, reply) => {
    const query = queryText.parse(request.query.q);
    const result = kb.search(query, pageNumber.parse(request.query.seite));
    const pageHref = (page: number) => `/kb/search?${new URLSearchParams({ q: query, ...(page > 1 ? { seite: String(page) } : {}) }).toString()}`;
    return reply.view('kb/search', {
      title: query.trim() ? `Suche: ${query.trim()}` : 'Suche',
      searchQuery: query,
      result,
      candidateCap: searchCandidateCap,
      previousHref: result.page > 1 ? pageHref(result.page - 1) : undefined,
      nextHref: result.page < result.pageCount ? pageHref(result.page + 1) : undefined,
    });
  });

  // The contact form's suggestions (public/kb-suggest.js): titles and links of the best few articles, nothing else.
  app.get<{ Querystring: { q?: unknown } }>('/kb/suggest', { config: { rateLimit: suggestRateLimit } }, async (request, reply) => {
    const articles = kb.suggest(queryText.parse(request.query.q));
    return reply.header('Cache-Control', 'no-store').send({ articles });
  });

  app.get<{ Params: { category: string } }>('/kb/categories/:category', async (request, reply) => {
    const id = idOfPathSegment(request.params.category);
    const page = id === undefined ? undefined : kb.categoryPage(id);
    if (!page) return reply.callNotFound();
    const canonical = categoryPath(page.category);
    if (request.url.split('?')[0] !== canonical) return reply.redirect(canonical, 301);
    return reply.view('kb/category', {
      title: page.category.name,
      breadcrumbs: breadcrumbsOf({}),
      category: page.category,
      sections: page.sections
        .filter((entry) => entry.articles.length > 0)
        .map((entry) => ({
          name: entry.section.name, description: entry.section.description, path: sectionPath(entry.section), more: entry.more,
          articles: entry.articles.map((article) => ({ title: article.title, path: articlePath(article) })),
        })),
    });
  });

  app.get<{ Params: { section: string }; Querystring: { nach?: unknown } }>('/kb/sections/:section', async (request, reply) => {
    const id = idOfPathSegment(request.params.section);
    const after = parseTitleCursor(request.query.nach);
    const page = id === undefined ? undefined : kb.sectionPage(id, after);
    if (!page) return reply.callNotFound();
    const canonical = sectionPath(page.section);
    if (request.url.split('?')[0] !== canonical) return reply.redirect(canonical, 301);
    return reply.view('kb/section', {
      title: page.section.name,
      breadcrumbs: breadcrumbsOf({ category: page.category }),
      section: page.section,
      articles: page.articles.map((article) => ({ title: article.title, path: articlePath(article), updatedAt: article.updatedAt })),
      isFirstPage: after === undefined,
      firstHref: canonical,
      nextHref: page.next ? `${canonical}?nach=${encodeURIComponent(`${page.next.id}_${page.next.title}`)}` : undefined,
    });
  });

  app.get<{ Params: { article: string }; Querystring: { hinweis?: string } }>('/kb/articles/:article', async (request, reply) => {
    const found = readableArticle(request.params.article, request.user);
    if (!found) return reply.callNotFound();
    const canonical = articlePath(found.article);
    if (request.url.split('?')[0] !== canonical) {
      const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
      // Only a query that is valid in a Location header travels along; anything else would make the redirect fail.
      return reply.redirect(canonical + (/^[\x21-\x7e]*$/.test(query) ? query : ''), 301);
    }
    return renderArticle(request, reply, found, { notice: notices[request.query.hinweis ?? ''] });
  });

  app.post<{ Params: { article: string } }>('/kb/articles/:article/vote', {
    config: { rateLimit: { ...visitorVoteRateLimit, allowList: (request: FastifyRequest) => request.user !== undefined } },
  }, async (request, reply) => {
    const found = readableArticle(request.params.article, request.user);
    if (!found || found.article.status !== 'published') return reply.callNotFound();
    const form = voteForm.safeParse(request.body ?? {});
    if (!form.success) return renderArticle(request, reply, found, { errors: { helpful: 'Bitte wählen Sie „Ja“ oder „Nein“.' } }, 422);
    let visitorId = request.user ? undefined : visitorIdOf(request);
    if (!request.user && !visitorId) {
      visitorId = randomToken(18);
      reply.setCookie(visitorCookieName, visitorId, {
        signed: true, httpOnly: true, sameSite: 'lax', secure: secureCookies, path: '/kb', maxAge: visitorCookieMaxAgeSeconds,
      });
    }
    kb.vote(found.article.id, voterKeyOf(request.user, visitorId)!, form.data.helpful === 'ja');
    return reply.redirect(`${articlePath(found.article)}?hinweis=abgestimmt#hilfreich`, 303);
  });

  app.post<{ Params: { article: string } }>('/kb/articles/:article/comments', async (request, reply) => {
    const found = readableArticle(request.params.article, request.user);
    if (!found || found.article.status !== 'published') return reply.callNotFound();
    // Visitors are asked to log in and come back to the article; nothing they typed is taken along.
    if (!request.user) return reply.redirect(`/login?next=${encodeURIComponent(articlePath(found.article))}`, 303);
    const form = commentForm.safeParse(request.body ?? {});
    const input = keptInput(request.body);
    if (!form.success) return renderArticle(request, reply, found, { errors: fieldErrors(form.error), input }, 422);
    const outcome = kb.addComment(request.user, found.article.id, form.data.comment);
    if (outcome === 'not-found') return reply.callNotFound();
    if (outcome === 'rate-limited') {
      const minutes = commentRateLimit.windowMs / 60_000;
      return renderArticle(request, reply, found, {
        input,
        errors: { comment: `Sie haben in den letzten ${minutes} Minuten schon ${commentRateLimit.max} Kommentare geschrieben. Bitte warten Sie einige Minuten und senden Sie Ihren Kommentar dann noch einmal.` },
      }, 429);
    }
    return reply.redirect(`${articlePath(found.article)}?hinweis=kommentiert#kommentare`, 303);
  });

  function readableArticle(segment: string, viewer: User | undefined): ArticleWithPlace | undefined {
    const id = idOfPathSegment(segment);
    const found = id === undefined ? undefined : kb.findArticle(id);
    // A draft answers like a missing article, except to the team.
    return found && canReadArticle(viewer, found.article) ? found : undefined;
  }

  function visitorIdOf(request: FastifyRequest): string | undefined {
    const raw = request.cookies[visitorCookieName];
    if (!raw) return undefined;
    const unsigned = request.unsignCookie(raw);
    return unsigned.valid && unsigned.value && /^[\w-]{16,64}$/.test(unsigned.value) ? unsigned.value : undefined;
  }

  function renderArticle(request: FastifyRequest, reply: FastifyReply, found: ArticleWithPlace, state: ArticlePageState, status = 200) {
    const voterKey = voterKeyOf(request.user, request.user ? undefined : visitorIdOf(request));
    const extras = kb.articleExtras(found.article.id, voterKey);
    const model = articlePageModel(found, extras, request.user, reply.locals.settings, state);
    return reply.code(status).view('kb/article', { ...model, limits: kbLimits });
  }
}

/** "?nach=<id>_<title>": where the previous page of a section ended. */
function parseTitleCursor(value: unknown): { title: string; id: number } | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^(\d{1,12})_([\s\S]{1,200})$/.exec(value);
  return match ? { id: Number(match[1]), title: match[2]! } : undefined;
}
