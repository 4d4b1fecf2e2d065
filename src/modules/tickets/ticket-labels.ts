// What customers and agents read for each status, and the status filters of "Meine Aktivitäten".
import type { TicketChannel, TicketStatus } from '../../db/schema.js';

export const customerStatusFilters = {
  offen: { label: 'Offen', statuses: ['new', 'open', 'on_hold'] },
  wartet: { label: 'Wartet auf Ihre Antwort', statuses: ['pending'] },
  geloest: { label: 'Gelöst', statuses: ['solved', 'closed'] },
} as const satisfies Record<string, { label: string; statuses: readonly TicketStatus[] }>;

export type CustomerStatusFilter = keyof typeof customerStatusFilters;

export function customerStatusFilterOf(status: TicketStatus): CustomerStatusFilter {
  if (status === 'pending') return 'wartet';
  if (status === 'solved' || status === 'closed') return 'geloest';
  return 'offen';
}

export function customerStatusLabel(status: TicketStatus): string {
  return customerStatusFilters[customerStatusFilterOf(status)].label;
}

export const agentStatusLabels: Record<TicketStatus, string> = {
  new: 'Neu', open: 'Offen', pending: 'Wartet auf Kunde', on_hold: 'In Wartestellung', solved: 'Gelöst', closed: 'Geschlossen',
};

export const channelLabels: Record<TicketChannel, string> = { web: 'Kontaktformular', email: 'E-Mail', phone: 'Telefon', letter: 'Brief' };
