// The agent layout's view list with counts; every /agent route plugin adds it, since a preHandler stays in its own scope.
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import type { AgentTicketsService } from './agent-tickets-service.js';
import { formatViewCount } from './agent-views.js';

/** A preHandler for scopes guarded to staff: fills reply.locals.agentNav for the layout. */
export function agentNavHook(agentTickets: Pick<AgentTicketsService, 'views' | 'viewCounts'>) {
  return function agentNav(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) {
    const user = request.user;
    if (user) {
      const counts = agentTickets.viewCounts(user);
      Object.assign(reply.locals, {
        agentNav: agentTickets.views(user).map((view) => ({ key: view.key, label: view.label, count: formatViewCount(counts[view.key] ?? 0) })),
      });
    }
    done();
  };
}
