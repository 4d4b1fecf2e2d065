CREATE TABLE `imap_folders` (
	`mailbox` text PRIMARY KEY NOT NULL,
	`uid_validity` text NOT NULL,
	`last_uid` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `inbound_mails` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`source` text NOT NULL,
	`message_id` text,
	`sha256` text NOT NULL,
	`storage_key` text NOT NULL,
	`size` integer NOT NULL,
	`from_address` text,
	`subject` text,
	`received_at` integer NOT NULL,
	`status` text DEFAULT 'received' NOT NULL,
	`outcome` text,
	`ticket_id` integer,
	`suspicious` integer DEFAULT false NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`lease_until` integer,
	`last_error` text,
	`processed_at` integer,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `inbound_mails_sha256_idx` ON `inbound_mails` (`sha256`);--> statement-breakpoint
CREATE UNIQUE INDEX `inbound_mails_message_id_idx` ON `inbound_mails` (`message_id`);--> statement-breakpoint
CREATE INDEX `inbound_mails_status_idx` ON `inbound_mails` (`status`,`received_at`,`id`);--> statement-breakpoint
CREATE INDEX `inbound_mails_sender_idx` ON `inbound_mails` (`from_address`,`received_at`);--> statement-breakpoint
ALTER TABLE `ticket_messages` ADD `inbound_mail_id` integer;--> statement-breakpoint
ALTER TABLE `ticket_messages` ADD `suspicious` integer DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX `outbox_message_id_idx` ON `outbox` (`message_id`);