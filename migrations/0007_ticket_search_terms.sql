-- Every word in ticket_search with the number of messages it occurs in. The agents' search turns a typed word into the
-- few indexed words it starts, which FTS5 reads lazily newest first, instead of a prefix query that first merges the
-- entries of all of them (seconds at millions of messages). The triggers keep the counts, so a word is gone with the
-- last message that held it: nothing of an erased person stays behind here.
CREATE TABLE `ticket_search_terms` (`term` text PRIMARY KEY NOT NULL, `messages` integer NOT NULL) WITHOUT ROWID;
--> statement-breakpoint
-- One message at a time, tokenized exactly as ticket_search does, so fts5vocab can list its words; emptied after each use.
CREATE VIRTUAL TABLE `ticket_search_scratch` USING fts5(`subject`, `body`, tokenize = 'unicode61 remove_diacritics 2', content = '');
--> statement-breakpoint
CREATE VIRTUAL TABLE `ticket_search_scratch_terms` USING fts5vocab(`ticket_search_scratch`, 'row');
--> statement-breakpoint
CREATE VIRTUAL TABLE temp.`ticket_search_all_terms` USING fts5vocab(main, `ticket_search`, 'row');
--> statement-breakpoint
INSERT INTO `ticket_search_terms` (`term`, `messages`) SELECT `term`, `doc` FROM temp.`ticket_search_all_terms`;
--> statement-breakpoint
DROP TABLE temp.`ticket_search_all_terms`;
--> statement-breakpoint
DROP TRIGGER `ticket_messages_search_insert`;
--> statement-breakpoint
CREATE TRIGGER `ticket_messages_search_insert` AFTER INSERT ON `ticket_messages` BEGIN
  INSERT INTO `ticket_search` (`rowid`, `subject`, `body`)
  VALUES (
    new.`id`,
    CASE WHEN (SELECT count(*) FROM `ticket_messages` WHERE `ticket_id` = new.`ticket_id`) = 1
      THEN (SELECT `subject` FROM `tickets` WHERE `id` = new.`ticket_id`) ELSE '' END,
    new.`body`
  );
  INSERT INTO `ticket_search_scratch` (`rowid`, `subject`, `body`) SELECT `rowid`, `subject`, `body` FROM `ticket_search` WHERE `rowid` = new.`id`;
  INSERT INTO `ticket_search_terms` (`term`, `messages`) SELECT `term`, 1 FROM `ticket_search_scratch_terms` WHERE true
    ON CONFLICT (`term`) DO UPDATE SET `messages` = `messages` + 1;
  INSERT INTO `ticket_search_scratch` (`ticket_search_scratch`) VALUES ('delete-all');
END;
--> statement-breakpoint
DROP TRIGGER `ticket_messages_search_delete`;
--> statement-breakpoint
CREATE TRIGGER `ticket_messages_search_delete` AFTER DELETE ON `ticket_messages` BEGIN
  INSERT INTO `ticket_search_scratch` (`rowid`, `subject`, `body`) SELECT `rowid`, `subject`, `body` FROM `ticket_search` WHERE `rowid` = old.`id`;
  UPDATE `ticket_search_terms` SET `messages` = `messages` - 1 WHERE `term` IN (SELECT `term` FROM `ticket_search_scratch_terms`);
  DELETE FROM `ticket_search_terms` WHERE `messages` <= 0 AND `term` IN (SELECT `term` FROM `ticket_search_scratch_terms`);
  INSERT INTO `ticket_search_scratch` (`ticket_search_scratch`) VALUES ('delete-all');
  DELETE FROM `ticket_search` WHERE `rowid` = old.`id`;
END;
--> statement-breakpoint
DROP TRIGGER `ticket_messages_search_update`;
--> statement-breakpoint
CREATE TRIGGER `ticket_messages_search_update` AFTER UPDATE OF `body` ON `ticket_messages` BEGIN
  INSERT INTO `ticket_search_scratch` (`rowid`, `subject`, `body`) SELECT `rowid`, `subject`, `body` FROM `ticket_search` WHERE `rowid` = old.`id`;
  UPDATE `ticket_search_terms` SET `messages` = `messages` - 1 WHERE `term` IN (SELECT `term` FROM `ticket_search_scratch_terms`);
  DELETE FROM `ticket_search_terms` WHERE `messages` <= 0 AND `term` IN (SELECT `term` FROM `ticket_search_scratch_terms`);
  INSERT INTO `ticket_search_scratch` (`ticket_search_scratch`) VALUES ('delete-all');
  UPDATE `ticket_search` SET `body` = new.`body` WHERE `rowid` = new.`id`;
  INSERT INTO `ticket_search_scratch` (`rowid`, `subject`, `body`) SELECT `rowid`, `subject`, `body` FROM `ticket_search` WHERE `rowid` = new.`id`;
  INSERT INTO `ticket_search_terms` (`term`, `messages`) SELECT `term`, 1 FROM `ticket_search_scratch_terms` WHERE true
    ON CONFLICT (`term`) DO UPDATE SET `messages` = `messages` + 1;
  INSERT INTO `ticket_search_scratch` (`ticket_search_scratch`) VALUES ('delete-all');
END;
