// Builds the whole portal from a config; tests build it the same way with a temporary database.
import fastifyFormbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import { join } from 'node:path';
import Fastify from 'fastify';
import type { AppConfig } from './config.js';
import { type Db, openDatabase } from './db/client.js';
import { type Clock, systemClock } from './lib/clock.js';
import { createSigner } from './lib/tokens.js';
import { loggerOptions } from './logger.js';
import homeRoutes from './modules/home/home-routes.js';
import attachmentRoutes from './modules/attachments/attachment-routes.js';
import { createAttachmentStore } from './modules/attachments/attachment-store.js';
import { type AttachmentsService, createAttachmentsService } from './modules/attachments/attachments-service.js';
import { uploadForms } from './modules/attachments/upload-form.js';
import { type Automations, createAutomations } from './modules/automation/automations-service.js';
import { createDueTimes, type DueTimes } from './modules/automation/due-times.js';
import { createScheduler, type Scheduler } from './modules/automation/scheduler.js';
import { createRatingLinks, type RatingLinks } from './modules/ratings/rating-links.js';
import { ratingPageRoutes, ratingReportRoutes } from './modules/ratings/rating-routes.js';
import { createRatingsService, type RatingsService } from './modules/ratings/ratings-service.js';
import kbAgentRoutes from './modules/kb/kb-agent-routes.js';
import inboundRoutes from './modules/inbound/inbound-routes.js';
import { createInboundService, type InboundService } from './modules/inbound/inbound-service.js';
import kbRoutes from './modules/kb/kb-routes.js';
import { createKbService, type KbService } from './modules/kb/kb-service.js';
import { createMessageIds } from './modules/mail/message-ids.js';
import auditRoutes from './modules/audit/audit-routes.js';
import { createAuditService } from './modules/audit/audit-service.js';
import privacyRoutes from './modules/privacy/privacy-routes.js';
import { createPrivacyService, type PrivacyService } from './modules/privacy/privacy-service.js';
import { createRetention } from './modules/privacy/retention.js';
import { createOutbox } from './modules/mail/outbox.js';
import { createMailAdminService } from './modules/mail/mail-admin-service.js';
import mailRoutes from './modules/mail/mail-routes.js';
import { createOutboxWorker, type OutboxWorker } from './modules/mail/outbox-worker.js';
import { createMailTransport, type MailTransport } from './modules/mail/transport.js';
import { createSettingsService, type SettingsService } from './modules/settings/settings-service.js';
import contactRoutes from './modules/tickets/contact-routes.js';
import customerRoutes from './modules/tickets/customer-routes.js';
import { createTicketsService, type TicketsService } from './modules/tickets/tickets-service.js';
import agentRoutes from './modules/tickets/agent-routes.js';
import { type AgentTicketsService, createAgentTicketsService } from './modules/tickets/agent-tickets-service.js';
import { type CannedRepliesService, createCannedRepliesService } from './modules/canned/canned-service.js';
import cannedRoutes from './modules/canned/canned-routes.js';
import settingsRoutes from './modules/settings/settings-routes.js';
import teamRoutes from './modules/team/team-routes.js';
import { createTeamService } from './modules/team/team-service.js';
import accountRoutes from './modules/users/account-routes.js';
import { type AccountsService, createAccountsService } from './modules/users/accounts-service.js';
import authRoutes, { type RateLimit } from './modules/users/auth-routes.js';
import { createPasswordHasher, type PasswordHasher } from './modules/users/passwords.js';
import { publicDir } from './paths.js';
import authPlugin from './plugins/auth.js';
import encodeOncePlugin from './plugins/encode-once.js';
import errorsPlugin from './plugins/errors.js';
import securityPlugin from './plugins/security.js';
import sessionPlugin from './plugins/session.js';
import viewsPlugin from './plugins/views.js';

export type RateLimits = { login: RateLimit; passwordReset: RateLimit; contactForm: RateLimit };

export const defaultRateLimits: RateLimits = {
  login: { max: 10, timeWindow: 5 * 60_000 },
  passwordReset: { max: 5, timeWindow: 15 * 60_000 },
  contactForm: { max: 10, timeWindow: 60 * 60_000 },
};

export type Services = {
  db: Db;
  clock: Clock;
  settings: SettingsService;
  accounts: AccountsService;
  tickets: TicketsService;
  agentTickets: AgentTicketsService;
  canned: CannedRepliesService;
  kb: KbService;
  outboxWorker: OutboxWorker;
  attachments: AttachmentsService;
  dueTimes: DueTimes;
  ratingLinks: RatingLinks;
  ratings: RatingsService;
  automations: Automations;
  /** Started by src/server.ts only: tests and the CLI run the automations themselves. */
  scheduler: Scheduler;
  /** Inbound mail; src/server.ts starts its IMAP poller and SMTP listener when configured, the CLI's mail:ingest feeds it. */
  inbound: InboundService;
  /** GDPR: export and erasure of a person (admin page and CLI). */
  privacy: PrivacyService;
};

export type Overrides = Partial<{
  db: Db; clock: Clock; hasher: PasswordHasher; transport: MailTransport; rateLimits: RateLimits;
  /** Where log lines go instead of stdout: tests read what the real app logs. */
  logStream: { write(line: string): void };
}>;

declare module 'fastify' {
  interface FastifyInstance {
    services: Services;
    /** Every registered route, so tests can check that each one is guarded and CSRF-protected. */
    routeTable: Array<{ method: string; url: string }>;
  }
}

function trustNearestHops(count: number) {
  return (_address: string, hop: number) => hop < count;
}

export async function buildApp(config: AppConfig, overrides: Overrides = {}) {
  const app = Fastify({
    logger: loggerOptions(config, overrides.logStream),
    // Fastify no longer takes a bare hop count; trusting the nearest n hops is what TRUST_PROXY=n means.
    trustProxy: typeof config.trustProxy === 'number' ? trustNearestHops(config.trustProxy) : config.trustProxy,
    bodyLimit: 1024 * 1024,
  });
  const db = overrides.db ?? openDatabase(config.databasePath);
  const clock = overrides.clock ?? systemClock;
  const rateLimits = overrides.rateLimits ?? defaultRateLimits;
  const settings = createSettingsService({ db, clock });
  const signer = createSigner(config.appSecret);
  const messageIds = createMessageIds(signer, new URL(config.publicUrl).hostname);
  const outbox = createOutbox({
    clock, messageIds, supportAddress: config.supportAddress, settings: () => settings.current(),
    footer: () => `${settings.current().portalName} · ${config.publicUrl}`,
  });
  const accounts = createAccountsService({ db, clock, outbox, settings, hasher: overrides.hasher ?? createPasswordHasher(), publicUrl: config.publicUrl });
  const attachmentStore = createAttachmentStore(join(config.dataDir, 'attachments'));
  const attachments = createAttachmentsService({ db, clock, settings, store: attachmentStore });
  const inboundDir = join(config.dataDir, 'inbound');
  const dueTimes = createDueTimes(() => settings.current());
  const ratingLinks = createRatingLinks(signer, config.publicUrl);
  const lifecycle = { dueTimes, attachments, ratingLinks };
  const tickets = createTicketsService({ db, clock, outbox, settings, publicUrl: config.publicUrl, ...lifecycle });
  const agentTickets = createAgentTicketsService({ db, clock, outbox, settings, publicUrl: config.publicUrl, ...lifecycle });
  const ratings = createRatingsService({ db, clock });
  const retention = createRetention({ db, settings, inboundDir });
  const automations = createAutomations({ db, clock, outbox, settings, attachments, ratingLinks, retention, publicUrl: config.publicUrl });
  const scheduler = createScheduler({ automations, clock, logger: app.log });
  const canned = createCannedRepliesService({ db, clock });
  const kb = createKbService({ db, clock });
  const inbound = createInboundService({
    db, clock, settings, messageIds, tickets, attachments, dataDir: config.dataDir, logger: app.log,
    ownAddresses: [config.supportAddress, config.mailFrom],
  });
  const team = createTeamService({ db, clock, outbox, accounts, settings, publicUrl: config.publicUrl });
  const privacy = createPrivacyService({ db, clock, attachmentStore, inboundDir });
  const audit = createAuditService({ db });
  const mailAdmin = createMailAdminService({ db, clock, wakeWorker: () => void outboxWorker.deliverDue().catch(() => undefined) });
  const outboxWorker = createOutboxWorker({
    db, clock, outbox, from: config.mailFrom, logger: app.log,
    transport: overrides.transport ?? createMailTransport(config, app.log),
    attachmentFiles: (ids) => attachments.forMail(ids),
  });
  app.decorate('services', { db, clock, settings, accounts, tickets, agentTickets, canned, kb, outboxWorker,
    attachments, dueTimes, ratingLinks, ratings, automations, scheduler, inbound, privacy,
  });
  const routeTable: Array<{ method: string; url: string }> = [];
  app.decorate('routeTable', routeTable);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routeTable.push({ method, url: route.url });
  });

  await app.register(fastifyFormbody);
  // Every form posts urlencoded or multipart; a JSON body (typed values no form can send) is refused with 415.
  app.removeContentTypeParser('application/json');
  await app.register(sessionPlugin, { db, clock, config });
  // Before the CSRF check: forms with files carry their token ahead of the files, and it is read from there.
  await app.register(uploadForms, { limits: () => attachments.limits() });
  await app.register(securityPlugin, { config });
  await app.register(authPlugin, { accounts });
  await app.register(viewsPlugin, { production: config.production, settings, supportAddress: config.supportAddress });
  await app.register(errorsPlugin);
  await app.register(encodeOncePlugin);
  await app.register(fastifyStatic, { root: publicDir, prefix: '/static/', maxAge: config.production ? '1d' : 0 });

  // Public pages: anyone may open them.
  await app.register(homeRoutes, { db });
  await app.register(authRoutes, { accounts, loginRateLimit: rateLimits.login, resetRateLimit: rateLimits.passwordReset });
  await app.register(contactRoutes, { tickets, attachments, signer, rateLimit: rateLimits.contactForm });
  // The rating page: no login, the link's HMAC names the one request it may rate.
  await app.register(ratingPageRoutes, { ratings, ratingLinks, tickets, agentTickets });
  await app.register(kbRoutes, { kb, secureCookies: config.secureCookies }); // Wissensdatenbank; comments check the login themselves
  // Customer pages: each scope guards itself with requireLogin.
  await app.register(customerRoutes, { tickets, attachments });
  await app.register(attachmentRoutes, { attachments });
  await app.register(accountRoutes, { accounts });
  // Agent area: staff only, guarded in its scope; team-lead and admin actions add their own guard.
  await app.register(agentRoutes, { agentTickets, canned, attachments, clock, prefix: '/agent' });
  await app.register(ratingReportRoutes, { ratings, ratingLinks, tickets, agentTickets, prefix: '/agent' });
  // Each /agent plugin guards its own scope: Textbausteine for all staff, team and settings for admins only.
  const mailDeliveryWarning = config.production && !config.smtpUrl;
  await app.register(cannedRoutes, { canned, agentTickets, prefix: '/agent' });
  await app.register(teamRoutes, { team, agentTickets, mailDeliveryWarning, prefix: '/agent' });
  await app.register(settingsRoutes, { settings, agentTickets, mailDeliveryWarning, prefix: '/agent' });
  await app.register(mailRoutes, { mailAdmin, agentTickets, prefix: '/agent' });
  await app.register(kbAgentRoutes, { kb, agentTickets, prefix: '/agent' });
  await app.register(inboundRoutes, { inbound, agentTickets, prefix: '/agent' }); // E-Mail-Eingang: quarantine, failed mails
  await app.register(privacyRoutes, { privacy, agentTickets, prefix: '/agent' }); // Datenschutz: export and erase a person (admins)
  await app.register(auditRoutes, { audit, agentTickets, prefix: '/agent' }); // Protokoll of admin actions (admins)

  app.addHook('onClose', async () => {
    await scheduler.stop();
    await inbound.idle();
    await outboxWorker.stop();
    db.$client.close();
  });
  return app;
}
