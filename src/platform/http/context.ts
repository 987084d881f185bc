import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { Actor } from '../access.js';
import { DomainError, type Issue } from '../errors.js';
import type { Config } from '../config.js';
import { withTransaction, type Database, type Db } from '../db/index.js';
import type { Locale, Translate } from '../i18n/index.js';
import type { Transport } from '../outbox/index.js';
import type { NavEntry } from '../module.js';
import type { PageContext } from '../web/context.js';

export interface AppDeps {
  config: Config;
  database: Database;
  transport: Transport;
}

declare module 'fastify' {
  interface FastifyInstance {
    deps: AppDeps;
    /** The header menu, assembled once from the modules' manifests. */
    navigation: readonly NavEntry[];
  }
  interface FastifyRequest {
    actor: Actor;
    locale: Locale;
    t: Translate;
    csrfToken: string;
    /** An upload's CSRF token is checked as its multipart fields are read (see `inputGuards`). */
    csrfDeferred: boolean;
    sessionToken: string | null;
    user: { id: string; displayName: string; email: string | null; phone: string | null } | null;
  }
}

export function dbOf(req: FastifyRequest): Db {
  return req.server.deps.database.db;
}

/** Runs a unit of work in one transaction. */
export function inTx<T>(req: FastifyRequest, fn: (tx: Db) => Promise<T>): Promise<T> {
  return withTransaction(dbOf(req), fn);
}

export function pageContext(req: FastifyRequest): PageContext {
  return {
    locale: req.locale,
    t: req.t,
    actor: req.actor,
    user: req.user ? { id: req.user.id, displayName: req.user.displayName } : null,
    csrfToken: req.csrfToken,
    url: req.url,
    demo: req.server.deps.config.DEMO_DATA,
    nav: req.server.navigation,
  };
}

export function sendPage(reply: FastifyReply, page: VNode, status = 200): FastifyReply {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(`<!doctype html>${renderToString(page)}`);
}

/** Where to go after a form: only local paths, never another site. */
export function safeNext(next: unknown, fallback = '/'): string {
  return typeof next === 'string' && /^\/(?![/\\])[\x21-\x5b\x5d-\x7e]*$/.test(next) ? next : fallback;
}

export function wantsJson(req: FastifyRequest): boolean {
  return (
    req.url.startsWith('/api/') || ((req.headers.accept ?? '').includes('application/json') && !(req.headers.accept ?? '').includes('text/html'))
  );
}

/** The issues of a validation or conflict error, which a form page shows beside its fields; null otherwise. */
export function issuesOf(err: unknown): Issue[] | null {
  return err instanceof DomainError && (err.status === 422 || err.status === 409) && err.issues.length > 0 ? err.issues : null;
}
