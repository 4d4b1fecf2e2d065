// The status transition table, checked cell by cell against the rules of DESIGN.md §2.
import { describe, expect, test } from 'vitest';
import { ticketStatuses, type TicketStatus } from '../../src/db/schema.js';
import {
  canApply, InvalidTransitionError, nextStatus, ticketEvents, type TicketStatusEvent,
} from '../../src/modules/tickets/ticket-status.js';

// Written out by hand from DESIGN.md §2, not derived from the code: `null` means the event must be refused.
const expected: Record<TicketStatus, Record<TicketStatusEvent, TicketStatus | null>> = {
  new: {
    customer_replies: 'new', customer_solves: 'solved', agent_assigns: 'open',
    agent_sets_open: 'open', agent_sets_pending: 'pending', agent_sets_on_hold: 'on_hold', agent_sets_solved: 'solved',
    lead_reopens: null, auto_close: null,
  },
  open: {
    customer_replies: 'open', customer_solves: 'solved', agent_assigns: 'open',
    agent_sets_open: 'open', agent_sets_pending: 'pending', agent_sets_on_hold: 'on_hold', agent_sets_solved: 'solved',
    lead_reopens: 'open', auto_close: null,
  },
  pending: {
    customer_replies: 'open', customer_solves: 'solved', agent_assigns: 'pending',
    agent_sets_open: 'open', agent_sets_pending: 'pending', agent_sets_on_hold: 'on_hold', agent_sets_solved: 'solved',
    lead_reopens: 'open', auto_close: null,
  },
  on_hold: {
    customer_replies: 'on_hold', customer_solves: 'solved', agent_assigns: 'on_hold',
    agent_sets_open: 'open', agent_sets_pending: 'pending', agent_sets_on_hold: 'on_hold', agent_sets_solved: 'solved',
    lead_reopens: 'open', auto_close: null,
  },
  solved: {
    customer_replies: 'open', customer_solves: 'solved', agent_assigns: 'solved',
    agent_sets_open: 'open', agent_sets_pending: 'pending', agent_sets_on_hold: 'on_hold', agent_sets_solved: 'solved',
    lead_reopens: 'open', auto_close: 'closed',
  },
  closed: {
    customer_replies: null, customer_solves: null, agent_assigns: null,
    agent_sets_open: null, agent_sets_pending: null, agent_sets_on_hold: null, agent_sets_solved: null,
    lead_reopens: null, auto_close: null,
  },
};

const cells = ticketStatuses.flatMap((from) => ticketEvents.map((event) => ({ from, event, to: expected[from][event] })));

test('the expected table covers exactly the statuses and events the code knows', () => {
  expect(Object.keys(expected).sort()).toEqual([...ticketStatuses].sort());
  for (const status of ticketStatuses) expect(Object.keys(expected[status]).sort()).toEqual([...ticketEvents].sort());
  expect(cells).toHaveLength(6 * 9);
});

describe('allowed transitions', () => {
  test.each(cells.filter((cell) => cell.to !== null))('$from on $event → $to', ({ from, event, to }) => {
    expect(nextStatus(from, event)).toBe(to);
    expect(canApply(from, event)).toBe(true);
  });
});

describe('refused transitions', () => {
  test.each(cells.filter((cell) => cell.to === null))('$from on $event throws InvalidTransitionError', ({ from, event }) => {
    expect(canApply(from, event)).toBe(false);
    let thrown: unknown;
    try {
      nextStatus(from, event);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidTransitionError);
    expect(thrown).toMatchObject({ from, event });
  });
});

describe('the rules of DESIGN.md §2', () => {
  test('a customer reply reopens pending and solved requests', () => {
    expect(nextStatus('pending', 'customer_replies')).toBe('open');
    expect(nextStatus('solved', 'customer_replies')).toBe('open');
  });

  test('a customer reply leaves new, open and on_hold unchanged', () => {
    for (const status of ['new', 'open', 'on_hold'] as const) expect(nextStatus(status, 'customer_replies')).toBe(status);
  });

  test('the solved checkbox solves every request that is not closed', () => {
    for (const status of ticketStatuses.filter((s) => s !== 'closed')) expect(nextStatus(status, 'customer_solves')).toBe('solved');
  });

  test('a closed request takes no event at all', () => {
    for (const event of ticketEvents) expect(() => nextStatus('closed', event)).toThrow(InvalidTransitionError);
  });

  test('an agent assigning a new request makes it open; no agent event leaves a request new', () => {
    expect(nextStatus('new', 'agent_assigns')).toBe('open');
    const agentEvents = ticketEvents.filter((event) => event.startsWith('agent_'));
    for (const status of ticketStatuses) {
      for (const event of agentEvents) if (canApply(status, event)) expect(nextStatus(status, event)).not.toBe('new');
    }
  });

  test('auto_close applies only to solved requests', () => {
    const closable = ticketStatuses.filter((status) => canApply(status, 'auto_close'));
    expect(closable).toEqual(['solved']);
    expect(nextStatus('solved', 'auto_close')).toBe('closed');
  });

  test('nothing but auto_close ever leads to closed', () => {
    for (const { from, event } of cells) {
      if (event !== 'auto_close' && canApply(from, event)) expect(nextStatus(from, event)).not.toBe('closed');
    }
  });
});
