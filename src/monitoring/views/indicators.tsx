import type { Issue } from '../../platform/errors.js';
import { formatDateTime, messageKey } from '../../platform/i18n/index.js';
import { Button, ErrorSummary, fieldError, Form, SelectField, TextField } from '../../platform/web/components.js';
import type { PageContext } from '../../platform/web/context.js';
import { Layout } from '../../platform/web/layout.js';
import { changedParts, SPARE_TARGET_ROWS, type IndicatorFormValues } from '../indicators/form.js';
import { criteria, familyOf, formulaKinds, measureField, measures, type Family, type IndicatorDefinition } from '../model.js';
import { typeLabel, type IndicatorVersionView, type IndicatorView } from '../presenters.js';

const families: readonly Family[] = ['library', 'museum', 'centre'];

function indicatorHref(code: string, tail = ''): string {
  return `/monitoring/indicators/${encodeURIComponent(code)}${tail}`;
}

/** The formula in words: "Share of institutions meeting the criterion: provides LLL services". */
export function formulaText(ctx: PageContext, def: IndicatorDefinition): string {
  const f = def.formula;
  const what =
    f.kind === 'share' || f.kind === 'count'
      ? ctx.t(`monitoring.criterion.${f.criterion}`)
      : ctx.t(messageKey(`monitoring.field.${measureField[f.measure]}`));
  const base = f.kind === 'growth' ? ` (${ctx.t('monitoring.indicator.baseYear')} ${f.baseYear})` : '';
  return `${ctx.t(`monitoring.formula.${f.kind}`)}: ${what}${base}`;
}

function targetsLine(def: IndicatorDefinition): string {
  return def.targets.map((t) => `${t.year}: ${t.value}${t.upper !== undefined ? `–${t.upper}` : ''}`).join('; ') || '—';
}

/** Checkboxes for the institution types an indicator covers, one group per family; each type names its level. */
function TypeChoices({ ctx, checked, issues, types }: { ctx: PageContext; checked: string[]; issues: Issue[]; types: readonly string[] }) {
  const error = fieldError(ctx, issues, 'types');
  return (
    <fieldset class={`field${error ? ' field--error' : ''}`} id="f-types" aria-describedby={`f-types-hint${error ? ' f-types-error' : ''}`}>
      <legend>{ctx.t('monitoring.indicator.types')}</legend>
      <p class="hint" id="f-types-hint">
        {ctx.t('monitoring.indicator.typesHint')}
      </p>
      {error ? (
        <p class="field-error" id="f-types-error">
          <span class="visually-hidden">{ctx.t('errors.title')}: </span>
          {error}
        </p>
      ) : null}
      {families.map((family) => (
        <fieldset class="field" key={family}>
          <legend>{ctx.t(`monitoring.indicator.family.${family}`)}</legend>
          {types
            .filter((t) => familyOf(t) === family)
            .map((t) => (
              <div class="field--checkbox" key={t}>
                <input type="checkbox" id={`f-types-${t}`} name="types" value={t} checked={checked.includes(t)} />
                <label for={`f-types-${t}`}>{typeLabel(ctx.t, t)}</label>
              </div>
            ))}
        </fieldset>
      ))}
    </fieldset>
  );
}

function KindChoices({ ctx, value, issues }: { ctx: PageContext; value: string; issues: Issue[] }) {
  const error = fieldError(ctx, issues, 'kind');
  return (
    <fieldset class={`field${error ? ' field--error' : ''}`} id="f-kind" aria-describedby={error ? 'f-kind-error' : undefined}>
      <legend>{ctx.t('monitoring.indicator.kind')}</legend>
      {error ? (
        <p class="field-error" id="f-kind-error">
          <span class="visually-hidden">{ctx.t('errors.title')}: </span>
          {error}
        </p>
      ) : null}
      {formulaKinds.map((k) => (
        <div class="field--checkbox" key={k}>
          <input type="radio" id={`f-kind-${k}`} name="kind" value={k} checked={value === k} aria-describedby={`f-kind-${k}-hint`} />
          <label for={`f-kind-${k}`}>{ctx.t(`monitoring.formula.${k}`)}</label>
          <p class="hint" id={`f-kind-${k}-hint`}>
            {ctx.t(`monitoring.indicator.kindHint.${k}`)}
          </p>
        </div>
      ))}
    </fieldset>
  );
}

/** One input of the targets table: its label is read out but not shown, the column heading shows it. */
function TargetCell({
  ctx,
  name,
  label,
  value,
  issues,
  numeric,
}: {
  ctx: PageContext;
  name: string;
  label: string;
  value: string;
  issues: Issue[];
  numeric: boolean;
}) {
  const error = fieldError(ctx, issues, name);
  return (
    <td class={error ? 'field--error' : undefined}>
      <label class="visually-hidden" for={`f-${name}`}>
        {label}
      </label>
      {error ? (
        <p class="field-error" id={`f-${name}-error`}>
          <span class="visually-hidden">{ctx.t('errors.title')}: </span>
          {error}
        </p>
      ) : null}
      <input
        class="input"
        id={`f-${name}`}
        name={name}
        type="text"
        value={value}
        inputMode={numeric ? 'numeric' : 'decimal'}
        aria-describedby={error ? `f-${name}-error` : undefined}
        aria-invalid={error ? 'true' : undefined}
      />
    </td>
  );
}

export function IndicatorEditPage({
  ctx,
  indicator,
  values,
  issues,
  types,
}: {
  ctx: PageContext;
  indicator: IndicatorView;
  values: IndicatorFormValues;
  issues: Issue[];
  types: readonly string[];
}) {
  const rows = [...values.targets, ...Array.from({ length: SPARE_TARGET_ROWS }, () => ({ year: '', value: '', upper: '' }))];
  const title = ctx.t('monitoring.indicator.editTitle', { code: indicator.code });
  return (
    <Layout
      ctx={ctx}
      title={title}
      crumbs={[
        { href: '/monitoring', label: ctx.t('monitoring.nav') },
        { href: indicatorHref(indicator.code), label: indicator.definition.name[ctx.locale] },
      ]}
    >
      <h1>{title}</h1>
      <p id="f-expectedVersion">
        {ctx.t('monitoring.indicator.version', { version: indicator.version })} ·{' '}
        <a href={indicatorHref(indicator.code, '/history')}>{ctx.t('monitoring.indicator.historyLink')}</a>
      </p>
      <ErrorSummary ctx={ctx} issues={issues} />
      <Form ctx={ctx} action={indicatorHref(indicator.code, '/edit')}>
        <input type="hidden" name="expectedVersion" value={String(indicator.version)} />
        <input type="hidden" name="targetRows" value={String(rows.length)} />
        <TextField ctx={ctx} name="nameVi" label={ctx.t('monitoring.indicator.nameVi')} value={values.nameVi} issues={issues} required />
        <TextField ctx={ctx} name="nameEn" label={ctx.t('monitoring.indicator.nameEn')} value={values.nameEn} issues={issues} required />
        <TextField
          ctx={ctx}
          name="section"
          label={ctx.t('monitoring.indicator.section')}
          hint={ctx.t('monitoring.indicator.sectionHint')}
          value={values.section}
          issues={issues}
          width="short"
          required
        />
        <h2>{ctx.t('monitoring.indicator.group')}</h2>
        <TextField ctx={ctx} name="groupVi" label={ctx.t('monitoring.indicator.groupVi')} value={values.groupVi} issues={issues} required />
        <TextField ctx={ctx} name="groupEn" label={ctx.t('monitoring.indicator.groupEn')} value={values.groupEn} issues={issues} required />
        <TypeChoices ctx={ctx} checked={values.types} issues={issues} types={types} />
        <h2>{ctx.t('monitoring.indicator.formula')}</h2>
        <KindChoices ctx={ctx} value={values.kind} issues={issues} />
        <SelectField
          ctx={ctx}
          name="criterion"
          label={ctx.t('monitoring.indicator.criterion')}
          hint={ctx.t('monitoring.indicator.criterionHint')}
          value={values.criterion}
          issues={issues}
          blank={ctx.t('monitoring.indicator.choose')}
          options={criteria.map((c) => ({ value: c, label: ctx.t(`monitoring.criterion.${c}`) }))}
        />
        <SelectField
          ctx={ctx}
          name="measure"
          label={ctx.t('monitoring.indicator.measure')}
          hint={ctx.t('monitoring.indicator.measureHint')}
          value={values.measure}
          issues={issues}
          blank={ctx.t('monitoring.indicator.choose')}
          options={measures.map((m) => ({ value: m, label: ctx.t(messageKey(`monitoring.field.${measureField[m]}`)) }))}
        />
        <TextField
          ctx={ctx}
          name="baseYear"
          label={ctx.t('monitoring.indicator.baseYear')}
          hint={ctx.t('monitoring.indicator.baseYearHint')}
          value={values.baseYear}
          issues={issues}
          inputmode="numeric"
          width="short"
        />
        <h2 id="targets">{ctx.t('monitoring.indicator.targets')}</h2>
        <p class="hint" id="targets-hint">
          {ctx.t('monitoring.indicator.targetsHint')}
        </p>
        <table aria-labelledby="targets" aria-describedby="targets-hint">
          <thead>
            <tr>
              <th scope="col">{ctx.t('monitoring.indicator.targetYear')}</th>
              <th scope="col">{ctx.t('monitoring.indicator.targetValue')}</th>
              <th scope="col">{ctx.t('monitoring.indicator.targetUpper')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={`target-${i}`}>
                {(['year', 'value', 'upper'] as const).map((part) => (
                  <TargetCell
                    key={part}
                    ctx={ctx}
                    name={`target_${i}_${part}`}
                    value={r[part]}
                    issues={issues}
                    numeric={part === 'year'}
                    label={ctx.t('monitoring.indicator.targetCell', {
                      n: i + 1,
                      part: ctx.t(`monitoring.indicator.target${part === 'year' ? 'Year' : part === 'value' ? 'Value' : 'Upper'}`),
                    })}
                  />
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        <TextField
          ctx={ctx}
          name="note"
          label={ctx.t('monitoring.indicator.note')}
          hint={ctx.t('monitoring.indicator.noteHint')}
          value={values.note}
          issues={issues}
          required
        />
        <Button>{ctx.t('monitoring.indicator.save')}</Button>
      </Form>
    </Layout>
  );
}

/** Every version of an indicator, newest first, with who changed it, when, why and what changed. */
export function IndicatorHistoryPage({
  ctx,
  indicator,
  history,
  canEdit,
}: {
  ctx: PageContext;
  indicator: IndicatorView;
  history: IndicatorVersionView[];
  canEdit: boolean;
}) {
  const title = ctx.t('monitoring.indicator.historyTitle', { code: indicator.code });
  return (
    <Layout
      ctx={ctx}
      title={title}
      crumbs={[
        { href: '/monitoring', label: ctx.t('monitoring.nav') },
        { href: indicatorHref(indicator.code), label: indicator.definition.name[ctx.locale] },
      ]}
    >
      <h1>{title}</h1>
      <p class="lead">{indicator.definition.name[ctx.locale]}</p>
      {canEdit ? (
        <p>
          <a class="button button--secondary" href={indicatorHref(indicator.code, '/edit')}>
            {ctx.t('monitoring.detail.edit')}
          </a>
        </p>
      ) : null}
      {history.map((h, i) => {
        const before = history[i + 1]?.definition;
        const changed = changedParts(before, h.definition);
        return (
          <section key={h.version} data-version={h.version} aria-labelledby={`version-${h.version}`}>
            <h2 id={`version-${h.version}`}>
              {ctx.t('monitoring.indicator.version', { version: h.version })}
              {h.version === indicator.version ? ` (${ctx.t('monitoring.indicator.current')})` : ''}
            </h2>
            <dl class="summary-list">
              <div class="summary-list__row">
                <dt>{ctx.t('monitoring.indicator.changedAt')}</dt>
                <dd>{formatDateTime(ctx.locale, h.changedAt)}</dd>
              </div>
              <div class="summary-list__row">
                <dt>{ctx.t('monitoring.indicator.changedBy')}</dt>
                <dd>{h.changedBy}</dd>
              </div>
              <div class="summary-list__row">
                <dt>{ctx.t('monitoring.indicator.note')}</dt>
                <dd>{h.note ?? '—'}</dd>
              </div>
              <div class="summary-list__row">
                <dt>{ctx.t('monitoring.indicator.changed')}</dt>
                <dd>
                  {before
                    ? changed.length
                      ? changed.map((k) => ctx.t(messageKey(k))).join(', ')
                      : ctx.t('monitoring.indicator.unchanged')
                    : ctx.t('monitoring.indicator.firstVersion')}
                </dd>
              </div>
            </dl>
            <details>
              <summary>
                {ctx.t('monitoring.indicator.definition')}
                <span class="visually-hidden"> — {ctx.t('monitoring.indicator.version', { version: h.version })}</span>
              </summary>
              <dl class="summary-list">
                <div class="summary-list__row">
                  <dt>{ctx.t('monitoring.indicator.nameVi')}</dt>
                  <dd>{h.definition.name.vi}</dd>
                </div>
                <div class="summary-list__row">
                  <dt>{ctx.t('monitoring.indicator.nameEn')}</dt>
                  <dd>{h.definition.name.en}</dd>
                </div>
                <div class="summary-list__row">
                  <dt>{ctx.t('monitoring.indicator.section')}</dt>
                  <dd>{h.definition.section}</dd>
                </div>
                <div class="summary-list__row">
                  <dt>{ctx.t('monitoring.indicator.group')}</dt>
                  <dd>{h.definition.groupName[ctx.locale]}</dd>
                </div>
                <div class="summary-list__row">
                  <dt>{ctx.t('monitoring.indicator.types')}</dt>
                  <dd>{h.definition.types.map((t) => typeLabel(ctx.t, t)).join('; ')}</dd>
                </div>
                <div class="summary-list__row">
                  <dt>{ctx.t('monitoring.indicator.formula')}</dt>
                  <dd>{formulaText(ctx, h.definition)}</dd>
                </div>
                <div class="summary-list__row">
                  <dt>{ctx.t('monitoring.indicator.targets')}</dt>
                  <dd>{targetsLine(h.definition)}</dd>
                </div>
              </dl>
            </details>
          </section>
        );
      })}
    </Layout>
  );
}
