// The agents' to-do lists: their names, who may see them, and which requests each holds.
import type { UserRole } from '../../db/schema.js';

export const agentViews = [
  { key: 'nicht-zugewiesen', label: 'Nicht zugewiesen', leadOnly: false },
  { key: 'meine', label: 'Meine offenen Anfragen', leadOnly: false },
  { key: 'alle-offenen', label: 'Alle offenen', leadOnly: false },
  { key: 'wartet', label: 'Wartet auf Kunde', leadOnly: false },
  { key: 'wartestellung', label: 'In Wartestellung', leadOnly: false },
  { key: 'kuerzlich-geloest', label: 'Kürzlich gelöst', leadOnly: false },
  { key: 'zu-pruefen', label: 'Vom Kunden gelöst – zu prüfen', leadOnly: true },
  { key: 'spam', label: 'Spam', leadOnly: false },
] as const;

export type AgentViewKey = (typeof agentViews)[number]['key'];

export function isAgentViewKey(key: string): key is AgentViewKey {
  return agentViews.some((view) => view.key === key);
}

export function canSeeView(role: UserRole, key: AgentViewKey): boolean {
  const view = agentViews.find((candidate) => candidate.key === key);
  if (!view) return false;
  return !view.leadOnly || role === 'lead' || role === 'admin';
}

/** A count shown in the navigation: exact up to 99, then "99+". */
export const viewCountCap = 100;
export function formatViewCount(count: number): string {
  return count >= viewCountCap ? '99+' : String(count);
}
