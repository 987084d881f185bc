import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { grantsOf } from '../../platform/access.js';
import { DomainError } from '../../platform/errors.js';
import { dbOf } from '../../platform/http/context.js';
import { vnToday } from '../../platform/time.js';
import { institutionTypes } from '../../orgs/index.js';
import { placementOf } from '../indicators/compute.js';
import { provinceScope } from '../network.js';
import { allowedTo } from '../permissions.js';
import { errorResponses, Uuid } from '../../platform/http/schemas.js';

export const tags = ['monitoring'];
export const Year = Type.Integer({ minimum: 2000, maximum: 2100 });
export const UnitCode = Type.String({ pattern: '^[0-9]{2,10}$', maxLength: 10 });
export const TypeName = Type.String({ enum: [...institutionTypes] });
export const DashQuery = Type.Object({ year: Type.Optional(Year), unit: Type.Optional(UnitCode), type: Type.Optional(TypeName) });
export { Uuid };
export const errors = errorResponses;

export function currentYear(): number {
  return Number(vnToday().slice(0, 4));
}

export function query(req: FastifyRequest): Record<string, string | undefined> {
  return (req.query ?? {}) as Record<string, string | undefined>;
}

/** Reads the page filters leniently: a bad value falls back to the default instead of failing. */
export function filters(req: FastifyRequest): { year: number; unit?: string | undefined; type?: string | undefined } {
  const q = query(req);
  const year = /^(20\d\d|2100)$/.test(q.year ?? '') ? Number(q.year) : currentYear();
  const unit = /^\d{2,10}$/.test(q.unit?.trim() ?? '') ? q.unit?.trim() : undefined;
  const type = (institutionTypes as readonly string[]).includes(q.type ?? '') ? q.type : undefined;
  return { year, unit, type };
}

/** An officer's own unit: the unit of their first unit-scoped grant below the province, if any. */
export async function defaultUnit(req: FastifyRequest): Promise<string | undefined> {
  const placement = await placementOf(dbOf(req));
  if (allowedTo(req.actor, 'oversee', provinceScope(placement))) return undefined;
  const grant = grantsOf(req.actor).find((g) => g.unitId && placement.units.get(g.unitId));
  return grant?.unitId ? placement.units.get(grant.unitId)?.code : undefined;
}

/** The status of a refused form: 422 for bad input, 409 when the data is locked or under review. */
export function failed(err: unknown): number {
  return err instanceof DomainError ? err.status : 422;
}

/** The page filters and notices, all optional text: `filters` reads them leniently. */
export const PageQuery = Type.Object({
  year: Type.Optional(Type.String({ maxLength: 20 })),
  unit: Type.Optional(Type.String({ maxLength: 20 })),
  type: Type.Optional(Type.String({ maxLength: 60 })),
  institution: Type.Optional(Type.String({ maxLength: 100 })),
  notice: Type.Optional(Type.String({ maxLength: 40 })),
});
export const CodeParams = Type.Object({ code: Type.String({ minLength: 1, maxLength: 60 }) });
export const FormParams = Type.Object({ id: Uuid, institutionId: Uuid });

const mime = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

export function sendFile(reply: FastifyReply, buf: Buffer, format: 'docx' | 'xlsx', name: string): FastifyReply {
  return reply
    .type(mime[format])
    .header('content-disposition', `attachment; filename="${name}.${format}"`)
    .header('cache-control', 'no-store')
    .send(buf);
}
