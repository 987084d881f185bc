import type { Multipart, MultipartFile } from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { safeEqual } from '../auth/tokens.js';
import { DomainError, ForbiddenError, issue } from '../errors.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route reads a multipart upload: its CSRF token may come as the form's `_csrf` field, read before the file. */
    upload?: boolean;
  }
}

/** Where a NUL character hides in a decoded value (PostgreSQL refuses it in text), as a field path; null if nowhere. */
export function nulField(value: unknown, at = ''): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? at || 'body' : null;
  if (!value || typeof value !== 'object') return null;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const field = at ? `${at}.${k}` : k;
    if (k.includes('\u0000')) return at || 'body';
    const found = nulField(v, field);
    if (found) return found;
  }
  return null;
}

function refuseNul(field: string): never {
  throw new DomainError(400, 'validation', 'errors.validation', [issue(field, 'errors.nul')]);
}

/** A multipart body the parser could not read (no boundary, cut short, malformed): 400, not 500. */
function brokenMultipart(err: unknown): unknown {
  if (err instanceof DomainError) return err;
  const e = err as { statusCode?: number; code?: string };
  if (e.code === 'FST_REQ_FILE_TOO_LARGE' || e.statusCode === 413) return err;
  if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500 && e.statusCode !== 406) return err;
  return new DomainError(400, 'bad_request', 'errors.multipart', [issue('body', 'errors.multipart')]);
}

interface FieldPart {
  type: 'field';
  fieldname: string;
  value: unknown;
}

/**
 * Checks each multipart field as it arrives: no NUL characters, and (when the CSRF token did not
 * come as a header) a `_csrf` field matching the session's before any file is read.
 */
class PartChecker {
  private verified: boolean;
  constructor(
    private readonly req: FastifyRequest,
    needsCsrf: boolean,
  ) {
    this.verified = !needsCsrf;
  }

  field(part: FieldPart): void {
    if (typeof part.value === 'string' && part.value.includes('\u0000')) refuseNul(part.fieldname);
    if (part.fieldname.includes('\u0000')) refuseNul('body');
    if (part.fieldname === '_csrf' && typeof part.value === 'string' && this.req.csrfToken && safeEqual(part.value, this.req.csrfToken))
      this.verified = true;
  }

  file(fields: Record<string, unknown>): void {
    for (const f of Object.values(fields).flat()) {
      const part = f as Multipart | undefined;
      if (part?.type === 'field') this.field(part);
    }
    this.end();
  }

  end(): void {
    if (!this.verified) throw new ForbiddenError('errors.csrf');
  }
}

function guardMultipart(req: FastifyRequest, needsCsrf: boolean): void {
  const checker = new PartChecker(req, needsCsrf);
  const file = req.file.bind(req);
  const parts = req.parts.bind(req);
  req.file = async (...args: Parameters<typeof file>) => {
    let got: MultipartFile | undefined;
    try {
      got = await file(...args);
    } catch (err) {
      throw brokenMultipart(err);
    }
    checker.file(got?.fields ?? {});
    return got;
  };
  req.parts = ((...args: Parameters<typeof parts>) => {
    const source = parts(...args);
    async function* checked(): AsyncGenerator<Multipart> {
      try {
        for await (const part of source) {
          if (part.type === 'field') checker.field(part);
          else checker.end();
          yield part;
        }
      } catch (err) {
        throw brokenMultipart(err);
      }
      checker.end();
    }
    return checked();
  }) as typeof req.parts;
}

/**
 * Input no handler should have to think about: NUL characters in the query, the path, a form or
 * JSON body or a multipart field answer 400 naming the field; a broken multipart body answers 400;
 * a multipart body sent to a route that takes no upload answers 415.
 */
export const inputGuards = fp(async (app: FastifyInstance) => {
  app.addHook('preValidation', async (req) => {
    if (req.isMultipart() && !req.routeOptions.config.upload)
      throw new DomainError(415, 'unsupported_media_type', 'errors.badRequest', [issue('body', 'errors.multipart')]);
    const field = nulField(req.params, 'params') ?? nulField(req.query, 'querystring') ?? nulField(req.body);
    if (field) refuseNul(field);
  });
  app.addHook('preHandler', async (req) => {
    if (req.isMultipart()) guardMultipart(req, req.csrfDeferred);
  });
});
