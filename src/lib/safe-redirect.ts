// Decides where a `next=` parameter may send someone after login: local paths only, anything else goes home.
export function safeLocalPath(next: unknown, fallback = '/'): string {
  if (typeof next !== 'string' || next.length === 0 || next.length > 2000) return fallback;
  if (!next.startsWith('/')) return fallback;
  // "//host" and "/\host" are read by browsers as another site; control characters can hide either.
  if (next.startsWith('//') || next.startsWith('/\\')) return fallback;
  // Browsers send paths percent-encoded, so printable ASCII is all a real one holds; anything else (spaces,
  // control characters, "€") would also make the Location header invalid and the login answer with a 500.
  if (!/^[\x21-\x7e]+$/.test(next) || next.includes('\\')) return fallback;
  return next;
}
