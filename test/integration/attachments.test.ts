// Attachments: files on the contact form and in replies, checked by content, stored by random key, fetched only by who may see them, mailed along.
import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { attachments as attachmentsTable, settings as settingsTable } from '../../src/db/schema.js';
import { chooseForMail } from '../../src/modules/attachments/attachments-service.js';
import { contentDisposition, formatFileSize, safeFilename } from '../../src/modules/attachments/file-types.js';
import { createRequest, createUser } from '../helpers/fixtures.js';
import { testApp, type TestApp } from '../helpers/test-app.js';
import { WebClient } from '../helpers/web-client.js';
import { answer, customer, sendFromAgentPage, staffWithClient } from './agent-pages.js';
import {
  attachmentError, keptTokens, listedFiles, mailAttachments, postMultipart, samples, storedFiles, submitMultipart,
} from './attachments-forms.js';
import { customerWithClient, messagesOf, ticketRow, withoutCsrfTokens } from './request-pages.js';

let t: TestApp;
beforeAll(async () => { t = await testApp(); });
afterAll(async () => { await t.close(); });
beforeEach(async () => {
  t.db.delete(settingsTable).run();
  await t.mailbox.receive();
});

const contactFields = (subject = 'Lok BR 218 fehlt', email = 'erika@example.org') => [
  { name: 'name', value: 'Erika Mustermann' },
  { name: 'email', value: email },
  { name: 'subject', value: subject },
  { name: 'description', value: 'In meinem Paket fehlt die Lok. Foto anbei.' },
];

/** Sends the contact form anonymously with these files; returns the response and the visitor. */
async function sendContactForm(files: Array<{ filename: string; content: Buffer; type?: string }>, fields = contactFields()) {
  const visitor = new WebClient(t.app);
  const response = await submitMultipart(t, visitor, '/requests/new', '/requests/new', [
    ...fields, ...files.map((file) => ({ name: 'attachments', ...file })),
  ]);
  return { response, visitor };
}

function attachmentRows(ticketId: number) {
  const messageIds = messagesOf(t, ticketId).map((message) => message.id);
  return t.db.select().from(attachmentsTable).all().filter((row) => row.messageId !== null && messageIds.includes(row.messageId));
}

function ticketIdFromReceipt(location: string): number {
  return Number(/\/requests\/received\/(\d+)\./.exec(location)![1]);
}

describe('the contact form takes files', () => {
  test('the files are stored under random keys with their SHA-256, and listed in the thread with name and size', async () => {
    const before = storedFiles(t);
    const { response } = await sendContactForm([
      { filename: 'foto.png', content: samples.png, type: 'image/png' },
      { filename: 'Rechnung 100234.pdf', content: samples.pdf, type: 'application/pdf' },
    ]);
    expect(response.statusCode).toBe(303);
    const ticketId = ticketIdFromReceipt(response.headers.location as string);
    const rows = attachmentRows(ticketId);
    expect(rows.map((row) => [row.filename, row.contentType, row.size])).toEqual([
      ['foto.png', 'image/png', samples.png.length],
      ['Rechnung 100234.pdf', 'application/pdf', samples.pdf.length],
    ]);
    expect(rows[0]!.sha256).toBe(createHash('sha256').update(samples.png).digest('hex'));
    expect(rows[1]!.sha256).toBe(createHash('sha256').update(samples.pdf).digest('hex'));
    const added = storedFiles(t).filter((name) => !before.includes(name));
    expect(added.sort()).toEqual(rows.map((row) => row.storageKey).sort());
    for (const key of added) expect(key).toMatch(/^[\w-]{32}$/);
    expect(added.join()).not.toContain('foto');
  });

  test('a logged-in customer sees the files in the thread and downloads them; another customer gets the same 404 as for a missing file', async () => {
    const { user, client } = await customerWithClient(t, 'Karla Kundin');
    const sent = await submitMultipart(t, client, '/requests/new', '/requests/new', [
      { name: 'subject', value: 'Kratzer am Wagen' },
      { name: 'description', value: 'Siehe Foto.' },
      { name: 'attachments', filename: 'kratzer.png', content: samples.png, type: 'image/png' },
      { name: 'attachments', filename: 'lieferschein.pdf', content: samples.pdf, type: 'application/pdf' },
    ]);
    expect(sent.statusCode).toBe(303);
    const ticketId = ticketIdFromReceipt(sent.headers.location as string);
    expect(ticketRow(t, ticketId).requesterId).toBe(user.id);

    const page = await client.get(`/requests/${ticketId}`);
    const listed = listedFiles(page.body);
    expect(listed.map((file) => [file.name, file.size])).toEqual([['kratzer.png', `${samples.png.length} Bytes`], ['lieferschein.pdf', `${samples.pdf.length} Bytes`]]);
    expect(page.body).toContain(`<img src="${listed[0]!.href}" alt="Vorschau: kratzer.png"`);

    const picture = await client.get(listed[0]!.href);
    expect(picture.statusCode).toBe(200);
    expect(picture.rawPayload.equals(samples.png)).toBe(true);
    expect(picture.headers['content-type']).toBe('image/png');
    expect(picture.headers['content-disposition']).toBe(`inline; filename="kratzer.png"; filename*=UTF-8''kratzer.png`);
    expect(picture.headers['x-content-type-options']).toBe('nosniff');
    expect(picture.headers['content-security-policy']).toContain('sandbox');
    expect(picture.headers['content-security-policy']).toContain("default-src 'none'");

    const pdf = await client.get(listed[1]!.href);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-disposition']).toBe(`attachment; filename="lieferschein.pdf"; filename*=UTF-8''lieferschein.pdf`);
    expect(pdf.headers['content-type']).toBe('application/pdf');

    const { client: other } = await customerWithClient(t, 'Otto Anders');
    const foreign = await other.get(listed[1]!.href);
    const missing = await other.get('/attachments/999999');
    expect(foreign.statusCode).toBe(404);
    expect(missing.statusCode).toBe(404);
    expect(withoutCsrfTokens(foreign.body)).toBe(withoutCsrfTokens(missing.body));

    const visitor = await new WebClient(t.app).get(listed[1]!.href);
    expect(visitor.statusCode).toBe(303);
    expect(visitor.headers.location).toBe(`/login?next=${encodeURIComponent(listed[1]!.href)}`);

    const { client: agent } = await staffWithClient(t, 'agent');
    expect((await agent.get(listed[1]!.href)).statusCode).toBe(200);
    expect(listedFiles((await agent.get(`/agent/requests/${ticketId}`)).body).map((file) => file.name)).toEqual(['kratzer.png', 'lieferschein.pdf']);
  });

  test('the team\'s notice of a new request carries the files', async () => {
    await staffWithClient(t, 'agent', 'Anna Agentin');
    await t.mailbox.receive();
    const { response } = await sendContactForm(
      [{ filename: 'foto.png', content: samples.png, type: 'image/png' }], contactFields('Mit Foto an das Team', 'fremd@example.org'),
    );
    expect(response.statusCode).toBe(303);
    const mails = await t.mailbox.receive();
    const notices = mails.filter((mail) => mail.subject.includes('Neue Anfrage: Mit Foto an das Team'));
    expect(notices.length).toBeGreaterThan(0);
    const files = await mailAttachments(notices[0]!);
    expect(files.map((file) => [file.filename, file.contentType])).toEqual([['foto.png', 'image/png']]);
    expect(notices[0]!.text).toContain(`Angehängt: foto.png (${samples.png.length} Bytes)`);
    // The acknowledgement goes to whatever address someone typed: it never carries what they uploaded.
    const acknowledgement = mails.find((mail) => mail.to === 'fremd@example.org');
    expect(acknowledgement?.subject).toContain('Ihre Anfrage ist eingegangen');
    expect(await mailAttachments(acknowledgement!)).toEqual([]);
  });
});

describe('CSRF on forms with files', () => {
  test('without a token the form is refused with 403 and no file reaches the disk', async () => {
    const visitor = new WebClient(t.app);
    await visitor.get('/requests/new');
    const before = storedFiles(t);
    const response = await postMultipart(t, visitor, '/requests/new', [
      ...contactFields(), { name: 'attachments', filename: 'foto.png', content: samples.png, type: 'image/png' },
    ]);
    expect(response.statusCode).toBe(403);
    expect(response.body).toContain('Formular abgelaufen');
    expect(storedFiles(t)).toEqual(before);
  });

  test('a token after the files does not count: it must come first', async () => {
    const visitor = new WebClient(t.app);
    const page = await visitor.get('/requests/new');
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const before = storedFiles(t);
    const response = await postMultipart(t, visitor, '/requests/new', [
      { name: 'attachments', filename: 'foto.png', content: samples.png, type: 'image/png' }, { name: '_csrf', value: token }, ...contactFields(),
    ]);
    expect(response.statusCode).toBe(403);
    expect(storedFiles(t)).toEqual(before);
  });

  test('a wrong token is refused too', async () => {
    const visitor = new WebClient(t.app);
    await visitor.get('/requests/new');
    const response = await postMultipart(t, visitor, '/requests/new', [{ name: '_csrf', value: 'falsch' }, ...contactFields()]);
    expect(response.statusCode).toBe(403);
  });

  test('a route that takes no files refuses a multipart body, even with a valid token', async () => {
    const { client } = await customerWithClient(t);
    const page = await client.get('/account');
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const response = await postMultipart(t, client, '/logout', [{ name: '_csrf', value: token }]);
    expect(response.statusCode).toBe(403);
  });

  test('every route that takes files is a POST behind the CSRF check', () => {
    const uploadRoutes = t.app.routeTable.filter((route) => ['/requests/new', '/requests/:id/replies', '/agent/requests/:id/replies'].includes(route.url));
    expect(uploadRoutes.filter((route) => route.method === 'POST')).toHaveLength(3);
  });
});

describe('hostile and unfit files are refused, and the rest of the form is kept', () => {
  test.each([
    ['an SVG with a script', 'bild.svg', samples.svgWithScript, 'enthält HTML-, SVG- oder XML-Inhalt'],
    ['an SVG without XML declaration, named like a picture', 'bild.png', samples.svgBare, 'enthält HTML-, SVG- oder XML-Inhalt'],
    ['an HTML page', 'seite.html', samples.html, 'enthält HTML-, SVG- oder XML-Inhalt'],
    ['an HTML page named like a text file', 'notiz.txt', samples.html, 'enthält HTML-, SVG- oder XML-Inhalt'],
    ['a program named like a PDF', 'rechnung.pdf', samples.exe, 'hat ein Dateiformat, das wir nicht annehmen'],
    ['an empty file', 'leer.txt', samples.empty, 'ist leer (0 Bytes)'],
  ])('%s: 422 with the reason, the text kept, nothing of it stored', async (_what, filename, content, reason) => {
    const before = storedFiles(t);
    const { response } = await sendContactForm([{ filename, content }]);
    expect(response.statusCode).toBe(422);
    expect(attachmentError(response.body)).toContain(`„${filename}“ ${reason}`);
    expect(response.body).toContain('value="Lok BR 218 fehlt"');
    expect(response.body).toContain('In meinem Paket fehlt die Lok. Foto anbei.</textarea>');
    expect(response.body).toContain('aria-invalid="true"');
    expect(response.body).toContain('<a href="#attachments">');
    expect(storedFiles(t)).toEqual(before);
  });

  test('a file over the size limit (a setting) is refused by name; a file of exactly the limit is taken', async () => {
    t.services.settings.update({ attachmentMaxMegabytes: 1 });
    const before = storedFiles(t);
    const exactly = Buffer.concat([samples.pdf, Buffer.alloc(1024 * 1024 - samples.pdf.length, 0x20)]);
    const tooLarge = Buffer.concat([exactly, Buffer.from('x')]);
    const { response } = await sendContactForm([
      { filename: 'passt.pdf', content: exactly, type: 'application/pdf' },
      { filename: 'zu-gross.pdf', content: tooLarge, type: 'application/pdf' },
    ]);
    expect(response.statusCode).toBe(422);
    expect(attachmentError(response.body)).toContain('„zu-gross.pdf“ ist größer als 1 MB und wurde nicht angenommen.');
    expect(response.body).toContain('<bdi>passt.pdf</bdi> (1 MB) mitsenden');
    expect(storedFiles(t)).toHaveLength(before.length + 1);
  });

  test('more files than allowed: the first five are kept, the sixth is refused by name; sending again takes the five', async () => {
    const files = Array.from({ length: 6 }, (_unused, index) => ({ filename: `foto-${index + 1}.png`, content: samples.png, type: 'image/png' }));
    const { response, visitor } = await sendContactForm(files, contactFields('Sechs Fotos'));
    expect(response.statusCode).toBe(422);
    expect(attachmentError(response.body)).toContain('„foto-6.png“ wurde nicht angenommen: Pro Nachricht sind höchstens 5 Dateien möglich.');
    const tokens = keptTokens(response.body);
    expect(tokens).toHaveLength(5);
    for (let index = 1; index <= 5; index += 1) expect(response.body).toContain(`<bdi>foto-${index}.png</bdi>`);

    const again = await postMultipart(t, visitor, '/requests/new', [
      { name: '_csrf', value: /name="_csrf" value="([^"]+)"/.exec(response.body)![1]! },
      ...contactFields('Sechs Fotos'),
      ...tokens.map((token) => ({ name: 'keepAttachment', value: token })),
    ]);
    expect(again.statusCode).toBe(303);
    const rows = attachmentRows(ticketIdFromReceipt(again.headers.location as string));
    expect(rows.map((row) => row.filename)).toEqual(['foto-1.png', 'foto-2.png', 'foto-3.png', 'foto-4.png', 'foto-5.png']);
    expect(rows.every((row) => row.stagingTokenHash === null)).toBe(true);
  });

  test('a field error keeps the files: they come back as "Bereits hochgeladen" and go out with the corrected form', async () => {
    const { response, visitor } = await sendContactForm(
      [{ filename: 'foto.png', content: samples.png, type: 'image/png' }],
      contactFields('').filter((field) => field.name !== 'subject'),
    );
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('Bitte geben Sie einen Betreff an.');
    expect(response.body).toContain('<legend>Bereits hochgeladen</legend>');
    const [token] = keptTokens(response.body);
    const corrected = await postMultipart(t, visitor, '/requests/new', [
      { name: '_csrf', value: /name="_csrf" value="([^"]+)"/.exec(response.body)![1]! },
      ...contactFields('Mit Betreff'),
      { name: 'keepAttachment', value: token! },
    ]);
    expect(corrected.statusCode).toBe(303);
    expect(attachmentRows(ticketIdFromReceipt(corrected.headers.location as string)).map((row) => row.filename)).toEqual(['foto.png']);
  });

  test('a kept file works once, and only for the person who uploaded it', async () => {
    const { client: anna } = await customerWithClient(t, 'Anna');
    const failed = await submitMultipart(t, anna, '/requests/new', '/requests/new', [
      { name: 'subject', value: '' }, { name: 'description', value: 'x' },
      { name: 'attachments', filename: 'annas-foto.png', content: samples.png, type: 'image/png' },
    ]);
    const [token] = keptTokens(failed.body);
    const { user: ben, client: benClient } = await customerWithClient(t, 'Ben');
    const stolen = await submitMultipart(t, benClient, '/requests/new', '/requests/new', [
      { name: 'subject', value: 'Fremde Datei' }, { name: 'description', value: 'x' }, { name: 'keepAttachment', value: token! },
    ]);
    expect(stolen.statusCode).toBe(303);
    const bensTicket = ticketIdFromReceipt(stolen.headers.location as string);
    expect(ticketRow(t, bensTicket).requesterId).toBe(ben.id);
    expect(attachmentRows(bensTicket)).toEqual([]);

    const own = await submitMultipart(t, anna, '/requests/new', '/requests/new', [
      { name: 'subject', value: 'Eigene Datei' }, { name: 'description', value: 'x' }, { name: 'keepAttachment', value: token! },
    ]);
    expect(attachmentRows(ticketIdFromReceipt(own.headers.location as string)).map((row) => row.filename)).toEqual(['annas-foto.png']);
    const twice = await submitMultipart(t, anna, '/requests/new', '/requests/new', [
      { name: 'subject', value: 'Nochmal' }, { name: 'description', value: 'x' }, { name: 'keepAttachment', value: token! },
    ]);
    expect(attachmentRows(ticketIdFromReceipt(twice.headers.location as string))).toEqual([]);
  });

  test('a misleading extension: the type comes from the content, and the name gets the extension that says what it is', async () => {
    const { response } = await sendContactForm([
      { filename: 'rechnung.pdf', content: samples.png, type: 'application/pdf' },
      { filename: 'notizen', content: samples.text, type: 'application/octet-stream' },
      { filename: 'liste.csv', content: samples.latin1Csv, type: 'text/csv' },
    ], contactFields('Falsche Endung'));
    expect(response.statusCode).toBe(303);
    const rows = attachmentRows(ticketIdFromReceipt(response.headers.location as string));
    expect(rows.map((row) => [row.filename, row.contentType])).toEqual([
      ['rechnung.pdf.png', 'image/png'],
      ['notizen.txt', 'text/plain; charset=utf-8'],
      ['liste.csv', 'text/plain; charset=windows-1252'],
    ]);
  });

  test('an empty file input (no file chosen) is no error', async () => {
    const { response } = await sendContactForm([{ filename: '', content: samples.empty }], contactFields('Ohne Datei'));
    expect(response.statusCode).toBe(303);
    expect(attachmentRows(ticketIdFromReceipt(response.headers.location as string))).toEqual([]);
  });
});

describe('names with control, quote or right-to-left characters', () => {
  test('are stored without controls and direction overrides, shown escaped, and sent with a safe Content-Disposition', async () => {
    const { client } = await customerWithClient(t);
    const hostileName = 'Rech\u0001nung "Ü\'ber" \u202Egnp.exe\u202C.pdf';
    const sent = await submitMultipart(t, client, '/requests/new', '/requests/new', [
      { name: 'subject', value: 'Seltsamer Name' }, { name: 'description', value: 'x' },
      { name: 'attachments', filename: hostileName.replaceAll('"', '\\"'), content: samples.pdf, type: 'application/pdf' },
    ]);
    expect(sent.statusCode).toBe(303);
    const ticketId = ticketIdFromReceipt(sent.headers.location as string);
    const [row] = attachmentRows(ticketId);
    expect(row!.filename).toBe('Rechnung "Ü\'ber" gnp.exe.pdf');

    const page = await client.get(`/requests/${ticketId}`);
    expect(page.body).toContain('<bdi>Rechnung &quot;Ü&#39;ber&quot; gnp.exe.pdf</bdi>');
    expect(page.body).not.toContain('\u202E');
    const download = await client.get(listedFiles(page.body)[0]!.href);
    expect(download.headers['content-disposition']).toBe(
      `attachment; filename="Rechnung __'ber_ gnp.exe.pdf"; filename*=UTF-8''Rechnung%20%22%C3%9C%27ber%22%20gnp.exe.pdf`,
    );
  });
});

describe('replies with files', () => {
  test('a customer\'s reply carries files; the assigned agent\'s notice mail carries them too', async () => {
    const { user, client } = await customerWithClient(t);
    const { user: agent } = await staffWithClient(t, 'agent', 'Anna Agentin');
    const ticket = createRequest(t, user, 'Lok kaputt');
    t.services.agentTickets.assign(agent, ticket.id, agent.id);
    await t.mailbox.receive();

    const sent = await submitMultipart(t, client, `/requests/${ticket.id}`, `/requests/${ticket.id}/replies`, [
      { name: 'body', value: 'Hier das Foto.' },
      { name: 'attachments', filename: 'schaden.png', content: samples.png, type: 'image/png' },
    ]);
    expect(sent.statusCode).toBe(303);
    const last = messagesOf(t, ticket.id).at(-1)!;
    expect(t.db.select().from(attachmentsTable).where(eq(attachmentsTable.messageId, last.id)).all().map((row) => row.filename)).toEqual(['schaden.png']);

    const notice = await t.mailbox.receiveOne(agent.email);
    expect((await mailAttachments(notice)).map((file) => file.filename)).toEqual(['schaden.png']);
  });

  test('files alone, without a word, are not a reply; the files stay with the form', async () => {
    const { user, client } = await customerWithClient(t);
    const ticket = createRequest(t, user);
    const sent = await submitMultipart(t, client, `/requests/${ticket.id}`, `/requests/${ticket.id}/replies`, [
      { name: 'body', value: '' },
      { name: 'attachments', filename: 'foto.png', content: samples.png, type: 'image/png' },
    ]);
    expect(sent.statusCode).toBe(422);
    expect(keptTokens(sent.body)).toHaveLength(1);
  });

  test('an agent answers with a file: the customer\'s answer mail carries it, and the thread lists it', async () => {
    const requester = await customer(t, 'Bernd Besteller');
    const ticket = createRequest(t, requester, 'Anleitung fehlt');
    const { client } = await staffWithClient(t, 'agent', 'Anna Agentin');
    await t.mailbox.receive();
    const page = await client.get(`/agent/requests/${ticket.id}`);
    expect(page.body).toContain('enctype="multipart/form-data"');
    const sent = await submitMultipart(t, client, `/agent/requests/${ticket.id}`, `/agent/requests/${ticket.id}/replies`, [
      { name: 'lastSeenMessageId', value: String(t.services.agentTickets.latestMessageId(ticket.id)) },
      { name: 'body', value: 'Die Anleitung hängt an.' },
      { name: 'attachments', filename: 'anleitung.pdf', content: samples.pdf, type: 'application/pdf' },
      { name: 'visibility', value: 'public' },
      { name: 'status', value: 'pending' },
    ]);
    expect(sent.statusCode).toBe(303);
    const mail = await t.mailbox.receiveOne(requester.email);
    const files = await mailAttachments(mail);
    expect(files.map((file) => [file.filename, file.contentType])).toEqual([['anleitung.pdf', 'application/pdf']]);
    expect(files[0]!.content.equals(samples.pdf)).toBe(true);
    expect(mail.text).toContain(`Angehängt: anleitung.pdf (${samples.pdf.length} Bytes)`);
  });

  test('an agent\'s internal note may carry a file that the customer can never fetch', async () => {
    const { user, client: customerClient } = await customerWithClient(t);
    const ticket = createRequest(t, user);
    const { client } = await staffWithClient(t, 'agent');
    const sent = await submitMultipart(t, client, `/agent/requests/${ticket.id}`, `/agent/requests/${ticket.id}/replies`, [
      { name: 'lastSeenMessageId', value: String(t.services.agentTickets.latestMessageId(ticket.id)) },
      { name: 'body', value: 'Interner Lieferschein.' },
      { name: 'attachments', filename: 'intern.pdf', content: samples.pdf, type: 'application/pdf' },
      { name: 'visibility', value: 'internal' },
      { name: 'status', value: 'open' },
    ]);
    expect(sent.statusCode).toBe(303);
    const [file] = listedFiles((await client.get(`/agent/requests/${ticket.id}`)).body);
    expect(file!.name).toBe('intern.pdf');
    expect((await client.get(file!.href)).statusCode).toBe(200);
    expect((await customerClient.get(file!.href)).statusCode).toBe(404);
    expect(listedFiles((await customerClient.get(`/requests/${ticket.id}`)).body)).toEqual([]);
  });

  test('inserting a text block keeps the files chosen so far, and the answer then carries them', async () => {
    const requester = await customer(t);
    const ticket = createRequest(t, requester);
    const { user: agent, client } = await staffWithClient(t, 'agent');
    t.services.canned.create(agent, { title: 'Gruß', body: 'Viele Grüße' });
    const inserted = await submitMultipart(t, client, `/agent/requests/${ticket.id}`, `/agent/requests/${ticket.id}/replies`, [
      { name: 'lastSeenMessageId', value: String(t.services.agentTickets.latestMessageId(ticket.id)) },
      { name: 'body', value: 'Anbei.' },
      { name: 'attachments', filename: 'anhang.pdf', content: samples.pdf, type: 'application/pdf' },
      { name: 'cannedReplyId', value: String(t.services.canned.list()[0]!.id) },
      { name: 'insertCanned', value: '1' },
    ]);
    expect(inserted.statusCode).toBe(200);
    const tokens = keptTokens(inserted.body);
    expect(tokens).toHaveLength(1);
    const sent = await postMultipart(t, client, `/agent/requests/${ticket.id}/replies`, [
      { name: '_csrf', value: /name="_csrf" value="([^"]+)"/.exec(inserted.body)![1]! },
      { name: 'lastSeenMessageId', value: String(t.services.agentTickets.latestMessageId(ticket.id)) },
      { name: 'keepAttachment', value: tokens[0]! },
      { name: 'body', value: 'Anbei.\n\nViele Grüße' },
      { name: 'visibility', value: 'public' },
      { name: 'status', value: 'pending' },
    ]);
    expect(sent.statusCode).toBe(303);
    expect(listedFiles((await client.get(`/agent/requests/${ticket.id}`)).body).map((file) => file.name)).toEqual(['anhang.pdf']);
  });

  test('a plain form without files still works everywhere (urlencoded)', async () => {
    const requester = await customer(t);
    const ticket = createRequest(t, requester);
    const { client } = await staffWithClient(t, 'agent');
    const sent = await sendFromAgentPage(client, ticket.id, { body: 'Ohne Anhang.' });
    expect(sent.statusCode).toBe(303);
    answer(t, (await createUser(t, 'zweite@shop.example.test', { role: 'agent' })), ticket.id, 'pending', 'Noch eine Antwort.');
  });
});

describe('names, sizes and the mail budget', () => {
  test('a name loses its path and keeps its extension when shortened; nothing left becomes "Anhang"', () => {
    expect(safeFilename('C:\\Users\\erika\\foto.png', ['png'])).toBe('foto.png');
    expect(safeFilename('../../etc/passwd', ['txt'])).toBe('passwd.txt');
    expect(safeFilename('...', ['pdf'])).toBe('Anhang.pdf');
    const long = safeFilename(`${'ä'.repeat(300)}.pdf`, ['pdf']);
    expect(Array.from(long)).toHaveLength(150);
    expect(long.endsWith('ä.pdf')).toBe(true);
    expect(safeFilename('bild.JPEG', ['jpg', 'jpeg'])).toBe('bild.JPEG');
  });

  test('Content-Disposition: an ASCII fallback without quotes, and the exact name encoded', () => {
    expect(contentDisposition('attachment', 'Größe "A4"; x.pdf')).toBe(
      `attachment; filename="Gr__e _A4__ x.pdf"; filename*=UTF-8''Gr%C3%B6%C3%9Fe%20%22A4%22%3B%20x.pdf`,
    );
  });

  test('sizes read the way the limit is written', () => {
    expect([formatFileSize(1), formatFileSize(1023), formatFileSize(1536), formatFileSize(10 * 1024 * 1024)]).toEqual(['1 Byte', '1023 Bytes', '1,5 KB', '10 MB']);
  });

  test('a mail carries files while they fit 15 MB; the rest stay in the portal, named', () => {
    const mb = 1024 * 1024;
    const files = [{ id: 1, size: 9 * mb }, { id: 2, size: 9 * mb }, { id: 3, size: 5 * mb }];
    expect(chooseForMail(files)).toEqual({ attached: [files[0], files[2]], linked: [files[1]] });
  });
});
