import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import { dbOf, pageContext, sendPage } from '../http/context.js';
import { parseForm } from '../http/validation.js';
import { allKeys, formatDateTime, hasMessage, messageKey } from '../i18n/index.js';
import { compareVi } from '../text/index.js';
import { Button, Form, Pagination, qs, SelectField, TextField } from '../web/components.js';
import type { PageContext } from '../web/context.js';
import { Layout } from '../web/layout.js';
import { listAudit, type AuditRow } from './index.js';

const Filter = Type.Object({
  entityType: Type.Optional(Type.String({ maxLength: 50 })),
  entityId: Type.Optional(Type.String({ maxLength: 100 })),
  action: Type.Optional(Type.String({ maxLength: 50 })),
  actor: Type.Optional(Type.String({ maxLength: 100 })),
  from: Type.Optional(Type.String({ format: 'date' })),
  to: Type.Optional(Type.String({ format: 'date' })),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
});
type FilterT = Static<typeof Filter>;

export function presentAudit(r: AuditRow) {
  return { id: r.id, at: r.at.toISOString(), actor: r.actorLabel, action: r.action, entityType: r.entityType, entityId: r.entityId, before: r.before, after: r.after };
}

/** "programme.session.cancel" → "Hủy": the last word of an action names what was done. */
function verbLabel(ctx: PageContext, action: string): string {
  const key = `audit.verb.${action.split('.').pop() ?? action}`;
  return hasMessage(key) ? ctx.t(messageKey(key)) : action;
}

function entityLabel(ctx: PageContext, type: string): string {
  return hasMessage(`audit.entity.${type}`) ? ctx.t(messageKey(`audit.entity.${type}`)) : type;
}

/** The item's own name as the change recorded it, when it has one. */
function itemName(before: unknown, after: unknown): string | null {
  for (const v of [after, before]) {
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      const name = o.name ?? o.title ?? o.displayName ?? o.code;
      if (typeof name === 'string' && name) return name;
    }
  }
  return null;
}

/** Item types with a label (read when a page is drawn: catalogues register as modules load). */
function entityTypes(): string[] {
  return allKeys('vi').filter((k) => k.startsWith('audit.entity.')).map((k) => k.slice('audit.entity.'.length));
}

function changedKeys(before: unknown, after: unknown): string[] {
  const b = (before ?? {}) as Record<string, unknown>;
  const a = (after ?? {}) as Record<string, unknown>;
  return [...new Set([...Object.keys(b), ...Object.keys(a)])].filter((k) => JSON.stringify(b[k]) !== JSON.stringify(a[k]));
}

function shown(v: unknown): string {
  if (v === undefined || v === null || v === '') return '—';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function Diff({ before, after }: { before: unknown; after: unknown }) {
  const keys = changedKeys(before, after);
  if (keys.length === 0) return <span>—</span>;
  const b = (before ?? {}) as Record<string, unknown>;
  const a = (after ?? {}) as Record<string, unknown>;
  return (
    <pre class="diff">{keys.map((k) => `${k}: ${shown(b[k])} → ${shown(a[k])}`).join('\n')}</pre>
  );
}

function AuditPage({ ctx, f, rows, total, page, pageSize }: { ctx: PageContext; f: FilterT; rows: AuditRow[]; total: number; page: number; pageSize: number }) {
  const { t } = ctx;
  const keep = { entityType: f.entityType, entityId: f.entityId, actor: f.actor, from: f.from, to: f.to };
  return (
    <Layout ctx={ctx} title={t('audit.title')}>
      <h1>{t('audit.title')}</h1>
      <p class="lead">{t('audit.lead')}</p>
      <Form ctx={ctx} action="/audit" method="get" class="filters">
        <TextField ctx={ctx} name="actor" label={t('audit.actor')} value={f.actor} />
        <SelectField ctx={ctx} name="entityType" label={t('audit.entity')} value={f.entityType} blank={t('audit.any')}
          options={entityTypes().map((e) => ({ value: e, label: entityLabel(ctx, e) })).sort((a, b) => compareVi(a.label, b.label))} />
        <TextField ctx={ctx} name="from" type="date" label={t('audit.from')} value={f.from} />
        <TextField ctx={ctx} name="to" type="date" label={t('audit.to')} value={f.to} />
        {f.entityId ? <input type="hidden" name="entityId" value={f.entityId} /> : null}
        <div class="field"><Button>{t('common.filter')}</Button> <a href="/audit">{t('common.clear')}</a></div>
      </Form>
      <p>{t('common.results', { n: total })}</p>
      {rows.length === 0 ? <p>{t('audit.empty')}</p> : (
        <div class="table-wrap">
          <table>
            <thead><tr><th scope="col">{t('audit.at')}</th><th scope="col">{t('audit.actor')}</th><th scope="col">{t('audit.action')}</th><th scope="col">{t('audit.entity')}</th><th scope="col">{t('audit.changes')}</th></tr></thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id}>
                  <td>{formatDateTime(ctx.locale, r.at)}</td>
                  <td>{r.actorLabel}</td>
                  <td>{verbLabel(ctx, r.action)}</td>
                  <td>
                    {entityLabel(ctx, r.entityType)}
                    {r.entityId ? <><br /><a href={`/audit${qs({ entityType: r.entityType, entityId: r.entityId })}`}>{itemName(r.before, r.after) ?? r.entityId.slice(0, 8)}</a></> : null}
                  </td>
                  <td><Diff before={r.before} after={r.after} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination ctx={ctx} page={page} pageSize={pageSize} total={total} href={(p) => `/audit${qs({ ...keep, page: p })}`} />
    </Layout>
  );
}

export const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {

  app.get('/audit', { schema: { hide: true } }, async (req, reply) => {
    const f = parseForm(Filter, req.query);
    const result = await listAudit(dbOf(req), req.actor, f);
    return sendPage(reply, <AuditPage ctx={pageContext(req)} f={f} {...result} />);
  });

  app.get('/api/v1/audit', {
    schema: {
      tags: ['audit'], summary: 'Audit log entries the caller may read, newest first', querystring: Filter,
      response: {
        200: Type.Object({
          total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer(),
          entries: Type.Array(Type.Object({
            id: Type.Integer(), at: Type.String(), actor: Type.String(), action: Type.String(), entityType: Type.String(),
            entityId: Type.Union([Type.String(), Type.Null()]), before: Type.Unknown(), after: Type.Unknown(),
          })),
        }),
      },
    },
  }, async (req) => {
    const result = await listAudit(dbOf(req), req.actor, req.query);
    return { total: result.total, page: result.page, pageSize: result.pageSize, entries: result.rows.map(presentAudit) };
  });
};
