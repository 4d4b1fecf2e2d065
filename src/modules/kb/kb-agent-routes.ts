// The agent area's Wissensdatenbank: write, preview, publish and unpublish articles, keep categories and sections, moderate comments.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { type FieldErrors, fieldErrors, keptInput } from '../../lib/forms.js';
import { requireRole, staffRoles } from '../../plugins/auth.js';
import { agentNavHook } from '../tickets/agent-nav.js';
import type { AgentTicketsService } from '../tickets/agent-tickets-service.js';
import { answerForm, articleAction, articleForm, categoryForm, kbLimits, sectionForm } from './kb-forms.js';
import { commentAuthorLabel } from './kb-page-models.js';
import { articlePath } from './kb-paths.js';
import type { ArticleWithPlace } from './kb-repository.js';
import { type KbService, SectionMissingError } from './kb-service.js';

export type KbAgentRoutesOptions = { kb: KbService; agentTickets: AgentTicketsService };

const notices: Record<string, string> = {
  angelegt: 'Der Artikel wurde als Entwurf angelegt. Veröffentlichen Sie ihn, sobald er fertig ist.',
  gespeichert: 'Der Artikel wurde gespeichert.',
  veroeffentlicht: 'Der Artikel ist veröffentlicht und für alle sichtbar.',
  zurueckgezogen: 'Der Artikel ist wieder ein Entwurf und für Kunden nicht mehr sichtbar.',
  geloescht: 'Der Artikel wurde gelöscht.',
  'kategorie-angelegt': 'Die Kategorie wurde angelegt.',
  'kategorie-gespeichert': 'Die Kategorie wurde gespeichert.',
  'kategorie-geloescht': 'Die Kategorie wurde gelöscht.',
  'abschnitt-angelegt': 'Der Abschnitt wurde angelegt.',
  'abschnitt-gespeichert': 'Der Abschnitt wurde gespeichert.',
  'abschnitt-geloescht': 'Der Abschnitt wurde gelöscht.',
  beantwortet: 'Ihre Antwort ist unter dem Kommentar veröffentlicht.',
  ausgeblendet: 'Der Kommentar ist ausgeblendet.',
  eingeblendet: 'Der Kommentar ist wieder sichtbar.',
  'kommentar-geloescht': 'Der Kommentar wurde gelöscht.',
};

const statusFilters = { entwurf: 'draft', veroeffentlicht: 'published' } as const;
type StatusFilter = keyof typeof statusFilters;

type FormState = { errors?: FieldErrors; input?: Record<string, string>; notice?: string; previewHtml?: string };

export default async function kbAgentRoutes(app: FastifyInstance, { kb, agentTickets }: KbAgentRoutesOptions) {
  app.addHook('onRequest', requireRole(...staffRoles));
  app.addHook('preHandler', agentNavHook(agentTickets));

  // ------------------------------------------------------------ articles

  app.get<{ Querystring: { status?: string; nach?: string; hinweis?: string } }>('/kb', async (request, reply) => {
    const status = request.query.status && request.query.status in statusFilters ? request.query.status as StatusFilter : undefined;
    const after = parseCursor(request.query.nach);
    const page = kb.listForAgents({ status: status && statusFilters[status], after: after && { updatedAt: after.at, id: after.id } });
    const query = (extra: Record<string, string>) => {
      const params = new URLSearchParams({ ...(status ? { status } : {}), ...extra }).toString();
      return params ? `/agent/kb?${params}` : '/agent/kb';
    };
    return reply.view('agent/kb', {
      title: 'Wissensdatenbank',
      notice: notices[request.query.hinweis ?? ''],
      status: status ?? '',
      rows: page.rows,
      hasSections: kb.structure().some((entry) => entry.sections.length > 0),
      isFirstPage: after === undefined,
      firstHref: query({}),
      nextHref: page.next ? query({ nach: `${page.next.updatedAt}_${page.next.id}` }) : undefined,
    });
  });

  app.get('/kb/articles/new', async (_request, reply) => renderArticleForm(reply, undefined, {}));

  app.post('/kb/articles/new', async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const form = articleForm.safeParse(body);
    const input = keptInput(body);
    if (articleAction.parse(body.aktion) === 'vorschau') return renderArticleForm(reply, undefined, { input, previewHtml: kb.preview(input.body ?? '') });
    if (!form.success) return renderArticleForm(reply, undefined, { input, errors: fieldErrors(form.error) }, 422);
    try {
      const article = kb.createArticle(request.user!, form.data);
      return reply.redirect(`/agent/kb/articles/${article.id}?hinweis=angelegt`, 303);
    } catch (error) {
      if (error instanceof SectionMissingError) return renderArticleForm(reply, undefined, { input, errors: { sectionId: 'Diesen Abschnitt gibt es nicht mehr. Bitte wählen Sie einen anderen.' } }, 422);
      throw error;
    }
  });

  app.get<{ Params: { id: string }; Querystring: { hinweis?: string } }>('/kb/articles/:id', async (request, reply) => {
    const found = findArticle(request.params.id);
    if (!found) return reply.callNotFound();
    return renderArticleForm(reply, found, { notice: notices[request.query.hinweis ?? ''] });
  });

  app.post<{ Params: { id: string } }>('/kb/articles/:id', async (request, reply) => {
    const found = findArticle(request.params.id);
    if (!found) return reply.callNotFound();
    const body = (request.body ?? {}) as Record<string, unknown>;
    const input = keptInput(body);
    if (articleAction.parse(body.aktion) === 'vorschau') return renderArticleForm(reply, found, { input, previewHtml: kb.preview(input.body ?? '') });
    const form = articleForm.safeParse(body);
    if (!form.success) return renderArticleForm(reply, found, { input, errors: fieldErrors(form.error) }, 422);
    try {
      kb.updateArticle(request.user!, found.article.id, form.data);
    } catch (error) {
      if (error instanceof SectionMissingError) return renderArticleForm(reply, found, { input, errors: { sectionId: 'Diesen Abschnitt gibt es nicht mehr. Bitte wählen Sie einen anderen.' } }, 422);
      throw error;
    }
    return reply.redirect(`/agent/kb/articles/${found.article.id}?hinweis=gespeichert`, 303);
  });

  app.post<{ Params: { id: string } }>('/kb/articles/:id/publish', async (request, reply) => {
    const found = findArticle(request.params.id);
    if (!found) return reply.callNotFound();
    kb.publishArticle(request.user!, found.article.id);
    return reply.redirect(`/agent/kb/articles/${found.article.id}?hinweis=veroeffentlicht`, 303);
  });

  app.post<{ Params: { id: string } }>('/kb/articles/:id/unpublish', async (request, reply) => {
    const found = findArticle(request.params.id);
    if (!found) return reply.callNotFound();
    kb.unpublishArticle(request.user!, found.article.id);
    return reply.redirect(`/agent/kb/articles/${found.article.id}?hinweis=zurueckgezogen`, 303);
  });

  app.post<{ Params: { id: string } }>('/kb/articles/:id/delete', async (request, reply) => {
    const found = findArticle(request.params.id);
    if (!found) return reply.callNotFound();
    kb.deleteArticle(found.article.id);
    return reply.redirect('/agent/kb?hinweis=geloescht', 303);
  });

  // ------------------------------------------------------------ categories and sections

  app.get<{ Querystring: { hinweis?: string } }>('/kb/structure', async (request, reply) =>
    reply.view('agent/kb-structure', { title: 'Kategorien und Abschnitte', structure: kb.structure(), notice: notices[request.query.hinweis ?? ''] }));

  app.get('/kb/categories/new', async (_request, reply) => renderCategoryForm(reply, undefined, {}));

  app.post('/kb/categories/new', async (request, reply) => {
    const form = categoryForm.safeParse(request.body ?? {});
    if (!form.success) return renderCategoryForm(reply, undefined, { input: keptInput(request.body), errors: fieldErrors(form.error) }, 422);
    kb.createCategory(form.data);
    return reply.redirect('/agent/kb/structure?hinweis=kategorie-angelegt', 303);
  });

  app.get<{ Params: { id: string } }>('/kb/categories/:id', async (request, reply) => {
    const category = findCategory(request.params.id);
    if (!category) return reply.callNotFound();
    return renderCategoryForm(reply, category, {});
  });

  app.post<{ Params: { id: string } }>('/kb/categories/:id', async (request, reply) => {
    const category = findCategory(request.params.id);
    if (!category) return reply.callNotFound();
    const form = categoryForm.safeParse(request.body ?? {});
    if (!form.success) return renderCategoryForm(reply, category, { input: keptInput(request.body), errors: fieldErrors(form.error) }, 422);
    kb.updateCategory(category.id, form.data);
    return reply.redirect('/agent/kb/structure?hinweis=kategorie-gespeichert', 303);
  });

  app.post<{ Params: { id: string } }>('/kb/categories/:id/delete', async (request, reply) => {
    const category = findCategory(request.params.id);
    if (!category) return reply.callNotFound();
    if (kb.deleteCategory(category.id) === 'not-empty') {
      return renderCategoryForm(reply, category, { errors: { form: 'Diese Kategorie enthält noch Abschnitte. Bitte löschen Sie diese zuerst oder ordnen Sie sie einer anderen Kategorie zu.' } }, 422);
    }
    return reply.redirect('/agent/kb/structure?hinweis=kategorie-geloescht', 303);
  });

  app.get<{ Querystring: { kategorie?: string } }>('/kb/sections/new', async (request, reply) =>
    renderSectionForm(reply, undefined, { input: { categoryId: request.query.kategorie ?? '' } }));

  app.post('/kb/sections/new', async (request, reply) => {
    const form = sectionForm.safeParse(request.body ?? {});
    const input = keptInput(request.body);
    if (!form.success) return renderSectionForm(reply, undefined, { input, errors: fieldErrors(form.error) }, 422);
    if (!kb.createSection(form.data)) return renderSectionForm(reply, undefined, { input, errors: { categoryId: 'Diese Kategorie gibt es nicht mehr.' } }, 422);
    return reply.redirect('/agent/kb/structure?hinweis=abschnitt-angelegt', 303);
  });

  app.get<{ Params: { id: string } }>('/kb/sections/:id', async (request, reply) => {
    const found = findSection(request.params.id);
    if (!found) return reply.callNotFound();
    return renderSectionForm(reply, found.section, {});
  });

  app.post<{ Params: { id: string } }>('/kb/sections/:id', async (request, reply) => {
    const found = findSection(request.params.id);
    if (!found) return reply.callNotFound();
    const form = sectionForm.safeParse(request.body ?? {});
    const input = keptInput(request.body);
    if (!form.success) return renderSectionForm(reply, found.section, { input, errors: fieldErrors(form.error) }, 422);
    if (!kb.updateSection(found.section.id, form.data)) return renderSectionForm(reply, found.section, { input, errors: { categoryId: 'Diese Kategorie gibt es nicht mehr.' } }, 422);
    return reply.redirect('/agent/kb/structure?hinweis=abschnitt-gespeichert', 303);
  });

  app.post<{ Params: { id: string } }>('/kb/sections/:id/delete', async (request, reply) => {
    const found = findSection(request.params.id);
    if (!found) return reply.callNotFound();
    if (kb.deleteSection(found.section.id) === 'not-empty') {
      return renderSectionForm(reply, found.section, { errors: { form: 'Dieser Abschnitt enthält noch Artikel (auch Entwürfe). Bitte verschieben oder löschen Sie diese zuerst.' } }, 422);
    }
    return reply.redirect('/agent/kb/structure?hinweis=abschnitt-geloescht', 303);
  });

  // ------------------------------------------------------------ comments

  app.get<{ Querystring: { artikel?: string; nach?: string; hinweis?: string } }>('/kb/comments', async (request, reply) =>
    renderComments(reply, request.query, { notice: notices[request.query.hinweis ?? ''] }));

  app.post<{ Params: { id: string } }>('/kb/comments/:id/answer', async (request, reply) => {
    const comment = findComment(request.params.id);
    if (!comment) return reply.callNotFound();
    const form = answerForm.safeParse(request.body ?? {});
    if (!form.success) {
      const field = `antwort-${comment.id}`;
      return renderComments(reply, { artikel: String(comment.articleId) }, {
        errors: { [field]: fieldErrors(form.error).answer ?? 'Bitte schreiben Sie eine Antwort.' }, input: { [field]: keptInput(request.body).answer ?? '' },
      }, 422);
    }
    kb.answerComment(request.user!, comment.id, form.data.answer);
    return reply.redirect(`/agent/kb/comments?artikel=${comment.articleId}&hinweis=beantwortet`, 303);
  });

  for (const [action, hidden] of [['hide', true], ['show', false]] as const) {
    app.post<{ Params: { id: string } }>(`/kb/comments/:id/${action}`, async (request, reply) => {
      const comment = findComment(request.params.id);
      if (!comment) return reply.callNotFound();
      kb.setCommentHidden(request.user!, comment.id, hidden);
      return reply.redirect(`${returnTo(request.body)}hinweis=${hidden ? 'ausgeblendet' : 'eingeblendet'}`, 303);
    });
  }

  app.post<{ Params: { id: string } }>('/kb/comments/:id/delete', async (request, reply) => {
    const comment = findComment(request.params.id);
    if (!comment) return reply.callNotFound();
    kb.deleteComment(comment.id);
    return reply.redirect(`${returnTo(request.body)}hinweis=kommentar-geloescht`, 303);
  });

  // ------------------------------------------------------------ helpers

  function findArticle(idText: string): ArticleWithPlace | undefined {
    return /^\d{1,12}$/.test(idText) ? kb.findArticle(Number(idText)) : undefined;
  }

  function findCategory(idText: string) {
    return /^\d{1,12}$/.test(idText) ? kb.findCategory(Number(idText)) : undefined;
  }

  function findSection(idText: string) {
    return /^\d{1,12}$/.test(idText) ? kb.findSection(Number(idText)) : undefined;
  }

  function findComment(idText: string) {
    return /^\d{1,12}$/.test(idText) ? kb.findComment(Number(idText)) : undefined;
  }

  function renderArticleForm(reply: FastifyReply, found: ArticleWithPlace | undefined, state: FormState, status = 200) {
    const article = found?.article;
    const extras = article ? kb.articleExtras(article.id, undefined) : undefined;
    return reply.code(status).view('agent/kb-article', {
      title: article ? `Artikel „${article.title}“ bearbeiten` : 'Neuer Artikel',
      article: article && {
        id: article.id,
        status: article.status,
        path: articlePath(article),
        authorName: found!.authorName,
        editorName: found!.editorName,
        createdAt: article.createdAt,
        updatedAt: article.updatedAt,
        publishedAt: article.publishedAt,
      },
      votes: extras?.votes,
      commentCount: extras?.commentCount,
      structure: kb.structure(),
      input: state.input ?? (article ? { title: article.title, sectionId: String(article.sectionId), body: article.body } : {}),
      errors: state.errors ?? {},
      notice: state.notice,
      previewHtml: state.previewHtml,
      limits: kbLimits,
    });
  }

  function renderCategoryForm(reply: FastifyReply, category: { id: number; name: string; description: string; position: number } | undefined, state: FormState, status = 200) {
    return reply.code(status).view('agent/kb-category', {
      title: category ? `Kategorie „${category.name}“ bearbeiten` : 'Neue Kategorie',
      category,
      input: state.input ?? (category ? { name: category.name, description: category.description, position: String(category.position) } : {}),
      errors: state.errors ?? {},
      limits: kbLimits,
    });
  }

  function renderSectionForm(reply: FastifyReply, section: { id: number; categoryId: number; name: string; description: string; position: number } | undefined, state: FormState, status = 200) {
    return reply.code(status).view('agent/kb-section', {
      title: section ? `Abschnitt „${section.name}“ bearbeiten` : 'Neuer Abschnitt',
      section,
      categories: kb.structure().map((entry) => entry.category),
      input: state.input ?? (section ? { categoryId: String(section.categoryId), name: section.name, description: section.description, position: String(section.position) } : {}),
      errors: state.errors ?? {},
      limits: kbLimits,
    });
  }

  function renderComments(reply: FastifyReply, query: { artikel?: string; nach?: string }, state: FormState, status = 200) {
    const articleId = /^\d{1,12}$/.test(query.artikel ?? '') ? Number(query.artikel) : undefined;
    const article = articleId === undefined ? undefined : kb.findArticle(articleId);
    const after = parseCursor(query.nach);
    const page = kb.moderationPage({ articleId: article?.article.id, after: after && { createdAt: after.at, id: after.id } });
    const settings = reply.locals.settings;
    const base = article ? `/agent/kb/comments?artikel=${article.article.id}&` : '/agent/kb/comments?';
    return reply.code(status).view('agent/kb-comments', {
      title: article ? `Kommentare zu „${article.article.title}“` : 'Kommentare',
      article: article && { id: article.article.id, title: article.article.title, path: articlePath(article.article) },
      returnTo: base,
      comments: page.comments.map((comment) => ({
        ...comment,
        articlePath: articlePath({ id: comment.articleId, title: comment.articleTitle }),
        answers: comment.answers.map((answer) => ({ ...answer, author: commentAuthorLabel({ name: answer.authorName, role: answer.authorRole }, settings) })),
      })),
      isFirstPage: after === undefined,
      firstHref: base.slice(0, -1),
      nextHref: page.next ? `${base}nach=${page.next.createdAt}_${page.next.id}` : undefined,
      errors: state.errors ?? {},
      input: state.input ?? {},
      notice: state.notice,
      limits: kbLimits,
    });
  }
}

/** "<ms>_<id>": where the previous page ended. */
function parseCursor(value: string | undefined): { at: number; id: number } | undefined {
  const match = /^(\d{1,15})_(\d{1,12})$/.exec(value ?? '');
  return match ? { at: Number(match[1]), id: Number(match[2]) } : undefined;
}

/** The moderation list the form was sent from (all comments, or one article's), ready for "hinweis=". */
function returnTo(body: unknown): string {
  const value = (body as Record<string, unknown> | undefined)?.zurueck;
  return typeof value === 'string' && /^\/agent\/kb\/comments\?(artikel=\d{1,12}&)?$/.test(value) ? value : '/agent/kb/comments?';
}
