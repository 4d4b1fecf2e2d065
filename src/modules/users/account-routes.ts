// "Mein Konto": name, password change, logging out on every device. Logged-in users only.
import type { FastifyInstance } from 'fastify';
import { fieldErrors, keptInput } from '../../lib/forms.js';
import { requireLogin } from '../../plugins/auth.js';
import type { AccountsService } from './accounts-service.js';
import { passwordLength } from './passwords.js';
import { changePasswordForm, nameForm } from './users-forms.js';

const notices: Record<string, string> = {
  name: 'Ihr Name wurde gespeichert.',
  kennwort: 'Ihr Kennwort wurde geändert. Auf allen anderen Geräten sind Sie jetzt abgemeldet.',
};

export default async function accountRoutes(app: FastifyInstance, { accounts }: { accounts: AccountsService }) {
  app.addHook('onRequest', requireLogin);

  const page = (extra: { errors?: Record<string, string>; input?: Record<string, string>; notice?: string } = {}) => ({
    title: 'Mein Konto', errors: {}, input: {}, passwordLength, ...extra,
  });

  app.get<{ Querystring: { hinweis?: string } }>('/account', async (request, reply) =>
    reply.view('account/show', page({ notice: notices[request.query.hinweis ?? ''] })));

  app.post('/account/name', async (request, reply) => {
    const form = nameForm.safeParse(request.body ?? {});
    if (!form.success) return reply.code(422).view('account/show', page({ errors: fieldErrors(form.error), input: keptInput(request.body) }));
    accounts.rename(request.user!, form.data.name);
    return reply.redirect('/account?hinweis=name', 303);
  });

  app.post('/account/password', async (request, reply) => {
    const form = changePasswordForm.safeParse(request.body ?? {});
    if (!form.success) return reply.code(422).view('account/show', page({ errors: fieldErrors(form.error) }));
    const outcome = await accounts.changePassword(request.user!, form.data.currentPassword, form.data.password, request.session.sessionId);
    if (outcome === 'wrong-current') {
      return reply.code(422).view('account/show', page({ errors: { currentPassword: 'Das bisherige Kennwort ist nicht richtig.' } }));
    }
    return reply.redirect('/account?hinweis=kennwort', 303);
  });

  app.post('/account/logout-everywhere', async (request, reply) => {
    accounts.endAllSessions(request.user!.id);
    await request.session.destroy();
    return reply.redirect('/login?hinweis=abgemeldet', 303);
  });
}
