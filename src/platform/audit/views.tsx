import type { Issue } from '../errors.js';
import { allKeys, formatDateTime } from '../i18n/index.js';
import { compareVi } from '../text/index.js';
import { Button, ErrorSummary, Form, Pagination, qs, SelectField, TextField } from '../web/components.js';
import type { PageContext } from '../web/context.js';
import { Layout } from '../web/layout.js';
import type { AuditQuery } from './filter.js';
import { entityLabel, type AuditChange, type AuditEntryOut } from './present.js';

/** A filter set by following a link (a person, an institution, one item), shown so it can be removed. */
export interface Chip {
  param: 'actorId' | 'institutionId' | 'entityId';
  label: string;
}

export interface AuditPageProps {
  ctx: PageContext;
  /** The query as typed, redisplayed when it has issues. */
  q: Record<string, string | undefined>;
  chips: Chip[];
  entries: AuditEntryOut[];
  total: number;
  page: number;
  pageSize: number;
  issues?: Issue[];
}

/** Item types with a label (read when a page is drawn: modules register theirs as they load). */
function entityTypes(): string[] {
  return allKeys('vi')
    .filter((k) => k.startsWith('audit.entity.'))
    .map((k) => k.slice('audit.entity.'.length));
}

const KEPT = ['actor', 'actorId', 'institutionId', 'entityType', 'entityId', 'action', 'from', 'to'] as const satisfies readonly (keyof AuditQuery)[];

function Changes({ ctx, changes }: { ctx: PageContext; changes: AuditChange[] }) {
  if (changes.length === 0) return <p class="audit-entry__none">{ctx.t('audit.noChange')}</p>;
  return (
    <ul class="changes">
      {changes.map((c) => (
        <li key={c.field}>
          <span class="changes__field">{c.label}</span>:{' '}
          {c.before === null ? null : (
            <>
              <span class="changes__old">
                <span class="visually-hidden">{ctx.t('audit.before')} </span>
                {c.before}
              </span>
              {' → '}
            </>
          )}
          <span class="changes__new">
            {c.before === null ? null : <span class="visually-hidden">{ctx.t('audit.after')} </span>}
            {c.after ?? '—'}
          </span>
        </li>
      ))}
    </ul>
  );
}

function Entry({ ctx, e }: { ctx: PageContext; e: AuditEntryOut }) {
  const { t } = ctx;
  return (
    <li class="audit-entry">
      <p class="audit-entry__head">
        <strong>{e.actionLabel}</strong> · {e.entityLabel}
        {e.entityId ? (
          <>
            :{' '}
            <a href={`/audit${qs({ entityType: e.entityType, entityId: e.entityId })}`} title={t('audit.itemHistory')}>
              {e.entityName ?? e.entityId.slice(0, 8)}
            </a>
          </>
        ) : null}
      </p>
      <p class="audit-entry__meta">
        <time dateTime={e.at}>{formatDateTime(ctx.locale, e.at)}</time>
        {' · '}
        {e.actorId ? (
          <a href={`/audit${qs({ actorId: e.actorId })}`} title={t('audit.onlyPerson')}>
            {e.actor}
          </a>
        ) : (
          e.actor
        )}
        {e.institutionId ? (
          <>
            {' · '}
            <a href={`/audit${qs({ institutionId: e.institutionId })}`} title={t('audit.onlyInstitution')}>
              {e.institutionName ?? e.institutionId.slice(0, 8)}
            </a>
          </>
        ) : null}
      </p>
      <Changes ctx={ctx} changes={e.changes} />
    </li>
  );
}

export function AuditPage({ ctx, q, chips, entries, total, page, pageSize, issues }: AuditPageProps) {
  const { t } = ctx;
  const keep = Object.fromEntries(KEPT.map((k) => [k, q[k]]));
  return (
    <Layout ctx={ctx} title={t('audit.title')}>
      <h1>{t('audit.title')}</h1>
      <p class="lead">{t('audit.lead')}</p>
      {issues ? <ErrorSummary ctx={ctx} issues={issues} /> : null}
      <Form ctx={ctx} action="/audit" method="get" class="filters">
        <TextField ctx={ctx} name="actor" label={t('audit.person')} value={q.actor} issues={issues} />
        <SelectField
          ctx={ctx}
          name="entityType"
          label={t('audit.kind')}
          value={q.entityType}
          blank={t('audit.any')}
          issues={issues}
          options={entityTypes()
            .map((e) => ({ value: e, label: entityLabel(t, e) }))
            .sort((a, b) => compareVi(a.label, b.label))}
        />
        <TextField ctx={ctx} name="from" type="date" label={t('audit.from')} value={q.from} issues={issues} />
        <TextField ctx={ctx} name="to" type="date" label={t('audit.to')} value={q.to} issues={issues} />
        {chips.map((c) => (
          <input key={c.param} type="hidden" name={c.param} value={q[c.param]} />
        ))}
        <div class="field">
          <Button>{t('common.filter')}</Button> <a href="/audit">{t('common.clear')}</a>
        </div>
      </Form>
      {chips.length ? (
        <p class="chips">
          {t('audit.filteredBy')}:{' '}
          {chips.map((c) => (
            <a
              key={c.param}
              class="chip"
              href={`/audit${qs({ ...keep, [c.param]: undefined })}`}
              aria-label={t('audit.removeFilter', { what: c.label })}
            >
              {c.label} <span aria-hidden="true">×</span>
            </a>
          ))}
        </p>
      ) : null}
      {issues ? null : <p>{t('common.results', { n: total })}</p>}
      {issues ? null : entries.length === 0 ? (
        <p>{t('audit.empty')}</p>
      ) : (
        <ol class="audit-list">
          {entries.map((e) => (
            <Entry key={e.id} ctx={ctx} e={e} />
          ))}
        </ol>
      )}
      <Pagination ctx={ctx} page={page} pageSize={pageSize} total={total} href={(p) => `/audit${qs({ ...keep, page: p })}`} />
    </Layout>
  );
}
