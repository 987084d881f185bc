import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import { Type } from 'typebox';
import type { Issue } from '../errors.js';
import { dbOf, inTx, issuesOf, pageContext, safeNext, sendPage } from '../http/context.js';
import { parseForm } from '../http/validation.js';
import { Button, ErrorSummary, Form, TextField } from '../web/components.js';
import type { PageContext } from '../web/context.js';
import { Layout } from '../web/layout.js';
import { confirmRegistration, registrationLinkValid, REGISTRATION_HOURS, startRegistration, type RegistrationMail } from './registration.js';
import { PasswordSchema } from './service.js';
import { ErrorOut, loginLimit, startSession, UserOut } from './shared.js';
import './messages.js';

const RegisterForm = Type.Object({
  displayName: Type.String({ maxLength: 500 }),
  email: Type.Optional(Type.String({ maxLength: 500 })),
  phone: Type.Optional(Type.String({ maxLength: 500 })),
  password: Type.String({ maxLength: 500 }),
  next: Type.Optional(Type.String({ maxLength: 500 })),
});

const TokenParams = Type.Object({ token: Type.String({ minLength: 10, maxLength: 100 }) });

function RegisterPage({ ctx, values, issues }: { ctx: PageContext; values: Record<string, string | undefined>; issues: Issue[] }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('auth.register.title')}>
      <h1>{t('auth.register.title')}</h1>
      <p class="lead">{t('auth.register.lead')}</p>
      <ErrorSummary ctx={ctx} issues={issues} />
      <Form ctx={ctx} action="/register">
        <input type="hidden" name="next" value={values.next ?? ''} />
        <TextField
          ctx={ctx}
          name="displayName"
          label={t('auth.register.displayName')}
          value={values.displayName}
          issues={issues}
          autocomplete="name"
          required
        />
        <TextField
          ctx={ctx}
          name="email"
          type="email"
          label={t('auth.register.email')}
          value={values.email}
          issues={issues}
          autocomplete="email"
          inputmode="email"
        />
        <TextField
          ctx={ctx}
          name="phone"
          type="tel"
          label={t('auth.register.phone')}
          hint={t('auth.register.phoneHint')}
          value={values.phone}
          issues={issues}
          autocomplete="tel"
          inputmode="tel"
          width="medium"
        />
        <TextField
          ctx={ctx}
          name="password"
          type="password"
          label={t('auth.register.password')}
          hint={t('auth.register.passwordHint')}
          issues={issues}
          autocomplete="new-password"
          required
          width="medium"
        />
        <Button>{t('auth.register.submit')}</Button>
      </Form>
      <p>
        {t('auth.register.haveAccount')} <a href="/login">{t('nav.login')}</a>
      </p>
    </Layout>
  );
}

function MessagePage({ ctx, title, lead, children }: { ctx: PageContext; title: string; lead: string; children?: ComponentChildren }) {
  return (
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      <p class="lead">{lead}</p>
      {children}
    </Layout>
  );
}

function mails(req: FastifyRequest): RegistrationMail {
  return {
    confirm: { subject: req.t('auth.register.mail.subject'), body: (link) => req.t('auth.register.mail.body', { link, hours: REGISTRATION_HOURS }) },
    existing: { subject: req.t('auth.register.existing.subject'), body: (login, reset) => req.t('auth.register.existing.body', { login, reset }) },
  };
}

/**
 * Registration in two steps, so that it never tells whether an address has an account: the form
 * always answers "we sent you a link"; the link (to a new address) makes the account and logs in.
 */
export const registrationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const cfg = app.deps.config;

  app.get('/register', { schema: { hide: true } }, (req, reply) => {
    const q = req.query as Record<string, string | undefined>;
    return sendPage(reply, <RegisterPage ctx={pageContext(req)} values={{ next: safeNext(q.next, '') }} issues={[]} />);
  });

  app.post('/register', { schema: { hide: true }, config: loginLimit }, async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, string | undefined>;
    const values = { displayName: body.displayName, email: body.email, phone: body.phone, next: safeNext(body.next, '') };
    try {
      const form = parseForm(RegisterForm, body);
      const next = safeNext(form.next, '') || undefined;
      await inTx(req, (tx) => startRegistration(tx, { ...form, next, locale: req.locale }, cfg.publicUrl, mails(req)));
      return reply.redirect('/register/sent', 303);
    } catch (err) {
      const issues = issuesOf(err);
      if (issues) return sendPage(reply, <RegisterPage ctx={pageContext(req)} values={values} issues={issues} />, 422);
      throw err;
    }
  });

  app.get('/register/sent', { schema: { hide: true } }, (req, reply) =>
    sendPage(
      reply,
      <MessagePage
        ctx={pageContext(req)}
        title={req.t('auth.register.sent.title')}
        lead={req.t('auth.register.sent.lead', { hours: REGISTRATION_HOURS })}
      />,
    ),
  );

  // Opening the link shows a button: mail scanners that fetch links do not make the account.
  app.get('/register/confirm/:token', { schema: { hide: true, params: TokenParams } }, async (req, reply) => {
    const ctx = pageContext(req);
    if (!(await registrationLinkValid(dbOf(req), req.params.token))) {
      return sendPage(reply, <MessagePage ctx={ctx} title={req.t('auth.register.linkExpired')} lead={req.t('auth.register.linkExpiredLead')} />, 404);
    }
    return sendPage(
      reply,
      <MessagePage ctx={ctx} title={req.t('auth.register.confirm.title')} lead={req.t('auth.register.confirm.lead')}>
        <Form ctx={ctx} action={`/register/confirm/${encodeURIComponent(req.params.token)}`}>
          <Button>{req.t('auth.register.confirm.submit')}</Button>
        </Form>
      </MessagePage>,
    );
  });

  app.post('/register/confirm/:token', { schema: { hide: true, params: TokenParams }, config: loginLimit }, async (req, reply) => {
    const made = await inTx(req, (tx) => confirmRegistration(tx, req.params.token));
    await startSession(req, reply, made.user.id);
    return reply.redirect(safeNext(made.next, '/account?notice=welcome'), 303);
  });

  const tags = ['accounts'];
  app.post(
    '/api/v1/auth/register',
    {
      config: loginLimit,
      schema: {
        tags,
        summary: 'Register a learner account: a link is sent to the address; the answer is the same whether or not it has an account',
        body: Type.Object(
          {
            displayName: Type.String({ minLength: 1, maxLength: 120 }),
            email: Type.Optional(Type.String({ maxLength: 254 })),
            phone: Type.Optional(Type.String({ maxLength: 20 })),
            password: PasswordSchema,
          },
          { additionalProperties: false },
        ),
        response: { 202: Type.Object({ sent: Type.Boolean() }), 422: ErrorOut },
      },
    },
    async (req, reply) => {
      await inTx(req, (tx) => startRegistration(tx, { ...req.body, locale: req.locale }, cfg.publicUrl, mails(req)));
      return reply.code(202).send({ sent: true });
    },
  );

  app.post(
    '/api/v1/auth/register/confirm',
    {
      config: loginLimit,
      schema: {
        tags,
        summary: 'Finish a registration with the token of the link sent; makes the account and sets the session cookie',
        body: Type.Object({ token: Type.String({ minLength: 10, maxLength: 100 }) }, { additionalProperties: false }),
        response: { 201: Type.Object({ user: UserOut, csrfToken: Type.String() }), 404: ErrorOut },
      },
    },
    async (req, reply) => {
      const made = await inTx(req, (tx) => confirmRegistration(tx, req.body.token));
      return reply.code(201).send({ user: made.user, csrfToken: await startSession(req, reply, made.user.id) });
    },
  );
};
