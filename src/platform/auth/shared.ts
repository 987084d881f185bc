import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { dbOf } from '../http/context.js';
import { setSessionCookie } from '../http/session.js';
import { Nullable, Uuid } from '../http/schemas.js';
import { createSession, destroySession } from './service.js';

/** Log-in, registration and reset forms: few tries a minute from one client, and open to people not logged in. */
export const loginLimit = { rateLimit: { max: 10, timeWindow: '1 minute' }, anonymousWrite: true };

export const UserOut = Type.Object({
  id: Uuid,
  displayName: Type.String(),
  email: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  locale: Type.String(),
});
export { ErrorOut } from '../http/schemas.js';

/** Logs the browser in as the user, ending the session it had; returns the new CSRF token. */
export async function startSession(req: FastifyRequest, reply: FastifyReply, userId: string): Promise<string> {
  const cfg = req.server.deps.config;
  if (req.sessionToken) await destroySession(dbOf(req), req.sessionToken);
  const session = await createSession(dbOf(req), userId, cfg.SESSION_DAYS, req.headers['user-agent']);
  setSessionCookie(reply, session.token, session.expiresAt);
  return session.csrfToken;
}
