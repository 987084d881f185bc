/** The monitoring module: indicators and targets, visits, the yearly reporting cycle, dashboards and reports. */
export { monitoringRoutes } from './routes.js';
export { digitalVisits } from './digital.js';
export { generateAnnualReport, type AnnualReportOptions } from './report.js';
export { sendReportingReminders } from './cycle.js';
export { monitoringJobs } from './jobs.js';
export { ensurePlanIndicators } from './indicators.js';
