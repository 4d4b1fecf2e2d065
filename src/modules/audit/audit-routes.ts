// The admins' audit log page (/agent/audit): every admin action, newest first, 50 a page.
import type { FastifyInstance } from 'fastify';
import type { AdminAuditAction } from '../../db/schema.js';
import { requireRole } from '../../plugins/auth.js';
import { agentNavHook } from '../tickets/agent-nav.js';
import type { AgentTicketsService } from '../tickets/agent-tickets-service.js';
import { teamRoleLabels, type TeamRole } from '../team/team-rules.js';
import type { AuditListRow } from './audit-repository.js';
import type { AuditService } from './audit-service.js';

export type AuditRoutesOptions = { audit: AuditService; agentTickets: AgentTicketsService };

export const auditPageSize = 50;

export const auditActionLabels: Record<AdminAuditAction, string> = {
  role_changed: 'Rolle geändert',
  member_invited: 'In das Team eingeladen',
  invitation_resent: 'Einladung erneut gesendet',
  member_deactivated: 'Konto deaktiviert',
  member_reactivated: 'Konto reaktiviert',
  settings_saved: 'Einstellungen gespeichert',
  person_exported: 'Daten einer Person exportiert',
  person_erased: 'Person gelöscht',
};

/** The details as one line of German; only values the log may hold (roles, setting names, counts), never personal data. */
function describeDetails(row: AuditListRow): string {
  const details = row.details;
  const parts: string[] = [];
  const roleLabel = (role: unknown) => teamRoleLabels[role as TeamRole] ?? String(role);
  if (details.from !== undefined && details.to !== undefined) parts.push(`${roleLabel(details.from)} → ${roleLabel(details.to)}`);
  else if (details.role !== undefined) parts.push(`Rolle: ${roleLabel(details.role)}`);
  if (details.changed !== undefined) parts.push(`Geändert: ${String(details.changed) || 'nichts'}`);
  if (details.requests !== undefined) parts.push(`${String(details.requests)} Anfragen`);
  if (details.messages !== undefined) parts.push(`${String(details.messages)} Nachrichten`);
  if (details.files !== undefined) parts.push(`${String(details.files)} Dateien`);
  if (details.via !== undefined) parts.push(details.via === 'cli' ? 'über die Kommandozeile' : 'im Agentenbereich');
  return parts.join(' · ');
}

export function auditPageModel(rows: AuditListRow[], hasMore: boolean) {
  return {
    title: 'Protokoll',
    entries: rows.map((row) => ({
      id: row.id,
      at: row.at,
      actor: row.actorId === null ? 'Kommandozeile' : (row.actorName ?? `Konto #${row.actorId}`),
      action: auditActionLabels[row.action],
      target: row.targetUserId === null ? '' : `${row.targetName ?? 'Konto'} (#${row.targetUserId})`,
      details: describeDetails(row),
    })),
    nextPage: hasMore ? `/agent/audit?vor=${rows.at(-1)!.id}` : undefined,
  };
}

export default async function auditRoutes(app: FastifyInstance, { audit, agentTickets }: AuditRoutesOptions) {
  app.addHook('onRequest', requireRole('admin'));
  app.addHook('preHandler', agentNavHook(agentTickets));

  app.get<{ Querystring: { vor?: string } }>('/audit', async (request, reply) => {
    const before = /^\d{1,12}$/.test(request.query.vor ?? '') ? Number(request.query.vor) : undefined;
    const { rows, hasMore } = audit.page(before, auditPageSize);
    return reply.view('agent/audit', auditPageModel(rows, hasMore));
  });
}
