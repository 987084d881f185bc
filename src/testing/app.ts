import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp, prepareDatabase } from '../app.js';
import { createSession } from '../platform/auth/service.js';
import { loadConfig } from '../platform/config.js';
import type { Database, Db } from '../platform/db/index.js';
import { SESSION_COOKIE } from '../platform/http/session.js';
import type { OutgoingMessage } from '../platform/outbox/index.js';
import { createTestDatabase } from '../platform/testing/db.js';

export interface TestApp {
  app: FastifyInstance;
  database: Database;
  /** Messages the outbox handed to the transport. */
  sent: OutgoingMessage[];
  close(): Promise<void>;
}

export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  await prepareDatabase(database);
  const sent: OutgoingMessage[] = [];
  const app = await buildApp({
    config: loadConfig({ NODE_ENV: 'test', DEMO_DATA: 'false', ...env }),
    database,
    transport: {
      send: async (m) => {
        sent.push(m);
      },
    },
  });
  return {
    app,
    database,
    sent,
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}

/** A multipart/form-data body: the fields in order, then one file. */
export function multipartBody(
  fields: Record<string, string>,
  file?: { field: string; name: string; bytes: Uint8Array | string; type?: string },
): { payload: Buffer; contentType: string } {
  const boundary = '----suotdoi-test-boundary';
  const parts = Object.entries(fields).map(([k, v]) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.name}"\r\nContent-Type: ${file.type ?? 'application/octet-stream'}\r\n\r\n`,
      ),
    );
    parts.push(Buffer.from(file.bytes), Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** A browser-like client: keeps cookies and sends the CSRF token the last page carried. */
export class Browser {
  cookies = new Map<string, string>();
  csrf = '';

  constructor(readonly app: FastifyInstance) {}

  private remember(res: LightMyRequestResponse): void {
    for (const c of res.cookies as Array<{ name: string; value: string; maxAge?: number; expires?: Date }>) {
      if (c.value === '' || (c.expires && c.expires.getTime() < Date.now())) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    const m = /name="_csrf" value="([^"]+)"/.exec(res.body);
    if (m?.[1]) this.csrf = m[1];
  }

  private get cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    const res = await this.app.inject({ method: 'GET', url, headers: { cookie: this.cookieHeader, ...headers } });
    this.remember(res);
    return res;
  }

  /** Posts a form as a browser does, with the CSRF token unless told otherwise. */
  async post(url: string, form: Record<string, string>, opts: { csrf?: boolean } = {}): Promise<LightMyRequestResponse> {
    const body = new URLSearchParams({ ...(opts.csrf === false ? {} : { _csrf: this.csrf }), ...form }).toString();
    const res = await this.app.inject({
      method: 'POST',
      url,
      payload: body,
      headers: { cookie: this.cookieHeader, 'content-type': 'application/x-www-form-urlencoded' },
    });
    this.remember(res);
    return res;
  }

  /** Posts a multipart form as a browser does: its `_csrf` field first (unless told otherwise or given another), then the fields, then the file. */
  async upload(
    url: string,
    file: { field: string; name: string; bytes: Uint8Array | string; type?: string },
    fields: Record<string, string> = {},
    opts: { csrf?: string | false } = {},
  ): Promise<LightMyRequestResponse> {
    const { payload, contentType } = multipartBody({ ...(opts.csrf === false ? {} : { _csrf: opts.csrf ?? this.csrf }), ...fields }, file);
    const res = await this.app.inject({ method: 'POST', url, payload, headers: { cookie: this.cookieHeader, 'content-type': contentType } });
    this.remember(res);
    return res;
  }

  async json(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'GET', url: string, payload?: unknown): Promise<LightMyRequestResponse> {
    const res = await this.app.inject({
      method,
      url,
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
      headers: { cookie: this.cookieHeader, 'x-csrf-token': this.csrf, accept: 'application/json' },
    });
    this.remember(res);
    return res;
  }

  /** Registers (or logs in) through the pages, as a person would. */
  async login(identifier: string, password: string): Promise<LightMyRequestResponse> {
    await this.get('/login');
    const res = await this.post('/login', { identifier, password });
    await this.get('/account');
    return res;
  }
}

/** A browser signed in as the given user (a session made directly, no password needed). */
export async function signedIn(app: FastifyInstance, db: Db, userId: string): Promise<Browser> {
  const session = await createSession(db, userId, 1);
  const browser = new Browser(app);
  browser.cookies.set(SESSION_COOKIE, session.token);
  browser.csrf = session.csrfToken;
  return browser;
}
