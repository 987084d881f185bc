import type { Role } from '../../platform/access.js';
import type { Issue } from '../../platform/errors.js';
import { formatDate } from '../../platform/i18n/index.js';
import { Button, ErrorSummary, Form, Notice, SelectField, SummaryList, TextField } from '../../platform/web/components.js';
import type { PageContext } from '../../platform/web/context.js';
import { Layout } from '../../platform/web/layout.js';
import type { StaffView } from '../presenters.js';
import { labelled } from './shared.js';

export interface StaffSectionProps {
  ctx: PageContext;
  staff: StaffView;
  /** Where the section's forms post: `${base}/invite`, `${base}/<grant>/revoke`. */
  base: string;
  /** The roles this person may hand out here. */
  roles: Role[];
  /** Whether this person may take a role away here. */
  mayRevoke: (role: Role) => boolean;
  values?: { email?: string | undefined; role?: string | undefined };
  issues?: Issue[];
  notice?: string | undefined;
}

/** Who works here, who has been invited, and a form to invite someone by email. */
export function StaffSection({ ctx, staff, base, roles, mayRevoke, values, issues, notice }: StaffSectionProps) {
  const { t } = ctx;
  return (
    <section aria-labelledby="staff-title">
      <h2 id="staff-title">{t('orgs.staff.title')}</h2>
      {notice ? <Notice kind="success">{notice}</Notice> : null}
      {staff.members.length === 0 ? (
        <p>{t('orgs.staff.none')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">{t('orgs.staff.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('orgs.staff.person')}</th>
                <th scope="col">{t('orgs.staff.email')}</th>
                <th scope="col">{t('orgs.staff.role')}</th>
                <th scope="col">{t('orgs.staff.since')}</th>
                <th scope="col">{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {staff.members.map((m) => (
                <tr key={m.id}>
                  <th scope="row">{m.user.displayName}</th>
                  <td>{m.user.email ?? t('common.none')}</td>
                  <td>{t(`role.${m.role}`)}</td>
                  <td>{formatDate(ctx.locale, m.since)}</td>
                  <td>
                    {mayRevoke(m.role) ? (
                      <Form ctx={ctx} action={`${base}/${m.id}/revoke`} class="inline-form">
                        <Button variant="warning">
                          {t('orgs.staff.revoke')}
                          <span class="visually-hidden"> — {m.user.displayName}</span>
                        </Button>
                      </Form>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {staff.pending.length ? (
        <>
          <h3>{t('orgs.staff.pending')}</h3>
          <ul>
            {staff.pending.map((p) => (
              <li key={p.id}>
                {p.email} — {t(`role.${p.role}`)} ({t('orgs.staff.expires', { date: formatDate(ctx.locale, p.expiresAt) })})
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {roles.length ? (
        <>
          <h3 id="invite">{t('orgs.staff.invite')}</h3>
          <ErrorSummary ctx={ctx} issues={labelled(ctx, issues ?? [], { email: t('orgs.staff.email'), role: t('orgs.staff.role') })} />
          <Form ctx={ctx} action={`${base}/invite`}>
            <TextField
              ctx={ctx}
              name="email"
              type="email"
              label={t('orgs.staff.email')}
              hint={t('orgs.staff.emailHint')}
              value={values?.email}
              issues={issues}
              required
              inputmode="email"
              autocomplete="off"
            />
            <SelectField
              ctx={ctx}
              name="role"
              label={t('orgs.staff.role')}
              value={values?.role ?? roles[0]}
              issues={issues}
              required
              options={roles.map((r) => ({ value: r, label: t(`role.${r}`) }))}
            />
            <Button>{t('orgs.staff.send')}</Button>
          </Form>
        </>
      ) : null}
    </section>
  );
}

export interface InvitationPageProps {
  ctx: PageContext;
  token: string;
  email: string;
  role: Role;
  place: { href: string; name: string } | null;
  status: 'open' | 'accepted' | 'expired' | 'void';
  expiresAt: string;
  /** The new-account form sent back with its problems. */
  issues?: Issue[];
  displayName?: string | undefined;
}

/** What an invitation offers; asks to log in first or to create an account from the link, then to accept. */
export function InvitationPage({ ctx, token, email, role, place, status, expiresAt, issues = [], displayName }: InvitationPageProps) {
  const { t } = ctx;
  const here = `/invitations/${token}`;
  return (
    <Layout ctx={ctx} title={t('orgs.invite.title')}>
      <h1>{t('orgs.invite.title')}</h1>
      <SummaryList
        rows={[
          [t('orgs.staff.role'), t(`role.${role}`)],
          [t('orgs.invite.place'), place ? <a href={place.href}>{place.name}</a> : null],
          [t('orgs.invite.sentTo'), email],
          [t('orgs.invite.expires'), formatDate(ctx.locale, expiresAt)],
        ]}
      />
      {status === 'accepted' ? (
        <Notice>{t('orgs.invite.alreadyAccepted')}</Notice>
      ) : status === 'expired' ? (
        <Notice>{t('orgs.invite.expired')}</Notice>
      ) : status === 'void' ? (
        <Notice>{t('orgs.invite.void')}</Notice>
      ) : ctx.user ? (
        <Form ctx={ctx} action={here}>
          <p>{t('orgs.invite.acceptLead', { email })}</p>
          <Button>{t('orgs.invite.accept')}</Button>
        </Form>
      ) : (
        <>
          <p>{t('orgs.invite.loginFirst', { email })}</p>
          <p>
            <a class="button" href={`/login?next=${encodeURIComponent(here)}`}>
              {t('nav.login')}
            </a>
          </p>
          <h2>{t('orgs.invite.newAccount.title')}</h2>
          <p>{t('orgs.invite.newAccount.lead', { email })}</p>
          <ErrorSummary ctx={ctx} issues={issues} />
          <Form ctx={ctx} action={`${here}/account`}>
            <TextField
              ctx={ctx}
              name="displayName"
              label={t('auth.register.displayName')}
              value={displayName}
              issues={issues}
              autocomplete="name"
              required
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
            <Button>{t('orgs.invite.newAccount.submit')}</Button>
          </Form>
        </>
      )}
    </Layout>
  );
}
