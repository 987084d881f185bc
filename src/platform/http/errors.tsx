import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, type Issue } from '../errors.js';
import { issueText } from '../web/components.js';
import { Layout } from '../web/layout.js';
import { pageContext, sendPage, wantsJson } from './context.js';
import { schemaIssues, type SchemaError } from './validation.js';
import type { MessageKey } from '../i18n/index.js';

function ErrorPage({ req, status, titleKey, issues }: { req: FastifyRequest; status: number; titleKey: MessageKey; issues: Issue[] }) {
  const ctx = pageContext(req);
  const lead = status === 404 ? ctx.t('errors.notFound.lead') : status >= 500 ? ctx.t('errors.server.lead') : null;
  return (
    <Layout ctx={ctx} title={ctx.t(titleKey)}>
      <h1>{ctx.t(titleKey)}</h1>
      {lead ? <p class="lead">{lead}</p> : null}
      {issues.length ? (
        <ul>
          {issues.map((i) => (
            <li key={`${i.row ?? ''}${i.field}${i.key}`}>
              {i.field}: {issueText(ctx, i)}
            </li>
          ))}
        </ul>
      ) : null}
      {status === 401 ? (
        <p>
          <a href={`/login?next=${encodeURIComponent(req.url)}`}>{ctx.t('nav.login')}</a>
        </p>
      ) : null}
      <p>
        <a href="/">{ctx.t('errors.back')}</a>
      </p>
    </Layout>
  );
}

export function sendError(
  req: FastifyRequest,
  reply: FastifyReply,
  status: number,
  code: string,
  key: MessageKey,
  issues: Issue[] = [],
  params?: Record<string, string | number>,
): FastifyReply {
  if (wantsJson(req)) {
    return reply.code(status).send({
      error: {
        code,
        message: req.t(key, params),
        issues: issues.map((i) => ({ field: i.field, ...(i.row ? { row: i.row } : {}), code: i.key, message: req.t(i.key, i.params) })),
      },
    });
  }
  return sendPage(reply, <ErrorPage req={req} status={status} titleKey={key} issues={issues} />, status);
}

/** The database's own error behind a driver's or drizzle's wrapping (drizzle puts it in `cause`). */
function databaseError(error: unknown): { code?: string; constraint?: string; detail?: string } | null {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return e;
  }
  return null;
}

const camel = (column: string) => column.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

/**
 * The field a unique violation is about, from its detail ("Key (code)=(X) already exists.", the
 * first column that is not a reference) or else its constraint's name (`institutions_code_key`).
 */
export function uniqueField(detail: string | undefined, constraint: string | undefined): string {
  const columns = /^Key \(([^)]+)\)=/
    .exec(detail ?? '')?.[1]
    ?.split(',')
    .map((c) =>
      c
        .trim()
        .replace(/^"|"$/g, '')
        .replace(/^lower\((.*)\)$/, '$1'),
    );
  if (columns?.length) return camel(columns.find((c) => !c.endsWith('_id')) ?? columns[0]!);
  const name = constraint
    ?.replace(/_(key|unique|idx)$/, '')
    .split('_')
    .pop();
  return name ? camel(name) : 'body';
}

export function errorHandler(error: FastifyError, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof DomainError) return sendError(req, reply, error.status, error.code, error.key, error.issues, error.params);
  if (error.validation) {
    const issues = schemaIssues(error.validation as unknown as SchemaError[]).map((i) => ({
      ...i,
      field: error.validationContext && error.validationContext !== 'body' ? `${error.validationContext}.${i.field}` : i.field,
    }));
    return sendError(req, reply, 400, 'validation', 'errors.validation', issues);
  }
  const db = databaseError(error);
  if (db?.code === '23505')
    return sendError(req, reply, 409, 'conflict', 'errors.conflict', [{ field: uniqueField(db.detail, db.constraint), key: 'errors.conflict' }]);
  if (db?.code === '22P02' || db?.code === '22007' || db?.code === '22008' || db?.code === '22003' || db?.code === '22021') {
    return sendError(req, reply, 400, 'bad_request', 'errors.badRequest');
  }
  const status = error.statusCode ?? 500;
  if (status === 413 || error.code === 'FST_REQ_FILE_TOO_LARGE') return sendError(req, reply, 413, 'too_large', 'errors.tooLarge');
  if (status === 429) return sendError(req, reply, 429, 'rate_limited', 'errors.tooMany');
  if (status >= 400 && status < 500) return sendError(req, reply, status, 'bad_request', 'errors.badRequest');
  req.log.error({ err: error }, 'request failed');
  return sendError(req, reply, 500, 'server_error', 'errors.server');
}

export function notFoundHandler(req: FastifyRequest, reply: FastifyReply): FastifyReply {
  return sendError(req, reply, 404, 'not_found', 'errors.notFound');
}
