import { purgeExpiredSessions } from '../auth/service.js';
import type { JobDefinition } from '../module.js';
import { purgeFinishedJobs } from './queue.js';

/** The platform's own recurring work: forgetting finished jobs after 30 days, and expired sessions. */
export const platformJobs: JobDefinition[] = [
  { name: 'platform.jobs.purge', everyMs: 3_600_000, run: ({ db, now }) => purgeFinishedJobs(db, now) },
  { name: 'platform.sessions.purge', everyMs: 3_600_000, run: ({ db }) => purgeExpiredSessions(db) },
];
