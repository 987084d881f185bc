/** Background work shared by every app server on one database: one-off jobs and recurring ones. */
export { enqueueJob, claimJobs, finishJob, failJob, backoffMs, purgeFinishedJobs, type ClaimedJob, type NewJob, type JobStatus } from './queue.js';
export { ensureSchedules, claimTurns, endTurn, type ClaimedTurn } from './schedule.js';
export { runQueuedJobs, runDueTurns, startJobRunner, type JobHandler, type JobRunner, type RunnerLog, type QueueResult } from './runner.js';
export { platformJobs } from './platform.js';
