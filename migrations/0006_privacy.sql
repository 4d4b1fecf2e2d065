-- GDPR: the admin audit log, erased accounts, and the indexes the retention job reads (old sent mail bodies, old raw inbound mails).
CREATE TABLE `admin_audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`actor_id` integer,
	`action` text NOT NULL,
	`target_user_id` integer,
	`details` text DEFAULT '{}' NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`actor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`target_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `admin_audit_log_target_idx` ON `admin_audit_log` (`target_user_id`);--> statement-breakpoint
ALTER TABLE `inbound_mails` ADD `raw_deleted_at` integer;--> statement-breakpoint
CREATE INDEX `inbound_mails_retention_idx` ON `inbound_mails` (`received_at`) WHERE "inbound_mails"."raw_deleted_at" is null;--> statement-breakpoint
ALTER TABLE `users` ADD `erased_at` integer;--> statement-breakpoint
CREATE INDEX `outbox_retention_idx` ON `outbox` (`sent_at`) WHERE "outbox"."status" = 'sent' and "outbox"."text_body" <> '';