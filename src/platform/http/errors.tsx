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
      {issues.length ? <ul>{issues.map((i) => <li key={`${i.row ?? ''}${i.field}${i.key}`}>{i.field}: {issueText(ctx, i)}</li>)}</ul> : null}
      {status === 401 ? <p><a href={`/login?next=${encodeURIComponent(req.url)}`}>{ctx.t('nav.login')}</a></p> : null}
      <p><a href="/">{ctx.t('errors.back')}</a></p>
    </Layout>
  );
}

export function sendError(req: FastifyRequest, reply: FastifyReply, status: number, code: string, key: MessageKey, issues: Issue[] = [], params?: Record<string, string | number>): FastifyReply {
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

export function errorHandler(error: FastifyError, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof DomainError) return sendError(req, reply, error.status, error.code, error.key, error.issues, error.params);
  if (error.validation) {
    const issues = schemaIssues(error.validation as unknown as SchemaError[]).map((i) => ({
      ...i, field: error.validationContext && error.validationContext !== 'body' ? `${error.validationContext}.${i.field}` : i.field,
    }));
    return sendError(req, reply, 400, 'validation', 'errors.validation', issues);
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
