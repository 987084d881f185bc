import { h, type ComponentChildren } from 'preact';
import type { Issue } from '../errors.js';
import type { PageContext } from './context.js';

export function issueText(ctx: PageContext, i: Issue): string {
  const msg = ctx.t(i.key, i.params);
  return i.row ? `${ctx.t('errors.atRow', { row: i.row })} — ${i.field}: ${msg}` : msg;
}

/** GOV.UK-style error summary: focused on load, each issue links to its field. */
export function ErrorSummary({ ctx, issues, title }: { ctx: PageContext; issues: Issue[]; title?: string }) {
  if (issues.length === 0) return null;
  return (
    <div class="error-summary" role="alert" tabindex={-1} aria-labelledby="error-summary-title" data-autofocus>
      <h2 id="error-summary-title">{title ?? ctx.t('errors.summary')}</h2>
      <ul>
        {issues.map((i) => (
          <li key={`${i.row ?? ''}-${i.field}-${i.key}`}>{i.row ? issueText(ctx, i) : <a href={`#f-${i.field}`}>{issueText(ctx, i)}</a>}</li>
        ))}
      </ul>
    </div>
  );
}

export function fieldError(ctx: PageContext, issues: Issue[] | undefined, name: string): string | undefined {
  const found = issues?.find((i) => i.field === name && !i.row);
  return found ? issueText(ctx, found) : undefined;
}

interface FieldProps {
  ctx: PageContext;
  name: string;
  label: string;
  value?: string | number | null | undefined;
  hint?: string;
  issues?: Issue[] | undefined;
  type?: 'text' | 'email' | 'tel' | 'password' | 'date' | 'number' | 'url' | 'search';
  autocomplete?: string;
  required?: boolean;
  inputmode?: 'numeric' | 'tel' | 'email' | 'text';
  width?: 'short' | 'medium' | 'full';
}

function describedBy(name: string, hint?: string, error?: string): string | undefined {
  const ids = [hint ? `f-${name}-hint` : '', error ? `f-${name}-error` : ''].filter(Boolean).join(' ');
  return ids || undefined;
}

function Label({ ctx, name, label, required }: { ctx: PageContext; name: string; label: string; required?: boolean | undefined }) {
  return (
    <label for={`f-${name}`}>
      {label}
      {required ? null : <span class="optional"> {ctx.t('common.optional')}</span>}
    </label>
  );
}

/** Plain attributes: preact types each input type apart, which a field of any type cannot satisfy. */
function inputAttrs(p: FieldProps, error: string | undefined): Record<string, unknown> {
  return {
    id: `f-${p.name}`,
    name: p.name,
    type: p.type ?? 'text',
    value: p.value ?? '',
    class: `input input--${p.width ?? 'full'}`,
    autocomplete: p.autocomplete,
    required: p.required,
    inputMode: p.inputmode,
    'aria-describedby': describedBy(p.name, p.hint, error),
    'aria-invalid': error ? 'true' : undefined,
  };
}

/** What every field shows around its control: the label, the hint and the error, tied to the control by id. */
function FieldFrame({
  p,
  error,
  children,
}: {
  p: Pick<FieldProps, 'ctx' | 'name' | 'label' | 'hint' | 'required'>;
  error: string | undefined;
  children: ComponentChildren;
}) {
  return (
    <div class={`field${error ? ' field--error' : ''}`}>
      <Label ctx={p.ctx} name={p.name} label={p.label} required={p.required} />
      {p.hint ? (
        <p class="hint" id={`f-${p.name}-hint`}>
          {p.hint}
        </p>
      ) : null}
      {error ? (
        <p class="field-error" id={`f-${p.name}-error`}>
          <span class="visually-hidden">{p.ctx.t('errors.title')}: </span>
          {error}
        </p>
      ) : null}
      {children}
    </div>
  );
}

export function TextField(p: FieldProps) {
  const error = fieldError(p.ctx, p.issues, p.name);
  return (
    <FieldFrame p={p} error={error}>
      {h('input', inputAttrs(p, error))}
    </FieldFrame>
  );
}

export function TextArea(p: FieldProps & { rows?: number }) {
  const error = fieldError(p.ctx, p.issues, p.name);
  return (
    <FieldFrame p={p} error={error}>
      <textarea
        id={`f-${p.name}`}
        name={p.name}
        rows={p.rows ?? 4}
        class="input"
        aria-describedby={describedBy(p.name, p.hint, error)}
        aria-invalid={error ? 'true' : undefined}
      >
        {p.value ?? ''}
      </textarea>
    </FieldFrame>
  );
}

export interface Option {
  value: string;
  label: string;
  /** Consecutive options with the same group are shown under it (an optgroup), so a long list stays usable without scripts. */
  group?: string;
}

/** Options split into runs of the same group, in order. */
function runs(options: Option[]): Array<{ group: string | undefined; options: Option[] }> {
  const out: Array<{ group: string | undefined; options: Option[] }> = [];
  for (const o of options) {
    const last = out.at(-1);
    if (last && last.group === o.group) last.options.push(o);
    else out.push({ group: o.group, options: [o] });
  }
  return out;
}

export function SelectField(p: Omit<FieldProps, 'type' | 'autocomplete' | 'inputmode' | 'width'> & { options: Option[]; blank?: string }) {
  const error = fieldError(p.ctx, p.issues, p.name);
  const current = p.value === null || p.value === undefined ? '' : String(p.value);
  return (
    <FieldFrame p={p} error={error}>
      <select
        id={`f-${p.name}`}
        name={p.name}
        class="input"
        required={p.required}
        aria-describedby={describedBy(p.name, p.hint, error)}
        aria-invalid={error ? 'true' : undefined}
      >
        {p.blank !== undefined ? <option value="">{p.blank}</option> : null}
        {runs(p.options).map((run) => {
          const items = run.options.map((o) => (
            <option key={o.value} value={o.value} selected={o.value === current}>
              {o.label}
            </option>
          ));
          return run.group === undefined ? (
            items
          ) : (
            <optgroup key={run.group} label={run.group}>
              {items}
            </optgroup>
          );
        })}
      </select>
    </FieldFrame>
  );
}

export function CheckboxField({
  ctx: _ctx,
  name,
  label,
  checked,
  hint,
}: {
  ctx: PageContext;
  name: string;
  label: string;
  checked: boolean;
  hint?: string;
}) {
  return (
    <div class="field field--checkbox">
      <input type="checkbox" id={`f-${name}`} name={name} value="true" checked={checked} aria-describedby={hint ? `f-${name}-hint` : undefined} />
      <label for={`f-${name}`}>{label}</label>
      {hint ? (
        <p class="hint" id={`f-${name}-hint`}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}

/** A form with the CSRF token; POST unless told otherwise. */
export function Form({
  ctx,
  action,
  children,
  multipart,
  method,
  class: cls,
}: {
  ctx: PageContext;
  action: string;
  children: ComponentChildren;
  multipart?: boolean;
  method?: 'get' | 'post';
  class?: string;
}) {
  const m = method ?? 'post';
  return (
    <form method={m} action={action} enctype={multipart ? 'multipart/form-data' : undefined} class={cls} novalidate>
      {m === 'post' ? <input type="hidden" name="_csrf" value={ctx.csrfToken} /> : null}
      {children}
    </form>
  );
}

export function Button({
  children,
  variant,
  name,
  value,
}: {
  children: ComponentChildren;
  variant?: 'secondary' | 'warning';
  name?: string;
  value?: string;
}) {
  return (
    <button type="submit" class={`button${variant ? ` button--${variant}` : ''}`} name={name} value={value}>
      {children}
    </button>
  );
}

export function Notice({ children, kind }: { children: ComponentChildren; kind?: 'success' | 'info' }) {
  return (
    <div class={`notice notice--${kind ?? 'info'}`} role="status">
      {children}
    </div>
  );
}

export function Pagination({
  ctx,
  page,
  pageSize,
  total,
  href,
}: {
  ctx: PageContext;
  page: number;
  pageSize: number;
  total: number;
  href: (page: number) => string;
}) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (pages <= 1) return null;
  return (
    <nav class="pagination" aria-label={ctx.t('common.page', { page, pages })}>
      {page > 1 ? (
        <a href={href(page - 1)} rel="prev">
          ← {ctx.t('common.previous')}
        </a>
      ) : (
        <span />
      )}
      <span>{ctx.t('common.page', { page, pages })}</span>
      {page < pages ? (
        <a href={href(page + 1)} rel="next">
          {ctx.t('common.next')} →
        </a>
      ) : (
        <span />
      )}
    </nav>
  );
}

export function SummaryList({ rows }: { rows: Array<[string, ComponentChildren]> }) {
  return (
    <dl class="summary-list">
      {rows.map(([k, v]) => (
        <div class="summary-list__row" key={k}>
          <dt>{k}</dt>
          <dd>{v === null || v === undefined || v === '' ? '—' : v}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Builds a query string, dropping empty values. */
export function qs(params: Record<string, string | number | undefined | null>): string {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') s.set(k, String(v));
  const out = s.toString();
  return out ? `?${out}` : '';
}
