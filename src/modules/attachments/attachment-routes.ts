// Downloading a file of a request: only for whoever may see its message (404 for everyone else), with headers that never let a browser run it.
import type { FastifyInstance } from 'fastify';
import { requireLogin } from '../../plugins/auth.js';
import type { AttachmentsService } from './attachments-service.js';
import { contentDisposition } from './file-types.js';

/** Even a file that slipped past the checks can run nothing here: no scripts, no plugins, an opaque origin. */
const downloadPolicy = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox";

export default async function attachmentRoutes(app: FastifyInstance, { attachments }: { attachments: AttachmentsService }) {
  app.get<{ Params: { id: string } }>('/attachments/:id', { onRequest: requireLogin }, async (request, reply) => {
    const id = /^\d{1,12}$/.test(request.params.id) ? Number(request.params.id) : undefined;
    const file = id === undefined ? undefined : attachments.findForDownload(request.user, id);
    if (!file) return reply.callNotFound();
    return reply
      .header('Content-Type', file.contentType)
      .header('Content-Length', file.size)
      .header('Content-Disposition', contentDisposition(file.inline ? 'inline' : 'attachment', file.filename))
      .header('X-Content-Type-Options', 'nosniff')
      .header('Content-Security-Policy', downloadPolicy)
      .header('Cross-Origin-Resource-Policy', 'same-origin')
      .send(file.open());
  });
}
