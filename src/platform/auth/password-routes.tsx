import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { UnauthenticatedError, type Issue } from '../errors.js';
import { inTx, issuesOf, pageContext, sendPage } from '../http/context.js';
import { Button, ErrorSummary, Form, Notice, TextField } from '../web/components.js';
import type { PageContext } from '../web/context.js';
import { Layout } from '../web/layout.js';
import { changePassword, PasswordSchema } from './service.js';
import { ErrorOut } from './shared.js';
import './messages.js';

function ChangePasswordPage({ ctx, issues, notice }: { ctx: PageContext; issues: Issue[]; notice?: string | undefined }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('auth.password.change')}>
      <h1>{t('auth.password.change')}</h1>
      {notice ? <Notice kind="success">{notice}</Notice> : null}
      <ErrorSummary ctx={ctx} issues={issues} />
      <Form ctx={ctx} action="/account/password">
        <TextField
          ctx={ctx}
          name="current"
          type="password"
          label={t('auth.password.current')}
          issues={issues}
          autocomplete="current-password"
          required
          width="medium"
        />
        <TextField
          ctx={ctx}
          name="password"
          type="password"
          label={t('auth.password.new')}
          hint={t('auth.register.passwordHint')}
          issues={issues}
          autocomplete="new-password"
          required
          width="medium"
        />
        <Button>{t('auth.password.change')}</Button>
      </Form>
      <p>
        <a href="/account">{t('auth.account.title')}</a>
      </p>
    </Layout>
  );
}

function sessionUser(req: FastifyRequest): string {
  if (req.actor.kind !== 'user') throw new UnauthenticatedError();
  return req.actor.userId;
}

/** A signed-in person changes their own password (the page and the JSON API); API tokens cannot. */
export const passwordRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/account/password', { schema: { hide: true } }, (req, reply) => {
    sessionUser(req);
    return sendPage(reply, <ChangePasswordPage ctx={pageContext(req)} issues={[]} />);
  });

  app.post('/account/password', { schema: { hide: true } }, async (req, reply) => {
    const userId = sessionUser(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    try {
      await inTx(req, (tx) => changePassword(tx, userId, body.current, body.password, req.sessionToken));
      return sendPage(reply, <ChangePasswordPage ctx={pageContext(req)} issues={[]} notice={req.t('auth.password.changed')} />);
    } catch (err) {
      const issues = issuesOf(err);
      if (issues) return sendPage(reply, <ChangePasswordPage ctx={pageContext(req)} issues={issues} />, 422);
      throw err;
    }
  });

  app.put(
    '/api/v1/me/password',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Change my password (session only); my other sessions end',
        body: Type.Object({ current: Type.String({ minLength: 1, maxLength: 200 }), password: PasswordSchema }, { additionalProperties: false }),
        response: { 204: Type.Null(), 401: ErrorOut, 422: ErrorOut },
      },
    },
    async (req, reply) => {
      const userId = sessionUser(req);
      await inTx(req, (tx) => changePassword(tx, userId, req.body.current, req.body.password, req.sessionToken));
      return reply.code(204).send(null);
    },
  );
};
