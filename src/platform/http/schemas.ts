import type { FastifyInstance } from 'fastify';
import { Type, type TSchema } from 'typebox';

/**
 * The API pieces every module shares, registered once (`registerApiSchemas`) so the OpenAPI
 * document holds each under its components and the routes reference them.
 */
export const ErrorSchema = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      issues: Type.Array(Type.Object({ field: Type.String(), row: Type.Optional(Type.Integer()), code: Type.String(), message: Type.String() })),
    }),
  },
  { $id: 'ErrorOut', description: 'What went wrong, with one issue per field' },
);

/** The error body of every JSON answer from 400 up. */
export const ErrorOut = Type.Ref('ErrorOut');

/** The error answers a write can give; a read takes the ones it needs. */
export const errorResponses = { 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut };

export const Uuid = Type.String({ format: 'uuid' });

/** Whether a value is an id in the form `Uuid` accepts; for services called with ids no route checked. */
export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}

/** A calendar day: a real one (no 2025-02-30) from year 0001 on. */
export const IsoDate = Type.String({ format: 'date', pattern: '^(?!0000)[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$' });

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** One page of a list. */
export const Page = <T extends TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer() });

/** The query of a paged list: page from 1, at most 100 a page. */
export const PageQuery = {
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
};

/** Which rows a page asks for: page from 1, `defaultSize` rows unless asked, never more than `maxSize`. */
export function pageWindow(
  q: { page?: number | undefined; pageSize?: number | undefined },
  defaultSize = 20,
  maxSize = 100,
): { page: number; pageSize: number; offset: number } {
  const page = Math.max(Math.trunc(q.page ?? 1), 1);
  const pageSize = Math.min(Math.max(Math.trunc(q.pageSize ?? defaultSize), 1), maxSize);
  return { page, pageSize, offset: (page - 1) * pageSize };
}

export function registerApiSchemas(app: FastifyInstance): void {
  app.addSchema(ErrorSchema);
}
