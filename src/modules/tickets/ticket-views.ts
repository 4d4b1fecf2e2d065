// Builds the models of the customer's request pages from what the service returns.
import type { Settings } from '../settings/settings-schema.js';
import { isStaff } from './ticket-access.js';
import { channelLabels, customerStatusFilterOf, customerStatusLabel } from './ticket-labels.js';
import type { TicketsService } from './tickets-service.js';
import type { FieldErrors } from '../../lib/forms.js';
import type { uploadFieldModel } from '../attachments/attachments-service.js';
import { ratingLabels } from '../ratings/ratings-service.js';

type Found = NonNullable<ReturnType<TicketsService['findForCustomer']>>;

export function firstName(name: string | null | undefined): string {
  return (name ?? '').trim().split(/\s+/)[0] ?? '';
}

/** "Anna vom Servicecenter" for agents, the customer's own name for customers. */
export function authorLabel(author: { name: string | null; role: string | null }, settings: Settings): string {
  if (!author.name || !author.role) return settings.teamName;
  return isStaff({ role: author.role as 'agent' }) ? `${firstName(author.name)} vom ${settings.teamName}` : author.name;
}

/** The files of a thread, by the message they belong to. */
export function filesByMessage<T extends { messageId: number | null }>(files: T[]): Map<number, T[]> {
  const byMessage = new Map<number, T[]>();
  for (const file of files) {
    if (file.messageId === null) continue;
    byMessage.set(file.messageId, [...(byMessage.get(file.messageId) ?? []), file]);
  }
  return byMessage;
}

export function showModel(
  found: Found,
  settings: Settings,
  extra: { errors?: FieldErrors; input?: Record<string, string>; notice?: string; uploads?: ReturnType<typeof uploadFieldModel> } = {},
) {
  const { ticket } = found;
  const files = filesByMessage(found.attachments);
  // A thread has a handful of authors and up to hundreds of messages, and each author is one object (publicMessages).
  const labels = new Map<object | null, string>();
  const authorOf = (author: { name: string; role: string } | null) => {
    let label = labels.get(author);
    if (label === undefined) labels.set(author, (label = authorLabel(author ?? { name: null, role: null }, settings)));
    return label;
  };
  return {
    title: `${ticket.subject} (#${ticket.id})`,
    ticket: {
      id: ticket.id,
      subject: ticket.subject,
      statusLabel: customerStatusLabel(ticket.status),
      statusKey: customerStatusFilterOf(ticket.status),
      closed: ticket.status === 'closed',
      createdAt: ticket.createdAt,
      lastActivityAt: ticket.lastActivityAt,
      channelLabel: channelLabels[ticket.channel],
      assigneeFirstName: found.assigneeName ? firstName(found.assigneeName) : undefined,
      followUpOfId: ticket.followUpOfId,
    },
    followUps: found.followUps,
    messages: found.messages.map((message) => ({
      id: message.id,
      author: authorOf(message.author),
      fromStaff: message.author !== null && message.author.role !== 'customer',
      createdAt: message.createdAt,
      body: message.body,
      fullText: message.fullText,
      files: files.get(message.id) ?? [],
    })),
    rating: found.rating ? { label: ratingLabels[found.rating.rating], comment: found.rating.comment } : undefined,
    ratingPath: found.ratingPath,
    uploads: extra.uploads,
    errors: extra.errors ?? {},
    input: extra.input ?? {},
    notice: extra.notice,
  };
}
