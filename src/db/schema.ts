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
  /** Set when the person's data was erased (GDPR): name and address are placeholders, their requests anonymous shells. */
  erasedAt: timestamp('erased_at'),
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
    /** When the answer we owe is due, counted in business hours (first or next response); null while nobody waits for us. */
    replyDueAt: timestamp('reply_due_at'),
    /** The agents' last public answer: a pending request waits on the customer since then, and reminders count from it. */
    lastAgentReplyAt: timestamp('last_agent_reply_at'),
    reminderSentAt: timestamp('reminder_sent_at'),
    surveySentAt: timestamp('survey_sent_at'),
    // Derived columns that let every agent view be one index range, read in the order it is shown.
    todo: integer('todo', { mode: 'boolean' }).generatedAlwaysAs(
      sql`status in ('new', 'open', 'pending', 'on_hold') and spam_at is null`, { mode: 'virtual' },
    ),
    agentView: text('agent_view').generatedAlwaysAs(
      sql`case when spam_at is not null then 'spam' when status in ('new', 'open') then 'open' else status end`, { mode: 'virtual' },
    ),
    // The "Fällig" order with requests that owe nothing last (year 9999), so sorting by due time is one index range too.
    dueOrder: integer('due_order').generatedAlwaysAs(sql`coalesce(reply_due_at, 253402300799999)`, { mode: 'virtual' }),
  },
  (table) => [
    // Covers "Meine Aktivitäten": the page's columns are in the index, so a page reads no table rows.
    index('tickets_requester_activity_idx').on(table.requesterId, table.lastActivityAt, table.id, table.status, table.createdAt, table.subject),
    index('tickets_todo_assignee_activity_idx').on(table.todo, table.assigneeId, table.lastActivityAt, table.id),
    index('tickets_agent_view_activity_idx').on(table.agentView, table.lastActivityAt, table.id),
    index('tickets_review_queue_idx')
      .on(table.solvedWithQuestion, table.lastActivityAt, table.id)
      .where(sql`${table.solvedByCustomer} = 1 and ${table.reviewedAt} is null`),
    index('tickets_follow_up_of_idx').on(table.followUpOfId),
    index('tickets_todo_assignee_due_idx').on(table.todo, table.assigneeId, table.dueOrder, table.id),
    index('tickets_agent_view_due_idx').on(table.agentView, table.dueOrder, table.id),
    // The automations' scans: solved requests by age (auto-close, survey), pending ones by the age of our question (reminder).
    index('tickets_solved_at_idx').on(table.solvedAt).where(sql`${table.status} = 'solved'`),
    index('tickets_waiting_idx').on(table.lastAgentReplyAt).where(sql`${table.status} = 'pending'`),
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
    /** The stored inbound mail this message came from (inbound_mails.id): its full text and headers stay viewable. */
    inboundMailId: integer('inbound_mail_id'),
    /** The mail failed DMARC at our trusted server: agents see a warning, and it changed no status. */
    suspicious: integer('suspicious', { mode: 'boolean' }).notNull().default(false),
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
    /** The files (attachments.id) the mail carries; chosen when it was queued, read from DATA_DIR when it is sent. */
    attachmentIds: text('attachment_ids', { mode: 'json' }).$type<number[]>(),
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
    // Answers and bounces name the Message-ID of the mail they refer to.
    index('outbox_message_id_idx').on(table.messageId),
    // Retention: sent mails whose text is still stored, oldest first; a blanked mail leaves the index.
    index('outbox_retention_idx').on(table.sentAt).where(sql`${table.status} = 'sent' and ${table.textBody} <> ''`),
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
  (table) => [
    index('sessions_user_idx').on(table.userId),
    // The expired-sessions sweep: a session ends at whichever expiry comes first.
    index('sessions_expiry_idx').on(sql`min(${table.idleExpiresAt}, ${table.absoluteExpiresAt})`),
  ],
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

export const inboundSources = ['imap', 'smtp', 'pipe'] as const;
export type InboundSource = (typeof inboundSources)[number];
/** received: stored, not yet applied; processed: applied (or deliberately ignored, see outcome); quarantined: waits for an agent. */
export const inboundStatuses = ['received', 'processed', 'quarantined', 'discarded', 'failed'] as const;
export type InboundStatus = (typeof inboundStatuses)[number];

/** Every mail that came in, stored raw under DATA_DIR/inbound before anything is done with it. */
export const inboundMails = sqliteTable(
  'inbound_mails',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    source: text('source', { enum: inboundSources }).notNull(),
    messageId: text('message_id'),
    sha256: text('sha256').notNull(),
    storageKey: text('storage_key').notNull(),
    size: integer('size').notNull(),
    fromAddress: text('from_address'),
    subject: text('subject'),
    receivedAt: timestamp('received_at').notNull(),
    status: text('status', { enum: inboundStatuses }).notNull().default('received'),
    /** What processing did with it (new_request, reply, follow_up, auto_reply, bounce, loop …), for the inbound view. */
    outcome: text('outcome'),
    ticketId: integer('ticket_id').references(() => tickets.id),
    suspicious: integer('suspicious', { mode: 'boolean' }).notNull().default(false),
    attempts: integer('attempts').notNull().default(0),
    leaseUntil: timestamp('lease_until'),
    lastError: text('last_error'),
    processedAt: timestamp('processed_at'),
    /** The raw file was deleted (retention or erasure); the row stays for deduplication and the inbound view. */
    rawDeletedAt: timestamp('raw_deleted_at'),
  },
  (table) => [
    // The same mail twice (a retry of the relay, IMAP and relay both) is stored once.
    uniqueIndex('inbound_mails_sha256_idx').on(table.sha256),
    uniqueIndex('inbound_mails_message_id_idx').on(table.messageId),
    index('inbound_mails_status_idx').on(table.status, table.receivedAt, table.id),
    index('inbound_mails_sender_idx').on(table.fromAddress, table.receivedAt),
    index('inbound_mails_retention_idx').on(table.receivedAt).where(sql`${table.rawDeletedAt} is null`),
  ],
);

/** Where the IMAP poller stands in each mailbox folder: a changed UIDVALIDITY means its UIDs start over. */
export const imapFolders = sqliteTable('imap_folders', {
  mailbox: text('mailbox').primaryKey(),
  uidValidity: text('uid_validity').notNull(),
  lastUid: integer('last_uid').notNull(),
  updatedAt: timestamp('updated_at').notNull(),
});

/** Files of messages, stored under DATA_DIR/attachments/<storage_key>; inbound mail stores its files here too. */
export const attachments = sqliteTable(
  'attachments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** Null while staged: uploaded with a form that has not gone through yet (kept across a form error, swept after a day). */
    messageId: integer('message_id').references(() => ticketMessages.id),
    filename: text('filename').notNull(),
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    storageKey: text('storage_key').notNull().unique(),
    uploadedById: integer('uploaded_by_id').references(() => users.id),
    /** SHA-256 of the token with which the form claims a staged file; only the uploader's page ever held the token. */
    stagingTokenHash: text('staging_token_hash').unique(),
    createdAt: timestamp('created_at').notNull(),
  },
  (table) => [
    index('attachments_message_idx').on(table.messageId),
    index('attachments_staged_idx').on(table.createdAt).where(sql`${table.messageId} is null`),
  ],
);

export const satisfactionRatingValues = ['good', 'bad'] as const;
export type SatisfactionRatingValue = (typeof satisfactionRatingValues)[number];

/** The customer's rating of a solved request: one per request, changeable until it closes. */
export const satisfactionRatings = sqliteTable(
  'satisfaction_ratings',
  {
    ticketId: integer('ticket_id').primaryKey().references(() => tickets.id),
    rating: text('rating', { enum: satisfactionRatingValues }).notNull(),
    comment: text('comment'),
    /** Whom the request was assigned to when it was rated: the agent the rating speaks about. */
    agentId: integer('agent_id').references(() => users.id),
    ratedAt: timestamp('rated_at').notNull(),
    changedAt: timestamp('changed_at').notNull(),
  },
  (table) => [index('satisfaction_ratings_rated_idx').on(table.ratedAt)],
);

/** One row per scheduled job: whoever holds an unexpired lease runs it, so two server processes never both do. */
export const jobLeases = sqliteTable('job_leases', {
  name: text('name').primaryKey(),
  holder: text('holder'),
  leaseUntil: timestamp('lease_until').notNull(),
  lastRunAt: timestamp('last_run_at'),
});

export const adminAuditActions = [
  'role_changed', 'member_invited', 'invitation_resent', 'member_deactivated', 'member_reactivated',
  'settings_saved', 'person_exported', 'person_erased',
] as const;
export type AdminAuditAction = (typeof adminAuditActions)[number];

/**
 * What admins did (roles, deactivation, settings, export, erasure): who, when, to whom. The details never hold personal
 * data of the target (no names, no addresses), so an erasure leaves the log as it is.
 */
export const adminAuditLog = sqliteTable(
  'admin_audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** Null: the command line (an operator on the server). */
    actorId: integer('actor_id').references(() => users.id),
    action: text('action', { enum: adminAuditActions }).notNull(),
    targetUserId: integer('target_user_id').references(() => users.id),
    details: text('details', { mode: 'json' }).$type<Record<string, string | number | boolean>>().notNull().default({}),
    at: timestamp('at').notNull(),
  },
  (table) => [index('admin_audit_log_target_idx').on(table.targetUserId)],
);

export type AdminAuditEntry = typeof adminAuditLog.$inferSelect;
export type InboundMail = typeof inboundMails.$inferSelect;
export type Attachment = typeof attachments.$inferSelect;
export type SatisfactionRating = typeof satisfactionRatings.$inferSelect;
export type User = typeof users.$inferSelect;
export type Ticket = typeof tickets.$inferSelect;
export type TicketMessage = typeof ticketMessages.$inferSelect;
export type TicketEvent = typeof ticketEvents.$inferSelect;
export type OutboxMail = typeof outbox.$inferSelect;
export type CannedReply = typeof cannedReplies.$inferSelect;

// Wissensdatenbank: categories hold sections, sections hold articles; votes and comments belong to an article.
export const kbCategories = sqliteTable(
  'kb_categories',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    position: integer('position').notNull().default(0),
    createdAt: timestamp('created_at').notNull(),
    updatedAt: timestamp('updated_at').notNull(),
  },
  (table) => [index('kb_categories_position_idx').on(table.position, table.id)],
);

export const kbSections = sqliteTable(
  'kb_sections',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    categoryId: integer('category_id').notNull().references(() => kbCategories.id),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    position: integer('position').notNull().default(0),
    createdAt: timestamp('created_at').notNull(),
    updatedAt: timestamp('updated_at').notNull(),
  },
  (table) => [index('kb_sections_category_idx').on(table.categoryId, table.position, table.id)],
);

export const kbArticleStatuses = ['draft', 'published'] as const;
export type KbArticleStatus = (typeof kbArticleStatuses)[number];

export const kbArticles = sqliteTable(
  'kb_articles',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    sectionId: integer('section_id').notNull().references(() => kbSections.id),
    title: text('title').notNull(),
    /** What the author wrote, in Markdown. */
    body: text('body').notNull(),
    /** The Markdown rendered and sanitized when it was saved: pages output exactly this. */
    bodyHtml: text('body_html').notNull(),
    /** The text without markup: search snippets are cut from it, and (folded) it is what kb_search indexes. */
    bodyText: text('body_text').notNull(),
    status: text('status', { enum: kbArticleStatuses }).notNull().default('draft'),
    authorId: integer('author_id').references(() => users.id),
    updatedById: integer('updated_by_id').references(() => users.id),
    createdAt: timestamp('created_at').notNull(),
    updatedAt: timestamp('updated_at').notNull(),
    publishedAt: timestamp('published_at'),
  },
  (table) => [
    index('kb_articles_section_idx').on(table.sectionId, table.status, table.title, table.id),
    index('kb_articles_updated_idx').on(table.updatedAt, table.id),
    index('kb_articles_status_updated_idx').on(table.status, table.updatedAt, table.id),
  ],
);

/** "War dieser Artikel hilfreich?": one vote per person and article, which they may change. */
export const kbVotes = sqliteTable(
  'kb_votes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    articleId: integer('article_id').notNull().references(() => kbArticles.id, { onDelete: 'cascade' }),
    /** "user:<id>" for someone logged in, "anon:<random id>" from a signed cookie for a visitor (no session row). */
    voterKey: text('voter_key').notNull(),
    helpful: integer('helpful', { mode: 'boolean' }).notNull(),
    createdAt: timestamp('created_at').notNull(),
    updatedAt: timestamp('updated_at').notNull(),
  },
  (table) => [
    uniqueIndex('kb_votes_article_voter_idx').on(table.articleId, table.voterKey),
    index('kb_votes_article_helpful_idx').on(table.articleId, table.helpful),
  ],
);

/** Plain-text comments under an article; an agent's answer points to the comment it answers. */
export const kbComments = sqliteTable(
  'kb_comments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    articleId: integer('article_id').notNull().references(() => kbArticles.id, { onDelete: 'cascade' }),
    authorId: integer('author_id').notNull().references(() => users.id),
    replyToId: integer('reply_to_id').references((): AnySQLiteColumn => kbComments.id, { onDelete: 'cascade' }),
    body: text('body').notNull(),
    hiddenAt: timestamp('hidden_at'),
    hiddenById: integer('hidden_by_id').references(() => users.id),
    createdAt: timestamp('created_at').notNull(),
  },
  (table) => [
    index('kb_comments_article_idx').on(table.articleId, table.createdAt, table.id),
    index('kb_comments_created_idx').on(table.createdAt, table.id),
    index('kb_comments_author_idx').on(table.authorId, table.createdAt),
    index('kb_comments_reply_to_idx').on(table.replyToId),
  ],
);

export type KbCategory = typeof kbCategories.$inferSelect;
export type KbSection = typeof kbSections.$inferSelect;
export type KbArticle = typeof kbArticles.$inferSelect;
export type KbComment = typeof kbComments.$inferSelect;
