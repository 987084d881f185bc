import type { Issue } from '../../platform/errors.js';
import { Button, ErrorSummary, Form, Notice, qs, SelectField, TextField } from '../../platform/web/components.js';
import type { PageContext } from '../../platform/web/context.js';
import { Layout } from '../../platform/web/layout.js';
import type { ChartRenderer } from '../reports/charts.js';
import type { Dashboard, IndicatorDetail, IndicatorSummary } from '../reports/dashboard.js';
import { formatValue, sourceLabel, typeLabel, valueSourceText, type EvidenceView } from '../presenters.js';
import { EvidenceLinks } from './evidence.js';
import { messageKey } from '../../platform/i18n/index.js';

function targetText(ctx: PageContext, kind: string, t: IndicatorSummary['target2025']): string {
  if (!t) return '—';
  return formatValue(kind, t.value, ctx.t, ctx.locale) + (t.upper !== undefined ? `–${formatValue(kind, t.upper, ctx.t, ctx.locale)}` : '');
}

export function StatusTag({ ctx, status }: { ctx: PageContext; status: string }) {
  return <strong class={`tag tag--${status}`}>{ctx.t(messageKey(`monitoring.status.${status}`))}</strong>;
}

function trend(ctx: PageContext, charts: ChartRenderer, s: IndicatorSummary): string {
  const kind = s.indicator.definition.formula.kind;
  const years = s.series.map((p) => p.year);
  const targets = years.map((y) => s.indicator.definition.targets.find((t) => t.year === y)?.value ?? null);
  for (const t of s.indicator.definition.targets) {
    if (!years.includes(t.year) && t.year <= 2030) {
      years.push(t.year);
      targets.push(t.value);
    }
  }
  const values = years.map((y) => s.series.find((p) => p.year === y)?.value ?? null);
  return charts.trend({
    title: `${s.indicator.definition.name[ctx.locale]}: ${ctx.t('monitoring.dashboard.trend')}`,
    years,
    values,
    targets,
    valueLabel: ctx.t('monitoring.dashboard.value'),
    targetLabel: ctx.t('monitoring.dashboard.target'),
    unit: kind === 'share' || kind === 'growth' ? '%' : '',
    width: 300,
    height: 150,
  });
}

export interface FilterValues {
  year: number;
  unit?: string | undefined;
  type?: string | undefined;
}

function Filters({ ctx, action, f, types }: { ctx: PageContext; action: string; f: FilterValues; types: string[] }) {
  return (
    <Form ctx={ctx} action={action} method="get" class="filters">
      <TextField
        ctx={ctx}
        name="year"
        type="number"
        label={ctx.t('monitoring.dashboard.year')}
        value={f.year}
        inputmode="numeric"
        width="short"
        required
      />
      <TextField
        ctx={ctx}
        name="unit"
        label={ctx.t('monitoring.dashboard.unit')}
        hint={ctx.t('monitoring.dashboard.unitHint')}
        value={f.unit}
        width="short"
      />
      <SelectField
        ctx={ctx}
        name="type"
        label={ctx.t('monitoring.dashboard.type')}
        value={f.type}
        blank={ctx.t('monitoring.dashboard.allTypes')}
        options={types.map((t) => ({ value: t, label: typeLabel(ctx.t, t) }))}
      />
      <div class="field">
        <Button variant="secondary">{ctx.t('monitoring.dashboard.show')}</Button>
      </div>
    </Form>
  );
}

function IndicatorCard({ ctx, charts, s, href }: { ctx: PageContext; charts: ChartRenderer; s: IndicatorSummary; href: string | null }) {
  const def = s.indicator.definition;
  const kind = def.formula.kind;
  return (
    <li class="card" data-indicator={s.indicator.code}>
      <h3>{href ? <a href={href}>{def.name[ctx.locale]}</a> : def.name[ctx.locale]}</h3>
      <p class="hint">
        {def.groupName[ctx.locale]} · {def.section}
      </p>
      <p>
        <span class="visually-hidden">{ctx.t('monitoring.dashboard.value')}: </span>
        <strong class="indicator-value" data-value={s.value ?? ''}>
          {formatValue(kind, s.value, ctx.t, ctx.locale)}
        </strong>
        {kind === 'share' && s.denominator ? (
          <>
            {' '}
            <span class="hint">({ctx.t('monitoring.dashboard.fraction', { numerator: s.numerator ?? 0, denominator: s.denominator })})</span>
          </>
        ) : null}
      </p>
      <p>
        <StatusTag ctx={ctx} status={s.status} />
      </p>
      <dl class="summary-list">
        <div class="summary-list__row">
          <dt>{ctx.t('monitoring.dashboard.target2025')}</dt>
          <dd>{targetText(ctx, kind, s.target2025)}</dd>
        </div>
        <div class="summary-list__row">
          <dt>{ctx.t('monitoring.dashboard.target2030')}</dt>
          <dd>{targetText(ctx, kind, s.target2030)}</dd>
        </div>
      </dl>
      <div class="chart" dangerouslySetInnerHTML={{ __html: trend(ctx, charts, s) }} />
    </li>
  );
}

export function DashboardPage({
  ctx,
  charts,
  board,
  types,
  links,
  title,
  lead,
  publicView,
}: {
  ctx: PageContext;
  charts: ChartRenderer;
  board: Dashboard;
  types: string[];
  links: Array<{ href: string; label: string }>;
  title: string;
  lead: string;
  publicView: boolean;
}) {
  const f = { year: board.year, unit: board.unit?.code, type: board.type };
  const scope = board.unit ? board.unit.name : ctx.t('monitoring.dashboard.province');
  const base = publicView ? '/transparency' : '/monitoring';
  return (
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      <p class="lead">{lead}</p>
      {links.length ? (
        <nav aria-label={ctx.t('monitoring.dashboard.links')}>
          <ul>
            {links.map((l) => (
              <li key={l.href}>
                <a href={l.href}>{l.label}</a>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
      <Filters ctx={ctx} action={base} f={f} types={types} />
      <p>
        {ctx.t('monitoring.dashboard.scope', { scope })}
        {board.type ? ` · ${typeLabel(ctx.t, board.type)}` : ''}
      </p>
      <ul class="cards">
        {board.indicators.map((s) => (
          <IndicatorCard
            key={s.indicator.code}
            ctx={ctx}
            charts={charts}
            s={s}
            href={
              publicView
                ? null
                : `/monitoring/indicators/${encodeURIComponent(s.indicator.code)}${qs({ year: board.year, unit: f.unit, type: f.type })}`
            }
          />
        ))}
      </ul>
    </Layout>
  );
}

export function IndicatorPage({
  ctx,
  charts,
  detail,
  canOverride,
  canEdit,
  year,
  issues,
  notice,
  evidence,
}: {
  ctx: PageContext;
  charts: ChartRenderer;
  detail: IndicatorDetail;
  canOverride: boolean;
  canEdit: boolean;
  year: number;
  issues: Issue[];
  notice?: string | undefined;
  /** Evidence files attached to the criterion, by institution. */
  evidence: Map<string, EvidenceView[]>;
}) {
  const s = detail.summary;
  const def = s.indicator.definition;
  const kind = def.formula.kind;
  const criterion = kind === 'share' || kind === 'count';
  const back = `/monitoring${qs({ year, unit: detail.unit?.code, type: detail.type })}`;
  const unitBars = detail.byUnit.length
    ? charts.bars({
        title: ctx.t('monitoring.detail.byUnit', { level: ctx.t(`monitoring.level.${detail.level}`) }),
        labels: detail.byUnit.map((b) => b.label),
        values: detail.byUnit.map((b) => b.value),
        unit: kind === 'share' || kind === 'growth' ? '%' : '',
        width: 600,
      })
    : '';
  return (
    <Layout ctx={ctx} title={def.name[ctx.locale]} crumbs={[{ href: back, label: ctx.t('monitoring.nav') }]}>
      <h1>{def.name[ctx.locale]}</h1>
      {notice ? <Notice kind="success">{notice}</Notice> : null}
      <ErrorSummary ctx={ctx} issues={issues} />
      <p class="lead">
        {def.groupName[ctx.locale]} · {ctx.t(`monitoring.formula.${kind}`)} · {def.section}
      </p>
      <p>
        <strong class="indicator-value">{formatValue(kind, s.value, ctx.t, ctx.locale)}</strong> ({year}
        {detail.unit ? ` · ${detail.unit.name}` : ''}) <StatusTag ctx={ctx} status={s.status} />
      </p>
      <p>
        {ctx.t('monitoring.dashboard.target2025')}: {targetText(ctx, kind, s.target2025)} · {ctx.t('monitoring.dashboard.target2030')}:{' '}
        {targetText(ctx, kind, s.target2030)}
      </p>
      <div class="chart" dangerouslySetInnerHTML={{ __html: trend(ctx, charts, s) }} />
      <h2>{ctx.t('monitoring.detail.byUnit', { level: ctx.t(`monitoring.level.${detail.level}`) })}</h2>
      {unitBars ? (
        <div
          class="chart table-wrap"
          tabindex={0}
          role="group"
          aria-label={ctx.t('monitoring.detail.byUnit', { level: ctx.t(`monitoring.level.${detail.level}`) })}
          dangerouslySetInnerHTML={{ __html: unitBars }}
        />
      ) : null}
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{ctx.t('monitoring.detail.unitCol')}</th>
              <th scope="col" class="num">
                {ctx.t('monitoring.dashboard.value')}
              </th>
              {criterion ? (
                <th scope="col" class="num">
                  {ctx.t('monitoring.detail.result')}
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {detail.byUnit.map((b) => (
              <tr key={b.key}>
                <td>
                  <a href={`/monitoring/indicators/${encodeURIComponent(s.indicator.code)}${qs({ year, unit: b.code, type: detail.type })}`}>
                    {b.label}
                  </a>
                </td>
                <td class="num">{formatValue(kind, b.value, ctx.t, ctx.locale)}</td>
                {criterion ? (
                  <td class="num">
                    {b.numerator ?? 0}/{b.denominator ?? 0}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>{ctx.t('monitoring.detail.byType')}</h2>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{ctx.t('monitoring.type.label')}</th>
              <th scope="col" class="num">
                {ctx.t('monitoring.dashboard.value')}
              </th>
              {criterion ? (
                <th scope="col" class="num">
                  {ctx.t('monitoring.detail.result')}
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {detail.byType.map((b) => (
              <tr key={b.key}>
                <td>
                  <a href={`/monitoring/indicators/${encodeURIComponent(s.indicator.code)}${qs({ year, unit: detail.unit?.code, type: b.key })}`}>
                    {typeLabel(ctx.t, b.key)}
                  </a>
                </td>
                <td class="num">{formatValue(kind, b.value, ctx.t, ctx.locale)}</td>
                {criterion ? (
                  <td class="num">
                    {b.numerator ?? 0}/{b.denominator ?? 0}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2 id="institutions">{ctx.t('monitoring.detail.institutions')}</h2>
      {criterion ? null : <p class="hint">{ctx.t('monitoring.detail.valueRule')}</p>}
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{ctx.t('monitoring.detail.institution')}</th>
              <th scope="col">{ctx.t('monitoring.detail.unitCol')}</th>
              <th scope="col">{ctx.t('monitoring.detail.result')}</th>
              <th scope="col">{ctx.t('monitoring.detail.source')}</th>
              <th scope="col">{ctx.t('monitoring.detail.note')}</th>
            </tr>
          </thead>
          <tbody>
            {detail.rows.map((r) => (
              <tr key={r.institutionId} data-institution={r.institution.code}>
                <td>
                  {r.institution.name}
                  <br />
                  <span class="hint">{typeLabel(ctx.t, r.institution.type)}</span>
                </td>
                <td>{r.unit?.name ?? '—'}</td>
                <td>
                  {r.decision
                    ? r.decision.met
                      ? ctx.t('monitoring.detail.met')
                      : ctx.t('monitoring.detail.notMet')
                    : formatValue('sum', r.value?.value ?? null, ctx.t, ctx.locale)}
                </td>
                <td>{r.decision ? sourceLabel(ctx.t, r.decision.source) : r.value ? valueSourceText(ctx.t, r.value) : '—'}</td>
                <td>
                  {r.decision?.note ? (r.decision.source === 'observed' ? ctx.t(messageKey(r.decision.note)) : r.decision.note) : null}
                  {r.decision?.url ? (
                    <>
                      {' '}
                      <a href={r.decision.url} rel="noopener noreferrer">
                        {ctx.t('monitoring.form.evidenceUrl')}
                      </a>
                    </>
                  ) : null}
                  <EvidenceLinks ctx={ctx} files={evidence.get(r.institutionId) ?? []} />
                  {criterion && canOverride ? (
                    <details>
                      <summary>
                        {ctx.t('monitoring.detail.override')}
                        <span class="visually-hidden"> — {r.institution.name}</span>
                      </summary>
                      <Form
                        ctx={ctx}
                        action={`/monitoring/indicators/${encodeURIComponent(s.indicator.code)}/override${qs({ year, unit: detail.unit?.code, type: detail.type })}`}
                      >
                        <input type="hidden" name="institutionId" value={r.institutionId} />
                        <SelectField
                          ctx={ctx}
                          name={`met_${r.institution.code}`}
                          label={ctx.t('monitoring.detail.overrideMet')}
                          required
                          options={[
                            { value: 'true', label: ctx.t('monitoring.detail.met') },
                            { value: 'false', label: ctx.t('monitoring.detail.notMet') },
                            { value: 'clear', label: ctx.t('monitoring.detail.overrideClear') },
                          ]}
                        />
                        <TextField
                          ctx={ctx}
                          name={`reason_${r.institution.code}`}
                          label={ctx.t('monitoring.detail.reason')}
                          issues={issues}
                          required
                        />
                        <Button variant="secondary">{ctx.t('monitoring.detail.save')}</Button>
                      </Form>
                    </details>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>{ctx.t('monitoring.detail.history')}</h2>
      <p>
        <a href={`/monitoring/indicators/${encodeURIComponent(s.indicator.code)}/history`}>{ctx.t('monitoring.indicator.historyLink')}</a>
      </p>
      {canEdit ? (
        <p>
          <a class="button button--secondary" href={`/monitoring/indicators/${encodeURIComponent(s.indicator.code)}/edit`}>
            {ctx.t('monitoring.detail.edit')}
          </a>
        </p>
      ) : null}
    </Layout>
  );
}
