CREATE TABLE `kb_articles` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`section_id` integer NOT NULL,
	`title` text NOT NULL,
	`body` text NOT NULL,
	`body_html` text NOT NULL,
	`body_text` text NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`author_id` integer,
	`updated_by_id` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`published_at` integer,
	FOREIGN KEY (`section_id`) REFERENCES `kb_sections`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`updated_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `kb_articles_section_idx` ON `kb_articles` (`section_id`,`status`,`title`,`id`);--> statement-breakpoint
CREATE INDEX `kb_articles_updated_idx` ON `kb_articles` (`updated_at`,`id`);--> statement-breakpoint
CREATE INDEX `kb_articles_status_updated_idx` ON `kb_articles` (`status`,`updated_at`,`id`);--> statement-breakpoint
CREATE TABLE `kb_categories` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `kb_categories_position_idx` ON `kb_categories` (`position`,`id`);--> statement-breakpoint
CREATE TABLE `kb_comments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`article_id` integer NOT NULL,
	`author_id` integer NOT NULL,
	`reply_to_id` integer,
	`body` text NOT NULL,
	`hidden_at` integer,
	`hidden_by_id` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`article_id`) REFERENCES `kb_articles`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`reply_to_id`) REFERENCES `kb_comments`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`hidden_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `kb_comments_article_idx` ON `kb_comments` (`article_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `kb_comments_created_idx` ON `kb_comments` (`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `kb_comments_author_idx` ON `kb_comments` (`author_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `kb_comments_reply_to_idx` ON `kb_comments` (`reply_to_id`);--> statement-breakpoint
CREATE TABLE `kb_sections` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`category_id` integer NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`category_id`) REFERENCES `kb_categories`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `kb_sections_category_idx` ON `kb_sections` (`category_id`,`position`,`id`);--> statement-breakpoint
CREATE TABLE `kb_votes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`article_id` integer NOT NULL,
	`voter_key` text NOT NULL,
	`helpful` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`article_id`) REFERENCES `kb_articles`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `kb_votes_article_voter_idx` ON `kb_votes` (`article_id`,`voter_key`);--> statement-breakpoint
CREATE INDEX `kb_votes_article_helpful_idx` ON `kb_votes` (`article_id`,`helpful`);