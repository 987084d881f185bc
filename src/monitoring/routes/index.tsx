import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { registerNav } from '../../platform/web/layout.js';
import { cycleRoutes } from './cycle.js';
import { evidenceRoutes } from './evidence.js';
import { indicatorRoutes } from './indicators.js';
import { reportRoutes } from './reports.js';
import { visitRoutes } from './visits.js';
import { ensurePlanIndicators } from '../indicators/indicators.js';
import { allowedSomewhere } from '../permissions.js';
import '../messages.js';

registerNav({ href: '/monitoring', key: 'monitoring.nav', order: 70, visible: (ctx) => allowedSomewhere(ctx.actor, 'oversee') || allowedSomewhere(ctx.actor, 'report') });
registerNav({ href: '/transparency', key: 'monitoring.nav.public', order: 71 });

/** Monitoring's pages and its JSON API under /api/v1/monitoring. */
export const monitoringRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await ensurePlanIndicators(app.deps.database.db);
  await app.register(evidenceRoutes);
  await app.register(reportRoutes);
  await app.register(indicatorRoutes);
  await app.register(visitRoutes);
  await app.register(cycleRoutes);
};
