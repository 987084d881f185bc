import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ForbiddenError, UnauthenticatedError } from '../errors.js';
import { wantsJson } from '../http/context.js';
import { sendError } from '../http/errors.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route takes writes from people who are not logged in (log in, register, reset a password). */
    anonymousWrite?: boolean;
  }
}

const unsafe = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The page the person came from, when it is one of ours, to return to after logging in. */
function returnPath(req: FastifyRequest): string | null {
  const referer = req.headers.referer;
  if (!referer) return null;
  try {
    const url = new URL(referer);
    return url.hostname === req.hostname ? `${url.pathname}${url.search}` : null;
  } catch {
    return null;
  }
}

function refuse(req: FastifyRequest, reply: FastifyReply, err: ForbiddenError | UnauthenticatedError): FastifyReply {
  return sendError(req, reply, err.status, err.code, err.key);
}

/**
 * Runs once the actor is known and before the body is parsed, validated or looked up: a write
 * by nobody answers 401 on the JSON API and goes to the login page from a form, and a token
 * holding no write scope at all is refused every write, whatever the route does later.
 */
export const writeGuard = fp(async (app: FastifyInstance) => {
  app.addHook('onRequest', async (req, reply) => {
    if (!unsafe.has(req.method) || !req.routeOptions.url) return;
    if (req.actor.kind === 'token' && !req.actor.scopes.some((s) => s !== 'read')) return refuse(req, reply, new ForbiddenError('errors.tokenScope'));
    if (req.actor.kind === 'anonymous' && !req.routeOptions.config.anonymousWrite) {
      if (wantsJson(req)) return refuse(req, reply, new UnauthenticatedError());
      const back = returnPath(req);
      return reply.redirect(back ? `/login?next=${encodeURIComponent(back)}` : '/login', 303);
    }
  });
});
