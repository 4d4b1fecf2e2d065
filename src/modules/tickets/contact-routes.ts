// The contact form ("Anfrage einreichen"), open to everyone, and its thank-you page.
import type { FastifyInstance } from 'fastify';
import { type FieldErrors, fieldErrors, keptInput } from '../../lib/forms.js';
import type { Settings } from '../settings/settings-schema.js';
import type { Signer } from '../../lib/tokens.js';
import { type AttachmentsService, type StagedFile, uploadFieldModel } from '../attachments/attachments-service.js';
import { receiveUploadForm, refusedMessage } from '../attachments/upload-form.js';
import { contactFormAnonymous, contactFormLoggedIn, descriptionMaxLength, subjectMaxLength } from './tickets-forms.js';
import { FollowUpNotAllowedError, type TicketsService } from './tickets-service.js';

export type ContactRoutesOptions = {
  tickets: TicketsService; attachments: AttachmentsService; signer: Signer; rateLimit: { max: number; timeWindow: number };
};

const limits = { subjectMaxLength, descriptionMaxLength };

function formModel(settings: Settings, input: Record<string, string>, errors: FieldErrors, kept: StagedFile[] = []) {
  return { title: 'Anfrage einreichen', input, errors, limits, uploads: uploadFieldModel(settings, kept) };
}

export default async function contactRoutes(app: FastifyInstance, { tickets, attachments, signer, rateLimit }: ContactRoutesOptions) {
  app.get<{ Querystring: { folgeanfrage?: string } }>('/requests/new', async (request, reply) => {
    const input: Record<string, string> = {};
    const originalId = Number(request.query.folgeanfrage);
    if (request.user && Number.isInteger(originalId)) {
      const original = tickets.findClosedForFollowUp(request.user, originalId);
      if (original) {
        input.subject = `Folgeanfrage zu #${original.id}: ${original.subject}`.slice(0, subjectMaxLength);
        input.followUpOf = String(original.id);
      }
    }
    return reply.view('requests/new', formModel(reply.locals.settings, input, {}));
  });

  app.post('/requests/new', {
    config: { rateLimit: { ...rateLimit, allowList: (request) => request.user !== undefined }, acceptsUploads: true },
  }, async (request, reply) => {
    const upload = await receiveUploadForm(request, attachments, request.user?.id ?? null);
    const body = upload.body;
    // People never see the "website" field; a filled one means a bot. It is told nothing different.
    if (typeof body.website === 'string' && body.website !== '') return reply.redirect('/requests/received/0', 303);

    const form = request.user ? contactFormLoggedIn.safeParse(body) : contactFormAnonymous.safeParse(body);
    const refused = refusedMessage(upload.refused);
    if (!form.success || refused) {
      const errors = { ...(form.success ? {} : fieldErrors(form.error)), ...(refused ? { attachments: refused } : {}) };
      return reply.code(422).view('requests/new', formModel(reply.locals.settings, keptInput(body), errors, upload.files));
    }
    const data = form.data;
    try {
      const ticket = tickets.createRequest({
        requester: request.user,
        name: 'name' in data ? String(data.name) : '',
        email: 'email' in data ? String(data.email) : '',
        subject: data.subject,
        description: data.description,
        followUpOfId: data.followUpOf,
        attachmentTokens: upload.files.map((file) => file.token),
      });
      const id = String(ticket.id);
      return reply.redirect(`/requests/received/${id}.${signer.sign('receipt', id)}`, 303);
    } catch (error) {
      if (error instanceof FollowUpNotAllowedError) return reply.callNotFound();
      throw error;
    }
  });

  app.get<{ Params: { receipt: string } }>('/requests/received/:receipt', async (request, reply) => {
    const [id = '', signature = ''] = request.params.receipt.split('.');
    const ticketId = /^\d+$/.test(id) && signer.verify('receipt', id, signature) ? Number(id) : undefined;
    const answerBy = ticketId === undefined ? undefined : tickets.answerPromise(ticketId);
    return reply.view('requests/received', { title: 'Vielen Dank für Ihre Anfrage', ticketId, answerBy });
  });
}
