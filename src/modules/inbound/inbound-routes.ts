// The agents' "E-Mail-Eingang": quarantine and failed mails with their decisions, and one mail with all its text.
import type { FastifyInstance } from 'fastify';
import { requireRole, staffRoles } from '../../plugins/auth.js';
import { formatFileSize } from '../attachments/file-types.js';
import { agentNavHook } from '../tickets/agent-nav.js';
import type { AgentTicketsService } from '../tickets/agent-tickets-service.js';
import type { InboundListRow } from './inbound-repository.js';
import type { InboundService } from './inbound-service.js';

export type InboundRoutesOptions = { inbound: InboundService; agentTickets: AgentTicketsService };

export const outcomeLabels: Record<string, string> = {
  new_request: 'Neue Anfrage',
  reply: 'Antwort auf eine Anfrage',
  follow_up: 'Folgeanfrage zu einer geschlossenen Anfrage',
  linked_request: 'Eigene Anfrage (nicht vom Anfragesteller)',
  auto_reply_note: 'Automatische Antwort, als Notiz abgelegt',
  auto_reply_ignored: 'Automatische Antwort, ignoriert',
  bounce: 'Unzustellbar-Meldung, E-Mail als unzustellbar markiert',
  bounce_unmatched: 'Unzustellbar-Meldung ohne passende E-Mail',
  bounce_temporary: 'Verzögerungsmeldung, ignoriert',
  loop: 'Eigene E-Mail, ignoriert',
  quarantine: 'Zu viele E-Mails dieses Absenders',
  no_sender: 'Ohne Absenderadresse',
  released: 'Freigegeben',
  discarded: 'Verworfen',
};

export const statusLabels: Record<string, string> = {
  received: 'Wird verarbeitet',
  processed: 'Verarbeitet',
  quarantined: 'In Quarantäne',
  discarded: 'Verworfen',
  failed: 'Fehlgeschlagen',
};

const notices: Record<string, string> = {
  freigegeben: 'Die E-Mail wurde freigegeben und verarbeitet.',
  verworfen: 'Die E-Mail wurde verworfen.',
  unveraendert: 'Diese E-Mail wartet nicht (mehr) auf eine Entscheidung.',
};

function listRows(rows: InboundListRow[]) {
  return rows.map((row) => ({
    ...row,
    statusLabel: statusLabels[row.status] ?? row.status,
    outcomeLabel: row.outcome ? (outcomeLabels[row.outcome] ?? row.outcome) : '–',
    sizeLabel: formatFileSize(row.size),
    decidable: row.status === 'quarantined' || row.status === 'failed',
  }));
}

function parseId(text: string): number | undefined {
  return /^\d{1,12}$/.test(text) ? Number(text) : undefined;
}

export default async function inboundRoutes(app: FastifyInstance, { inbound, agentTickets }: InboundRoutesOptions) {
  app.addHook('onRequest', requireRole(...staffRoles));
  app.addHook('preHandler', agentNavHook(agentTickets));

  app.get<{ Querystring: { hinweis?: string } }>('/inbound', async (request, reply) =>
    reply.view('agent/inbound', {
      title: 'E-Mail-Eingang',
      waiting: listRows(inbound.needingAttention()),
      recent: listRows(inbound.recent()),
      notice: notices[request.query.hinweis ?? ''],
    }));

  app.get<{ Params: { id: string } }>('/inbound/:id', async (request, reply) => {
    const id = parseId(request.params.id);
    const found = id === undefined ? undefined : await inbound.inspect(id);
    if (!found) return reply.callNotFound();
    const { row, facts, message } = found;
    return reply.view('agent/inbound-mail', {
      title: `E-Mail: ${row.subject || facts?.subject || '(ohne Betreff)'}`,
      mail: {
        ...row,
        statusLabel: statusLabels[row.status] ?? row.status,
        outcomeLabel: row.outcome ? (outcomeLabels[row.outcome] ?? row.outcome) : '–',
        sizeLabel: formatFileSize(row.size),
        decidable: row.status === 'quarantined' || row.status === 'failed',
      },
      facts: facts && {
        from: facts.from ? `${facts.from.name} <${facts.from.address}>` : '–',
        to: facts.recipients.join(', ') || '–',
        subject: facts.subject || '(ohne Betreff)',
        reply: facts.text.reply,
        full: facts.text.full,
        classification: facts.classification.kind === 'auto_reply' ? `Automatische Antwort (${facts.classification.reason})`
          : facts.classification.kind === 'bounce' ? `Unzustellbar-Meldung${facts.classification.bounce.status ? ` (${facts.classification.bounce.status})` : ''}`
            : 'Von einer Person geschrieben',
        attachments: facts.attachments.map((file) => ({ filename: file.filename, sizeLabel: formatFileSize(file.size), contentType: file.contentType })),
      },
      message,
    });
  });

  // The stored original, for an agent who needs the headers or a file that was not taken over. Never rendered by the browser.
  app.get<{ Params: { id: string } }>('/inbound/:id/original', async (request, reply) => {
    const id = parseId(request.params.id);
    const raw = id === undefined ? undefined : inbound.rawOf(id);
    if (!raw) return reply.callNotFound();
    return reply
      .header('content-type', 'application/octet-stream')
      .header('content-disposition', `attachment; filename="e-mail-${id}.eml"`)
      .header('content-security-policy', "sandbox; default-src 'none'")
      .send(raw);
  });

  for (const [path, decision, done] of [['release', 'release', 'freigegeben'], ['discard', 'discard', 'verworfen']] as const) {
    app.post<{ Params: { id: string } }>(`/inbound/:id/${path}`, async (request, reply) => {
      const id = parseId(request.params.id);
      if (id === undefined) return reply.callNotFound();
      const changed = await inbound.decide(id, decision);
      return reply.redirect(`/agent/inbound?hinweis=${changed ? done : 'unveraendert'}`, 303);
    });
  }
}
