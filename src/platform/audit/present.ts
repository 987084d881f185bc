import { Type, type Static } from 'typebox';
import type { Db } from '../db/index.js';
import { formatDate, formatDateTime, hasMessage, type Locale, type Translate } from '../i18n/index.js';
import type { AuditRow } from './index.js';
import { fieldKind, isNamedKind, nameOf, resolveNames, type Names } from './names.js';
import { Nullable, Uuid } from '../http/schemas.js';

export const AuditChange = Type.Object({
  field: Type.String({ description: 'The stored field name' }),
  label: Type.String({ description: 'The field as people call it, in the language asked for' }),
  before: Nullable(Type.String()),
  after: Nullable(Type.String()),
});

export const AuditEntryOut = Type.Object({
  id: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  actor: Type.String({ description: 'The person or key that made the change, as recorded then' }),
  actorId: Nullable(Uuid),
  action: Type.String(),
  actionLabel: Type.String(),
  entityType: Type.String(),
  entityLabel: Type.String(),
  entityId: Nullable(Type.String()),
  entityName: Nullable(Type.String()),
  institutionId: Nullable(Uuid),
  institutionName: Nullable(Type.String()),
  changes: Type.Array(AuditChange, { description: 'Fields that differ between before and after, ids shown as names' }),
  before: Type.Unknown(),
  after: Type.Unknown(),
});
export type AuditEntryOut = Static<typeof AuditEntryOut>;
export type AuditChange = Static<typeof AuditChange>;

/** Bookkeeping every row carries; a change to it tells a reader nothing. */
const HIDDEN = new Set(['id', 'createdAt', 'updatedAt']);
const LONGEST = 200;

type Fields = Record<string, unknown>;

function fieldsOf(v: unknown): Fields {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Fields) : {};
}

function isBlank(v: unknown): boolean {
  return v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
}

function changedFields(r: AuditRow): string[] {
  const b = fieldsOf(r.before);
  const a = fieldsOf(r.after);
  const same = (x: unknown, y: unknown) => JSON.stringify(x ?? null) === JSON.stringify(y ?? null) || (isBlank(x) && isBlank(y));
  return [...new Set([...Object.keys(b), ...Object.keys(a)])].filter((k) => !HIDDEN.has(k) && !same(b[k], a[k]));
}

/** "programme.session.cancel" → "Hủy": the last word of an action names what was done. */
export function verbLabel(t: Translate, action: string): string {
  const key = `audit.verb.${action.split('.').pop() ?? action}`;
  return hasMessage(key) ? t(key) : action;
}

export function entityLabel(t: Translate, type: string): string {
  const key = `audit.entity.${type}`;
  return hasMessage(key) ? t(key) : type;
}

/** "audit.field.unit.code", then "audit.field.code", then the stored name spelt out ("callNumber" → "call number"). */
export function fieldLabel(t: Translate, entityType: string, field: string): string {
  for (const key of [`audit.field.${entityType}.${field}`, `audit.field.${field}`]) if (hasMessage(key)) return t(key);
  return field
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .toLowerCase();
}

/** The item's own name as the change recorded it, when it has one. */
/** A stored value with a label of its own ("on_loan" → "Đang cho mượn"): `audit.value.<entityType>.<field>.<value>`. */
function valueLabel(t: Translate, entityType: string, field: string, v: unknown): string | null {
  if (typeof v !== 'string' || !/^[a-z][a-z0-9_]*$/.test(v)) return null;
  const key = `audit.value.${entityType}.${field}.${v}`;
  return hasMessage(key) ? t(key) : null;
}

function recordedName(r: AuditRow): string | null {
  for (const v of [r.after, r.before]) {
    const o = fieldsOf(v);
    const name = o.name ?? o.title ?? o.displayName ?? o.code ?? o.barcode;
    if (typeof name === 'string' && name) return name;
  }
  return null;
}

interface Show {
  t: Translate;
  locale: Locale;
  names: Names;
}

function shown(s: Show, kind: string | undefined, v: unknown): string | null {
  if (isBlank(v)) return null;
  if (Array.isArray(v)) return v.map((x) => shown(s, kind, x) ?? '—').join(', ');
  if (typeof v === 'boolean') return s.t(v ? 'common.yes' : 'common.no');
  if (typeof v === 'string') {
    const named = nameOf(s.names, kind, v);
    if (named) return named;
    if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(v)) return formatDateTime(s.locale, v);
    if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return formatDate(s.locale, v);
    return v.length > LONGEST ? `${v.slice(0, LONGEST)}…` : v;
  }
  const text = typeof v === 'number' || typeof v === 'bigint' ? String(v) : (JSON.stringify(v) ?? '');
  return text.length > LONGEST ? `${text.slice(0, LONGEST)}…` : text;
}

function idsWanted(rows: AuditRow[]): Map<string, Set<string>> {
  const wanted = new Map<string, Set<string>>();
  const want = (kind: string | undefined, v: unknown) => {
    if (!kind) return;
    for (const id of Array.isArray(v) ? v : [v]) {
      if (typeof id !== 'string') continue;
      const set = wanted.get(kind) ?? new Set<string>();
      set.add(id);
      wanted.set(kind, set);
    }
  };
  for (const r of rows) {
    want('user', r.actorUserId);
    want('institution', r.institutionId);
    if (isNamedKind(r.entityType)) want(r.entityType, r.entityId);
    for (const k of changedFields(r)) {
      const kind = fieldKind(r.entityType, k);
      want(kind, fieldsOf(r.before)[k]);
      want(kind, fieldsOf(r.after)[k]);
    }
  }
  return wanted;
}

/** Audit rows as people read them: labels for fields, actions and item types, names for ids, one page of names looked up at once. */
export async function presentAuditRows(db: Db, t: Translate, locale: Locale, rows: AuditRow[]): Promise<AuditEntryOut[]> {
  const names = await resolveNames(db, idsWanted(rows));
  const s: Show = { t, locale, names };
  return rows.map((r) => ({
    id: r.id,
    at: r.at.toISOString(),
    actor: r.actorLabel,
    actorId: r.actorUserId,
    action: r.action,
    actionLabel: verbLabel(t, r.action),
    entityType: r.entityType,
    entityLabel: entityLabel(t, r.entityType),
    entityId: r.entityId,
    entityName: nameOf(names, r.entityType, r.entityId) ?? recordedName(r),
    institutionId: r.institutionId,
    institutionName: nameOf(names, 'institution', r.institutionId) ?? null,
    changes: changedFields(r).map((k) => {
      const kind = fieldKind(r.entityType, k);
      return {
        field: k,
        label: fieldLabel(t, r.entityType, k),
        before: valueLabel(t, r.entityType, k, fieldsOf(r.before)[k]) ?? shown(s, kind, fieldsOf(r.before)[k]),
        after: valueLabel(t, r.entityType, k, fieldsOf(r.after)[k]) ?? shown(s, kind, fieldsOf(r.after)[k]),
      };
    }),
    before: r.before,
    after: r.after,
  }));
}
