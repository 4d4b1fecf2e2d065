// The one place that decides status: which event moves a request from which status to which.
import type { TicketStatus } from '../../db/schema.js';

export const ticketEvents = [
  'customer_replies',
  'customer_solves',
  'agent_assigns',
  'agent_sets_open',
  'agent_sets_pending',
  'agent_sets_on_hold',
  'agent_sets_solved',
  'lead_reopens',
  'auto_close',
] as const;
export type TicketStatusEvent = (typeof ticketEvents)[number];

const agentSets = {
  agent_sets_open: 'open',
  agent_sets_pending: 'pending',
  agent_sets_on_hold: 'on_hold',
  agent_sets_solved: 'solved',
} as const;

// A closed request takes no event at all: answers to it become follow-up requests instead.
const transitions: Record<TicketStatus, Partial<Record<TicketStatusEvent, TicketStatus>>> = {
  new: { customer_replies: 'new', customer_solves: 'solved', agent_assigns: 'open', ...agentSets },
  open: { customer_replies: 'open', customer_solves: 'solved', agent_assigns: 'open', ...agentSets, lead_reopens: 'open' },
  pending: { customer_replies: 'open', customer_solves: 'solved', agent_assigns: 'pending', ...agentSets, lead_reopens: 'open' },
  on_hold: { customer_replies: 'on_hold', customer_solves: 'solved', agent_assigns: 'on_hold', ...agentSets, lead_reopens: 'open' },
  solved: { customer_replies: 'open', customer_solves: 'solved', agent_assigns: 'solved', ...agentSets, lead_reopens: 'open', auto_close: 'closed' },
  closed: {},
};

export class InvalidTransitionError extends Error {
  constructor(readonly from: TicketStatus, readonly event: TicketStatusEvent) {
    super(`no transition from ${from} on ${event}`);
  }
}

export function canApply(from: TicketStatus, event: TicketStatusEvent): boolean {
  return transitions[from][event] !== undefined;
}

export function nextStatus(from: TicketStatus, event: TicketStatusEvent): TicketStatus {
  const to = transitions[from][event];
  if (!to) throw new InvalidTransitionError(from, event);
  return to;
}
