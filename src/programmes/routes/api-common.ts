import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { errorResponses, Uuid } from '../../platform/http/schemas.js';

/** What the programme API's route files share. */
export const tags = ['programmes'];
export const errors = errorResponses;
export const IdParams = Type.Object({ id: Uuid });
export const SessionParams = Type.Object({ id: Uuid, sid: Uuid });
export const writeSecurity: Array<Record<string, string[]>> = [{ bearer: [] }, { session: [] }];

export function created(reply: FastifyReply) {
  return reply.code(201);
}
