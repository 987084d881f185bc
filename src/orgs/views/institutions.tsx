import type { ComponentChildren } from 'preact';
import type { Issue } from '../../platform/errors.js';
import { formatDate, messageKey } from '../../platform/i18n/index.js';
import {
  Button,
  CheckboxField,
  ErrorSummary,
  Form,
  Notice,
  Pagination,
  qs,
  SelectField,
  SummaryList,
  TextArea,
  TextField,
} from '../../platform/web/components.js';
import type { PageContext } from '../../platform/web/context.js';
import { Layout } from '../../platform/web/layout.js';
import { institutionTypes } from '../model.js';
import type { InstitutionDetailView, InstitutionView } from '../presenters.js';
import type { Page } from '../service.js';
import { EndedTag, labelled, typeLabel, UnitLink } from './shared.js';

export interface InstitutionFilterValues {
  q?: string | undefined;
  type?: string | undefined;
  unit?: string | undefined;
  closed?: boolean | undefined;
}

const typeOptions = (ctx: PageContext) => institutionTypes.map((v) => ({ value: v, label: typeLabel(ctx, v) }));

export function InstitutionListPage({
  ctx,
  filter,
  result,
  canCreate,
}: {
  ctx: PageContext;
  filter: InstitutionFilterValues;
  result: Page<InstitutionView>;
  canCreate: boolean;
}) {
  const { t } = ctx;
  const keep = { q: filter.q, type: filter.type, unit: filter.unit, closed: filter.closed ? 'true' : undefined };
  return (
    <Layout ctx={ctx} title={t('orgs.institutions.title')}>
      <h1>{t('orgs.institutions.title')}</h1>
      <p class="lead">{t('orgs.institutions.lead')}</p>
      {canCreate ? (
        <p>
          <a class="button" href="/institutions/new">
            {t('orgs.institutions.new')}
          </a>{' '}
          <a class="button button--secondary" href="/institutions/import">
            {t('common.import')}
          </a>
        </p>
      ) : null}
      <Form ctx={ctx} action="/institutions" method="get" class="filters">
        <TextField ctx={ctx} name="q" label={t('orgs.filter.q')} hint={t('orgs.filter.qHint')} value={filter.q} />
        <SelectField
          ctx={ctx}
          name="type"
          label={t('orgs.institution.type')}
          value={filter.type}
          blank={t('orgs.filter.anyType')}
          options={typeOptions(ctx)}
        />
        <TextField ctx={ctx} name="unit" label={t('orgs.filter.unit')} hint={t('orgs.filter.unitHint')} value={filter.unit} width="medium" />
        <CheckboxField ctx={ctx} name="closed" label={t('orgs.filter.closed')} checked={Boolean(filter.closed)} />
        <div class="field">
          <Button>{t('common.filter')}</Button> <a href="/institutions">{t('common.clear')}</a>
        </div>
      </Form>
      <p role="status">{t('common.results', { n: result.total })}</p>
      {result.items.length === 0 ? (
        <p>{t('orgs.institutions.empty')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">{t('orgs.institutions.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('orgs.institution.name')}</th>
                <th scope="col">{t('orgs.institution.type')}</th>
                <th scope="col">{t('orgs.institution.unit')}</th>
                <th scope="col">{t('orgs.institution.parent')}</th>
                <th scope="col">{t('orgs.institution.code')}</th>
              </tr>
            </thead>
            <tbody>
              {result.items.map((i) => (
                <tr key={i.id}>
                  <th scope="row">
                    <a href={`/institutions/${i.id}`}>{i.name}</a>
                    <EndedTag ctx={ctx} on={i.closedOn} />
                  </th>
                  <td>{typeLabel(ctx, i.type)}</td>
                  <td>
                    <UnitLink unit={i.unit} />
                  </td>
                  <td>{i.parent ? <a href={`/institutions/${i.parent.id}`}>{i.parent.name}</a> : t('common.none')}</td>
                  <td>{i.code}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination
        ctx={ctx}
        page={result.page}
        pageSize={result.pageSize}
        total={result.total}
        href={(p) => `/institutions${qs({ ...keep, page: p })}`}
      />
    </Layout>
  );
}

export function InstitutionDetailPage({
  ctx,
  institution: i,
  canWrite,
  canAudit,
  saved,
  staff,
}: {
  ctx: PageContext;
  institution: InstitutionDetailView;
  canWrite: boolean;
  canAudit: boolean;
  saved: boolean;
  staff?: ComponentChildren;
}) {
  const { t } = ctx;
  const yesNo = (v: boolean) => t(v ? 'common.yes' : 'common.no');
  return (
    <Layout
      ctx={ctx}
      title={i.name}
      crumbs={[
        { href: '/institutions', label: t('orgs.institutions.title') },
        ...i.ancestors.map((a) => ({ href: `/institutions/${a.id}`, label: a.name })),
      ]}
    >
      {saved ? <Notice kind="success">{t('common.saved')}</Notice> : null}
      <h1>
        {i.name}
        <EndedTag ctx={ctx} on={i.closedOn} />
      </h1>
      {i.isDemo ? <p class="muted">{t('orgs.institution.demo')}</p> : null}
      <SummaryList
        rows={[
          [t('orgs.institution.code'), i.code],
          [t('orgs.institution.type'), typeLabel(ctx, i.type)],
          [
            t('orgs.institution.unit'),
            <nav aria-label={t('orgs.institution.unitPath')}>
              {i.unitPath.map((u, n) => (
                <span key={u.id}>
                  {n ? ' › ' : ''}
                  <UnitLink unit={u} />
                </span>
              ))}
            </nav>,
          ],
          [t('orgs.institution.parent'), i.parent ? <a href={`/institutions/${i.parent.id}`}>{i.parent.name}</a> : null],
          [t('orgs.institution.address'), i.address],
          [t('orgs.institution.phone'), i.phone],
          [t('orgs.institution.email'), i.email ? <a href={`mailto:${i.email}`}>{i.email}</a> : null],
          [
            t('orgs.institution.website'),
            i.website ? (
              <a href={i.website} rel="noopener noreferrer">
                {i.website}
              </a>
            ) : null,
          ],
          [t('orgs.institution.servesPublic'), yesNo(i.servesPublic)],
          [t('orgs.institution.openedOn'), i.openedOn ? formatDate(ctx.locale, i.openedOn) : null],
          [t('orgs.institution.closedOn'), i.closedOn ? formatDate(ctx.locale, i.closedOn) : null],
          [t('orgs.institution.note'), i.note],
        ]}
      />
      {canWrite || canAudit ? (
        <p>
          {canWrite ? (
            <a class="button button--secondary" href={`/institutions/${i.id}/edit`}>
              {t('common.edit')}
            </a>
          ) : null}{' '}
          {canAudit ? <a href={`/audit${qs({ entityType: 'institution', entityId: i.id })}`}>{t('orgs.institution.history')}</a> : null}
        </p>
      ) : null}
      <h2>{t('orgs.institution.children', { n: i.children.length })}</h2>
      {i.children.length === 0 ? (
        <p>{t('common.none')}</p>
      ) : (
        <ul>
          {i.children.map((c) => (
            <li key={c.id}>
              <a href={`/institutions/${c.id}`}>{c.name}</a> <span class="muted">— {typeLabel(ctx, c.type)}</span>
              <EndedTag ctx={ctx} on={c.closedOn} />
            </li>
          ))}
        </ul>
      )}
      {staff}
    </Layout>
  );
}

export type InstitutionFormValues = Partial<
  Record<
    'code' | 'name' | 'type' | 'unitCode' | 'parentCode' | 'address' | 'phone' | 'email' | 'website' | 'openedOn' | 'closedOn' | 'note',
    string | null
  >
> & { servesPublic?: boolean | undefined };

export function InstitutionFormPage({
  ctx,
  values,
  issues,
  institution,
}: {
  ctx: PageContext;
  values: InstitutionFormValues;
  issues: Issue[];
  institution?: { id: string; name: string };
}) {
  const { t } = ctx;
  const title = institution ? t('orgs.institutions.edit', { name: institution.name }) : t('orgs.institutions.new');
  const back = institution ? `/institutions/${institution.id}` : '/institutions';
  const fields = [
    'code',
    'name',
    'type',
    'unitCode',
    'parentCode',
    'address',
    'phone',
    'email',
    'website',
    'servesPublic',
    'openedOn',
    'closedOn',
    'note',
  ];
  const labels = Object.fromEntries(fields.map((f) => [f, t(messageKey(`orgs.institution.${f}`))]));
  return (
    <Layout
      ctx={ctx}
      title={title}
      crumbs={[{ href: '/institutions', label: t('orgs.institutions.title') }, ...(institution ? [{ href: back, label: institution.name }] : [])]}
    >
      <ErrorSummary ctx={ctx} issues={labelled(ctx, issues, labels)} />
      <h1>{title}</h1>
      <Form ctx={ctx} action={institution ? `/institutions/${institution.id}` : '/institutions'}>
        <TextField
          ctx={ctx}
          name="code"
          label={t('orgs.institution.code')}
          hint={t('orgs.institution.codeHint')}
          value={values.code}
          issues={issues}
          required
          width="medium"
        />
        <TextField ctx={ctx} name="name" label={t('orgs.institution.name')} value={values.name} issues={issues} required />
        <SelectField
          ctx={ctx}
          name="type"
          label={t('orgs.institution.type')}
          value={values.type}
          issues={issues}
          required
          blank={t('orgs.institution.chooseType')}
          options={typeOptions(ctx)}
        />
        <TextField
          ctx={ctx}
          name="unitCode"
          label={t('orgs.institution.unitCode')}
          hint={t('orgs.institution.unitCodeHint')}
          value={values.unitCode}
          issues={issues}
          required
          width="short"
          inputmode="numeric"
        />
        <TextField
          ctx={ctx}
          name="parentCode"
          label={t('orgs.institution.parentCode')}
          hint={t('orgs.institution.parentCodeHint')}
          value={values.parentCode}
          issues={issues}
          width="medium"
        />
        <TextField
          ctx={ctx}
          name="address"
          label={t('orgs.institution.address')}
          value={values.address}
          issues={issues}
          autocomplete="street-address"
        />
        <TextField
          ctx={ctx}
          name="phone"
          type="tel"
          label={t('orgs.institution.phone')}
          value={values.phone}
          issues={issues}
          width="medium"
          inputmode="tel"
        />
        <TextField ctx={ctx} name="email" type="email" label={t('orgs.institution.email')} value={values.email} issues={issues} inputmode="email" />
        <TextField
          ctx={ctx}
          name="website"
          type="url"
          label={t('orgs.institution.website')}
          hint={t('orgs.institution.websiteHint')}
          value={values.website}
          issues={issues}
        />
        <CheckboxField
          ctx={ctx}
          name="servesPublic"
          label={t('orgs.institution.servesPublic')}
          hint={t('orgs.institution.servesPublicHint')}
          checked={values.servesPublic ?? true}
        />
        <TextField
          ctx={ctx}
          name="openedOn"
          type="date"
          label={t('orgs.institution.openedOn')}
          value={values.openedOn}
          issues={issues}
          width="medium"
        />
        <TextField
          ctx={ctx}
          name="closedOn"
          type="date"
          label={t('orgs.institution.closedOn')}
          value={values.closedOn}
          issues={issues}
          width="medium"
        />
        <TextArea ctx={ctx} name="note" label={t('orgs.institution.note')} value={values.note} issues={issues} rows={3} />
        <Button>{t('common.save')}</Button> <a href={back}>{t('common.cancel')}</a>
      </Form>
    </Layout>
  );
}
