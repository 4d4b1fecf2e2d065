// Builds the models of the agent pages from what the agent service returns.
import type { User } from '../../db/schema.js';
import type { Settings } from '../settings/settings-schema.js';
import { priorityLabels, statusAfterReplyLabels } from './agent-forms.js';
import type { ViewRow } from './agent-repository.js';
import type { AgentTicketsService } from './agent-tickets-service.js';
import { agentStatusLabels, channelLabels } from './ticket-labels.js';
import { authorLabel } from './ticket-views.js';

type FoundForAgent = NonNullable<ReturnType<AgentTicketsService['findForAgent']>>;

export function agentViewRows(rows: ViewRow[]) {
  return rows.map((row) => ({
    ...row,
    statusLabel: agentStatusLabels[row.status],
    priorityLabel: priorityLabels[row.priority],
    customerWroteLast: row.lastPublicBy === 'customer',
  }));
}

const eventDescriptions: Record<string, (from: string | null, to: string | null) => string> = {
  created: () => 'hat die Anfrage angelegt',
  status: (from, to) => `Status: ${label(from)} → ${label(to)}`,
  assignee: (from, to) => (to ? `zugewiesen an ${to}${from ? ` (vorher ${from})` : ''}` : `Zuweisung entfernt${from ? ` (vorher ${from})` : ''}`),
  priority: (from, to) => `Priorität: ${priorityLabels[from as 'normal'] ?? from} → ${priorityLabels[to as 'normal'] ?? to}`,
  spam: (_from, to) => (to === 'yes' ? 'als Spam markiert' : 'Spam-Markierung aufgehoben'),
  review: (_from, to) => (to === 'reviewed' ? 'als geprüft markiert' : 'nach Prüfung wieder geöffnet'),
  follow_up: (_from, to) => `Folgeanfrage #${to} erstellt`,
};

function label(status: string | null): string {
  return status ? (agentStatusLabels[status as 'new'] ?? status) : '–';
}

export function agentRequestModel(
  found: FoundForAgent,
  user: User,
  settings: Settings,
  extra: {
    notice?: string; errors?: Record<string, string>; input?: Record<string, string>; collision?: number[];
    latestMessageId: number; cannedReplies: Array<{ id: number; title: string }>;
    priorityOptions: Array<{ key: string; label: string }>; statusOptions: Array<{ key: string; label: string }>;
  },
) {
  const { ticket, requester } = found;
  const collision = new Set(extra.collision ?? []);
  const canReview = (user.role === 'lead' || user.role === 'admin') && ticket.solvedByCustomer && !ticket.reviewedAt;
  return {
    title: `#${ticket.id} ${ticket.subject}`,
    ticket: {
      ...ticket,
      statusLabel: agentStatusLabels[ticket.status],
      priorityLabel: priorityLabels[ticket.priority],
      channelLabel: channelLabels[ticket.channel],
      assigneeName: found.assigneeName,
      closed: ticket.status === 'closed',
      spam: ticket.spamAt !== null,
    },
    requester: { id: requester.id, name: requester.name, email: requester.email, hasPassword: requester.passwordHash !== null },
    messages: found.messages.map((message) => ({
      ...message,
      author: message.authorRole && message.authorRole !== 'customer' ? (message.authorName ?? '') : authorLabel({ name: message.authorName, role: message.authorRole }, settings),
      internal: message.visibility === 'internal',
      isNew: collision.has(message.id),
      undeliverable: found.failedMails.filter((mail) => mail.ticketMessageId === message.id),
    })),
    events: found.events.map((event) => ({
      ...event,
      description: (eventDescriptions[event.kind] ?? (() => event.kind))(event.fromValue, event.toValue),
    })),
    otherRequests: found.otherRequests.map((other) => ({ ...other, statusLabel: agentStatusLabels[other.status] })),
    team: found.team,
    failedMailsWithoutMessage: found.failedMails.filter((mail) => mail.ticketMessageId === null),
    canReview,
    reviewFlag: canReview && ticket.solvedWithQuestion,
    latestMessageId: extra.latestMessageId,
    cannedReplies: extra.cannedReplies,
    priorityOptions: extra.priorityOptions,
    statusOptions: extra.statusOptions,
    defaultStatus: extra.input?.status ?? 'pending',
    defaultVisibility: extra.input?.visibility ?? 'public',
    statusAfterReplyLabels,
    notice: extra.notice,
    errors: extra.errors ?? {},
    input: extra.input ?? {},
  };
}
