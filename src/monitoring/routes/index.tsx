import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { cycleRoutes } from './cycle.js';
import { evidenceRoutes } from './evidence.js';
import { indicatorRoutes } from './indicators.js';
import { reportRoutes } from './reports.js';
import { visitRoutes } from './visits.js';
import '../messages.js';

/** Monitoring's pages and its JSON API under /api/v1/monitoring. */
export const monitoringRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(evidenceRoutes);
  await app.register(reportRoutes);
  await app.register(indicatorRoutes);
  await app.register(visitRoutes);
  await app.register(cycleRoutes);
};
