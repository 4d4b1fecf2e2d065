// Use cases of the Wissensdatenbank: reading and searching articles, writing them, votes and comments. One transaction each.
import type { Db } from '../../db/client.js';
import type { KbCategory, KbSection, User } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { canComment, commentRateLimit, isCommentRateLimited } from './kb-access.js';
import type { ArticleInput, CategoryInput, SectionInput } from './kb-forms.js';
import { renderArticle } from './kb-markdown.js';
import { articlePath, categoryPath, sectionPath } from './kb-paths.js';
import { isExpanded, matchExpression, maxExpansions, parseSearchText, type SearchTerm } from './kb-query.js';
import * as repo from './kb-repository.js';
import { markHits, snippetOf } from './kb-snippets.js';

export type KbService = ReturnType<typeof createKbService>;

/** At most this many matches are ranked; beyond it a search says "more than" and asks for another word. */
export const searchCandidateCap = 200;
export const searchPageSize = 10;
export const suggestionCount = 5;
const articlesPerSectionOnCategoryPage = 6;
const sectionPageSize = 50;
const agentListPageSize = 50;
const commentsShown = 200;
const moderationPageSize = 20;

export class SectionMissingError extends Error {}

export type CategoryWithSections = { category: KbCategory; sections: KbSection[] };

export type KbSearchHit = {
  id: number;
  path: string;
  title: string;
  /** The title with hit markers (see highlightSnippetHtml). */
  titleMarked: string;
  snippet: string;
  updatedAt: Date;
  section: { name: string; path: string };
  category: { name: string; path: string };
};

export type KbSearchResult = {
  /** False when the text held no word to search for. */
  searched: boolean;
  hits: KbSearchHit[];
  /** How many articles matched, counted up to searchCandidateCap. */
  total: number;
  capped: boolean;
  /** False when no article had every word and the hits have only some of them. */
  matchedAll: boolean;
  page: number;
  pageCount: number;
};

export function createKbService({ db, clock }: { db: Db; clock: Clock }) {
  const articles = repo.prepareArticleQueries(db);
  const articlePages = repo.prepareArticlePageQueries(db, commentsShown);
  const searchQueries = repo.prepareSearchQueries(db, { candidates: searchCandidateCap, wordsPerPrefix: maxExpansions + 1 });

  /** The capped candidates of the first query that finds any: all words, else any word. Best first. */
  function rankedMatches(text: string): { terms: SearchTerm[]; ranked: repo.SearchCandidate[]; matchedAll: boolean } | undefined {
    const query = parseSearchText(text);
    if (!query) return undefined;
    const expansions = new Map<string, string[] | undefined>();
    for (const term of query.terms) {
      if (!isExpanded(term)) continue;
      const words = searchQueries.wordsStarting(term.text);
      expansions.set(term.text, words.length > maxExpansions ? undefined : words);
    }
    const all = matchExpression(query.terms, expansions, 'AND');
    let ranked = all ? searchQueries.candidates(all) : [];
    let matchedAll = true;
    const any = query.terms.length > 1 ? matchExpression(query.terms, expansions, 'OR') : undefined;
    if (ranked.length === 0 && any) {
      ranked = searchQueries.candidates(any);
      matchedAll = false;
    }
    // bm25 is smaller for better matches; among equals the newer article first.
    ranked.sort((a, b) => a.score - b.score || b.id - a.id);
    return { terms: query.terms, ranked, matchedAll };
  }

  function rowsInRankOrder(ids: number[]): repo.SearchHitRow[] {
    const byId = new Map(searchQueries.hitsByIds(ids).map((row) => [row.id, row]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  function writeArticle(editor: User, id: number | undefined, input: ArticleInput) {
    const rendered = renderArticle(input.body);
    const now = clock.now();
    return db.transaction((tx) => {
      if (!repo.findSection(tx, input.sectionId)) throw new SectionMissingError(`section ${input.sectionId} does not exist`);
      const fields = { title: input.title, sectionId: input.sectionId, body: input.body, bodyHtml: rendered.html, bodyText: rendered.text, updatedById: editor.id, updatedAt: now };
      if (id === undefined) return repo.insertArticle(tx, { ...fields, status: 'draft', authorId: editor.id, createdAt: now });
      const article = repo.updateArticle(tx, id, fields);
      if (!article) throw new Error(`article ${id} does not exist`);
      if (article.status === 'published') repo.indexArticle(tx, article);
      return article;
    }, { behavior: 'immediate' });
  }

  return {
    // ------------------------------------------------------------ reading

    /** Every category with its sections, in their order: the /kb page, the agents' structure page, the section choice. */
    structure(): CategoryWithSections[] {
      const sections = repo.listSections(db);
      return repo.listCategories(db).map((category) => ({ category, sections: sections.filter((section) => section.categoryId === category.id) }));
    },

    /** What the /kb page lists: categories with the sections that have published articles; empty ones are left out. */
    readerStructure(): CategoryWithSections[] {
      const shown = repo.sectionsWithPublishedArticles(db);
      const sections = repo.listSections(db).filter((section) => shown.has(section.id));
      return repo.listCategories(db)
        .map((category) => ({ category, sections: sections.filter((section) => section.categoryId === category.id) }))
        .filter((entry) => entry.sections.length > 0);
    },

    categoryPage(categoryId: number) {
      const category = repo.findCategory(db, categoryId);
      if (!category) return undefined;
      const sections = repo.listSections(db, category.id);
      const first = repo.listFirstPublishedOfSections(db, sections.map((section) => section.id), articlesPerSectionOnCategoryPage + 1);
      return {
        category,
        sections: sections.map((section) => {
          const listed = first.filter((article) => article.sectionId === section.id);
          return { section, articles: listed.slice(0, articlesPerSectionOnCategoryPage), more: listed.length > articlesPerSectionOnCategoryPage };
        }),
      };
    },

    sectionPage(sectionId: number, after: repo.TitleCursor | undefined) {
      const found = repo.findSection(db, sectionId);
      if (!found) return undefined;
      const rows = repo.listPublishedInSection(db, sectionId, after, sectionPageSize + 1);
      const list = rows.slice(0, sectionPageSize);
      const last = list.at(-1);
      return { ...found, articles: list, next: rows.length > sectionPageSize && last ? { title: last.title, id: last.id } : undefined };
    },

    findArticle: (id: number) => articles.find(id),

    findCategory: (id: number) => repo.findCategory(db, id),
    findSection: (id: number) => repo.findSection(db, id),

    /** What an article page shows besides the article: the visible comments, their number, the votes. */
    articleExtras(articleId: number, voterKey: string | undefined) {
      return {
        comments: articlePages.comments(articleId),
        commentCount: articlePages.commentCount(articleId),
        votes: articlePages.votes(articleId),
        myVote: voterKey === undefined ? undefined : articlePages.vote(articleId, voterKey),
      };
    },

    /** Keyword search over published articles: ranked, paged, with marked titles and snippets. */
    search(text: string, page = 1): KbSearchResult {
      const matches = rankedMatches(text);
      if (!matches) return { searched: false, hits: [], total: 0, capped: false, matchedAll: true, page: 1, pageCount: 0 };
      const { terms, ranked, matchedAll } = matches;
      const pageCount = Math.ceil(ranked.length / searchPageSize);
      const shownPage = Math.min(Math.max(1, page), Math.max(1, pageCount));
      const ids = ranked.slice((shownPage - 1) * searchPageSize, shownPage * searchPageSize).map((candidate) => candidate.id);
      const hits = rowsInRankOrder(ids).map((row) => ({
        id: row.id,
        path: articlePath(row),
        title: row.title,
        titleMarked: markHits(row.title, terms),
        snippet: snippetOf(row.bodyText, terms),
        updatedAt: new Date(row.updatedAt),
        section: { name: row.sectionName, path: sectionPath({ id: row.sectionId, name: row.sectionName }) },
        category: { name: row.categoryName, path: categoryPath({ id: row.categoryId, name: row.categoryName }) },
      }));
      return { searched: true, hits, total: ranked.length, capped: ranked.length >= searchCandidateCap, matchedAll, page: shownPage, pageCount };
    },

    /** The few best articles for what someone types as the subject of the contact form: titles and links only. */
    suggest(text: string): Array<{ title: string; url: string; section: string }> {
      const matches = rankedMatches(text);
      if (!matches) return [];
      return rowsInRankOrder(matches.ranked.slice(0, suggestionCount).map((candidate) => candidate.id))
        .map((row) => ({ title: row.title, url: articlePath(row), section: row.sectionName }));
    },

    // ------------------------------------------------------------ articles (agents)

    listForAgents(query: { status?: 'draft' | 'published'; after?: repo.UpdatedCursor }) {
      const rows = repo.listArticlesForAgents(db, { ...query, limit: agentListPageSize + 1 });
      const list = rows.slice(0, agentListPageSize);
      const ids = list.map((row) => row.id);
      const votes = repo.voteCounts(db, ids);
      const comments = repo.countVisibleComments(db, ids);
      const last = list.at(-1);
      return {
        rows: list.map((row) => ({ ...row, votes: votes.get(row.id) ?? { yes: 0, no: 0 }, comments: comments.get(row.id) ?? 0 })),
        next: rows.length > agentListPageSize && last ? { updatedAt: last.updatedAt.getTime(), id: last.id } : undefined,
      };
    },

    /** Renders Markdown the way a saved article would show it, without saving anything. */
    preview: (body: string): string => renderArticle(body).html,

    /** A new article, always a draft first. Throws SectionMissingError if the section is gone. */
    createArticle: (author: User, input: ArticleInput) => writeArticle(author, undefined, input),

    /** Saves changes; a published article stays published and its search entry follows. */
    updateArticle: (editor: User, id: number, input: ArticleInput) => writeArticle(editor, id, input),

    publishArticle(editor: User, id: number): void {
      const now = clock.now();
      db.transaction((tx) => {
        const current = repo.findArticleRow(tx, id);
        if (!current || current.status === 'published') return;
        const article = repo.updateArticle(tx, id, { status: 'published', publishedAt: current.publishedAt ?? now, updatedAt: now, updatedById: editor.id });
        if (article) repo.indexArticle(tx, article);
      }, { behavior: 'immediate' });
    },

    unpublishArticle(editor: User, id: number): void {
      const now = clock.now();
      db.transaction((tx) => {
        const current = repo.findArticleRow(tx, id);
        if (!current || current.status === 'draft') return;
        repo.updateArticle(tx, id, { status: 'draft', updatedAt: now, updatedById: editor.id });
        repo.unindexArticle(tx, id);
      }, { behavior: 'immediate' });
    },

    /** Deletes the article with its votes and comments. */
    deleteArticle(id: number): void {
      db.transaction((tx) => {
        repo.unindexArticle(tx, id);
        repo.deleteArticle(tx, id);
      }, { behavior: 'immediate' });
    },

    // ------------------------------------------------------------ categories and sections (agents)

    createCategory(input: CategoryInput): KbCategory {
      const now = clock.now();
      return repo.insertCategory(db, { ...input, createdAt: now, updatedAt: now });
    },

    updateCategory(id: number, input: CategoryInput): void {
      repo.updateCategory(db, id, { ...input, updatedAt: clock.now() });
    },

    /** Only an empty category can go: its sections must be moved or deleted first. */
    deleteCategory(id: number): 'deleted' | 'not-empty' {
      return db.transaction((tx) => {
        if (repo.categoryHasSections(tx, id)) return 'not-empty' as const;
        repo.deleteCategory(tx, id);
        return 'deleted' as const;
      }, { behavior: 'immediate' });
    },

    createSection(input: SectionInput): KbSection | undefined {
      const now = clock.now();
      return db.transaction((tx) => {
        if (!repo.findCategory(tx, input.categoryId)) return undefined;
        return repo.insertSection(tx, { ...input, createdAt: now, updatedAt: now });
      }, { behavior: 'immediate' });
    },

    updateSection(id: number, input: SectionInput): boolean {
      return db.transaction((tx) => {
        if (!repo.findCategory(tx, input.categoryId)) return false;
        repo.updateSection(tx, id, { ...input, updatedAt: clock.now() });
        return true;
      }, { behavior: 'immediate' });
    },

    /** Only an empty section can go: its articles, drafts included, must be moved or deleted first. */
    deleteSection(id: number): 'deleted' | 'not-empty' {
      return db.transaction((tx) => {
        if (repo.sectionHasArticles(tx, id)) return 'not-empty' as const;
        repo.deleteSection(tx, id);
        return 'deleted' as const;
      }, { behavior: 'immediate' });
    },

    // ------------------------------------------------------------ votes

    /** Records (or changes) this voter's vote on a published article; false if there is no such article. */
    vote(articleId: number, voterKey: string, helpful: boolean): boolean {
      return db.transaction((tx) => {
        const article = repo.findArticleRow(tx, articleId);
        if (!article || article.status !== 'published') return false;
        repo.upsertVote(tx, { articleId, voterKey, helpful, at: clock.now() });
        return true;
      }, { behavior: 'immediate' });
    },

    // ------------------------------------------------------------ comments

    /** A reader's comment on a published article, unless they wrote too many in a short time. */
    addComment(author: User, articleId: number, body: string): 'added' | 'rate-limited' | 'not-found' {
      const now = clock.now();
      return db.transaction((tx) => {
        const article = repo.findArticleRow(tx, articleId);
        if (!article || !canComment(author, article)) return 'not-found' as const;
        const recent = repo.countCommentsAfter(tx, author.id, new Date(now.getTime() - commentRateLimit.windowMs));
        if (isCommentRateLimited(author, recent)) return 'rate-limited' as const;
        repo.insertComment(tx, { articleId, authorId: author.id, body, createdAt: now });
        return 'added' as const;
      }, { behavior: 'immediate' });
    },

    findComment: (id: number) => repo.findComment(db, id),

    /** The team's answer, shown under the comment; an answer to an answer goes under the comment it answers. */
    answerComment(agent: User, commentId: number, body: string): boolean {
      return db.transaction((tx) => {
        const comment = repo.findComment(tx, commentId);
        if (!comment) return false;
        repo.insertComment(tx, { articleId: comment.articleId, authorId: agent.id, replyToId: comment.replyToId ?? comment.id, body, createdAt: clock.now() });
        return true;
      }, { behavior: 'immediate' });
    },

    setCommentHidden(agent: User, commentId: number, hidden: boolean): void {
      repo.setCommentHidden(db, commentId, hidden ? { at: clock.now(), byId: agent.id } : undefined);
    },

    /** Deletes the comment and the answers to it. */
    deleteComment(commentId: number): void {
      repo.deleteComment(db, commentId);
    },

    /** The moderation list: comments newest first (hidden ones too), each with its answers. */
    moderationPage(query: { articleId?: number; after?: repo.CommentCursor }) {
      const rows = repo.listCommentsForModeration(db, { ...query, limit: moderationPageSize + 1 });
      const list = rows.slice(0, moderationPageSize);
      const answers = repo.listAnswers(db, list.map((row) => row.id));
      const last = list.at(-1);
      return {
        comments: list.map((row) => ({ ...row, answers: answers.filter((answer) => answer.replyToId === row.id) })),
        next: rows.length > moderationPageSize && last ? { createdAt: last.createdAt.getTime(), id: last.id } : undefined,
      };
    },
  };
}
