// Shortcuts for the people and requests that tests need, made through the app's own use cases.
import type { UserRole } from '../../src/db/schema.js';
import type { TestApp } from './test-app.js';
import { WebClient } from './web-client.js';

export const defaultPassword = 'ein langes Kennwort 42';

export async function createUser(t: TestApp, email: string, options: { name?: string; role?: UserRole; password?: string | null } = {}) {
  const password = options.password === null ? undefined : (options.password ?? defaultPassword);
  const { user } = await t.services.accounts.createUser({ email, name: options.name ?? 'Karla Kundin', role: options.role ?? 'customer', password });
  return user;
}

export async function loggedInClient(t: TestApp, email: string, password = defaultPassword): Promise<WebClient> {
  const client = new WebClient(t.app);
  const response = await client.submit('/login', '/login', { email, password });
  if (response.statusCode !== 303) throw new Error(`login of ${email} failed with ${response.statusCode}`);
  return client;
}

export function createRequest(t: TestApp, requester: { email: string; name: string }, subject = 'Lok BR 218 fehlt', description = 'In meinem Paket fehlt die Lok.') {
  return t.services.tickets.createRequest({ name: requester.name, email: requester.email, subject, description });
}
