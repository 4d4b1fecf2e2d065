// The admins' settings page: every setting shown to people, validated field by field; changes apply at once.
import type { FastifyInstance } from 'fastify';
import { type FieldErrors, fieldErrors, keptInput } from '../../lib/forms.js';
import { requireRole } from '../../plugins/auth.js';
import { agentNavHook } from '../tickets/agent-nav.js';
import type { AgentTicketsService } from '../tickets/agent-tickets-service.js';
import { parseSettingsForm, settingFields, settingGroups, settingsAsInput } from './settings-forms.js';
import type { SettingsService } from './settings-service.js';

export type SettingsRoutesOptions = { settings: SettingsService; agentTickets: AgentTicketsService; mailDeliveryWarning: boolean };

const notices: Record<string, string> = {
  gespeichert: 'Die Einstellungen wurden gespeichert. Kundinnen und Kunden sehen die neuen Angaben ab sofort.',
};

function settingsPageModel(input: Record<string, string>, mailDeliveryWarning: boolean, state: { errors?: FieldErrors; notice?: string } = {}) {
  const groups = Object.entries(settingGroups).map(([group, legend]) => ({
    legend,
    fields: Object.entries(settingFields).filter(([, field]) => field.group === group).map(([key, field]) => ({ key, ...field })),
  }));
  return { title: 'Einstellungen', groups, input, mailDeliveryWarning, errors: {}, notice: undefined, ...state };
}

export default async function settingsRoutes(app: FastifyInstance, { settings, agentTickets, mailDeliveryWarning }: SettingsRoutesOptions) {
  app.addHook('onRequest', requireRole('admin'));
  app.addHook('preHandler', agentNavHook(agentTickets));

  app.get<{ Querystring: { hinweis?: string } }>('/settings', async (request, reply) =>
    reply.view('agent/settings', settingsPageModel(settingsAsInput(settings.current()), mailDeliveryWarning, { notice: notices[request.query.hinweis ?? ''] })));

  app.post('/settings', async (request, reply) => {
    const form = parseSettingsForm(request.body);
    if (!form.success) {
      return reply.code(422).view('agent/settings', settingsPageModel(keptInput(request.body), mailDeliveryWarning, { errors: fieldErrors(form.error) }));
    }
    settings.update(form.data, request.user!);
    return reply.redirect('/agent/settings?hinweis=gespeichert', 303);
  });
}
