/** The programmes module: classes, clubs, events and museum education programmes. */
export { programmesRoutes } from './routes/index.js';
export { programmeActivity, type ProgrammeActivity, type ActivityFilter } from './stats.js';
export { sendDueReminders } from './timer.js';
