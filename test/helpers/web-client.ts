// A small browser for app.inject: keeps cookies, and fills forms with the CSRF token the page carries.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

export class WebClient {
  readonly cookies = new Map<string, string>();

  constructor(private readonly app: FastifyInstance, private readonly headers: Record<string, string> = {}) {}

  async get(url: string): Promise<LightMyRequestResponse> {
    return this.send('GET', url);
  }

  /** Posts exactly these fields (no CSRF token is added). */
  async post(url: string, fields: Record<string, string>): Promise<LightMyRequestResponse> {
    return this.send('POST', url, new URLSearchParams(fields).toString());
  }

  /** Opens the page, takes the CSRF token from its form with this action, and submits the fields there. */
  async submit(pageUrl: string, action: string, fields: Record<string, string>): Promise<LightMyRequestResponse> {
    const page = await this.get(pageUrl);
    const token = csrfTokenOf(page.body, action);
    return this.post(action, { _csrf: token, ...fields });
  }

  private async send(method: 'GET' | 'POST', url: string, payload?: string): Promise<LightMyRequestResponse> {
    const response = await this.app.inject({
      method,
      url,
      payload,
      headers: {
        ...this.headers,
        ...(payload !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        ...(this.cookies.size ? { cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ') } : {}),
      },
    });
    for (const cookie of response.cookies as Array<{ name: string; value: string; maxAge?: number; expires?: Date }>) {
      const expired = cookie.maxAge === 0 || (cookie.expires !== undefined && cookie.expires.getTime() <= Date.now()) || cookie.value === '';
      if (expired) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    return response;
  }
}

/** The CSRF token of the form that posts to `action` on this page. */
export function csrfTokenOf(html: string, action: string): string {
  const forms = html.split('<form').slice(1);
  const form = forms.find((markup) => markup.includes(`action="${action}"`));
  if (!form) throw new Error(`no form posting to ${action}`);
  const token = form.match(/name="_csrf" value="([^"]+)"/);
  if (!token) throw new Error(`the form posting to ${action} has no CSRF token`);
  return token[1]!;
}
