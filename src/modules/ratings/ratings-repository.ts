// SQL for satisfaction ratings: one per request, the ratings of a period with their agents, the latest comments.
import { and, desc, eq, gte, isNotNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { compiledRows } from '../../db/compiled-rows.js';
import { type SatisfactionRating, type SatisfactionRatingValue, satisfactionRatings, tickets, users } from '../../db/schema.js';

export function findRating(db: DbOrTx, ticketId: number): SatisfactionRating | undefined {
  return db.select().from(satisfactionRatings).where(eq(satisfactionRatings.ticketId, ticketId)).get();
}

/** findRating prepared once: every view of a request page asks for its rating. */
export function prepareFindRating(db: DbOrTx): (ticketId: number) => SatisfactionRating | undefined {
  const statement = compiledRows(db.select().from(satisfactionRatings).where(eq(satisfactionRatings.ticketId, sql.placeholder('ticketId'))).prepare());
  return (ticketId) => statement.get({ ticketId });
}

/** The first rating sets the week it counts in; a change updates value, comment and agent. */
export function saveRating(
  db: DbOrTx,
  rating: { ticketId: number; rating: SatisfactionRatingValue; comment: string | null; agentId: number | null; at: Date },
): void {
  db.insert(satisfactionRatings)
    .values({ ticketId: rating.ticketId, rating: rating.rating, comment: rating.comment, agentId: rating.agentId, ratedAt: rating.at, changedAt: rating.at })
    .onConflictDoUpdate({
      target: satisfactionRatings.ticketId,
      set: { rating: rating.rating, comment: rating.comment, agentId: rating.agentId, changedAt: rating.at },
    })
    .run();
}

/** Every rating given since the date, with the agent's name: the report groups them by week and by agent. */
export function ratingsSince(db: DbOrTx, since: Date) {
  return db
    .select({ ticketId: satisfactionRatings.ticketId, rating: satisfactionRatings.rating, ratedAt: satisfactionRatings.ratedAt, agentId: satisfactionRatings.agentId, agentName: users.name })
    .from(satisfactionRatings)
    .leftJoin(users, eq(users.id, satisfactionRatings.agentId))
    .where(gte(satisfactionRatings.ratedAt, since))
    .all();
}

export function commentsSince(db: DbOrTx, since: Date, limit: number) {
  return db
    .select({
      ticketId: satisfactionRatings.ticketId, subject: tickets.subject, rating: satisfactionRatings.rating, comment: satisfactionRatings.comment,
      changedAt: satisfactionRatings.changedAt, agentName: users.name,
    })
    .from(satisfactionRatings)
    .innerJoin(tickets, eq(tickets.id, satisfactionRatings.ticketId))
    .leftJoin(users, eq(users.id, satisfactionRatings.agentId))
    .where(and(gte(satisfactionRatings.ratedAt, since), isNotNull(satisfactionRatings.comment)))
    .orderBy(desc(satisfactionRatings.changedAt))
    .limit(limit)
    .all();
}
