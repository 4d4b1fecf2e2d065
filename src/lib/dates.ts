// Date and time as German readers expect them, in Europe/Berlin; formatters are built once and reused.
const berlin = 'Europe/Berlin';
const dateTimeFormat = new Intl.DateTimeFormat('de-DE', {
  timeZone: berlin, day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit',
});
const dateFormat = new Intl.DateTimeFormat('de-DE', { timeZone: berlin, day: '2-digit', month: '2-digit', year: 'numeric' });
const isoInBerlinFormat = new Intl.DateTimeFormat('sv-SE', {
  timeZone: berlin, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
});

// A page shows dozens of dates (a request with 100 messages: 200), and one Intl format call costs several microseconds.
// Since 1970 Berlin's offset from UTC has only ever changed on a full UTC hour, so it is looked up once per UTC hour
// and the digits are put together by hand; other years (before 1970, after 9999) go through Intl as before.
const hourMs = 3_600_000;
const fastFrom = Date.UTC(1970, 0, 1);
const fastUntil = Date.UTC(9999, 11, 31);
const offsetFormat = new Intl.DateTimeFormat('en-US', {
  timeZone: berlin, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
});
const offsetByHour = new Map<number, number>();
const offsetCacheSize = 10_000;

function offsetAt(utcMs: number): number {
  const part: Record<string, number> = {};
  for (const { type, value } of offsetFormat.formatToParts(utcMs)) part[type] = Number(value);
  return Date.UTC(part.year!, part.month! - 1, part.day!, part.hour!, part.minute!, part.second!) - utcMs;
}

/** Berlin's wall-clock time as the UTC fields of a Date, or undefined outside the years where that shortcut holds. */
function berlinWallClock(date: Date): Date | undefined {
  const utcMs = date.getTime();
  if (!(utcMs >= fastFrom && utcMs < fastUntil)) return undefined;
  const hour = Math.floor(utcMs / hourMs);
  let offset = offsetByHour.get(hour);
  if (offset === undefined) {
    if (offsetByHour.size >= offsetCacheSize) offsetByHour.clear();
    offset = offsetAt(hour * hourMs);
    offsetByHour.set(hour, offset);
  }
  return new Date(utcMs + offset);
}

const twoDigits = (value: number) => (value < 10 ? `0${value}` : String(value));

/** Berlin's day and time as German readers and machines write them, or undefined outside the shortcut's years. */
function berlinParts(date: Date): { day: string; time: string; isoDay: string } | undefined {
  const local = berlinWallClock(date);
  if (!local) return undefined;
  const year = local.getUTCFullYear();
  const month = twoDigits(local.getUTCMonth() + 1);
  const dayOfMonth = twoDigits(local.getUTCDate());
  return { day: `${dayOfMonth}.${month}.${year}`, time: `${twoDigits(local.getUTCHours())}:${twoDigits(local.getUTCMinutes())}`, isoDay: `${year}-${month}-${dayOfMonth}` };
}

/** "30.11.2026, 14:05" */
export function formatDateTime(date: Date): string {
  const parts = berlinParts(date);
  return parts ? `${parts.day}, ${parts.time}` : dateTimeFormat.format(date);
}

/** "30.11.2026" */
export function formatDate(date: Date): string {
  return berlinParts(date)?.day ?? dateFormat.format(date);
}

/** The value of a <time datetime> attribute, in Berlin local time: "2026-11-30 14:05". */
export function machineDateTime(date: Date): string {
  const parts = berlinParts(date);
  return parts ? `${parts.isoDay} ${parts.time}` : isoInBerlinFormat.format(date);
}

/**
 * `<time datetime="2026-11-30 14:05">30.11.2026, 14:05</time>`: how pages show a moment, from one wall-clock lookup.
 * Only digits and fixed characters, so the HTML needs no escaping.
 */
export function dateTimeHtml(date: Date): string {
  const parts = berlinParts(date);
  if (!parts) return `<time datetime="${isoInBerlinFormat.format(date)}">${dateTimeFormat.format(date)}</time>`;
  return `<time datetime="${parts.isoDay} ${parts.time}">${parts.day}, ${parts.time}</time>`;
}

/** `<time datetime="2026-11-30 14:05">30.11.2026</time>`: a day, with the moment for machines. */
export function dateHtml(date: Date): string {
  const parts = berlinParts(date);
  if (!parts) return `<time datetime="${isoInBerlinFormat.format(date)}">${dateFormat.format(date)}</time>`;
  return `<time datetime="${parts.isoDay} ${parts.time}">${parts.day}</time>`;
}
