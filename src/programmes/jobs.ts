import type { JobDefinition } from '../platform/module.js';
import { sendDueReminders } from './timer.js';

/** Recurring work of the programmes module, shared by every app server: the day-before reminders. */
export const programmesJobs: JobDefinition[] = [{ name: 'programmes.reminders', everyMs: 3_000, run: ({ db, now }) => sendDueReminders(db, now) }];
