/** The programmes module: classes, clubs, events and museum education programmes. */
export { programmesRoutes } from './routes.js';
export { programmeActivity, type ProgrammeActivity, type ActivityFilter } from './stats.js';
export { sendDueReminders } from './timer.js';
export { programmesJobs } from './jobs.js';
