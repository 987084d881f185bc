/** The programmes module: classes, clubs, events and museum education programmes. */
import { canSomewhere } from '../platform/access.js';
import type { ModuleManifest } from '../platform/module.js';
import { programmesJobs } from './jobs.js';
import { seedNationalDays } from './calendar.js';
import { programmesRoutes } from './routes/index.js';

export const programmesModule: ModuleManifest = {
  name: 'programmes',
  routes: programmesRoutes,
  jobs: programmesJobs,
  seed: [{ name: 'national days', kind: 'always', order: 20, run: (db) => seedNationalDays(db) }],
  navigation: [
    { href: '/programmes', key: 'programmes.nav.programmes', order: 40 },
    { href: '/calendar', key: 'programmes.nav.calendar', order: 41 },
    { href: '/programmes/manage', key: 'programmes.nav.manage', order: 42, visible: (ctx) => canSomewhere(ctx.actor, 'programmes.operate') },
  ],
};
export { programmeActivity, type ProgrammeActivity, type ActivityFilter } from './stats.js';
export { sendDueReminders } from './timer.js';
export { adoptLegacyImages } from './routes/images.js';
export { programmesJobs };
