// Login, logout, "Kennwort vergessen" and the mailed link to set a password. Open to everyone.
import type { FastifyInstance } from 'fastify';
import { fieldErrors, keptInput } from '../../lib/forms.js';
import { safeLocalPath } from '../../lib/safe-redirect.js';
import { isStaff } from '../tickets/ticket-access.js';
import type { AccountsService } from './accounts-service.js';
import { passwordLength } from './passwords.js';
import { forgotForm, loginForm, setPasswordForm } from './users-forms.js';

export type RateLimit = { max: number; timeWindow: number };
export type AuthRoutesOptions = { accounts: AccountsService; loginRateLimit: RateLimit; resetRateLimit: RateLimit };

const loginNotices: Record<string, string> = {
  'kennwort-gespeichert': 'Ihr Kennwort wurde gespeichert. Bitte melden Sie sich jetzt damit an.',
  abgemeldet: 'Sie wurden abgemeldet.',
};

export default async function authRoutes(app: FastifyInstance, { accounts, loginRateLimit, resetRateLimit }: AuthRoutesOptions) {
  app.get<{ Querystring: { next?: string; hinweis?: string } }>('/login', async (request, reply) => {
    const next = safeLocalPath(request.query.next, '');
    if (request.user) return reply.redirect(next || homeOf(request.user), 303);
    return reply.view('auth/login', {
      title: 'Anmelden', input: { next }, errors: {}, notice: loginNotices[request.query.hinweis ?? ''],
    });
  });

  app.post('/login', { config: { rateLimit: loginRateLimit } }, async (request, reply) => {
    const form = loginForm.safeParse(request.body ?? {});
    const input = keptInput(request.body);
    if (!form.success) return reply.code(422).view('auth/login', { title: 'Anmelden', input, errors: fieldErrors(form.error) });
    const user = await accounts.authenticate(form.data.email, form.data.password);
    if (!user) {
      return reply.code(422).view('auth/login', {
        title: 'Anmelden', input, errors: { form: 'E-Mail-Adresse oder Kennwort ist nicht richtig. Bitte versuchen Sie es erneut.' },
      });
    }
    // A fresh session id at login: an id planted before login is worth nothing afterwards.
    await request.session.regenerate();
    request.session.userId = user.id;
    return reply.redirect(safeLocalPath(form.data.next, '') || homeOf(user), 303);
  });

  app.post('/logout', async (request, reply) => {
    if (request.session.userId !== undefined) await request.session.destroy();
    return reply.redirect('/login?hinweis=abgemeldet', 303);
  });

  app.get('/login/help', async (_request, reply) => reply.view('auth/login-help', { title: 'Ich kann mich nicht einloggen' }));

  for (const path of ['/password/forgot', '/access/help']) {
    app.get(path, async (_request, reply) => reply.view('auth/forgot', { title: 'Kennwort vergessen', input: {}, errors: {} }));
  }

  app.post('/password/forgot', { config: { rateLimit: resetRateLimit } }, async (request, reply) => {
    const form = forgotForm.safeParse(request.body ?? {});
    if (!form.success) {
      return reply.code(422).view('auth/forgot', { title: 'Kennwort vergessen', input: keptInput(request.body), errors: fieldErrors(form.error) });
    }
    accounts.requestPasswordReset(form.data.email);
    return reply.view('auth/forgot-sent', { title: 'Kennwort vergessen' });
  });

  app.get<{ Params: { token: string } }>('/password/reset/:token', async (request, reply) => {
    if (!accounts.isUsablePasswordToken(request.params.token)) return reply.code(410).view('auth/reset-invalid', { title: 'Link ungültig' });
    return reply.view('auth/reset', { title: 'Neues Kennwort festlegen', token: request.params.token, errors: {}, passwordLength });
  });

  app.post<{ Params: { token: string } }>('/password/reset/:token', { config: { rateLimit: resetRateLimit } }, async (request, reply) => {
    const { token } = request.params;
    const form = setPasswordForm.safeParse(request.body ?? {});
    if (!form.success) {
      if (!accounts.isUsablePasswordToken(token)) return reply.code(410).view('auth/reset-invalid', { title: 'Link ungültig' });
      return reply.code(422).view('auth/reset', { title: 'Neues Kennwort festlegen', token, errors: fieldErrors(form.error), passwordLength });
    }
    const outcome = await accounts.setPasswordWithToken(token, form.data.password);
    if (outcome === 'invalid-token') return reply.code(410).view('auth/reset-invalid', { title: 'Link ungültig' });
    if (request.session.userId !== undefined) await request.session.destroy();
    return reply.redirect('/login?hinweis=kennwort-gespeichert', 303);
  });
}

function homeOf(user: { role: string }): string {
  return isStaff(user as { role: 'agent' }) ? '/agent' : '/requests';
}
