import { Type, type Static } from 'typebox';
import { Issues } from '../errors.js';
import { PageQuery, Uuid } from '../http/schemas.js';

export const AuditQuery = Type.Object({
  actor: Type.Optional(Type.String({ maxLength: 100, description: 'Part of the person’s name as recorded' })),
  actorId: Type.Optional(Type.String({ ...Uuid, description: 'The person’s account' })),
  institutionId: Type.Optional(Uuid),
  entityType: Type.Optional(Type.String({ maxLength: 50, description: 'Kind of item, such as institution or catalogue_record' })),
  entityId: Type.Optional(Type.String({ maxLength: 100 })),
  action: Type.Optional(Type.String({ maxLength: 50 })),
  from: Type.Optional(Type.String({ format: 'date', description: 'First day, Vietnam time' })),
  to: Type.Optional(Type.String({ format: 'date', description: 'Last day, Vietnam time' })),
  ...PageQuery,
});
export type AuditQuery = Static<typeof AuditQuery>;

/** What the schema cannot say: years a log can hold, and a range that runs forwards. */
export function checkAuditQuery(q: AuditQuery): AuditQuery {
  const issues = new Issues();
  for (const field of ['from', 'to'] as const) {
    const year = Number(q[field]?.slice(0, 4));
    if (q[field] && !(year >= 1900 && year <= 9999)) issues.add(field, 'audit.errors.year');
  }
  if (issues.empty && q.from && q.to && q.from > q.to) issues.add('to', 'audit.errors.range');
  issues.throwIfAny();
  return q;
}
