-- Full-text search over request subjects and messages for the agents' search; triggers keep it in step with every write.
CREATE VIRTUAL TABLE `ticket_search` USING fts5(`subject`, `body`, tokenize = 'unicode61 remove_diacritics 2');
--> statement-breakpoint
CREATE TRIGGER `ticket_messages_search_insert` AFTER INSERT ON `ticket_messages` BEGIN
  INSERT INTO `ticket_search` (`rowid`, `subject`, `body`)
  VALUES (
    new.`id`,
    CASE WHEN (SELECT count(*) FROM `ticket_messages` WHERE `ticket_id` = new.`ticket_id`) = 1
      THEN (SELECT `subject` FROM `tickets` WHERE `id` = new.`ticket_id`) ELSE '' END,
    new.`body`
  );
END;
--> statement-breakpoint
CREATE TRIGGER `ticket_messages_search_delete` AFTER DELETE ON `ticket_messages` BEGIN
  DELETE FROM `ticket_search` WHERE `rowid` = old.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `ticket_messages_search_update` AFTER UPDATE OF `body` ON `ticket_messages` BEGIN
  UPDATE `ticket_search` SET `body` = new.`body` WHERE `rowid` = new.`id`;
END;
