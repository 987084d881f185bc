/** The monitoring module: indicators and targets, visits, the yearly reporting cycle, dashboards and reports. */
import type { ModuleManifest } from '../platform/module.js';
import { ensurePlanIndicators } from './indicators/indicators.js';
import { monitoringJobs } from './jobs.js';
import { allowedSomewhere } from './permissions.js';
import { monitoringRoutes } from './routes/index.js';
import { digitalVisits } from './visits/digital.js';

export const monitoringModule: ModuleManifest = {
  name: 'monitoring',
  appPlugins: [digitalVisits],
  routes: monitoringRoutes,
  jobs: monitoringJobs,
  navigation: [
    {
      href: '/monitoring',
      key: 'monitoring.nav',
      order: 70,
      visible: (ctx) => allowedSomewhere(ctx.actor, 'oversee') || allowedSomewhere(ctx.actor, 'report'),
    },
    { href: '/transparency', key: 'monitoring.nav.public', order: 71 },
  ],
  seed: [{ name: 'plan indicators', kind: 'always', order: 10, run: (db) => ensurePlanIndicators(db) }],
};
export { generateAnnualReport, type AnnualReportOptions } from './reports/report.js';
export { sendReportingReminders } from './cycle/cycle.js';
export { adoptLegacyEvidence } from './cycle/evidence.js';
export { ensurePlanIndicators, monitoringJobs };
