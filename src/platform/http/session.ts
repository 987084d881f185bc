import type { FastifyInstance, FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import { anonymous, type Actor } from '../access.js';
import { loadSession, tokenActor } from '../auth/service.js';
import { randomToken, safeEqual } from '../auth/tokens.js';
import { ForbiddenError } from '../errors.js';
import { isLocale, negotiateLocale, translator, type Translate } from '../i18n/index.js';
import { inputGuards } from './input.js';
import { registerApiSchemas } from './schemas.js';

export const SESSION_COOKIE = 'sd_session';
const CSRF_COOKIE = 'sd_csrf';
const LANG_COOKIE = 'lang';

const unsafe = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function cookieOptions(app: FastifyInstance, maxAgeSeconds?: number) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: app.deps.config.secureCookies,
    ...(maxAgeSeconds ? { maxAge: maxAgeSeconds } : {}),
  };
}

export function setSessionCookie(reply: FastifyReply, token: string, expiresAt: Date): void {
  reply.setCookie(SESSION_COOKIE, token, { ...cookieOptions(reply.server), expires: expiresAt });
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, cookieOptions(reply.server));
}

/**
 * Who is asking and in which language: a bearer token, a session cookie, or nobody.
 * Every unsafe request made with a cookie must carry the CSRF token as a header or a form field
 * (never in the address); an upload route checks a multipart form's `_csrf` field as it reads the
 * body, before the file. Bearer-token requests are not exposed to CSRF.
 */
export const requestContext = fp(async (app: FastifyInstance) => {
  // Reference-typed decorations start as null and are filled in for every request below.
  app.decorateRequest<Actor | null>('actor', null);
  app.decorateRequest('locale', 'vi');
  app.decorateRequest<Translate | null>('t', null);
  app.decorateRequest('csrfToken', '');
  app.decorateRequest('sessionToken', null);
  app.decorateRequest('user', null);
  app.decorateRequest('csrfDeferred', false);

  app.addHook('onRequest', async (req, reply) => {
    req.actor = { ...anonymous, ip: req.ip };
    const query = req.query as Record<string, unknown> | undefined;
    const asked = query?.lang;
    if (isLocale(asked))
      reply.setCookie(LANG_COOKIE, asked, { path: '/', sameSite: 'lax', maxAge: 365 * 86_400, secure: app.deps.config.secureCookies });
    req.locale = isLocale(asked) ? asked : negotiateLocale(req.cookies[LANG_COOKIE]);
    req.t = translator(req.locale);

    if (req.url.startsWith('/assets/')) return;
    const db = app.deps.database.db;
    const auth = req.headers.authorization;
    if (auth?.startsWith('Bearer ')) {
      const actor = await tokenActor(db, auth.slice(7).trim(), req.ip);
      if (!actor) {
        await reply.code(401).send({ error: { code: 'unauthenticated', message: req.t('errors.unauthenticated'), issues: [] } });
        return reply;
      }
      req.actor = actor;
      return;
    }
    const token = req.cookies[SESSION_COOKIE];
    const session = token ? await loadSession(db, token) : null;
    if (session && token) {
      req.sessionToken = token;
      req.user = session.user;
      req.csrfToken = session.csrfToken;
      req.actor = {
        kind: 'user',
        userId: session.user.id,
        grants: session.grants,
        label: session.user.email ?? session.user.phone ?? session.user.displayName,
        ip: req.ip,
      };
      if (!isLocale(asked) && !req.cookies[LANG_COOKIE] && isLocale(session.user.locale)) {
        req.locale = session.user.locale;
        req.t = translator(req.locale);
      }
    } else {
      if (token) clearSessionCookie(reply);
      let csrf = req.cookies[CSRF_COOKIE];
      if (!csrf || !/^[\w-]{20,64}$/.test(csrf)) {
        csrf = randomToken(24);
        reply.setCookie(CSRF_COOKIE, csrf, cookieOptions(app));
      }
      req.csrfToken = csrf;
    }
  });

  app.addHook('preHandler', async (req) => {
    if (!unsafe.has(req.method) || req.actor.kind === 'token') return;
    const body = req.body as Record<string, unknown> | undefined;
    const sent = req.headers['x-csrf-token'] ?? (typeof body?._csrf === 'string' ? body._csrf : undefined);
    if (sent === undefined && req.routeOptions.config.upload && req.isMultipart()) {
      req.csrfDeferred = true;
      return;
    }
    if (typeof sent !== 'string' || !req.csrfToken || !safeEqual(sent, req.csrfToken)) throw new ForbiddenError('errors.csrf');
  });

  registerApiSchemas(app);
  await app.register(inputGuards);
});
