// SQL for the Wissensdatenbank: categories, sections, articles, the search index, votes and comments.
import { and, asc, count, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { Db, DbOrTx } from '../../db/client.js';
import { limitText, literalLimit } from '../../db/literal-limit.js';
import {
  type KbArticle, type KbArticleStatus, type KbCategory, type KbComment, type KbSection, kbArticles, kbCategories, kbComments,
  kbSections, kbVotes, users,
} from '../../db/schema.js';
import { foldForSearch } from './kb-fold.js';
import { wordsOf } from './kb-query.js';

const author = alias(users, 'author');
const editor = alias(users, 'editor');

// ---------------------------------------------------------------- categories and sections

export function listCategories(db: DbOrTx): KbCategory[] {
  return db.select().from(kbCategories).orderBy(asc(kbCategories.position), asc(kbCategories.id)).all();
}

export function listSections(db: DbOrTx, categoryId?: number): KbSection[] {
  return db.select().from(kbSections)
    .where(categoryId === undefined ? undefined : eq(kbSections.categoryId, categoryId))
    .orderBy(asc(kbSections.categoryId), asc(kbSections.position), asc(kbSections.id))
    .all();
}

export function findCategory(db: DbOrTx, id: number): KbCategory | undefined {
  return db.select().from(kbCategories).where(eq(kbCategories.id, id)).get();
}

export function findSection(db: DbOrTx, id: number) {
  return db.select({ section: kbSections, category: kbCategories })
    .from(kbSections)
    .innerJoin(kbCategories, eq(kbCategories.id, kbSections.categoryId))
    .where(eq(kbSections.id, id))
    .get();
}

export function insertCategory(db: DbOrTx, category: typeof kbCategories.$inferInsert): KbCategory {
  return db.insert(kbCategories).values(category).returning().get();
}

export function updateCategory(db: DbOrTx, id: number, changes: Partial<typeof kbCategories.$inferInsert>): void {
  db.update(kbCategories).set(changes).where(eq(kbCategories.id, id)).run();
}

export function deleteCategory(db: DbOrTx, id: number): void {
  db.delete(kbCategories).where(eq(kbCategories.id, id)).run();
}

export function categoryHasSections(db: DbOrTx, categoryId: number): boolean {
  return db.select({ id: kbSections.id }).from(kbSections).where(eq(kbSections.categoryId, categoryId)).limit(1).get() !== undefined;
}

export function insertSection(db: DbOrTx, section: typeof kbSections.$inferInsert): KbSection {
  return db.insert(kbSections).values(section).returning().get();
}

export function updateSection(db: DbOrTx, id: number, changes: Partial<typeof kbSections.$inferInsert>): void {
  db.update(kbSections).set(changes).where(eq(kbSections.id, id)).run();
}

export function deleteSection(db: DbOrTx, id: number): void {
  db.delete(kbSections).where(eq(kbSections.id, id)).run();
}

/** The sections that readers see: those with at least one published article (one index seek per section). */
export function sectionsWithPublishedArticles(db: DbOrTx): Set<number> {
  const rows = db.select({ id: kbSections.id }).from(kbSections)
    .where(sql`exists (select 1 from ${kbArticles} where ${kbArticles.sectionId} = ${kbSections.id} and ${kbArticles.status} = 'published')`)
    .all();
  return new Set(rows.map((row) => row.id));
}

export function sectionHasArticles(db: DbOrTx, sectionId: number): boolean {
  return db.select({ id: kbArticles.id }).from(kbArticles).where(eq(kbArticles.sectionId, sectionId)).limit(1).get() !== undefined;
}

// ---------------------------------------------------------------- articles

export function insertArticle(db: DbOrTx, article: typeof kbArticles.$inferInsert): KbArticle {
  return db.insert(kbArticles).values(article).returning().get();
}

export function updateArticle(db: DbOrTx, id: number, changes: Partial<typeof kbArticles.$inferInsert>): KbArticle | undefined {
  return db.update(kbArticles).set(changes).where(eq(kbArticles.id, id)).returning().get();
}

export function deleteArticle(db: DbOrTx, id: number): void {
  db.delete(kbArticles).where(eq(kbArticles.id, id)).run();
}

export function findArticleRow(db: DbOrTx, id: number): KbArticle | undefined {
  return db.select().from(kbArticles).where(eq(kbArticles.id, id)).get();
}

/** One article with where it stands (section, category) and who wrote and last changed it. */
export function prepareArticleQueries(db: Db) {
  const byId = db
    .select({
      article: kbArticles,
      section: { id: kbSections.id, name: kbSections.name },
      category: { id: kbCategories.id, name: kbCategories.name },
      authorName: author.name,
      editorName: editor.name,
    })
    .from(kbArticles)
    .innerJoin(kbSections, eq(kbSections.id, kbArticles.sectionId))
    .innerJoin(kbCategories, eq(kbCategories.id, kbSections.categoryId))
    .leftJoin(author, eq(author.id, kbArticles.authorId))
    .leftJoin(editor, eq(editor.id, kbArticles.updatedById))
    .where(eq(kbArticles.id, sql.placeholder('id')))
    .prepare();
  return { find: (id: number) => byId.get({ id }) };
}

export type ArticleWithPlace = NonNullable<ReturnType<ReturnType<typeof prepareArticleQueries>['find']>>;

export type TitleCursor = { title: string; id: number };

/** A section's published articles by title, served by kb_articles_section_idx. */
export function listPublishedInSection(db: DbOrTx, sectionId: number, after: TitleCursor | undefined, limit: number) {
  const conditions = [eq(kbArticles.sectionId, sectionId), eq(kbArticles.status, 'published')];
  if (after) conditions.push(sql`(${kbArticles.title}, ${kbArticles.id}) > (${after.title}, ${after.id})`);
  return db.select({ id: kbArticles.id, title: kbArticles.title, updatedAt: kbArticles.updatedAt })
    .from(kbArticles)
    .where(and(...conditions))
    .orderBy(asc(kbArticles.title), asc(kbArticles.id))
    .limit(limit)
    .all();
}

/**
 * The first `perSection` published articles (by title) of each of these sections, in one statement: one short range
 * of kb_articles_section_idx per section, however many articles a section has.
 */
export function listFirstPublishedOfSections(db: DbOrTx, sectionIds: number[], perSection: number) {
  if (sectionIds.length === 0) return [];
  const parts = sectionIds.map((sectionId) => sql`SELECT * FROM (
    SELECT id, title, section_id AS sectionId FROM ${kbArticles}
    WHERE section_id = ${sectionId} AND status = 'published' ORDER BY title, id LIMIT ${perSection})`);
  return db.all<{ id: number; title: string; sectionId: number }>(sql.join(parts, sql` UNION ALL `));
}

export type UpdatedCursor = { updatedAt: number; id: number };

/** The agents' list: newest change first, optionally one status, served by the (status,) updated_at indexes. */
export function listArticlesForAgents(db: DbOrTx, query: { status?: KbArticleStatus; after?: UpdatedCursor; limit: number }) {
  const conditions: SQL[] = [];
  if (query.status) conditions.push(eq(kbArticles.status, query.status));
  if (query.after) {
    const at = sql.param(new Date(query.after.updatedAt), kbArticles.updatedAt);
    conditions.push(sql`(${kbArticles.updatedAt}, ${kbArticles.id}) < (${at}, ${query.after.id})`);
  }
  return db
    .select({
      id: kbArticles.id, title: kbArticles.title, status: kbArticles.status, updatedAt: kbArticles.updatedAt,
      sectionName: kbSections.name, categoryName: kbCategories.name, editorName: editor.name,
    })
    .from(kbArticles)
    .innerJoin(kbSections, eq(kbSections.id, kbArticles.sectionId))
    .innerJoin(kbCategories, eq(kbCategories.id, kbSections.categoryId))
    .leftJoin(editor, eq(editor.id, kbArticles.updatedById))
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(kbArticles.updatedAt), desc(kbArticles.id))
    .limit(query.limit)
    .all();
}

// ---------------------------------------------------------------- the search index

/**
 * Puts a published article into kb_search (or replaces it there), folded as every query is, and its words into
 * kb_search_terms. Words are never taken out of kb_search_terms: a word no article has any more matches nothing.
 */
export function indexArticle(db: DbOrTx, article: { id: number; title: string; bodyText: string }): void {
  unindexArticle(db, article.id);
  const title = foldForSearch(article.title);
  const body = foldForSearch(article.bodyText);
  db.run(sql`INSERT INTO kb_search (rowid, title, body) VALUES (${article.id}, ${title}, ${body})`);
  const words = [...new Set([...wordsOf(title), ...wordsOf(body)])];
  db.run(sql`INSERT OR IGNORE INTO kb_search_terms (term) SELECT value FROM json_each(${JSON.stringify(words)})`);
}

export function unindexArticle(db: DbOrTx, articleId: number): void {
  db.run(sql`DELETE FROM kb_search WHERE rowid = ${articleId}`);
}

/** Title hits weigh this much more than hits in the text. */
export const titleWeight = 10;

export type SearchCandidate = { id: number; score: number };

export type SearchHitRow = {
  id: number; title: string; bodyText: string; updatedAt: number;
  sectionId: number; sectionName: string; categoryId: number; categoryName: string;
};

/** How many rows the search reads at most: candidate articles, and indexed words per typed prefix. */
export type SearchLimits = { candidates: number; wordsPerPrefix: number };

export function prepareSearchQueries(db: Db, limits: SearchLimits) {
  // The newest matches up to the limit, read in rowid order straight from the index: no ranking, no sort over every match.
  // bm25() runs for these rows only; a word that occurs in every article costs no more than a rare one.
  const candidates = db.$client.prepare<[string], SearchCandidate>(`
    SELECT rowid AS id, bm25(kb_search, ${titleWeight}.0, 1.0) AS score
    FROM kb_search WHERE kb_search MATCH ?
    ORDER BY rowid DESC LIMIT ${limitText(limits.candidates)}`);
  const hits = db.$client.prepare<[string], SearchHitRow>(`
    SELECT a.id, a.title, substr(a.body_text, 1, 20000) AS bodyText, a.updated_at AS updatedAt,
           s.id AS sectionId, s.name AS sectionName, c.id AS categoryId, c.name AS categoryName
    FROM kb_articles a
    JOIN kb_sections s ON s.id = a.section_id
    JOIN kb_categories c ON c.id = s.category_id
    WHERE a.id IN (SELECT value FROM json_each(?)) AND +a.status = 'published'`); // the + keeps SQLite on the ids, off the status index
  const wordsStarting = db.$client.prepare<[string, string], string>(
    `SELECT term FROM kb_search_terms WHERE term >= ? AND term < ? ORDER BY term LIMIT ${limitText(limits.wordsPerPrefix)}`).pluck();
  return {
    candidates: (match: string): SearchCandidate[] => candidates.all(match),
    /** The indexed words that start with this prefix (a b-tree range, no FTS5 work). */
    wordsStarting: (prefix: string): string[] => wordsStarting.all(prefix, `${prefix}\u{10FFFF}`),
    /** The rows of these articles, in no particular order. */
    hitsByIds: (ids: number[]): SearchHitRow[] => (ids.length ? hits.all(JSON.stringify(ids)) : []),
  };
}

// ---------------------------------------------------------------- votes

export function upsertVote(db: DbOrTx, vote: { articleId: number; voterKey: string; helpful: boolean; at: Date }): void {
  db.insert(kbVotes)
    .values({ articleId: vote.articleId, voterKey: vote.voterKey, helpful: vote.helpful, createdAt: vote.at, updatedAt: vote.at })
    .onConflictDoUpdate({ target: [kbVotes.articleId, kbVotes.voterKey], set: { helpful: vote.helpful, updatedAt: vote.at } })
    .run();
}

export type VoteCounts = { yes: number; no: number };

/** Yes and no per article, read from kb_votes_article_helpful_idx alone. */
export function voteCounts(db: DbOrTx, articleIds: number[]): Map<number, VoteCounts> {
  const counts = new Map<number, VoteCounts>();
  if (articleIds.length === 0) return counts;
  const rows = db.select({ articleId: kbVotes.articleId, helpful: kbVotes.helpful, votes: count() })
    .from(kbVotes)
    .where(inArray(kbVotes.articleId, articleIds))
    .groupBy(kbVotes.articleId, kbVotes.helpful)
    .all();
  for (const row of rows) {
    const entry = counts.get(row.articleId) ?? { yes: 0, no: 0 };
    if (row.helpful) entry.yes = row.votes;
    else entry.no = row.votes;
    counts.set(row.articleId, entry);
  }
  return counts;
}

// ---------------------------------------------------------------- comments

const commentAuthor = alias(users, 'comment_author');
const parent = alias(kbComments, 'parent');

export function insertComment(db: DbOrTx, comment: typeof kbComments.$inferInsert): KbComment {
  return db.insert(kbComments).values(comment).returning().get();
}

export function findComment(db: DbOrTx, id: number): KbComment | undefined {
  return db.select().from(kbComments).where(eq(kbComments.id, id)).get();
}

export function setCommentHidden(db: DbOrTx, id: number, hidden: { at: Date; byId: number } | undefined): void {
  db.update(kbComments).set({ hiddenAt: hidden?.at ?? null, hiddenById: hidden?.byId ?? null }).where(eq(kbComments.id, id)).run();
}

/** Deletes the comment; the answers to it go with it (ON DELETE CASCADE). */
export function deleteComment(db: DbOrTx, id: number): void {
  db.delete(kbComments).where(eq(kbComments.id, id)).run();
}

/** How many comments this person wrote after that moment, from kb_comments_author_idx. */
export function countCommentsAfter(db: DbOrTx, authorId: number, after: Date): number {
  return db.select({ comments: count() }).from(kbComments)
    .where(and(eq(kbComments.authorId, authorId), sql`${kbComments.createdAt} > ${sql.param(after, kbComments.createdAt)}`))
    .get()?.comments ?? 0;
}

const visibleWithParent = sql`${kbComments.hiddenAt} is null and (${kbComments.replyToId} is null or ${parent.hiddenAt} is null)`;

/** What an article page reads besides the article, prepared once: the newest visible comments, their number, votes. */
export function prepareArticlePageQueries(db: Db, commentsShown: number) {
  const articleId = sql.placeholder('articleId');
  const comments = db
    .select({
      id: kbComments.id, replyToId: kbComments.replyToId, body: kbComments.body, createdAt: kbComments.createdAt,
      authorName: commentAuthor.name, authorRole: commentAuthor.role,
    })
    .from(kbComments)
    .innerJoin(commentAuthor, eq(commentAuthor.id, kbComments.authorId))
    .leftJoin(parent, eq(parent.id, kbComments.replyToId))
    .where(and(eq(kbComments.articleId, articleId), visibleWithParent))
    .orderBy(desc(kbComments.createdAt), desc(kbComments.id))
    .limit(literalLimit(commentsShown))
    .prepare();
  const commentCount = db.select({ comments: count() })
    .from(kbComments)
    .leftJoin(parent, eq(parent.id, kbComments.replyToId))
    .where(and(eq(kbComments.articleId, articleId), visibleWithParent))
    .prepare();
  const votes = db.select({ helpful: kbVotes.helpful, votes: count() })
    .from(kbVotes).where(eq(kbVotes.articleId, articleId)).groupBy(kbVotes.helpful).prepare();
  const vote = db.select({ helpful: kbVotes.helpful }).from(kbVotes)
    .where(and(eq(kbVotes.articleId, articleId), eq(kbVotes.voterKey, sql.placeholder('voterKey')))).prepare();
  return {
    /** The newest visible comments (an answer to a hidden comment is hidden with it), oldest first. */
    comments: (id: number) => comments.all({ articleId: id }).reverse(),
    commentCount: (id: number): number => commentCount.get({ articleId: id })?.comments ?? 0,
    votes(id: number): VoteCounts {
      const rows = votes.all({ articleId: id });
      return { yes: rows.find((row) => row.helpful)?.votes ?? 0, no: rows.find((row) => !row.helpful)?.votes ?? 0 };
    },
    vote: (id: number, voterKey: string): boolean | undefined => vote.get({ articleId: id, voterKey })?.helpful,
  };
}

export function countVisibleComments(db: DbOrTx, articleIds: number[]): Map<number, number> {
  const counts = new Map<number, number>();
  if (articleIds.length === 0) return counts;
  const rows = db.select({ articleId: kbComments.articleId, comments: count() })
    .from(kbComments)
    .leftJoin(parent, eq(parent.id, kbComments.replyToId))
    .where(and(inArray(kbComments.articleId, articleIds), visibleWithParent))
    .groupBy(kbComments.articleId)
    .all();
  for (const row of rows) counts.set(row.articleId, row.comments);
  return counts;
}

export type CommentCursor = { createdAt: number; id: number };

/** The moderation list: every comment (hidden ones too), newest first, with its article and author. */
export function listCommentsForModeration(db: DbOrTx, query: { articleId?: number; after?: CommentCursor; limit: number }) {
  // The + keeps SQLite from reading every top-level comment through kb_comments_reply_to_idx and sorting them.
  const conditions: SQL[] = [sql`+${kbComments.replyToId} is null`];
  if (query.articleId !== undefined) conditions.push(eq(kbComments.articleId, query.articleId));
  if (query.after) {
    const at = sql.param(new Date(query.after.createdAt), kbComments.createdAt);
    conditions.push(sql`(${kbComments.createdAt}, ${kbComments.id}) < (${at}, ${query.after.id})`);
  }
  return db
    .select({
      id: kbComments.id, body: kbComments.body, createdAt: kbComments.createdAt, hiddenAt: kbComments.hiddenAt,
      articleId: kbArticles.id, articleTitle: kbArticles.title,
      authorName: commentAuthor.name, authorEmail: commentAuthor.email, authorRole: commentAuthor.role,
    })
    .from(kbComments)
    .innerJoin(kbArticles, eq(kbArticles.id, kbComments.articleId))
    .innerJoin(commentAuthor, eq(commentAuthor.id, kbComments.authorId))
    .where(and(...conditions))
    .orderBy(desc(kbComments.createdAt), desc(kbComments.id))
    .limit(query.limit)
    .all();
}

/** The answers to these comments, oldest first. */
export function listAnswers(db: DbOrTx, commentIds: number[]) {
  if (commentIds.length === 0) return [];
  return db
    .select({
      id: kbComments.id, replyToId: kbComments.replyToId, body: kbComments.body, createdAt: kbComments.createdAt,
      hiddenAt: kbComments.hiddenAt, authorName: commentAuthor.name, authorRole: commentAuthor.role,
    })
    .from(kbComments)
    .innerJoin(commentAuthor, eq(commentAuthor.id, kbComments.authorId))
    .where(inArray(kbComments.replyToId, commentIds))
    .orderBy(asc(kbComments.createdAt), asc(kbComments.id))
    .all();
}
