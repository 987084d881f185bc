import type { Issue } from '../../platform/errors.js';
import { formatDate, formatDateTime, formatNumber, messageKey } from '../../platform/i18n/index.js';
import { Button, CheckboxField, ErrorSummary, Form, Notice, qs, TextArea, TextField } from '../../platform/web/components.js';
import type { PageContext } from '../../platform/web/context.js';
import { Layout } from '../../platform/web/layout.js';
import type { Completeness, FormState } from '../cycle/cycle.js';
import type { Transition } from '../model.js';
import { typeLabel, type PeriodView } from '../presenters.js';

export function periodName(ctx: PageContext, p: PeriodView): string {
  return p.quarter ? ctx.t('monitoring.period.nameQuarter', { quarter: p.quarter, year: p.year }) : ctx.t('monitoring.period.name', { year: p.year });
}

function statusText(ctx: PageContext, status: string): string {
  return ctx.t(messageKey(`monitoring.submission.status.${status}`));
}

export function PeriodsPage({
  ctx,
  periods,
  canOpen,
  worklists,
  issues,
  notice,
  values,
}: {
  ctx: PageContext;
  periods: PeriodView[];
  canOpen: boolean;
  issues: Issue[];
  notice?: string | undefined;
  worklists: Array<{ period: PeriodView; items: Completeness['items']; canOversee: boolean }>;
  values: Record<string, string | undefined>;
}) {
  return (
    <Layout ctx={ctx} title={ctx.t('monitoring.period.title')} crumbs={[{ href: '/monitoring', label: ctx.t('monitoring.nav') }]}>
      <h1>{ctx.t('monitoring.period.title')}</h1>
      {notice ? <Notice kind="success">{notice}</Notice> : null}
      {periods.length === 0 ? <p>{ctx.t('monitoring.period.none')}</p> : null}
      {worklists.map(({ period, items, canOversee }) => (
        <section key={period.id} aria-labelledby={`p-${period.id}`}>
          <h2 id={`p-${period.id}`}>
            {periodName(ctx, period)} — {ctx.t('monitoring.period.deadline')}: {formatDate(ctx.locale, period.deadline)}
          </h2>
          {canOversee ? (
            <p>
              <a href={`/monitoring/periods/${period.id}/completeness`}>{ctx.t('monitoring.period.completeness')}</a>
            </p>
          ) : null}
          {items.length ? (
            <div class="table-wrap">
              <table>
                <caption>{ctx.t('monitoring.period.worklist')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{ctx.t('monitoring.detail.institution')}</th>
                    <th scope="col">{ctx.t('monitoring.detail.unitCol')}</th>
                    <th scope="col">{ctx.t('monitoring.submission.statusLabel')}</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((i) => (
                    <tr key={i.institution.id} data-institution={i.institution.code}>
                      <td>
                        <a href={`/monitoring/periods/${period.id}/institutions/${i.institution.id}`}>{i.institution.name}</a>
                      </td>
                      <td>{i.unit?.name ?? '—'}</td>
                      <td>{statusText(ctx, i.submission?.status ?? 'missing')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
        </section>
      ))}
      {canOpen ? (
        <section aria-labelledby="open-title">
          <h2 id="open-title">{ctx.t('monitoring.period.open')}</h2>
          <ErrorSummary ctx={ctx} issues={issues} />
          <Form ctx={ctx} action="/monitoring/periods">
            <TextField
              ctx={ctx}
              name="year"
              type="number"
              label={ctx.t('monitoring.period.year')}
              value={values.year}
              issues={issues}
              inputmode="numeric"
              width="short"
              required
            />
            <TextField
              ctx={ctx}
              name="quarter"
              type="number"
              label={ctx.t('monitoring.period.quarter')}
              hint={ctx.t('monitoring.period.quarterHint')}
              value={values.quarter}
              issues={issues}
              inputmode="numeric"
              width="short"
            />
            <TextField
              ctx={ctx}
              name="deadline"
              type="date"
              label={ctx.t('monitoring.period.deadline')}
              hint={ctx.t('monitoring.period.deadlineHint')}
              value={values.deadline}
              issues={issues}
              width="medium"
            />
            <Button>{ctx.t('monitoring.period.open')}</Button>
          </Form>
        </section>
      ) : null}
    </Layout>
  );
}

const reviewActions: Array<Exclude<Transition, 'submit'>> = ['return', 'accept', 'approve', 'reopen'];

export function FormPage({
  ctx,
  f,
  issues,
  notice,
  input,
}: {
  ctx: PageContext;
  f: FormState;
  issues: Issue[];
  notice?: string | undefined;
  input?: Record<string, string | undefined> | undefined;
}) {
  const status = f.submission?.status ?? 'draft';
  const action = `/monitoring/periods/${f.period.id}/institutions/${f.institution.id}`;
  const title = ctx.t('monitoring.form.title', { period: periodName(ctx, f.period), institution: f.institution.name });
  const value = (name: string) => (input ? input[name] : f.values[name] === null || f.values[name] === undefined ? '' : String(f.values[name]));
  const reviews = reviewActions.filter((a) => f.can[a]);
  return (
    <Layout
      ctx={ctx}
      title={title}
      crumbs={[
        { href: '/monitoring', label: ctx.t('monitoring.nav') },
        { href: '/monitoring/periods', label: ctx.t('monitoring.period.title') },
      ]}
    >
      <h1>{title}</h1>
      {notice ? <Notice kind="success">{notice}</Notice> : null}
      <p>
        {ctx.t('monitoring.submission.statusLabel')}: <strong data-status={status}>{statusText(ctx, status)}</strong> ·{' '}
        {ctx.t('monitoring.period.deadline')}: {formatDate(ctx.locale, f.period.deadline)}
      </p>
      {f.reviewer ? <p>{ctx.t('monitoring.submission.reviewer', { unit: f.reviewer.name })}</p> : null}
      {status === 'returned' && f.submission?.reviewComment ? (
        <Notice>{ctx.t('monitoring.submission.returnedWith', { comment: f.submission.reviewComment })}</Notice>
      ) : null}
      <ErrorSummary ctx={ctx} issues={issues} />
      {f.canEdit ? (
        <Form ctx={ctx} action={action}>
          <fieldset class="field">
            <legend>
              <h2>{ctx.t('monitoring.form.figures')}</h2>
            </legend>
            {f.fields.map((field) => {
              const seen = f.observed[field.name];
              return (
                <TextField
                  key={field.name}
                  ctx={ctx}
                  name={field.name}
                  label={ctx.t(messageKey(`monitoring.field.${field.name}`))}
                  value={value(field.name)}
                  issues={issues}
                  inputmode="numeric"
                  width="medium"
                  required={field.required}
                  {...(seen !== undefined
                    ? {
                        hint: `${ctx.t('monitoring.observed.badge')} — ${ctx.t('monitoring.observed.value', { value: formatNumber(ctx.locale, seen) })}`,
                      }
                    : {})}
                />
              );
            })}
          </fieldset>
          {f.criteria.length ? (
            <fieldset class="field">
              <legend>
                <h2>{ctx.t('monitoring.form.declarations')}</h2>
              </legend>
              {f.criteria.map((c) => (
                <div key={c.criterion}>
                  <h3>{ctx.t(`monitoring.criterion.${c.criterion}`)}</h3>
                  {c.observed ? (
                    <p class="hint">
                      {ctx.t('monitoring.observed.badge')}: {ctx.t('monitoring.form.observedCriterion')}
                    </p>
                  ) : null}
                  <CheckboxField
                    ctx={ctx}
                    name={`decl_${c.criterion}`}
                    label={ctx.t('monitoring.form.declare')}
                    checked={input ? input[`decl_${c.criterion}`] === 'true' : !!c.row?.declared}
                  />
                  <TextArea
                    ctx={ctx}
                    name={`evidence_${c.criterion}`}
                    label={ctx.t('monitoring.form.evidence')}
                    value={input ? input[`evidence_${c.criterion}`] : c.row?.evidenceText}
                    issues={issues}
                    rows={2}
                  />
                  <TextField
                    ctx={ctx}
                    name={`evidenceUrl_${c.criterion}`}
                    type="url"
                    label={ctx.t('monitoring.form.evidenceUrl')}
                    value={input ? input[`evidenceUrl_${c.criterion}`] : c.row?.evidenceUrl}
                    issues={issues}
                  />
                  <p>
                    <a href={`/monitoring/periods/${f.period.id}/institutions/${f.institution.id}/criteria/${c.criterion}`}>
                      {ctx.t('monitoring.evidence.manage')}
                    </a>
                  </p>
                </div>
              ))}
            </fieldset>
          ) : null}
          <Button name="intent" value="save" variant="secondary">
            {ctx.t('monitoring.submission.action.save')}
          </Button>{' '}
          <Button name="intent" value="submit">
            {ctx.t('monitoring.submission.action.submit')}
          </Button>
        </Form>
      ) : (
        <>
          <p class="hint">{ctx.t('monitoring.form.readOnly')}</p>
          <div class="table-wrap">
            <table>
              <caption>{ctx.t('monitoring.form.figures')}</caption>
              <tbody>
                {f.fields.map((field) => (
                  <tr key={field.name}>
                    <th scope="row">{ctx.t(messageKey(`monitoring.field.${field.name}`))}</th>
                    <td class="num" data-field={field.name}>
                      {f.values[field.name] === null || f.values[field.name] === undefined
                        ? '—'
                        : formatNumber(ctx.locale, Number(f.values[field.name]))}
                    </td>
                    <td>
                      {f.observed[field.name] !== undefined
                        ? ctx.t('monitoring.observed.value', { value: formatNumber(ctx.locale, f.observed[field.name] ?? 0) })
                        : ''}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {f.criteria.length ? (
            <ul>
              {f.criteria.map((c) => (
                <li key={c.criterion}>
                  {ctx.t(`monitoring.criterion.${c.criterion}`)}:{' '}
                  {c.observed
                    ? ctx.t('monitoring.source.observed')
                    : c.row?.declared
                      ? ctx.t('monitoring.source.declared')
                      : ctx.t('monitoring.detail.notMet')}
                  {c.row?.evidenceText ? ` — ${c.row.evidenceText}` : ''}
                  {c.row?.evidenceUrl ? (
                    <>
                      {' '}
                      —{' '}
                      <a href={c.row.evidenceUrl} rel="noopener noreferrer">
                        {c.row.evidenceUrl}
                      </a>
                    </>
                  ) : null}
                  {' — '}
                  <a href={`/monitoring/periods/${f.period.id}/institutions/${f.institution.id}/criteria/${c.criterion}`}>
                    {ctx.t('monitoring.evidence.files')}
                  </a>
                </li>
              ))}
            </ul>
          ) : null}
        </>
      )}
      {reviews.length ? (
        <section aria-labelledby="review-title">
          <h2 id="review-title">{ctx.t('monitoring.submission.review')}</h2>
          {reviews.map((a) => (
            <Form key={a} ctx={ctx} action={`${action}/${a}`}>
              {a === 'return' || a === 'reopen' ? (
                <TextArea
                  ctx={ctx}
                  name={`comment_${a}`}
                  label={ctx.t(a === 'reopen' ? 'monitoring.submission.reason' : 'monitoring.submission.comment')}
                  issues={issues}
                  rows={3}
                  required
                />
              ) : null}
              <Button variant={a === 'return' || a === 'reopen' ? 'warning' : undefined}>{ctx.t(`monitoring.submission.action.${a}`)}</Button>
            </Form>
          ))}
        </section>
      ) : null}
      {f.events.length ? (
        <>
          <h2>{ctx.t('monitoring.submission.history')}</h2>
          <ol>
            {f.events.map((e) => (
              <li key={e.id}>
                {formatDateTime(ctx.locale, e.at)} — {e.actorLabel}: {ctx.t(messageKey(`monitoring.submission.action.${e.action}`))} →{' '}
                {statusText(ctx, e.toStatus)}
                {e.comment ? ` — “${e.comment}”` : ''}
              </li>
            ))}
          </ol>
        </>
      ) : null}
    </Layout>
  );
}

function GroupTable({
  ctx,
  caption,
  rows,
  label,
}: {
  ctx: PageContext;
  caption: string;
  rows: Completeness['byUnit'];
  label: (key: string, label: string) => string;
}) {
  return (
    <div class="table-wrap">
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{caption}</th>
            <th scope="col" class="num">
              {ctx.t('monitoring.completeness.expected')}
            </th>
            <th scope="col" class="num">
              {ctx.t('monitoring.completeness.submitted')}
            </th>
            <th scope="col" class="num">
              {ctx.t('monitoring.completeness.onTime')}
            </th>
            <th scope="col" class="num">
              {ctx.t('monitoring.completeness.approved')}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              <th scope="row">{label(r.key, r.label)}</th>
              <td class="num">{r.expected}</td>
              <td class="num">{r.submitted}</td>
              <td class="num">{r.onTime}</td>
              <td class="num">{r.approved}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function CompletenessPage({ ctx, c, unit }: { ctx: PageContext; c: Completeness; unit?: string | undefined }) {
  const title = ctx.t('monitoring.completeness.title', { period: periodName(ctx, c.period) });
  return (
    <Layout
      ctx={ctx}
      title={title}
      crumbs={[
        { href: '/monitoring', label: ctx.t('monitoring.nav') },
        { href: '/monitoring/periods', label: ctx.t('monitoring.period.title') },
      ]}
    >
      <h1>{title}</h1>
      <Form ctx={ctx} action={`/monitoring/periods/${c.period.id}/completeness`} method="get" class="filters">
        <TextField
          ctx={ctx}
          name="unit"
          label={ctx.t('monitoring.dashboard.unit')}
          hint={ctx.t('monitoring.dashboard.unitHint')}
          value={unit}
          width="short"
        />
        <div class="field">
          <Button variant="secondary">{ctx.t('monitoring.dashboard.show')}</Button>
        </div>
      </Form>
      <GroupTable
        ctx={ctx}
        caption={ctx.t('monitoring.completeness.total')}
        rows={[{ ...c.total, label: ctx.t('monitoring.completeness.total') }]}
        label={(_k, l) => l}
      />
      <GroupTable ctx={ctx} caption={ctx.t('monitoring.completeness.byUnit')} rows={c.byUnit} label={(_k, l) => l || '—'} />
      <GroupTable ctx={ctx} caption={ctx.t('monitoring.completeness.byType')} rows={c.byType} label={(k) => typeLabel(ctx.t, k)} />
      <h2>{ctx.t('monitoring.completeness.late')}</h2>
      {c.late.length === 0 ? (
        <p>{ctx.t('monitoring.completeness.noneLate')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{ctx.t('monitoring.detail.institution')}</th>
                <th scope="col">{ctx.t('monitoring.submission.statusLabel')}</th>
                <th scope="col" class="num">
                  {ctx.t('monitoring.completeness.daysLate')}
                </th>
              </tr>
            </thead>
            <tbody>
              {c.late.map((l) => (
                <tr key={l.institution.id}>
                  <td>
                    <a href={`/monitoring/periods/${c.period.id}/institutions/${l.institution.id}`}>{l.institution.name}</a>
                  </td>
                  <td>{statusText(ctx, l.status)}</td>
                  <td class="num">{l.daysLate}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}

export function ReportPage({ ctx, year, unit }: { ctx: PageContext; year: number; unit: string }) {
  return (
    <Layout ctx={ctx} title={ctx.t('monitoring.report.title')} crumbs={[{ href: '/monitoring', label: ctx.t('monitoring.nav') }]}>
      <h1>{ctx.t('monitoring.report.title')}</h1>
      <p class="lead">{ctx.t('monitoring.report.lead')}</p>
      <Form ctx={ctx} action="/monitoring/report" method="get" class="filters">
        <TextField
          ctx={ctx}
          name="year"
          type="number"
          label={ctx.t('monitoring.dashboard.year')}
          value={year}
          inputmode="numeric"
          width="short"
          required
        />
        <TextField ctx={ctx} name="unit" label={ctx.t('monitoring.dashboard.unit')} value={unit} width="short" required />
        <div class="field">
          <Button variant="secondary">{ctx.t('monitoring.dashboard.show')}</Button>
        </div>
      </Form>
      <ul>
        <li>
          <a href={`/monitoring/report/annual.docx${qs({ year, unit })}`} download>
            {ctx.t('monitoring.report.docx')}
          </a>
        </li>
        <li>
          <a href={`/monitoring/report/annual.xlsx${qs({ year, unit })}`} download>
            {ctx.t('monitoring.report.xlsx')}
          </a>
        </li>
      </ul>
    </Layout>
  );
}
