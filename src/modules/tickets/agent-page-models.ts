// Builds the models of the agent pages from what the agent service returns.
import type { User } from '../../db/schema.js';
import type { Settings } from '../settings/settings-schema.js';
import type { uploadFieldModel } from '../attachments/attachments-service.js';
import { ratingLabels } from '../ratings/ratings-service.js';
import { priorityLabels, statusAfterReplyLabels } from './agent-forms.js';
import type { ViewRow } from './agent-repository.js';
import type { AgentTicketsService } from './agent-tickets-service.js';
import { agentStatusLabels, channelLabels } from './ticket-labels.js';
import { authorLabel, filesByMessage } from './ticket-views.js';

type FoundForAgent = NonNullable<ReturnType<AgentTicketsService['findForAgent']>>;

/** What a view's table shows of each row, named one by one: copying every column with a spread took 6% of the page in a profile. */
export function agentViewRows(rows: ViewRow[], now?: Date) {
  return rows.map((row) => ({
    id: row.id,
    subject: row.subject,
    lastActivityAt: row.lastActivityAt,
    replyDueAt: row.replyDueAt,
    requesterName: row.requesterName,
    requesterEmail: row.requesterEmail,
    assigneeName: row.assigneeName,
    solvedWithQuestion: row.solvedWithQuestion,
    statusLabel: agentStatusLabels[row.status],
    priorityLabel: priorityLabels[row.priority],
    customerWroteLast: row.lastPublicBy === 'customer',
    overdue: now !== undefined && row.replyDueAt !== null && row.replyDueAt < now,
  }));
}

/** First and next response as agents read them: when due, whether late, and when the first answer went out. */
function responseTimes(found: FoundForAgent, now: Date) {
  const { ticket } = found;
  const firstAnswer = found.messages.find((message) => message.visibility === 'public' && message.authorRole !== null && message.authorRole !== 'customer');
  const first = ticket.firstResponseDueAt
    ? firstAnswer
      ? { answeredAt: firstAnswer.createdAt, late: firstAnswer.createdAt > ticket.firstResponseDueAt, dueAt: ticket.firstResponseDueAt }
      : { dueAt: ticket.firstResponseDueAt, overdue: ticket.replyDueAt !== null && ticket.firstResponseDueAt < now }
    : undefined;
  const next = firstAnswer && ticket.replyDueAt ? { dueAt: ticket.replyDueAt, overdue: ticket.replyDueAt < now } : undefined;
  return { first, next };
}

const eventDescriptions: Record<string, (from: string | null, to: string | null) => string> = {
  created: () => 'hat die Anfrage angelegt',
  status: (from, to) => `Status: ${label(from)} → ${label(to)}`,
  assignee: (from, to) => (to ? `zugewiesen an ${to}${from ? ` (vorher ${from})` : ''}` : `Zuweisung entfernt${from ? ` (vorher ${from})` : ''}`),
  priority: (from, to) => `Priorität: ${priorityLabels[from as 'normal'] ?? from} → ${priorityLabels[to as 'normal'] ?? to}`,
  spam: (_from, to) => (to === 'yes' ? 'als Spam markiert' : 'Spam-Markierung aufgehoben'),
  review: (_from, to) => (to === 'reviewed' ? 'als geprüft markiert' : 'nach Prüfung wieder geöffnet'),
  follow_up: (_from, to) => `Folgeanfrage #${to} erstellt`,
  rating: (from, to) => `Bewertung: ${ratingLabels[to as 'good'] ?? to}${from ? ` (vorher: ${ratingLabels[from as 'good'] ?? from})` : ''}`,
  survey: () => 'Umfrage zur Zufriedenheit gesendet',
  reminder: () => 'Erinnerung an die Kundin oder den Kunden gesendet',
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
    uploads?: ReturnType<typeof uploadFieldModel>; now: Date;
    priorityOptions: Array<{ key: string; label: string }>; statusOptions: Array<{ key: string; label: string }>;
  },
) {
  const { ticket, requester } = found;
  const collision = new Set(extra.collision ?? []);
  const canReview = (user.role === 'lead' || user.role === 'admin') && ticket.solvedByCustomer && !ticket.reviewedAt;
  const files = filesByMessage(found.attachments);
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
    // Named one by one, as in agentViewRows: a spread copy of every row is slow for long threads.
    messages: found.messages.map((message) => ({
      id: message.id, body: message.body, channel: message.channel, createdAt: message.createdAt, authorId: message.authorId,
      authorRole: message.authorRole, inboundMailId: message.inboundMailId, suspicious: message.suspicious, hasQuotedText: message.hasQuotedText,
      author: message.authorRole && message.authorRole !== 'customer' ? (message.authorName ?? '') : authorLabel({ name: message.authorName, role: message.authorRole }, settings),
      internal: message.visibility === 'internal',
      isNew: collision.has(message.id),
      undeliverable: found.failedMails.filter((mail) => mail.ticketMessageId === message.id),
      files: files.get(message.id) ?? [],
    })),
    responseTimes: responseTimes(found, extra.now),
    rating: found.rating ? { ...found.rating, label: ratingLabels[found.rating.rating] } : undefined,
    followUps: found.followUps.map((followUp) => ({ ...followUp, statusLabel: agentStatusLabels[followUp.status] })),
    isLead: user.role === 'lead' || user.role === 'admin',
    uploads: extra.uploads,
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
