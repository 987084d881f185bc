import { withTransaction } from '../platform/db/index.js';
import type { JobDefinition } from '../platform/module.js';
import { sendReportingReminders } from './cycle/cycle.js';

/** Recurring work of the monitoring module, shared by every app server: hourly reminders of reports falling due. */
export const monitoringJobs: JobDefinition[] = [
  { name: 'monitoring.reminders', everyMs: 3_600_000, run: ({ db, now }) => withTransaction(db, (tx) => sendReportingReminders(tx, now)) },
];
