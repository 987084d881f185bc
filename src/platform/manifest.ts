import type { FastifyInstance } from 'fastify';
import { canSomewhere } from './access.js';
import { auditRoutes } from './audit/routes.js';
import { authRoutes } from './auth/routes.js';
import { platformJobs } from './jobs/index.js';
import type { ModuleManifest } from './module.js';
import { homeRoutes } from './web/home.js';
import './messages.js';

/** The platform's own pages: home, accounts and sign-in, the audit log. */
export const platformModule: ModuleManifest = {
  name: 'platform',
  routes: async (app: FastifyInstance) => {
    await app.register(homeRoutes);
    await app.register(authRoutes);
    await app.register(auditRoutes);
  },
  jobs: platformJobs,
  navigation: [{ href: '/audit', key: 'nav.audit', order: 90, visible: (ctx) => canSomewhere(ctx.actor, 'audit.read') }],
};
