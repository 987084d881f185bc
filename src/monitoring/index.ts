/** The monitoring module: indicators and targets, visits, the yearly reporting cycle, dashboards and reports. */
export { monitoringRoutes } from './routes/index.js';
export { digitalVisits } from './visits/digital.js';
export { generateAnnualReport, type AnnualReportOptions } from './reports/report.js';
export { sendReportingReminders } from './cycle/cycle.js';
export { ensurePlanIndicators } from './indicators/indicators.js';
