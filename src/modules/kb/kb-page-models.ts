// Builds the models of the Wissensdatenbank pages (readers' and agents') from what the service returns.
import type { User } from '../../db/schema.js';
import type { FieldErrors } from '../../lib/forms.js';
import { plainTextToHtml } from '../../lib/plain-text.js';
import type { Settings } from '../settings/settings-schema.js';
import { isStaff } from '../tickets/ticket-access.js';
import { firstName } from '../tickets/ticket-views.js';
import { canComment, canManageKnowledgeBase } from './kb-access.js';
import { articlePath, categoryPath, sectionPath } from './kb-paths.js';
import type { ArticleWithPlace } from './kb-repository.js';
import type { KbService } from './kb-service.js';

export type Breadcrumb = { label: string; href?: string };

export function breadcrumbsOf(place: { category?: { id: number; name: string }; section?: { id: number; name: string } }): Breadcrumb[] {
  const crumbs: Breadcrumb[] = [{ label: 'Wissensdatenbank', href: '/kb' }];
  if (place.category) crumbs.push({ label: place.category.name, href: categoryPath(place.category) });
  if (place.section) crumbs.push({ label: place.section.name, href: sectionPath(place.section) });
  return crumbs;
}

/** Readers see a customer's first name only, and the team as "Anna vom Servicecenter". */
export function commentAuthorLabel(author: { name: string; role: string }, settings: Settings): string {
  const first = firstName(author.name) || 'Kunde';
  return isStaff({ role: author.role as User['role'] }) ? `${first} vom ${settings.teamName}` : first;
}

/** "0 Kommentare", "1 Kommentar", "12 Kommentare". */
export function commentCountLabel(count: number): string {
  return `${count.toLocaleString('de-DE')} ${count === 1 ? 'Kommentar' : 'Kommentare'}`;
}

type Extras = ReturnType<KbService['articleExtras']>;

export type ArticlePageState = { errors?: FieldErrors; input?: Record<string, string>; notice?: string };

export function articlePageModel(found: ArticleWithPlace, extras: Extras, viewer: User | undefined, settings: Settings, state: ArticlePageState = {}) {
  const { article } = found;
  const path = articlePath(article);
  const byId = new Map<number, CommentView>();
  const threads: CommentView[] = [];
  for (const comment of extras.comments) {
    const model = commentModel(comment, settings);
    if (comment.replyToId === null) {
      byId.set(comment.id, model);
      threads.push(model);
    } else {
      byId.get(comment.replyToId)?.answers.push(model);
    }
  }
  const staff = canManageKnowledgeBase(viewer);
  return {
    title: article.title,
    breadcrumbs: breadcrumbsOf(found),
    article: {
      id: article.id,
      title: article.title,
      path,
      draft: article.status === 'draft',
      updatedAt: article.updatedAt,
      authorLabel: found.authorName ? `${firstName(found.authorName)} vom ${settings.teamName}` : settings.teamName,
    },
    articleBodyHtml: article.bodyHtml,
    threads,
    commentCountLabel: commentCountLabel(extras.commentCount),
    myVote: extras.myVote === undefined ? undefined : extras.myVote ? 'ja' : 'nein',
    votes: staff ? extras.votes : undefined,
    canComment: canComment(viewer, article),
    loginHref: `/login?next=${encodeURIComponent(path)}`,
    agentHref: staff ? `/agent/kb/articles/${article.id}` : undefined,
    errors: state.errors ?? {},
    input: state.input ?? {},
    notice: state.notice,
  };
}

export type CommentView = { id: number; author: string; fromStaff: boolean; createdAt: Date; bodyHtml: string; answers: CommentView[] };

function commentModel(comment: Extras['comments'][number], settings: Settings): CommentView {
  return {
    id: comment.id,
    author: commentAuthorLabel({ name: comment.authorName, role: comment.authorRole }, settings),
    fromStaff: isStaff({ role: comment.authorRole }),
    createdAt: comment.createdAt,
    bodyHtml: plainTextToHtml(comment.body),
    answers: [],
  };
}
