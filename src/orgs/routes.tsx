import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { orgsApi } from './routes/api.js';
import { institutionDetailPage, institutionPages } from './routes/institutions.js';
import { staffPages } from './routes/staff.js';
import { unitDetailPage, unitPages } from './routes/units.js';
import './messages.js';

/** Units, institutions and staff: the pages and the JSON API under /api/v1. */
export const orgsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(unitPages);
  await app.register(institutionPages);
  await app.register(staffPages({ institution: institutionDetailPage, unit: unitDetailPage }));
  await app.register(orgsApi);
};
