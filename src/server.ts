// Starts the portal: configuration, app, mail worker, listening; stops cleanly on SIGTERM or SIGINT.
import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { startInboundSources } from './modules/inbound/inbound-sources.js';

async function main() {
  const config = loadConfig();
  const app = await buildApp(config);
  if (!config.smtpUrl) {
    const warning = `no SMTP_URL set: outgoing mail is written to ${config.mailDir} and NOT delivered`;
    if (config.production) app.log.warn(`!!! ${warning.toUpperCase()} !!!`);
    else app.log.info(warning);
  }
  if (config.secureCookies && config.trustProxy === false) {
    app.log.warn('PUBLIC_URL is https but TRUST_PROXY is unset: logins only work when the proxy\'s X-Forwarded-Proto is trusted');
  }
  app.services.outboxWorker.start();
  // Auto-close, survey and reminder mails, unsent uploads: once a minute, each job under a lease in the database.
  app.services.scheduler.start();
  // Inbound mail: the IMAP poller and the SMTP listener only when IMAP_URL or SMTP_INBOUND_PORT is set; stopped before the database closes.
  const { inbound, db, clock, settings } = app.services;
  const inboundSources = await startInboundSources({ inbound, db, clock, settings, logger: app.log, config });
  app.addHook('preClose', () => inboundSources.stop());
  await app.listen({ host: config.host, port: config.port });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      app.log.warn({ signal }, 'second signal, exiting at once');
      process.exit(1);
    }
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    app.close().then(() => process.exit(0), (error) => {
      app.log.error({ err: error }, 'shutdown failed');
      process.exit(1);
    });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
