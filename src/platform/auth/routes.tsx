import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { tokenScopes } from '../access.js';
import { UnauthenticatedError, type Issue } from '../errors.js';
import { dbOf, inTx, issuesOf, pageContext, safeNext, sendPage } from '../http/context.js';
import { clearSessionCookie } from '../http/session.js';
import { parseForm } from '../http/validation.js';
import { labelGrants } from '../module.js';
import { messageKey } from '../i18n/index.js';
import {
  createApiToken,
  destroySession,
  grantsFor,
  listApiTokens,
  requestPasswordReset,
  resetPassword,
  resetTokenValid,
  revokeApiToken,
  type TokenView,
} from './service.js';
import { authenticate, LoginError, type LoginPolicy } from './login.js';
import './messages.js';
import { AccountPage, LoginPage, SimpleErrorPage, SimpleFormPage } from './views.js';
import { passwordRoutes } from './password-routes.js';
import { registrationRoutes } from './registration-routes.js';
import { loginLimit, startSession, UserOut } from './shared.js';
import { ErrorOut, Nullable, Uuid } from '../http/schemas.js';

const LoginForm = Type.Object({
  identifier: Type.String({ minLength: 1, maxLength: 254 }),
  password: Type.String({ minLength: 1, maxLength: 200 }),
  next: Type.Optional(Type.String({ maxLength: 500 })),
});

const GrantOut = Type.Object({
  role: Type.String(),
  institutionId: Nullable(Type.String()),
  unitId: Nullable(Type.String()),
});
const TokenOut = Type.Object({
  id: Type.String(),
  name: Type.String(),
  prefix: Type.String(),
  scopes: Type.Array(Type.String()),
  createdAt: Type.String(),
  expiresAt: Nullable(Type.String()),
  lastUsedAt: Nullable(Type.String()),
  revokedAt: Nullable(Type.String()),
});

export function presentToken(t: TokenView) {
  return {
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    scopes: t.scopes,
    createdAt: t.createdAt.toISOString(),
    expiresAt: t.expiresAt?.toISOString() ?? null,
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
  };
}

const open = { anonymousWrite: true };

function requireSession(req: FastifyRequest): void {
  if (req.actor.kind !== 'user') throw new UnauthenticatedError();
}

async function renderAccount(
  req: FastifyRequest,
  reply: FastifyReply,
  extra: { newToken?: string; issues?: Issue[]; notice?: string | undefined; status?: number } = {},
) {
  requireSession(req);
  const db = dbOf(req);
  const grants = req.actor.kind === 'user' ? req.actor.grants : [];
  const [labels, tokens] = await Promise.all([labelGrants(req.server.modules, db, grants), listApiTokens(db, req.actor)]);
  return sendPage(
    reply,
    <AccountPage
      ctx={pageContext(req)}
      grants={grants}
      labels={labels}
      tokens={tokens}
      newToken={extra.newToken}
      issues={extra.issues ?? []}
      notice={extra.notice}
    />,
    extra.status,
  );
}

/** The browser's known-device cookie: a year, for this site only, never readable by scripts. */
const DEVICE_COOKIE = 'sd_device';

async function logIn(req: FastifyRequest, reply: FastifyReply, identifier: string, password: string, policy: LoginPolicy) {
  const { user, device } = await authenticate(dbOf(req), identifier, password, policy, { ip: req.ip, device: req.cookies[DEVICE_COOKIE] });
  reply.setCookie(DEVICE_COOKIE, device, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: req.server.deps.config.secureCookies,
    maxAge: 365 * 86_400,
  });
  return { user, csrfToken: await startSession(req, reply, user.id) };
}

const notices: Record<string, string> = { loggedOut: 'auth.loggedOut', reset: 'auth.reset.done' };

export const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const cfg = app.deps.config;
  const policy = { maxFailures: cfg.LOGIN_MAX_FAILURES, lockMinutes: cfg.LOGIN_LOCK_MINUTES };

  app.get('/login', { schema: { hide: true } }, (req, reply) => {
    const q = req.query as Record<string, string | undefined>;
    const notice = q.notice && notices[q.notice] ? req.t(messageKey(notices[q.notice] ?? '')) : undefined;
    return sendPage(reply, <LoginPage ctx={pageContext(req)} values={{ next: safeNext(q.next, '') }} issues={[]} notice={notice} />);
  });

  app.post('/login', { schema: { hide: true }, config: loginLimit }, async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, string | undefined>;
    const values = { identifier: body.identifier, next: safeNext(body.next, '') };
    try {
      const form = parseForm(LoginForm, body);
      await logIn(req, reply, form.identifier, form.password, policy);
      return reply.redirect(safeNext(form.next, '/account'), 303);
    } catch (err) {
      if (err instanceof LoginError) {
        return sendPage(
          reply,
          <LoginPage
            ctx={pageContext(req)}
            values={values}
            issues={[{ field: 'identifier', key: err.key, ...(err.params ? { params: err.params } : {}) }]}
          />,
          err.status,
        );
      }
      const issues = issuesOf(err);
      if (issues) return sendPage(reply, <LoginPage ctx={pageContext(req)} values={values} issues={issues} />, 422);
      throw err;
    }
  });

  await app.register(registrationRoutes);
  await app.register(passwordRoutes);

  app.post('/logout', { schema: { hide: true }, config: open }, async (req, reply) => {
    if (req.sessionToken) await destroySession(dbOf(req), req.sessionToken);
    clearSessionCookie(reply);
    return reply.redirect('/login?notice=loggedOut', 303);
  });

  const forgotField = (req: FastifyRequest) => ({
    name: 'identifier',
    label: req.t('auth.login.identifier'),
    type: 'text' as const,
    autocomplete: 'username',
  });
  app.get('/forgot-password', { schema: { hide: true } }, (req, reply) =>
    sendPage(
      reply,
      <SimpleFormPage
        ctx={pageContext(req)}
        title={req.t('auth.forgot.title')}
        lead={req.t('auth.forgot.lead')}
        action="/forgot-password"
        field={forgotField(req)}
        issues={[]}
        submit={req.t('auth.forgot.submit')}
      />,
    ),
  );

  app.post('/forgot-password', { schema: { hide: true }, config: loginLimit }, async (req, reply) => {
    const ctx = pageContext(req);
    try {
      const form = parseForm(Type.Object({ identifier: Type.String({ minLength: 1, maxLength: 254 }) }), req.body);
      await inTx(req, (tx) =>
        requestPasswordReset(tx, form.identifier, cfg.publicUrl, {
          subject: req.t('auth.reset.mailSubject'),
          body: (link) => req.t('auth.reset.mailBody', { link }),
        }),
      );
      return sendPage(
        reply,
        <SimpleFormPage
          ctx={ctx}
          title={req.t('auth.forgot.title')}
          action="/forgot-password"
          field={forgotField(req)}
          issues={[]}
          submit={req.t('auth.forgot.submit')}
          notice={req.t('auth.forgot.sent')}
        />,
      );
    } catch (err) {
      const issues = issuesOf(err);
      if (issues)
        return sendPage(
          reply,
          <SimpleFormPage
            ctx={ctx}
            title={req.t('auth.forgot.title')}
            action="/forgot-password"
            field={forgotField(req)}
            issues={issues}
            submit={req.t('auth.forgot.submit')}
          />,
          422,
        );
      throw err;
    }
  });

  const resetField = (req: FastifyRequest) => ({
    name: 'password',
    label: req.t('auth.reset.password'),
    type: 'password' as const,
    autocomplete: 'new-password',
  });
  app.get<{ Params: { token: string } }>('/reset-password/:token', { schema: { hide: true } }, async (req, reply) => {
    if (!(await resetTokenValid(dbOf(req), req.params.token)))
      return sendPage(reply, <SimpleErrorPage ctx={pageContext(req)} keyName="auth.resetExpired" />, 404);
    return sendPage(
      reply,
      <SimpleFormPage
        ctx={pageContext(req)}
        title={req.t('auth.reset.title')}
        action={`/reset-password/${encodeURIComponent(req.params.token)}`}
        field={resetField(req)}
        issues={[]}
        submit={req.t('auth.reset.submit')}
      />,
    );
  });

  app.post<{ Params: { token: string } }>('/reset-password/:token', { schema: { hide: true }, config: loginLimit }, async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, string | undefined>;
    try {
      await inTx(req, (tx) => resetPassword(tx, req.params.token, body.password ?? ''));
      return reply.redirect('/login?notice=reset', 303);
    } catch (err) {
      const issues = issuesOf(err);
      if (issues) {
        return sendPage(
          reply,
          <SimpleFormPage
            ctx={pageContext(req)}
            title={req.t('auth.reset.title')}
            action={`/reset-password/${encodeURIComponent(req.params.token)}`}
            field={resetField(req)}
            issues={issues}
            submit={req.t('auth.reset.submit')}
          />,
          422,
        );
      }
      throw err;
    }
  });

  app.get('/account', { schema: { hide: true } }, (req, reply) => {
    const q = req.query as Record<string, string | undefined>;
    return renderAccount(req, reply, {
      notice: q.notice === 'welcome' && req.user ? req.t('auth.welcome', { name: req.user.displayName }) : undefined,
    });
  });

  app.post('/account/tokens', { schema: { hide: true } }, async (req, reply) => {
    requireSession(req);
    const body = (req.body ?? {}) as Record<string, string | undefined>;
    const scopes = Object.keys(tokenScopes).filter((s) => body[`scope_${s}`] === 'true');
    try {
      const created = await inTx(req, (tx) =>
        createApiToken(tx, req.actor, {
          name: body.name?.trim() ?? '',
          scopes,
          ...(body.expiresInDays ? { expiresInDays: Number(body.expiresInDays) } : {}),
        }),
      );
      return renderAccount(req, reply, { newToken: created.token, status: 201 });
    } catch (err) {
      const issues = issuesOf(err);
      if (issues) return renderAccount(req, reply, { issues, status: 422 });
      throw err;
    }
  });

  app.post<{ Params: { id: string } }>(
    '/account/tokens/:id/revoke',
    { schema: { hide: true, params: Type.Object({ id: Uuid }) } },
    async (req, reply) => {
      requireSession(req);
      await inTx(req, (tx) => revokeApiToken(tx, req.actor, req.params.id));
      return reply.redirect('/account', 303);
    },
  );

  // JSON API
  const tags = ['accounts'];
  app.get(
    '/api/v1/auth/csrf',
    { schema: { tags, summary: 'CSRF token for cookie-authenticated writes', response: { 200: Type.Object({ csrfToken: Type.String() }) } } },
    (req) => ({ csrfToken: req.csrfToken }),
  );

  app.post(
    '/api/v1/auth/login',
    {
      config: loginLimit,
      schema: {
        tags,
        summary: 'Log in; sets the session cookie',
        body: Type.Object(
          { identifier: Type.String({ minLength: 1, maxLength: 254 }), password: Type.String({ minLength: 1, maxLength: 200 }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ user: UserOut, csrfToken: Type.String() }), 401: ErrorOut, 429: ErrorOut },
      },
    },
    async (req, reply) => {
      return logIn(req, reply, req.body.identifier, req.body.password, policy);
    },
  );

  app.post('/api/v1/auth/logout', { config: open, schema: { tags, summary: 'Log out', response: { 204: Type.Null() } } }, async (req, reply) => {
    if (req.sessionToken) await destroySession(dbOf(req), req.sessionToken);
    clearSessionCookie(reply);
    return reply.code(204).send(null);
  });

  app.get(
    '/api/v1/me',
    {
      schema: {
        tags,
        summary: 'The current user and their roles',
        security: [{ bearer: [] }, { session: [] }],
        response: { 200: Type.Object({ user: Nullable(UserOut), grants: Type.Array(GrantOut) }) },
      },
    },
    async (req) => {
      if (req.actor.kind === 'token') return { user: null, grants: await grantsFor(dbOf(req), req.actor.userId) };
      if (!req.user) throw new UnauthenticatedError();
      return { user: { ...req.user, locale: req.locale }, grants: req.actor.kind === 'user' ? req.actor.grants : [] };
    },
  );

  app.get(
    '/api/v1/tokens',
    { schema: { tags, summary: 'My API tokens', response: { 200: Type.Object({ tokens: Type.Array(TokenOut) }) } } },
    async (req) => {
      requireSession(req);
      return { tokens: (await listApiTokens(dbOf(req), req.actor)).map(presentToken) };
    },
  );

  app.post(
    '/api/v1/tokens',
    {
      schema: {
        tags,
        summary: 'Create an API token (shown once)',
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 100 }),
            scopes: Type.Array(Type.String({ enum: Object.keys(tokenScopes) }), { minItems: 1, maxItems: 10 }),
            expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ token: Type.String(), info: TokenOut }), 403: ErrorOut, 422: ErrorOut },
      },
    },
    async (req, reply) => {
      requireSession(req);
      const created = await inTx(req, (tx) => createApiToken(tx, req.actor, req.body));
      return reply.code(201).send({ token: created.token, info: presentToken(created.view) });
    },
  );

  app.delete(
    '/api/v1/tokens/:id',
    {
      schema: {
        tags,
        summary: 'Revoke an API token',
        params: Type.Object({ id: Uuid }),
        response: { 204: Type.Null(), 404: ErrorOut },
      },
    },
    async (req, reply) => {
      requireSession(req);
      await inTx(req, (tx) => revokeApiToken(tx, req.actor, req.params.id));
      return reply.code(204).send(null);
    },
  );
};
