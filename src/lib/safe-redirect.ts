// Decides where a `next=` parameter may send someone after login: local paths only, anything else goes home.
export function safeLocalPath(next: unknown, fallback = '/'): string {
  if (typeof next !== 'string' || next.length === 0 || next.length > 2000) return fallback;
  if (!next.startsWith('/')) return fallback;
  // "//host" and "/\host" are read by browsers as another site; control characters can hide either.
  if (next.startsWith('//') || next.startsWith('/\\')) return fallback;
  if ([...next].some((char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f || char === '\\')) return fallback;
  return next;
}
