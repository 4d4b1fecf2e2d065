// The database tables, as drizzle sees them; `npm run db:generate` turns changes into migrations.
import { sql } from 'drizzle-orm';
import { type AnySQLiteColumn, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

const timestamp = (name: string) => integer(name, { mode: 'timestamp_ms' });

export const userRoles = ['customer', 'agent', 'lead', 'admin'] as const;
export type UserRole = (typeof userRoles)[number];

export const users = sqliteTable('users', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  email: text('email').notNull().unique(),
  name: text('name').notNull(),
  role: text('role', { enum: userRoles }).notNull().default('customer'),
  passwordHash: text('password_hash'),
  disabledAt: timestamp('disabled_at'),
  createdAt: timestamp('created_at').notNull(),
  lastLoginAt: timestamp('last_login_at'),
}, (table) => [
  // The team is a handful of rows among many customers: find it without reading them all.
  index('users_staff_idx').on(table.role, table.name).where(sql`${table.role} <> 'customer'`),
]);

export const ticketStatuses = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'] as const;
export type TicketStatus = (typeof ticketStatuses)[number];
export const ticketPriorities = ['low', 'normal', 'high', 'urgent'] as const;
export type TicketPriority = (typeof ticketPriorities)[number];
export const ticketChannels = ['web', 'email', 'phone', 'letter'] as const;
export type TicketChannel = (typeof ticketChannels)[number];

export const tickets = sqliteTable(
  'tickets',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    requesterId: integer('requester_id').notNull().references(() => users.id),
    subject: text('subject').notNull(),
    status: text('status', { enum: ticketStatuses }).notNull().default('new'),
    priority: text('priority', { enum: ticketPriorities }).notNull().default('normal'),
    channel: text('channel', { enum: ticketChannels }).notNull(),
    assigneeId: integer('assignee_id').references(() => users.id),
    createdAt: timestamp('created_at').notNull(),
    lastActivityAt: timestamp('last_activity_at').notNull(),
    lastPublicBy: text('last_public_by', { enum: ['customer', 'agent'] }).notNull().default('customer'),
    solvedAt: timestamp('solved_at'),
    solvedByCustomer: integer('solved_by_customer', { mode: 'boolean' }).notNull().default(false),
    reviewedAt: timestamp('reviewed_at'),
    reviewedById: integer('reviewed_by_id').references(() => users.id),
    followUpOfId: integer('follow_up_of_id').references((): AnySQLiteColumn => tickets.id),
    firstResponseDueAt: timestamp('first_response_due_at'),
    spamAt: timestamp('spam_at'),
    /** Set when the customer ticked "gelöst" on a message that still asked something: the review queue shows it first. */
    solvedWithQuestion: integer('solved_with_question', { mode: 'boolean' }).notNull().default(false),
    // Derived columns that let every agent view be one index range, read in the order it is shown.
    todo: integer('todo', { mode: 'boolean' }).generatedAlwaysAs(
      sql`status in ('new', 'open', 'pending', 'on_hold') and spam_at is null`, { mode: 'virtual' },
    ),
    agentView: text('agent_view').generatedAlwaysAs(
      sql`case when spam_at is not null then 'spam' when status in ('new', 'open') then 'open' else status end`, { mode: 'virtual' },
    ),
  },
  (table) => [
    index('tickets_requester_activity_idx').on(table.requesterId, table.lastActivityAt, table.id),
    index('tickets_todo_assignee_activity_idx').on(table.todo, table.assigneeId, table.lastActivityAt, table.id),
    index('tickets_agent_view_activity_idx').on(table.agentView, table.lastActivityAt, table.id),
    index('tickets_review_queue_idx')
      .on(table.solvedWithQuestion, table.lastActivityAt, table.id)
      .where(sql`${table.solvedByCustomer} = 1 and ${table.reviewedAt} is null`),
    index('tickets_follow_up_of_idx').on(table.followUpOfId),
  ],
);

export const messageVisibilities = ['public', 'internal'] as const;
export type MessageVisibility = (typeof messageVisibilities)[number];

export const ticketMessages = sqliteTable(
  'ticket_messages',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    ticketId: integer('ticket_id').notNull().references(() => tickets.id),
    authorId: integer('author_id').references(() => users.id),
    visibility: text('visibility', { enum: messageVisibilities }).notNull(),
    body: text('body').notNull(),
    bodyFull: text('body_full'),
    channel: text('channel', { enum: ticketChannels }).notNull(),
    mailMessageId: text('mail_message_id'),
    createdAt: timestamp('created_at').notNull(),
  },
  (table) => [
    index('ticket_messages_ticket_idx').on(table.ticketId, table.createdAt, table.id),
    uniqueIndex('ticket_messages_mail_message_id_idx').on(table.mailMessageId),
  ],
);

export const ticketEvents = sqliteTable(
  'ticket_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    ticketId: integer('ticket_id').notNull().references(() => tickets.id),
    actorId: integer('actor_id').references(() => users.id),
    kind: text('kind').notNull(),
    fromValue: text('from_value'),
    toValue: text('to_value'),
    at: timestamp('at').notNull(),
  },
  (table) => [index('ticket_events_ticket_idx').on(table.ticketId, table.at)],
);

export const outboxStatuses = ['pending', 'sending', 'sent', 'failed'] as const;
export type OutboxStatus = (typeof outboxStatuses)[number];

export const outbox = sqliteTable(
  'outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    kind: text('kind').notNull(),
    toAddress: text('to_address').notNull(),
    toName: text('to_name'),
    subject: text('subject').notNull(),
    textBody: text('text_body').notNull(),
    htmlBody: text('html_body'),
    headers: text('headers', { mode: 'json' }).$type<Record<string, string>>().notNull().default({}),
    messageId: text('message_id').notNull(),
    ticketId: integer('ticket_id').references(() => tickets.id),
    /** The conversation message this mail announces, so a failed delivery shows beside it. */
    ticketMessageId: integer('ticket_message_id').references(() => ticketMessages.id),
    status: text('status', { enum: outboxStatuses }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at').notNull(),
    leaseUntil: timestamp('lease_until'),
    lastError: text('last_error'),
    createdAt: timestamp('created_at').notNull(),
    sentAt: timestamp('sent_at'),
  },
  (table) => [
    index('outbox_due_idx').on(table.status, table.nextAttemptAt),
    index('outbox_ticket_idx').on(table.ticketId, table.id),
    index('outbox_recipient_idx').on(table.toAddress, table.kind, table.createdAt),
  ],
);

export const passwordTokens = sqliteTable(
  'password_tokens',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: integer('user_id').notNull().references(() => users.id),
    tokenHash: text('token_hash').notNull().unique(),
    purpose: text('purpose', { enum: ['reset', 'invite'] }).notNull(),
    createdAt: timestamp('created_at').notNull(),
    expiresAt: timestamp('expires_at').notNull(),
    usedAt: timestamp('used_at'),
  },
  (table) => [index('password_tokens_user_idx').on(table.userId)],
);

export const sessions = sqliteTable(
  'sessions',
  {
    sid: text('sid').primaryKey(),
    userId: integer('user_id').references(() => users.id),
    data: text('data').notNull(),
    createdAt: timestamp('created_at').notNull(),
    idleExpiresAt: timestamp('idle_expires_at').notNull(),
    absoluteExpiresAt: timestamp('absolute_expires_at').notNull(),
  },
  (table) => [index('sessions_user_idx').on(table.userId)],
);

export const cannedReplies = sqliteTable('canned_replies', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  title: text('title').notNull(),
  body: text('body').notNull(),
  createdById: integer('created_by_id').references(() => users.id),
  createdAt: timestamp('created_at').notNull(),
  updatedAt: timestamp('updated_at').notNull(),
});

export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value', { mode: 'json' }).notNull(),
});

export type User = typeof users.$inferSelect;
export type Ticket = typeof tickets.$inferSelect;
export type TicketMessage = typeof ticketMessages.$inferSelect;
export type TicketEvent = typeof ticketEvents.$inferSelect;
export type OutboxMail = typeof outbox.$inferSelect;
export type CannedReply = typeof cannedReplies.$inferSelect;
