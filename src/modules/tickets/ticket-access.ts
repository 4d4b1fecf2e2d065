// Who may see which request: the requester, and everyone who works in the agent area.
import type { Ticket, User } from '../../db/schema.js';

export function isStaff(user: Pick<User, 'role'>): boolean {
  return user.role === 'agent' || user.role === 'lead' || user.role === 'admin';
}

export function canViewTicket(user: Pick<User, 'id' | 'role'> | undefined, ticket: Pick<Ticket, 'requesterId'>): boolean {
  if (!user) return false;
  return ticket.requesterId === user.id || isStaff(user);
}

/** The customer portal shows a request to its requester only; staff use /agent. */
export function canViewInPortal(user: Pick<User, 'id'> | undefined, ticket: Pick<Ticket, 'requesterId'>): boolean {
  return user !== undefined && ticket.requesterId === user.id;
}
