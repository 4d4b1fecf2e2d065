-- Wissensdatenbank search over published articles: title and text as src/modules/kb/kb-fold.ts folds them (umlauts, ß),
-- written by the KB repository in the same transaction as the article. Contentless: snippets come from kb_articles.
CREATE VIRTUAL TABLE `kb_search` USING fts5(`title`, `body`, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3', content = '', contentless_delete = 1);
--> statement-breakpoint
-- Every folded word ever indexed: a typed word of four letters or more becomes the few exact words that start with it,
-- which FTS5 reads lazily, instead of a prefix query that first merges the entries of all those words.
CREATE TABLE `kb_search_terms` (`term` text PRIMARY KEY NOT NULL) WITHOUT ROWID;
