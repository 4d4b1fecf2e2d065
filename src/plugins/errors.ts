// German error pages: 404 for anything missing (or not one's own), friendly pages for errors people can cause, 500 otherwise.
import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

type ErrorPage = { status: number; title: string; message: string };

function pageForError(error: FastifyError): ErrorPage {
  const status = error.statusCode ?? 500;
  if (error.code?.startsWith('FST_CSRF_')) {
    return { status: 403, title: 'Formular abgelaufen', message: 'Das Formular war zu lange geöffnet oder ist unvollständig angekommen. Bitte laden Sie die Seite neu und senden Sie es noch einmal.' };
  }
  if (status === 429) {
    return { status, title: 'Zu viele Versuche', message: 'Sie haben das in kurzer Zeit zu oft versucht. Bitte warten Sie einige Minuten und versuchen Sie es dann erneut.' };
  }
  if (status === 413) {
    return { status, title: 'Eingabe zu groß', message: 'Ihre Eingabe ist zu groß, um sie anzunehmen. Bitte kürzen Sie den Text und versuchen Sie es erneut.' };
  }
  if (status === 403) {
    return { status, title: 'Kein Zugriff', message: 'Für diese Seite fehlt Ihnen die Berechtigung.' };
  }
  if (status >= 400 && status < 500) {
    return { status, title: 'Ungültige Anfrage', message: 'Diese Anfrage konnte nicht verarbeitet werden. Bitte kehren Sie zur vorherigen Seite zurück und versuchen Sie es erneut.' };
  }
  return { status: 500, title: 'Ein Fehler ist aufgetreten', message: 'Leider ist bei uns ein Fehler aufgetreten. Bitte versuchen Sie es in einigen Minuten erneut.' };
}

// The last resort when even the templates fail: no layout, no settings, nothing that can throw.
function bareErrorPage(page: ErrorPage): string {
  return `<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>${page.title}</title></head>`
    + `<body><main><h1>${page.title}</h1><p>${page.message}</p><p><a href="/">Zur Startseite</a></p></main></body></html>`;
}

async function errorsPlugin(app: FastifyInstance) {
  app.setNotFoundHandler(async (request, reply) => {
    app.preparePage(request, reply);
    return reply.code(404).view('errors/error', {
      title: 'Seite nicht gefunden',
      message: 'Diese Seite gibt es nicht, oder Sie haben keinen Zugriff darauf.',
    });
  });

  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    const page = pageForError(error);
    if (page.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: error.code, statusCode: page.status }, error.message);
    app.preparePage(request, reply);
    try {
      const html = await reply.viewAsync('errors/error', { title: page.title, message: page.message });
      return reply.code(page.status).type('text/html; charset=utf-8').send(html);
    } catch (renderError) {
      request.log.error({ err: renderError }, 'error page failed to render');
      return reply.code(page.status).type('text/html; charset=utf-8').send(bareErrorPage(page));
    }
  });
}

export default fp(errorsPlugin, { name: 'errors', dependencies: ['views'] });
