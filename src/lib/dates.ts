// Date and time as German readers expect them, in Europe/Berlin; formatters are built once and reused.
const berlin = 'Europe/Berlin';
const dateTimeFormat = new Intl.DateTimeFormat('de-DE', {
  timeZone: berlin, day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit',
});
const dateFormat = new Intl.DateTimeFormat('de-DE', { timeZone: berlin, day: '2-digit', month: '2-digit', year: 'numeric' });
const isoInBerlinFormat = new Intl.DateTimeFormat('sv-SE', {
  timeZone: berlin, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
});

/** "30.11.2026, 14:05" */
export function formatDateTime(date: Date): string {
  return dateTimeFormat.format(date);
}

/** "30.11.2026" */
export function formatDate(date: Date): string {
  return dateFormat.format(date);
}

/** The value of a <time datetime> attribute, in Berlin local time: "2026-11-30 14:05". */
export function machineDateTime(date: Date): string {
  return isoInBerlinFormat.format(date);
}
