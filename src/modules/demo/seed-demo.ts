// Fills an empty database with a demo shop: a team, customers, requests in every status and the Wissensdatenbank.
import type { Services } from '../../app.js';
import type { TicketStatus, User } from '../../db/schema.js';
import { seedDemoKnowledgeBase } from '../kb/kb-demo.js';
import { insertEvent, insertMessage, insertTicket, updateTicket } from '../tickets/tickets-repository.js';
import { findUserByEmail } from '../users/users-repository.js';

export const demoPassword = 'Demo-Kennwort-2026';

type DemoRequest = { subject: string; status: TicketStatus; question: string; answer?: string; daysAgo: number; solvedByCustomer?: boolean };

const demoRequests: DemoRequest[] = [
  { subject: 'Lok BR 218 fehlt in der Lieferung', status: 'new', question: 'Guten Tag,\nin meinem Paket (Bestellung 100234) fehlt die Lok BR 218. Können Sie das prüfen?', daysAgo: 0 },
  { subject: 'Rechnung als PDF', status: 'open', question: 'Hallo, ich brauche die Rechnung zu Bestellung 100198 als PDF für meine Buchhaltung.', answer: 'Guten Tag, wir haben die Rechnung angefordert und melden uns gleich wieder.', daysAgo: 1 },
  { subject: 'Ersatzteil für Weiche gesucht', status: 'pending', question: 'Ich suche den Antrieb für eine Bogenweiche, Spur H0. Gibt es den einzeln?', answer: 'Den Antrieb gibt es einzeln. Welche Artikelnummer steht auf der Weiche, damit wir das passende Teil heraussuchen?', daysAgo: 2 },
  { subject: 'Lieferung an Packstation', status: 'on_hold', question: 'Kann ich an eine Packstation liefern lassen?', answer: 'Wir klären das gerade mit unserem Versanddienstleister und melden uns.', daysAgo: 3 },
  { subject: 'Rücksendung Signalbrücke', status: 'solved', question: 'Die Signalbrücke passt nicht auf meine Anlage. Wie sende ich sie zurück?', answer: 'Sie finden das Rücksendeetikett im Kundenkonto des Shops unter „Bestellungen“. Die Rücksendung ist für Sie kostenlos.', daysAgo: 2 },
  { subject: 'Digitaldecoder programmieren', status: 'solved', question: 'Danke, mit der Anleitung hat es geklappt!', daysAgo: 1, solvedByCustomer: true },
  { subject: 'Gutschein eingelöst?', status: 'closed', question: 'Wurde mein Gutschein bei Bestellung 099812 berücksichtigt?', answer: 'Ja, der Gutschein über 10 € ist auf der Rechnung abgezogen.', daysAgo: 12 },
];

export async function seedDemo(services: Services): Promise<string> {
  const { db, clock, accounts } = services;
  if (findUserByEmail(db, 'anna.agent@example.com')) return 'The demo shop exists already; nothing changed.';

  const anna = (await accounts.createUser({ email: 'anna.agent@example.com', name: 'Anna Berger', role: 'agent', password: demoPassword })).user;
  await accounts.createUser({ email: 'lea.lead@example.com', name: 'Lea Hoffmann', role: 'lead', password: demoPassword });
  await accounts.createUser({ email: 'admin@example.com', name: 'Max Admin', role: 'admin', password: demoPassword });
  const kunde = (await accounts.createUser({ email: 'kunde@example.com', name: 'Karl Kunde', role: 'customer', password: demoPassword })).user;
  const ohneKennwort = (await accounts.createUser({ email: 'erika@example.com', name: 'Erika Mustermann', role: 'customer' })).user;

  const now = clock.now().getTime();
  db.transaction((tx) => {
    demoRequests.forEach((demo, index) => {
      const requester: User = index % 3 === 2 ? ohneKennwort : kunde;
      const createdAt = new Date(now - demo.daysAgo * 86_400_000 - (index + 1) * 3_600_000);
      const ticket = insertTicket(tx, { requesterId: requester.id, subject: demo.subject, status: 'new', channel: index % 2 ? 'email' : 'web', createdAt, lastActivityAt: createdAt });
      insertMessage(tx, { ticketId: ticket.id, authorId: requester.id, visibility: 'public', body: demo.question, channel: ticket.channel, createdAt });
      insertEvent(tx, { ticketId: ticket.id, actorId: requester.id, kind: 'created', toValue: 'new', at: createdAt });
      let lastActivityAt = createdAt;
      if (demo.answer) {
        lastActivityAt = new Date(createdAt.getTime() + 2 * 3_600_000);
        insertMessage(tx, { ticketId: ticket.id, authorId: anna.id, visibility: 'public', body: demo.answer, channel: 'web', createdAt: lastActivityAt });
      }
      if (demo.status !== 'new') insertEvent(tx, { ticketId: ticket.id, actorId: anna.id, kind: 'status', fromValue: 'new', toValue: demo.status, at: lastActivityAt });
      const solved = demo.status === 'solved' || demo.status === 'closed';
      updateTicket(tx, ticket.id, {
        status: demo.status,
        assigneeId: demo.status === 'new' ? null : anna.id,
        lastActivityAt,
        lastPublicBy: demo.answer ? 'agent' : 'customer',
        solvedAt: solved ? lastActivityAt : null,
        solvedByCustomer: demo.solvedByCustomer ?? false,
      });
    });
  });
  const articles = seedDemoKnowledgeBase(services.kb, { author: anna, customer: kunde });
  return [
    'Demo shop created. Every account with a password uses: ' + demoPassword,
    '  agent:    anna.agent@example.com',
    '  lead:     lea.lead@example.com',
    '  admin:    admin@example.com',
    '  customer: kunde@example.com',
    '  customer without password: erika@example.com (use "Kennwort vergessen")',
    `Wissensdatenbank: ${articles} published articles and one draft at /kb`,
  ].join('\n');
}
