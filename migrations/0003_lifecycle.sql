CREATE TABLE `attachments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`message_id` integer,
	`filename` text NOT NULL,
	`content_type` text NOT NULL,
	`size` integer NOT NULL,
	`sha256` text NOT NULL,
	`storage_key` text NOT NULL,
	`uploaded_by_id` integer,
	`staging_token_hash` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`message_id`) REFERENCES `ticket_messages`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`uploaded_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `attachments_storage_key_unique` ON `attachments` (`storage_key`);--> statement-breakpoint
CREATE UNIQUE INDEX `attachments_staging_token_hash_unique` ON `attachments` (`staging_token_hash`);--> statement-breakpoint
CREATE INDEX `attachments_message_idx` ON `attachments` (`message_id`);--> statement-breakpoint
CREATE INDEX `attachments_staged_idx` ON `attachments` (`created_at`) WHERE "attachments"."message_id" is null;--> statement-breakpoint
CREATE TABLE `job_leases` (
	`name` text PRIMARY KEY NOT NULL,
	`holder` text,
	`lease_until` integer NOT NULL,
	`last_run_at` integer
);
--> statement-breakpoint
CREATE TABLE `satisfaction_ratings` (
	`ticket_id` integer PRIMARY KEY NOT NULL,
	`rating` text NOT NULL,
	`comment` text,
	`agent_id` integer,
	`rated_at` integer NOT NULL,
	`changed_at` integer NOT NULL,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`agent_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `satisfaction_ratings_rated_idx` ON `satisfaction_ratings` (`rated_at`);--> statement-breakpoint
ALTER TABLE `outbox` ADD `attachment_ids` text;--> statement-breakpoint
ALTER TABLE `tickets` ADD `reply_due_at` integer;--> statement-breakpoint
ALTER TABLE `tickets` ADD `last_agent_reply_at` integer;--> statement-breakpoint
ALTER TABLE `tickets` ADD `reminder_sent_at` integer;--> statement-breakpoint
ALTER TABLE `tickets` ADD `survey_sent_at` integer;--> statement-breakpoint
ALTER TABLE `tickets` ADD `due_order` integer GENERATED ALWAYS AS (coalesce(reply_due_at, 253402300799999)) VIRTUAL;--> statement-breakpoint
CREATE INDEX `tickets_todo_assignee_due_idx` ON `tickets` (`todo`,`assignee_id`,`due_order`,`id`);--> statement-breakpoint
CREATE INDEX `tickets_agent_view_due_idx` ON `tickets` (`agent_view`,`due_order`,`id`);--> statement-breakpoint
CREATE INDEX `tickets_solved_at_idx` ON `tickets` (`solved_at`) WHERE "tickets"."status" = 'solved';--> statement-breakpoint
CREATE INDEX `tickets_waiting_idx` ON `tickets` (`last_agent_reply_at`) WHERE "tickets"."status" = 'pending';