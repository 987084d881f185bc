import { canSomewhere, tokenScopes, type Grant } from '../access.js';
import type { Issue } from '../errors.js';
import { formatDateTime, messageKey } from '../i18n/index.js';
import { Button, ErrorSummary, Form, Notice, SelectField, SummaryList, TextField, CheckboxField } from '../web/components.js';
import type { PageContext } from '../web/context.js';
import { Layout } from '../web/layout.js';
import type { TokenView } from './service.js';
import './messages.js';

export function LoginPage({
  ctx,
  values,
  issues,
  notice,
}: {
  ctx: PageContext;
  values: Record<string, string | undefined>;
  issues: Issue[];
  notice?: string | undefined;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('auth.login.title')}>
      <h1>{t('auth.login.title')}</h1>
      {notice ? <Notice kind="success">{notice}</Notice> : null}
      <ErrorSummary ctx={ctx} issues={issues} />
      <Form ctx={ctx} action="/login">
        <input type="hidden" name="next" value={values.next ?? ''} />
        <TextField
          ctx={ctx}
          name="identifier"
          label={t('auth.login.identifier')}
          value={values.identifier}
          issues={issues}
          autocomplete="username"
          required
        />
        <TextField
          ctx={ctx}
          name="password"
          type="password"
          label={t('auth.login.password')}
          issues={issues}
          autocomplete="current-password"
          required
          width="medium"
        />
        <Button>{t('auth.login.submit')}</Button>
      </Form>
      <p>
        <a href="/forgot-password">{t('auth.login.forgot')}</a>
      </p>
      <p>
        {t('auth.login.noAccount')} <a href={`/register${values.next ? `?next=${encodeURIComponent(values.next)}` : ''}`}>{t('nav.register')}</a>
      </p>
    </Layout>
  );
}

export function SimpleFormPage({
  ctx,
  title,
  lead,
  action,
  field,
  issues,
  submit,
  notice,
}: {
  ctx: PageContext;
  title: string;
  lead?: string;
  action: string;
  field: { name: string; label: string; type: 'text' | 'password'; autocomplete: string };
  issues: Issue[];
  submit: string;
  notice?: string;
}) {
  return (
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      {lead ? <p class="lead">{lead}</p> : null}
      {notice ? <Notice kind="success">{notice}</Notice> : null}
      <ErrorSummary ctx={ctx} issues={issues} />
      <Form ctx={ctx} action={action}>
        <TextField ctx={ctx} name={field.name} type={field.type} label={field.label} issues={issues} autocomplete={field.autocomplete} required />
        <Button>{submit}</Button>
      </Form>
    </Layout>
  );
}

export function AccountPage({
  ctx,
  grants,
  labels,
  tokens,
  newToken,
  issues,
  notice,
}: {
  ctx: PageContext;
  grants: Grant[];
  labels: Map<string, { href: string; label: string }>;
  tokens: TokenView[];
  newToken?: string;
  issues: Issue[];
  notice?: string | undefined;
}) {
  const { t } = ctx;
  const user = ctx.user;
  return (
    <Layout ctx={ctx} title={t('auth.account.title')}>
      <h1>{t('auth.account.title')}</h1>
      {notice ? <Notice kind="success">{notice}</Notice> : null}
      <SummaryList rows={[[t('auth.register.displayName'), user?.displayName]]} />
      <p>
        <a href="/account/password">{t('auth.password.change')}</a>
      </p>
      <h2>{t('auth.account.roles')}</h2>
      {grants.length === 0 ? (
        <p>{t('auth.account.noRoles')}</p>
      ) : (
        <ul>
          {grants.map((g) => {
            const target = labels.get(g.institutionId ?? g.unitId ?? '');
            return (
              <li key={`${g.role}${g.institutionId ?? ''}${g.unitId ?? ''}`}>
                {t(`role.${g.role}`)}
                {target ? (
                  <>
                    {' '}
                    — <a href={target.href}>{target.label}</a>
                  </>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
      {canSomewhere(ctx.actor, 'tokens.create') ? (
        <section aria-labelledby="tokens-title">
          <h2 id="tokens-title">{t('auth.tokens.title')}</h2>
          <p>{t('auth.tokens.lead')}</p>
          {newToken ? (
            <Notice kind="success">
              <p>{t('auth.tokens.created')}</p>
              <p class="secret" data-token>
                {newToken}
              </p>
            </Notice>
          ) : null}
          {tokens.length === 0 ? (
            <p>{t('auth.tokens.none')}</p>
          ) : (
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('auth.tokens.name')}</th>
                    <th scope="col">{t('auth.tokens.prefix')}</th>
                    <th scope="col">{t('auth.tokens.scopes')}</th>
                    <th scope="col">{t('auth.tokens.lastUsed')}</th>
                    <th scope="col">{t('auth.tokens.expiresAt')}</th>
                    <th scope="col">{t('common.actions')}</th>
                  </tr>
                </thead>
                <tbody>
                  {tokens.map((tk) => (
                    <tr key={tk.id}>
                      <td>{tk.name}</td>
                      <td>
                        <code>{tk.prefix}…</code>
                      </td>
                      <td>{tk.scopes.map((s) => t(messageKey(`auth.tokens.scope.${s}`))).join(', ')}</td>
                      <td>{formatDateTime(ctx.locale, tk.lastUsedAt) || '—'}</td>
                      <td>{formatDateTime(ctx.locale, tk.expiresAt) || '—'}</td>
                      <td>
                        {tk.revokedAt ? (
                          t('auth.tokens.revoked')
                        ) : (
                          <Form ctx={ctx} action={`/account/tokens/${tk.id}/revoke`} class="inline-form">
                            <Button variant="warning">{t('auth.tokens.revoke')}</Button>
                          </Form>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <ErrorSummary ctx={ctx} issues={issues} />
          <Form ctx={ctx} action="/account/tokens">
            <TextField ctx={ctx} name="name" label={t('auth.tokens.name')} hint={t('auth.tokens.nameHint')} issues={issues} required />
            <fieldset class="field">
              <legend>{t('auth.tokens.scopes')}</legend>
              {Object.keys(tokenScopes).map((s) => (
                <CheckboxField key={s} ctx={ctx} name={`scope_${s}`} label={t(messageKey(`auth.tokens.scope.${s}`))} checked={s === 'read'} />
              ))}
            </fieldset>
            <SelectField
              ctx={ctx}
              name="expiresInDays"
              label={t('auth.tokens.expires')}
              value="365"
              issues={issues}
              options={['30', '90', '365', '730'].map((d) => ({ value: d, label: d }))}
              required
            />
            <Button>{t('auth.tokens.create')}</Button>
          </Form>
        </section>
      ) : null}
    </Layout>
  );
}

export function SimpleErrorPage({ ctx, keyName }: { ctx: PageContext; keyName: string }) {
  return (
    <Layout ctx={ctx} title={ctx.t(messageKey(keyName))}>
      <h1>{ctx.t(messageKey(keyName))}</h1>
      <p>
        <a href="/forgot-password">{ctx.t('auth.forgot.title')}</a>
      </p>
    </Layout>
  );
}
