import type { ComponentChildren } from 'preact';
import type { Issue } from '../../platform/errors.js';
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
  TextField,
} from '../../platform/web/components.js';
import type { PageContext } from '../../platform/web/context.js';
import { Layout } from '../../platform/web/layout.js';
import { kindsByLevel, unitLevels } from '../model.js';
import type { UnitDetailView, UnitView } from '../presenters.js';
import type { Page } from '../service.js';
import { EndedTag, labelled, levelLabel, periodText, SuccessionList, typeLabel, UnitLink } from './shared.js';

export interface UnitFilterValues {
  q?: string | undefined;
  level?: string | undefined;
  at?: string | undefined;
  all?: boolean | undefined;
}

function filterQuery(f: UnitFilterValues) {
  return { q: f.q, level: f.level, at: f.all ? undefined : f.at, all: f.all ? 'true' : undefined };
}

export function UnitListPage({
  ctx,
  filter,
  result,
  canWrite,
}: {
  ctx: PageContext;
  filter: UnitFilterValues;
  result: Page<UnitView>;
  canWrite: boolean;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('orgs.units.title')}>
      <h1>{t('orgs.units.title')}</h1>
      <p class="lead">{t('orgs.units.lead')}</p>
      {canWrite ? (
        <p>
          <a class="button" href="/units/new">
            {t('orgs.units.new')}
          </a>{' '}
          <a class="button button--secondary" href="/units/import">
            {t('common.import')}
          </a>
        </p>
      ) : null}
      <Form ctx={ctx} action="/units" method="get" class="filters">
        <TextField ctx={ctx} name="q" label={t('orgs.filter.q')} hint={t('orgs.filter.qHint')} value={filter.q} />
        <SelectField
          ctx={ctx}
          name="level"
          label={t('orgs.unit.level')}
          value={filter.level}
          blank={t('orgs.filter.anyLevel')}
          options={unitLevels.map((l) => ({ value: l, label: levelLabel(ctx, l) }))}
        />
        <TextField ctx={ctx} name="at" type="date" label={t('orgs.filter.at')} hint={t('orgs.filter.atHint')} value={filter.at} width="medium" />
        <CheckboxField ctx={ctx} name="all" label={t('orgs.filter.allPeriods')} checked={Boolean(filter.all)} />
        <div class="field">
          <Button>{t('common.filter')}</Button> <a href="/units">{t('common.clear')}</a>
        </div>
      </Form>
      <p role="status">{t('common.results', { n: result.total })}</p>
      {result.items.length === 0 ? (
        <p>{t('orgs.units.empty')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">{t('orgs.units.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('orgs.unit.code')}</th>
                <th scope="col">{t('orgs.unit.name')}</th>
                <th scope="col">{t('orgs.unit.kind')}</th>
                <th scope="col">{t('orgs.unit.level')}</th>
                <th scope="col">{t('orgs.unit.validity')}</th>
                <th scope="col">{t('orgs.unit.parent')}</th>
                <th scope="col">{t('orgs.unit.predecessors')}</th>
                <th scope="col">{t('orgs.unit.successors')}</th>
              </tr>
            </thead>
            <tbody>
              {result.items.map((u) => (
                <tr key={u.id}>
                  <td>{u.code}</td>
                  <th scope="row">
                    <UnitLink unit={u} />
                    <EndedTag ctx={ctx} on={u.validTo} />
                  </th>
                  <td>{u.kind}</td>
                  <td>{levelLabel(ctx, u.level)}</td>
                  <td>{periodText(ctx, u.validFrom, u.validTo)}</td>
                  <td>{u.parent ? <UnitLink unit={u.parent} /> : t('common.none')}</td>
                  <td>
                    {u.predecessors.length
                      ? u.predecessors.map((p, i) => (
                          <span key={p.unit.id}>
                            {i ? ', ' : ''}
                            <UnitLink unit={p.unit} />
                          </span>
                        ))
                      : t('common.none')}
                  </td>
                  <td>
                    {u.successors.length
                      ? u.successors.map((p, i) => (
                          <span key={p.unit.id}>
                            {i ? ', ' : ''}
                            <UnitLink unit={p.unit} />
                          </span>
                        ))
                      : t('common.none')}
                  </td>
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
        href={(p) => `/units${qs({ ...filterQuery(filter), page: p })}`}
      />
    </Layout>
  );
}

export function UnitDetailPage({
  ctx,
  unit,
  canWrite,
  saved,
  staff,
}: {
  ctx: PageContext;
  unit: UnitDetailView;
  canWrite: boolean;
  saved: boolean;
  staff?: ComponentChildren;
}) {
  const { t } = ctx;
  return (
    <Layout
      ctx={ctx}
      title={unit.name}
      crumbs={[{ href: '/units', label: t('orgs.units.title') }, ...unit.path.map((p) => ({ href: `/units/${p.id}`, label: p.name }))]}
    >
      {saved ? <Notice kind="success">{t('common.saved')}</Notice> : null}
      <h1>
        {unit.name}
        <EndedTag ctx={ctx} on={unit.validTo} />
      </h1>
      <SummaryList
        rows={[
          [t('orgs.unit.code'), unit.code],
          [t('orgs.unit.kind'), unit.kind],
          [t('orgs.unit.level'), levelLabel(ctx, unit.level)],
          [t('orgs.unit.validity'), periodText(ctx, unit.validFrom, unit.validTo)],
          [t('orgs.unit.parent'), unit.parent ? <UnitLink unit={unit.parent} /> : null],
        ]}
      />
      {canWrite ? (
        <p>
          <a class="button button--secondary" href={`/units/${unit.id}/edit`}>
            {t('common.edit')}
          </a>
        </p>
      ) : null}
      <h2>{t('orgs.unit.children', { n: unit.children.length })}</h2>
      {unit.children.length === 0 ? (
        <p>{t('common.none')}</p>
      ) : (
        <ul class="tree">
          {unit.children.map((c) => (
            <li key={c.id}>
              <UnitLink unit={c} />{' '}
              <span class="muted">
                ({c.code}, {periodText(ctx, c.validFrom, c.validTo)})
              </span>
            </li>
          ))}
        </ul>
      )}
      <h2>{t('orgs.unit.predecessors')}</h2>
      <SuccessionList ctx={ctx} links={unit.predecessors} />
      <h2>{t('orgs.unit.successors')}</h2>
      <SuccessionList ctx={ctx} links={unit.successors} />
      <h2>{t('orgs.unit.institutions')}</h2>
      {unit.institutions.length === 0 ? (
        <p>{t('common.none')}</p>
      ) : (
        <ul>
          {unit.institutions.map((i) => (
            <li key={i.id}>
              <a href={`/institutions/${i.id}`}>{i.name}</a> <span class="muted">— {typeLabel(ctx, i.type)}</span>
              <EndedTag ctx={ctx} on={i.closedOn} />
            </li>
          ))}
        </ul>
      )}
      <p>
        <a href={`/institutions${qs({ unit: unit.id })}`}>{t('orgs.unit.institutionsBelow')}</a>
      </p>
      {staff}
    </Layout>
  );
}

export type UnitFormValues = Partial<Record<'code' | 'name' | 'kind' | 'level' | 'parentCode' | 'validFrom' | 'validTo', string | null>>;

export function UnitFormPage({
  ctx,
  values,
  issues,
  unit,
}: {
  ctx: PageContext;
  values: UnitFormValues;
  issues: Issue[];
  unit?: { id: string; name: string };
}) {
  const { t } = ctx;
  const title = unit ? t('orgs.units.edit', { name: unit.name }) : t('orgs.units.new');
  const kinds = [...new Set(Object.values(kindsByLevel).flat())];
  const labels = {
    code: t('orgs.unit.code'),
    name: t('orgs.unit.name'),
    kind: t('orgs.unit.kind'),
    level: t('orgs.unit.level'),
    parentCode: t('orgs.unit.parentCode'),
    validFrom: t('orgs.unit.validFrom'),
    validTo: t('orgs.unit.validTo'),
  };
  return (
    <Layout
      ctx={ctx}
      title={title}
      crumbs={[{ href: '/units', label: t('orgs.units.title') }, ...(unit ? [{ href: `/units/${unit.id}`, label: unit.name }] : [])]}
    >
      <ErrorSummary ctx={ctx} issues={labelled(ctx, issues, labels)} />
      <h1>{title}</h1>
      <Form ctx={ctx} action={unit ? `/units/${unit.id}` : '/units'}>
        <TextField
          ctx={ctx}
          name="code"
          label={t('orgs.unit.code')}
          hint={t('orgs.unit.codeHint')}
          value={values.code}
          issues={issues}
          required
          width="short"
          inputmode="numeric"
        />
        <TextField ctx={ctx} name="name" label={t('orgs.unit.name')} hint={t('orgs.unit.nameHint')} value={values.name} issues={issues} required />
        <SelectField
          ctx={ctx}
          name="level"
          label={t('orgs.unit.level')}
          value={values.level}
          issues={issues}
          required
          options={unitLevels.map((l) => ({ value: l, label: levelLabel(ctx, l) }))}
        />
        <SelectField
          ctx={ctx}
          name="kind"
          label={t('orgs.unit.kind')}
          value={values.kind}
          issues={issues}
          required
          options={kinds.map((k) => ({ value: k, label: k }))}
        />
        <TextField
          ctx={ctx}
          name="parentCode"
          label={t('orgs.unit.parentCode')}
          hint={t('orgs.unit.parentCodeHint')}
          value={values.parentCode}
          issues={issues}
          width="short"
          inputmode="numeric"
        />
        <TextField
          ctx={ctx}
          name="validFrom"
          type="date"
          label={t('orgs.unit.validFrom')}
          value={values.validFrom}
          issues={issues}
          required
          width="medium"
        />
        <TextField
          ctx={ctx}
          name="validTo"
          type="date"
          label={t('orgs.unit.validTo')}
          hint={t('orgs.unit.validToHint')}
          value={values.validTo}
          issues={issues}
          width="medium"
        />
        <Button>{t('common.save')}</Button> <a href={unit ? `/units/${unit.id}` : '/units'}>{t('common.cancel')}</a>
      </Form>
    </Layout>
  );
}
