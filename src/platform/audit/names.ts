import { inArray } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import type { EntityNamer } from '../module.js';
import { users } from '../schema.js';

const namers = new Map<string, EntityNamer>();

/** People are named by the platform itself; institutions, units and the rest by the modules that own them. */
const userNamer: EntityNamer = {
  kind: 'user',
  fields: ['userId', 'createdBy', 'invitedBy', 'acceptedBy', 'checkedInBy', 'actorUserId'],
  names: async (db, ids) =>
    new Map((await db.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, ids))).map((u) => [u.id, u.name])),
};

export function registerEntityNamer(namer: EntityNamer): void {
  namers.set(namer.kind, namer);
}

function allNamers(): EntityNamer[] {
  return [userNamer, ...namers.values()];
}

/** The kind of item a recorded field points at, if any. */
export function fieldKind(entityType: string, field: string): string | undefined {
  return allNamers().find((n) => n.fields.includes(`${entityType}.${field}`) || n.fields.includes(field))?.kind;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids wanted per kind of item → their names, asked of each namer once for the whole page. */
export type Names = Map<string, Map<string, string>>;

export async function resolveNames(db: Db, wanted: Map<string, Set<string>>): Promise<Names> {
  const out: Names = new Map();
  for (const namer of allNamers()) {
    const ids = [...(wanted.get(namer.kind) ?? [])].filter((id) => UUID.test(id));
    if (ids.length) out.set(namer.kind, await namer.names(db, ids));
  }
  return out;
}

export function nameOf(names: Names, kind: string | undefined, id: unknown): string | undefined {
  return kind && typeof id === 'string' ? names.get(kind)?.get(id) : undefined;
}

/** Whether a module names this item type (so an entry's own id can be shown as a name). */
export function isNamedKind(kind: string): boolean {
  return allNamers().some((n) => n.kind === kind);
}
