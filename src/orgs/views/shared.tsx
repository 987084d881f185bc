import type { Issue } from '../../platform/errors.js';
import { formatDate, messageKey } from '../../platform/i18n/index.js';
import { issueText } from '../../platform/web/components.js';
import type { PageContext } from '../../platform/web/context.js';
import { vnToday } from '../../platform/time.js';
import type { SuccessionView, UnitRefView } from '../presenters.js';

/**
 * The issues of a form as its error summary shows them: each names its field by the field's
 * label ("Mã thiết chế: Cần điền mục này") and still links to it.
 */
export function labelled(ctx: PageContext, issues: Issue[], labels: Record<string, string>): Issue[] {
  return issues.map((i) =>
    i.row || !labels[i.field]
      ? i
      : { field: i.field, key: 'orgs.form.issue', params: { label: labels[i.field] ?? i.field, message: ctx.t(i.key, i.params) } },
  );
}

export function levelLabel(ctx: PageContext, level: string): string {
  return ctx.t(messageKey(`orgs.level.${level}`));
}

export function typeLabel(ctx: PageContext, type: string): string {
  return ctx.t(messageKey(`orgs.type.${type}`));
}

export function periodText(ctx: PageContext, from: string, to: string | null): string {
  return to
    ? ctx.t('orgs.period.between', { from: formatDate(ctx.locale, from), to: formatDate(ctx.locale, to) })
    : ctx.t('orgs.period.since', { from: formatDate(ctx.locale, from) });
}

/** "Ended" beside what is no longer in force or open. */
export function EndedTag({ ctx, on }: { ctx: PageContext; on: string | null }) {
  return on && on < vnToday() ? (
    <>
      {' '}
      <span class="tag tag--ended">{ctx.t('orgs.ended')}</span>
    </>
  ) : null;
}

export function UnitLink({ unit }: { unit: Pick<UnitRefView, 'id' | 'name' | 'code'> }) {
  return <a href={`/units/${unit.id}`}>{unit.name}</a>;
}

export function SuccessionList({ ctx, links }: { ctx: PageContext; links: SuccessionView[] }) {
  if (links.length === 0) return <p>{ctx.t('common.none')}</p>;
  return (
    <ul>
      {links.map((l) => (
        <li key={l.unit.id}>
          <UnitLink unit={l.unit} /> <span class="muted">({l.unit.code})</span>
          {' — '}
          {ctx.t(`orgs.share.${l.share}`)}, {ctx.t('orgs.succession.from', { date: formatDate(ctx.locale, l.effectiveOn) })}
          {l.note ? (
            <p class="muted">
              {ctx.t('orgs.succession.note')}: {l.note}
            </p>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

/** Every problem of an imported file, as a table a person can work through row by row. */
export function IssueTable({ ctx, issues }: { ctx: PageContext; issues: Issue[] }) {
  return (
    <div class="error-summary" role="alert" tabindex={-1} aria-labelledby="import-errors-title" data-autofocus>
      <h2 id="import-errors-title">{ctx.t('orgs.import.refused', { n: issues.length })}</h2>
      <div class="table-wrap">
        <table>
          <caption class="visually-hidden">{ctx.t('orgs.import.refused', { n: issues.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{ctx.t('orgs.import.row')}</th>
              <th scope="col">{ctx.t('orgs.import.field')}</th>
              <th scope="col">{ctx.t('orgs.import.problem')}</th>
            </tr>
          </thead>
          <tbody>
            {issues.map((i, n) => (
              <tr key={n}>
                <td>{i.row ?? '—'}</td>
                <td>
                  <code>{i.field}</code>
                </td>
                <td>{i.row ? ctx.t(i.key, i.params) : issueText(ctx, i)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
