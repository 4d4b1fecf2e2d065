// Auto-replies, delivery reports and DMARC verdicts told apart from what people write, header by header.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { autoReplyReason, classify, dmarcFailed, parseAuthenticationResults, parseDeliveryStatus } from '../../src/modules/inbound/classify.js';
import { type HeaderLine, parseHeaderLines, splitHeaderAndBody } from '../../src/modules/inbound/raw-mail.js';

const fixtures = join(import.meta.dirname, '../fixtures/mail');

function headers(text: string): HeaderLine[] {
  return parseHeaderLines(text.trim().replace(/\n/g, '\r\n'));
}

function classifyRaw(raw: string) {
  const { header, body } = splitHeaderAndBody(raw);
  const lines = parseHeaderLines(header);
  const from = /<([^>]+)>|(\S+@\S+)/.exec(lines.find((line) => line.name.toLowerCase() === 'from')?.value ?? '');
  const subject = lines.find((line) => line.name.toLowerCase() === 'subject')?.value ?? '';
  return classify(lines, body, from?.[1] ?? from?.[2], subject);
}

function fixture(name: string, values: Record<string, string> = {}): string {
  return readFileSync(join(fixtures, name), 'latin1').replace(/\{\{([A-Z_]+)\}\}/g, (_match, key: string) => values[key] ?? 'x');
}

describe('auto-replies', () => {
  test.each([
    ['Auto-Submitted: auto-replied', 'Auto-Submitted: auto-replied'],
    ['Auto-Submitted: auto-generated; owner-email="x@example.org"', 'Auto-Submitted: auto-generated; owner-email="x@example.org"'],
    ['X-Autoreply: yes', 'X-Autoreply'],
    ['X-Autorespond: on', 'X-Autorespond'],
    ['Precedence: bulk', 'Precedence: bulk'],
    ['Precedence: JUNK', 'Precedence: junk'],
    ['Precedence: list', 'Precedence: list'],
    ['List-Id: <news.lists.example.com>', 'List-Id'],
  ])('%s', (header, reason) => {
    expect(autoReplyReason(headers(`From: a@example.org\n${header}`), 'Re: Frage')).toBe(reason);
  });

  test('Auto-Submitted: no, and ordinary precedence, are a person writing', () => {
    expect(autoReplyReason(headers('Auto-Submitted: no\nPrecedence: normal'), 'Frage')).toBeUndefined();
  });

  test('an old responder without headers is known by its subject', () => {
    expect(autoReplyReason([], 'Automatische Antwort: [#12] Lok fehlt')).toBe('Betreff einer Abwesenheitsnotiz');
    expect(autoReplyReason([], 'Out of Office: Lok fehlt')).toBe('Betreff einer Abwesenheitsnotiz');
    expect(autoReplyReason([], 'Abwesenheitsnotiz funktioniert nicht')).toBeUndefined();
  });

  test('the null sender marks a report or a responder, whatever else the mail says', () => {
    expect(classifyRaw('Return-Path: <>\r\nFrom: a@example.org\r\nSubject: Hallo\r\n\r\nText')).toEqual({ kind: 'auto_reply', reason: 'Return-Path: <>' });
  });
});

describe('delivery reports (RFC 3464)', () => {
  test('a Postfix bounce: permanent, with status, recipient and the Message-ID of our mail', () => {
    const result = classifyRaw(fixture('bounce-postfix.eml', { RECIPIENT: 'weg@example.org', ORIGINAL_MESSAGE_ID: '<t12.abc.def@portal.example.test>' }));
    expect(result).toEqual({
      kind: 'bounce',
      bounce: {
        hard: true, status: '5.1.1', recipient: 'weg@example.org', originalMessageId: '<t12.abc.def@portal.example.test>',
        diagnostic: '550 5.1.1 <weg@example.org>: Recipient address rejected: User unknown in virtual mailbox table',
      },
    });
  });

  test('a delay is temporary and changes nothing', () => {
    const result = classifyRaw(fixture('bounce-delayed.eml', { ORIGINAL_MESSAGE_ID: '<t12.abc.def@portal.example.test>' }));
    expect(result.kind === 'bounce' && result.bounce).toMatchObject({ hard: false, status: '4.4.1', originalMessageId: '<t12.abc.def@portal.example.test>' });
  });

  test('an Amazon SES report with the whole original attached, wrapped in multipart/mixed', () => {
    const raw = [
      'From: MAILER-DAEMON@amazonses.com', 'Subject: Delivery Status Notification (Failure)', 'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="outer"', '', '--outer',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="inner"', '', '--inner',
      'Content-Type: text/plain; charset=us-ascii', '', 'An error occurred while trying to deliver the mail.', '--inner',
      'Content-Type: message/delivery-status', '', 'Reporting-MTA: dns; amazonses.com', '', 'Action: failed',
      'Final-Recipient: rfc822; nobody@example.com', 'Diagnostic-Code: on the suppression list', 'Status: 5.1.1', '', '--inner',
      'Content-Type: message/rfc822', '', 'From: support@shop.example.test', 'Message-ID: <t3.abc.def@portal.example.test>', 'Subject: x', '', 'Body',
      '--inner--', '--outer--', '',
    ].join('\r\n');
    expect(classifyRaw(raw)).toMatchObject({ kind: 'bounce', bounce: { hard: true, status: '5.1.1', originalMessageId: '<t3.abc.def@portal.example.test>' } });
  });

  test('an old-style bounce in free text still finds the status and our Message-ID', () => {
    const raw = 'From: Mail Delivery Subsystem <mailer-daemon@mail.example.org>\r\nSubject: Mail delivery failed: returning message to sender\r\n\r\n'
      + 'SMTP error from remote mail server after RCPT TO:<x@example.org>:\r\n550 5.1.1 User unknown\r\n\r\n------ This is a copy of the message\r\n\r\nMessage-ID: <t4.abc.def@portal.example.test>\r\n';
    expect(classifyRaw(raw)).toMatchObject({ kind: 'bounce', bounce: { hard: true, status: '5.1.1', originalMessageId: '<t4.abc.def@portal.example.test>' } });
  });

  test('per-recipient fields: several recipients, folded lines', () => {
    const status = 'Reporting-MTA: dns; mx\n\nFinal-Recipient: rfc822; a@example.org\nAction: delivered\nStatus: 2.0.0\n\n'
      + 'Final-Recipient: rfc822; b@example.org\nAction: failed\nStatus: 5.2.2\nDiagnostic-Code: smtp; 552 5.2.2 Mailbox\n full\n';
    expect(parseDeliveryStatus(status)).toEqual([
      { action: 'delivered', status: '2.0.0', recipient: 'a@example.org', diagnostic: undefined },
      { action: 'failed', status: '5.2.2', recipient: 'b@example.org', diagnostic: '552 5.2.2 Mailbox full' },
    ]);
  });

  test('a customer who writes about a bounce is a person, not a bounce', () => {
    expect(classifyRaw('From: karla@example.org\r\nSubject: Ihre Mail war unzustellbar\r\n\r\nIch bekam eine Fehlermeldung 5.1.1.')).toEqual({ kind: 'message' });
  });
});

describe('Authentication-Results', () => {
  test('comments, quoted strings, versions and properties are read as RFC 8601 says', () => {
    expect(parseAuthenticationResults('mx.shop.example.test 1; dkim=pass (2048-bit key; unprotected) header.d=example.org header.s="sel;1"; spf=softfail (domain of "x; dmarc=pass" is weird) smtp.mailfrom=x; dmarc=fail (p=REJECT) header.from=example.org'))
      .toEqual({
        authservId: 'mx.shop.example.test',
        results: [{ method: 'dkim', result: 'pass' }, { method: 'spf', result: 'softfail' }, { method: 'dmarc', result: 'fail' }],
      });
    expect(parseAuthenticationResults('mx.example; none')).toEqual({ authservId: 'mx.example', results: [] });
  });

  test('DMARC fail counts only from the trusted server, and a forged pass cannot hide it', () => {
    const mail = headers([
      'Authentication-Results: mx.shop.example.test; spf=fail smtp.mailfrom=x; dmarc=fail header.from=example.org',
      'Authentication-Results: mx.shop.example.test; dmarc=pass header.from=example.org',
      'Authentication-Results: evil.example.net; dmarc=pass',
    ].join('\n'));
    expect(dmarcFailed(mail, 'mx.shop.example.test')).toBe(true);
    expect(dmarcFailed(mail, 'MX.SHOP.EXAMPLE.TEST ')).toBe(true);
    expect(dmarcFailed(mail, '')).toBe(false);
    expect(dmarcFailed(headers('Authentication-Results: evil.example.net; dmarc=fail'), 'mx.shop.example.test')).toBe(false);
    expect(dmarcFailed(headers('Authentication-Results: mx.shop.example.test; dmarc=pass; dkim=fail'), 'mx.shop.example.test')).toBe(false);
  });

  test('the DMARC fixture is read as failed', () => {
    const { header } = splitHeaderAndBody(fixture('dmarc-fail.eml'));
    expect(dmarcFailed(parseHeaderLines(header), 'mx.shop.example.test')).toBe(true);
  });
});
