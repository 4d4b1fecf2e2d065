// The scheduled work of the request lifecycle: close solved requests, ask for ratings, remind waiting customers, sweep unsent uploads,
// and retention (texts of sent mail, raw inbound mails).
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import type { AttachmentsService } from '../attachments/attachments-service.js';
import { stagedLifetimeMs } from '../attachments/attachments-service.js';
import type { Outbox } from '../mail/outbox.js';
import type { Retention } from '../privacy/retention.js';
import type { RatingLinks } from '../ratings/rating-links.js';
import type { SettingsService } from '../settings/settings-service.js';
import { nextStatus } from '../tickets/ticket-status.js';
import { findTicket, insertEvent, updateTicket } from '../tickets/tickets-repository.js';
import { deleteExpiredSessions } from '../users/sessions-repository.js';
import { prepareFindUserById } from '../users/users-repository.js';
import { reminderMail, surveyMail } from './automation-mails.js';
import { claimLease, closableTickets, releaseLease, reminderDueTickets, surveyDueTickets } from './automation-repository.js';

const day = 24 * 3600_000;
/** A request that waits on the customer this long gets one reminder (when reminders are on). */
export const reminderAfterMs = 3 * day;
/** The separate rating mail goes out this long after solving (when the survey is on). */
export const surveyAfterMs = day;
/** Longer than any run takes; a process that dies holding a lease blocks the job at most this long. */
const leaseMs = 5 * 60_000;
const batchSize = 100;

export const jobNames = [
  'auto_close', 'satisfaction_survey', 'pending_reminder', 'staged_uploads', 'outbox_retention', 'inbound_retention', 'expired_sessions',
] as const;
export type JobName = (typeof jobNames)[number];

export type AutomationRun = Record<JobName, number> & { skipped: JobName[] };

export type Automations = ReturnType<typeof createAutomations>;

export function createAutomations(deps: {
  db: Db; clock: Clock; outbox: Outbox; settings: SettingsService; attachments: AttachmentsService; ratingLinks: RatingLinks; publicUrl: string;
  retention: Retention;
  /** Names this process in the job leases; unique per process unless a test sets it. */
  holder?: string;
}) {
  const { db, clock, outbox, settings, attachments, ratingLinks, publicUrl, retention } = deps;
  const holder = deps.holder ?? `${hostname()}#${process.pid}#${randomBytes(4).toString('hex')}`;
  const userById = prepareFindUserById(db);

  /** Solved → closed after the close delay; a customer-solved request waits for its review. Each request in its own transaction. */
  function closeSolved(asOf: Date): number {
    const solvedBefore = new Date(asOf.getTime() - settings.current().closeAfterDays * day);
    let closed = 0;
    for (;;) {
      const ids = closableTickets(db, solvedBefore, batchSize);
      for (const id of ids) {
        closed += db.transaction((tx) => {
          const ticket = findTicket(tx, id);
          // Looked at again inside the transaction: a reply or a review may have come in since the list was read.
          if (!ticket || ticket.status !== 'solved' || !ticket.solvedAt || ticket.solvedAt > solvedBefore) return 0;
          if (ticket.solvedByCustomer && !ticket.reviewedAt) return 0;
          const to = nextStatus(ticket.status, 'auto_close');
          insertEvent(tx, { ticketId: id, actorId: null, kind: 'status', fromValue: ticket.status, toValue: to, at: asOf });
          updateTicket(tx, id, { status: to, replyDueAt: null });
          return 1;
        }, { behavior: 'immediate' });
      }
      if (ids.length < batchSize) return closed;
    }
  }

  function sendSurveys(asOf: Date): number {
    const current = settings.current();
    if (!current.surveyMail) return 0;
    const solvedBefore = new Date(asOf.getTime() - surveyAfterMs);
    let sent = 0;
    for (;;) {
      const ids = surveyDueTickets(db, solvedBefore, batchSize);
      for (const id of ids) {
        sent += db.transaction((tx) => {
          const ticket = findTicket(tx, id);
          if (!ticket || ticket.status !== 'solved' || (ticket.surveySentAt && ticket.solvedAt && ticket.surveySentAt >= ticket.solvedAt)) return 0;
          const requester = userById(ticket.requesterId);
          // Marked as asked either way, so a request without a reachable customer is not looked at again and again.
          updateTicket(tx, id, { surveySentAt: asOf });
          if (!requester || requester.disabledAt) return 0;
          outbox.enqueue(tx, {
            kind: 'satisfaction_survey', to: { address: requester.email, name: requester.name }, ticketId: id,
            headers: { 'Auto-Submitted': 'auto-generated' },
            content: surveyMail(ticket, ratingLinks.mailBlocks(id), current),
          });
          insertEvent(tx, { ticketId: id, actorId: null, kind: 'survey', toValue: 'sent', at: asOf });
          return 1;
        }, { behavior: 'immediate' });
      }
      if (ids.length < batchSize) return sent;
    }
  }

  function remindWaiting(asOf: Date): number {
    const current = settings.current();
    if (!current.reminderMail) return 0;
    const answeredBefore = new Date(asOf.getTime() - reminderAfterMs);
    let sent = 0;
    for (;;) {
      const ids = reminderDueTickets(db, answeredBefore, batchSize);
      for (const id of ids) {
        sent += db.transaction((tx) => {
          const ticket = findTicket(tx, id);
          if (!ticket || ticket.status !== 'pending' || !ticket.lastAgentReplyAt || ticket.lastAgentReplyAt > answeredBefore) return 0;
          if (ticket.reminderSentAt && ticket.reminderSentAt >= ticket.lastAgentReplyAt) return 0;
          const requester = userById(ticket.requesterId);
          updateTicket(tx, id, { reminderSentAt: asOf });
          if (!requester || requester.disabledAt) return 0;
          outbox.enqueue(tx, {
            kind: 'pending_reminder', to: { address: requester.email, name: requester.name }, ticketId: id,
            headers: { 'Auto-Submitted': 'auto-generated' },
            content: reminderMail(ticket, `${publicUrl}/requests/${id}`, current),
          });
          insertEvent(tx, { ticketId: id, actorId: null, kind: 'reminder', toValue: 'sent', at: asOf });
          return 1;
        }, { behavior: 'immediate' });
      }
      if (ids.length < batchSize) return sent;
    }
  }

  /** Rows of sessions past their idle or absolute end, in batches, each its own short write. */
  function deleteEndedSessions(asOf: Date): number {
    let deleted = 0;
    for (;;) {
      const batch = deleteExpiredSessions(db, asOf, batchSize);
      deleted += batch;
      if (batch < batchSize) return deleted;
    }
  }

  const jobs: Record<JobName, (asOf: Date) => number | Promise<number>> = {
    // Closing first: a request that closes now gets no survey whose links could no longer rate it.
    auto_close: closeSolved,
    satisfaction_survey: sendSurveys,
    pending_reminder: remindWaiting,
    staged_uploads: (asOf) => attachments.sweepStaged(new Date(asOf.getTime() - stagedLifetimeMs)),
    outbox_retention: (asOf) => retention.sentMailBodies(asOf),
    inbound_retention: (asOf) => retention.rawInboundMails(asOf),
    expired_sessions: deleteEndedSessions,
  };

  return {
    holder,

    /**
     * Runs every job that is due as of `asOf` (the rules' time; `--now` in the CLI). Leases and the mail it queues use
     * the real clock: the mail is due at once. A job whose lease another process holds is skipped and reported.
     */
    async runDue(asOf: Date): Promise<AutomationRun> {
      const run: AutomationRun = {
        auto_close: 0, satisfaction_survey: 0, pending_reminder: 0, staged_uploads: 0, outbox_retention: 0, inbound_retention: 0, expired_sessions: 0,
        skipped: [],
      };
      for (const name of jobNames) {
        const now = clock.now();
        if (!claimLease(db, name, holder, now, new Date(now.getTime() + leaseMs))) {
          run.skipped.push(name);
          continue;
        }
        try {
          run[name] = await jobs[name](asOf);
        } finally {
          releaseLease(db, name, holder, clock.now());
        }
      }
      return run;
    },
  };
}
