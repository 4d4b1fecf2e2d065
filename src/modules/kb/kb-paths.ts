// The Wissensdatenbank's clean URLs: /kb/articles/<id>-<slug>, the slug only for people, the id for the portal.
import { slugify } from './kb-fold.js';

function withSlug(prefix: string, id: number, name: string, fallback: string): string {
  return `${prefix}/${id}-${slugify(name) || fallback}`;
}

export const articlePath = (article: { id: number; title: string }) => withSlug('/kb/articles', article.id, article.title, 'artikel');
export const sectionPath = (section: { id: number; name: string }) => withSlug('/kb/sections', section.id, section.name, 'abschnitt');
export const categoryPath = (category: { id: number; name: string }) => withSlug('/kb/categories', category.id, category.name, 'kategorie');

/** The id of an "<id>-<slug>" path segment, whatever the slug says; undefined if it does not start with one. */
export function idOfPathSegment(segment: string): number | undefined {
  const match = /^(\d{1,12})(?:-|$)/.exec(segment);
  return match ? Number(match[1]) : undefined;
}
