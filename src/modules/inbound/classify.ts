// Tells mail that a person wrote from auto-replies and delivery reports, and reads DMARC from the trusted server's verdict.
import {
  decodedBody, type HeaderLine, headerParameter, headerValue, headerValues, messageIdOf, multipartParts, parseHeaderLines,
  splitHeaderAndBody,
} from './raw-mail.js';

export type Bounce = {
  /** A permanent failure (5.x.x): the address will not take mail. Delays and 4.x.x are temporary and change nothing. */
  hard: boolean;
  status?: string;
  diagnostic?: string;
  recipient?: string;
  /** The Message-ID of our mail that could not be delivered, as the report quotes it. */
  originalMessageId?: string;
};

export type Classification =
  | { kind: 'message' }
  | { kind: 'auto_reply'; reason: string }
  | { kind: 'bounce'; bounce: Bounce };

/**
 * RFC 3834 and the de-facto headers of vacation responders, mailing lists and bulk senders. Anything that answers
 * automatically must never open, reopen or be acknowledged: two auto-responders would otherwise mail each other forever.
 */
export function autoReplyReason(headers: HeaderLine[], subject: string): string | undefined {
  const autoSubmitted = headerValue(headers, 'Auto-Submitted');
  if (autoSubmitted !== undefined && autoSubmitted.split(';')[0]!.trim().toLowerCase() !== 'no') return `Auto-Submitted: ${autoSubmitted}`;
  for (const name of ['X-Autoreply', 'X-Autorespond', 'X-Autoresponder']) {
    if (headerValue(headers, name) !== undefined) return name;
  }
  const precedence = headerValue(headers, 'Precedence')?.trim().toLowerCase();
  if (precedence && ['bulk', 'junk', 'list', 'auto_reply'].includes(precedence)) return `Precedence: ${precedence}`;
  if (headerValue(headers, 'List-Id') !== undefined) return 'List-Id';
  // Old responders set no header at all; their subject line is the only sign.
  if (/^\s*(?:Automatische Antwort|Abwesenheitsnotiz|Abwesend|Out of Office|Automatic reply|Auto-?Reply|Autoreply)\b.{0,40}:/i.test(subject)) {
    return 'Betreff einer Abwesenheitsnotiz';
  }
  return undefined;
}

/** An RFC 3464 delivery report, or a bounce in the old free-text style of a mailer daemon. */
export function deliveryReport(headers: HeaderLine[], body: string, fromAddress: string | undefined, subject: string): Bounce | undefined {
  const report = findReport(headers, body, 0);
  if (report) return report;
  const daemon = /^(?:mailer-daemon|postmaster|mail-daemon)@/i.test(fromAddress ?? '');
  const returnPathNull = headerValues(headers, 'Return-Path').some((value) => /^<\s*>$/.test(value.trim()));
  const looksBounced = /(?:undeliver|unzustellbar|nicht zustellbar|delivery (?:status notification|failure)|returned mail|mail delivery failed|failure notice)/i.test(subject);
  if (!(daemon || returnPathNull) || !looksBounced) return undefined;
  // Free-text bounces: the status code and our Message-ID may still be somewhere in the text.
  const status = /\b([45]\.\d{1,3}\.\d{1,3})\b/.exec(body)?.[1];
  return { hard: status?.startsWith('5') ?? false, status, originalMessageId: quotedMessageId(body) };
}

function findReport(headers: HeaderLine[], body: string, depth: number): Bounce | undefined {
  const contentType = headerValue(headers, 'Content-Type') ?? '';
  const parts = multipartParts(headers, body);
  if (/^multipart\/report/i.test(contentType) && (headerParameter(contentType, 'report-type') ?? '').toLowerCase() === 'delivery-status') {
    const status = parts.find((part) => part.contentType === 'message/delivery-status');
    const original = parts.find((part) => part.contentType === 'message/rfc822' || part.contentType === 'text/rfc822-headers'
      || part.contentType === 'message/rfc822-headers');
    const recipients = status ? parseDeliveryStatus(decodedBody(status)) : [];
    const failed = recipients.find((recipient) => recipient.action === 'failed') ?? recipients[0];
    const originalMessageId = original
      ? messageIdOf(parseHeaderLines(splitHeaderAndBody(decodedBody(original)).header))
      : quotedMessageId(body);
    return {
      hard: recipients.some((recipient) => recipient.action === 'failed' && /^5\./.test(recipient.status ?? '5.')),
      status: failed?.status, diagnostic: failed?.diagnostic, recipient: failed?.recipient, originalMessageId,
    };
  }
  // Some servers wrap the report in multipart/mixed; one or two levels are all that occur.
  if (depth < 2) {
    for (const part of parts.filter((candidate) => candidate.contentType.startsWith('multipart/'))) {
      const found = findReport(part.headers, part.body, depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}

type RecipientStatus = { action?: string; status?: string; diagnostic?: string; recipient?: string };

/** The per-recipient fields of a message/delivery-status body (RFC 3464 §2.3). */
export function parseDeliveryStatus(text: string): RecipientStatus[] {
  const groups = text.replace(/\r\n/g, '\n').split(/\n\s*\n/).slice(1, 21);
  return groups.map((group) => {
    const fields = parseHeaderLines(group);
    return {
      action: headerValue(fields, 'Action')?.toLowerCase(),
      status: /\d\.\d{1,3}\.\d{1,3}/.exec(headerValue(fields, 'Status') ?? '')?.[0],
      diagnostic: headerValue(fields, 'Diagnostic-Code')?.replace(/^smtp;\s*/i, '').slice(0, 500),
      recipient: headerValue(fields, 'Final-Recipient')?.replace(/^rfc822;\s*/i, '').slice(0, 300),
    };
  }).filter((recipient) => recipient.action !== undefined || recipient.status !== undefined);
}

function quotedMessageId(text: string): string | undefined {
  const match = /^\s*Message-ID:\s*(<[^<>\s]{1,250}>)/im.exec(text.slice(0, 200_000));
  return match?.[1];
}

export type AuthenticationResult = { authservId: string; results: Array<{ method: string; result: string }> };

/** RFC 8601: "authserv-id [version]; method=result (comment) prop=value; …" — comments and quoted strings removed. */
export function parseAuthenticationResults(value: string): AuthenticationResult | undefined {
  const text = withoutComments(value.slice(0, 4000));
  const [head, ...rest] = text.split(';');
  const authservId = head?.trim().split(/\s+/)[0]?.toLowerCase();
  if (!authservId) return undefined;
  const results = rest.flatMap((segment) => {
    const match = /^\s*([a-z0-9-]+)(?:\/\d+)?\s*=\s*([a-z0-9-]+)/i.exec(segment);
    return match ? [{ method: match[1]!.toLowerCase(), result: match[2]!.toLowerCase() }] : [];
  });
  return { authservId, results };
}

function withoutComments(value: string): string {
  let depth = 0;
  let quoted = false;
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const char = value[i]!;
    if (char === '\\' && i + 1 < value.length) {
      if (depth === 0) out += quoted ? '' : value[i + 1];
      i++;
      continue;
    }
    if (depth === 0 && char === '"') {
      quoted = !quoted;
      out += 'x';
      continue;
    }
    if (quoted) continue;
    if (char === '(') depth++;
    else if (char === ')' && depth > 0) depth--;
    else if (depth === 0) out += char;
  }
  return out;
}

/**
 * True when the server we trust (by its authserv-id) says DMARC failed. Headers from any other authserv-id are ignored:
 * a sender can write any Authentication-Results they like, but only ours can claim our server's id, and only a failure
 * counts, so a forged "pass" changes nothing.
 */
export function dmarcFailed(headers: HeaderLine[], trustedAuthservId: string): boolean {
  const trusted = trustedAuthservId.trim().toLowerCase();
  if (!trusted) return false;
  return headerValues(headers, 'Authentication-Results').some((value) => {
    const parsed = parseAuthenticationResults(value);
    return parsed?.authservId === trusted && parsed.results.some((entry) => entry.method === 'dmarc' && entry.result === 'fail');
  });
}

/** Bounce first (a bounce is also "automatic"), then auto-reply, else a mail a person wrote. */
export function classify(headers: HeaderLine[], body: string, fromAddress: string | undefined, subject: string): Classification {
  const bounce = deliveryReport(headers, body, fromAddress, subject);
  if (bounce) return { kind: 'bounce', bounce };
  const reason = autoReplyReason(headers, subject);
  if (reason) return { kind: 'auto_reply', reason };
  // The null sender is reserved for reports and responders (RFC 5321 §4.5.5): whatever it is, no person wrote it.
  if (headerValues(headers, 'Return-Path').some((value) => /^<\s*>$/.test(value.trim()))) return { kind: 'auto_reply', reason: 'Return-Path: <>' };
  return { kind: 'message' };
}
