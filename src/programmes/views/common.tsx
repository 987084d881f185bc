import type { ComponentChildren } from 'preact';
import { formatDate, formatDateTime, formatNumber, messageKey } from '../../platform/i18n/index.js';
import type { PageContext } from '../../platform/web/context.js';
import { vnTime } from '../model.js';

export function kindTag(ctx: PageContext, kind: string) {
  return <span class="tag">{ctx.t(messageKey(`programmes.kind.${kind}`))}</span>;
}

export function feeText(ctx: PageContext, fee: number): string {
  return fee === 0 ? ctx.t('programmes.free') : ctx.t('programmes.feeAmount', { amount: formatNumber(ctx.locale, fee) });
}

export function sessionTime(ctx: PageContext, startsAt: Date, endsAt: Date): string {
  return `${formatDateTime(ctx.locale, startsAt)}–${vnTime(endsAt)}`;
}

export function dateText(ctx: PageContext, date: string): string {
  return formatDate(ctx.locale, date);
}

export function Checkboxes({
  ctx,
  name,
  legend,
  options,
  checked,
  hint,
}: {
  ctx: PageContext;
  name: string;
  legend: string;
  options: Array<{ value: string; label: string }>;
  checked: string[];
  hint?: string;
}) {
  return (
    <fieldset class="field" id={`f-${name}`}>
      <legend>
        {legend} <span class="optional">{ctx.t('common.optional')}</span>
      </legend>
      {hint ? <p class="hint">{hint}</p> : null}
      {options.map((o) => (
        <div class="field--checkbox" key={o.value}>
          <input type="checkbox" id={`f-${name}-${o.value}`} name={name} value={o.value} checked={checked.includes(o.value)} />
          <label for={`f-${name}-${o.value}`}>{o.label}</label>
        </div>
      ))}
    </fieldset>
  );
}

export function Section({ id, title, children }: { id: string; title: string; children: ComponentChildren }) {
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}
