import { and, desc, eq, gte, lt, or, sql, type SQL } from 'drizzle-orm';
import { grantsOf, isSysadmin, type Actor } from '../access.js';
import type { Db } from '../db/index.js';
import { ForbiddenError, UnauthenticatedError } from '../errors.js';
import { auditLog } from '../schema.js';
import { pageWindow } from '../http/schemas.js';

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId?: string | null;
  before?: unknown;
  after?: unknown;
  /** The units the entity lies in (its unit and the unit's ancestors). */
  unitIds?: string[];
  institutionId?: string | null;
}

function strip(value: unknown): unknown {
  if (value === undefined) return null;
  return JSON.parse(JSON.stringify(value, (k, v: unknown) => (/password|token|hash/i.test(k) ? undefined : v))) as unknown;
}

/** Writes one audit row in the caller's transaction. */
export async function recordAudit(db: Db, actor: Actor, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({
    actorUserId: actor.kind === 'user' || actor.kind === 'token' ? actor.userId : null,
    actorTokenId: actor.kind === 'token' ? actor.tokenId : null,
    actorLabel: actor.label,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId ?? null,
    before: strip(entry.before),
    after: strip(entry.after),
    unitIds: entry.unitIds ?? [],
    institutionId: entry.institutionId ?? null,
    ip: actor.ip ?? null,
  });
}

export interface AuditFilter {
  entityType?: string;
  entityId?: string;
  action?: string;
  /** Part of the person's name as recorded. */
  actor?: string;
  actorId?: string;
  institutionId?: string;
  from?: string;
  to?: string;
  page?: number;
  pageSize?: number;
}

export interface AuditRow {
  id: number;
  at: Date;
  actorLabel: string;
  actorUserId: string | null;
  institutionId: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  ip: string | null;
}

/** What the actor may read: administrators all, officers their units, managers their institution. */
function visibility(actor: Actor): SQL | undefined {
  if (actor.kind === 'anonymous') throw new UnauthenticatedError();
  if (isSysadmin(actor)) return undefined;
  const grants = grantsOf(actor).filter((g) => g.role !== 'staff');
  if (grants.length === 0) throw new ForbiddenError();
  const parts: SQL[] = [];
  for (const g of grants) {
    if (g.unitId) parts.push(sql`${g.unitId}::uuid = any(${auditLog.unitIds})`);
    if (g.institutionId) parts.push(eq(auditLog.institutionId, g.institutionId));
  }
  return parts.length ? or(...parts) : sql`false`;
}

/** Throws unless the actor may read some part of the log (401 for anonymous, 403 for staff). */
export function assertAuditReader(actor: Actor): void {
  visibility(actor);
}

export async function listAudit(db: Db, actor: Actor, f: AuditFilter): Promise<{ rows: AuditRow[]; total: number; page: number; pageSize: number }> {
  const { page, pageSize, offset } = pageWindow(f, 50);
  const where = and(
    visibility(actor),
    f.entityType ? eq(auditLog.entityType, f.entityType) : undefined,
    f.entityId ? eq(auditLog.entityId, f.entityId) : undefined,
    f.action ? eq(auditLog.action, f.action) : undefined,
    f.actorId ? eq(auditLog.actorUserId, f.actorId) : undefined,
    f.institutionId ? eq(auditLog.institutionId, f.institutionId) : undefined,
    f.actor ? sql`${auditLog.actorLabel} ilike ${`%${f.actor.replace(/[%_\\]/g, '\\$&')}%`}` : undefined,
    f.from ? gte(auditLog.at, new Date(`${f.from}T00:00:00+07:00`)) : undefined,
    f.to ? lt(auditLog.at, new Date(new Date(`${f.to}T00:00:00+07:00`).getTime() + 86_400_000)) : undefined,
  );
  const [rows, [count]] = await Promise.all([
    db
      .select({
        id: auditLog.id,
        at: auditLog.at,
        actorLabel: auditLog.actorLabel,
        actorUserId: auditLog.actorUserId,
        institutionId: auditLog.institutionId,
        action: auditLog.action,
        entityType: auditLog.entityType,
        entityId: auditLog.entityId,
        before: auditLog.before,
        after: auditLog.after,
        ip: auditLog.ip,
      })
      .from(auditLog)
      .where(where)
      .orderBy(desc(auditLog.id))
      .limit(pageSize)
      .offset(offset),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(auditLog)
      .where(where),
  ]);
  return { rows, total: count?.n ?? 0, page, pageSize };
}
