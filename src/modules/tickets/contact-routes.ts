// The contact form ("Anfrage einreichen"), open to everyone, and its thank-you page.
import type { FastifyInstance } from 'fastify';
import { fieldErrors, keptInput } from '../../lib/forms.js';
import type { Signer } from '../../lib/tokens.js';
import { contactFormAnonymous, contactFormLoggedIn, descriptionMaxLength, subjectMaxLength } from './tickets-forms.js';
import { FollowUpNotAllowedError, type TicketsService } from './tickets-service.js';

export type ContactRoutesOptions = { tickets: TicketsService; signer: Signer; rateLimit: { max: number; timeWindow: number } };

const limits = { subjectMaxLength, descriptionMaxLength };

export default async function contactRoutes(app: FastifyInstance, { tickets, signer, rateLimit }: ContactRoutesOptions) {
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
    return reply.view('requests/new', { title: 'Anfrage einreichen', input, errors: {}, limits });
  });

  app.post('/requests/new', {
    config: { rateLimit: { ...rateLimit, allowList: (request) => request.user !== undefined } },
  }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    // People never see the "website" field; a filled one means a bot. It is told nothing different.
    if (typeof body.website === 'string' && body.website !== '') return reply.redirect('/requests/received/0', 303);

    const form = request.user ? contactFormLoggedIn.safeParse(body) : contactFormAnonymous.safeParse(body);
    if (!form.success) {
      return reply.code(422).view('requests/new', { title: 'Anfrage einreichen', input: keptInput(body), errors: fieldErrors(form.error), limits });
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
    return reply.view('requests/received', { title: 'Vielen Dank für Ihre Anfrage', ticketId });
  });
}
