import type { Db } from '../db/index.js';
import type { JobContext, JobDefinition } from '../module.js';
import { claimJobs, failJob, finishJob, type ClaimedJob } from './queue.js';
import { claimTurns, endTurn, ensureSchedules, type ClaimedTurn } from './schedule.js';

/** Does one job; returns `{ dropped }` when the job has become pointless (it is then finished, not retried). Throws to retry. */
export type JobHandler = (job: ClaimedJob, ctx: JobContext) => Promise<void | { dropped: string }>;

export interface RunnerLog {
  error(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface QueueOptions {
  /** Jobs claimed at once. */
  batch?: number;
  /** How long a claim holds its jobs (a server that stops mid-way gives them up after this). */
  leaseMs?: number;
  now?: () => Date;
  log?: RunnerLog;
}

export interface QueueResult {
  claimed: number;
  done: number;
  dropped: number;
  retried: number;
  failed: number;
}

const silent: RunnerLog = { error() {}, warn() {} };
const DEFAULT_LEASE_MS = 10 * 60_000;

/** Claims one batch of due jobs of the kinds handled and runs them one after the other. */
export async function runQueuedJobs(db: Db, handlers: Readonly<Record<string, JobHandler>>, opts: QueueOptions = {}): Promise<QueueResult> {
  const now = opts.now ?? (() => new Date());
  const log = opts.log ?? silent;
  const claimed = await claimJobs(db, {
    now: now(),
    limit: opts.batch ?? 20,
    leaseMs: opts.leaseMs ?? DEFAULT_LEASE_MS,
    kinds: Object.keys(handlers),
  });
  const result: QueueResult = { claimed: claimed.length, done: 0, dropped: 0, retried: 0, failed: 0 };
  for (const job of claimed) {
    const handler = handlers[job.kind];
    try {
      if (!handler) throw new Error(`no handler for ${job.kind}`);
      const outcome = await handler(job, { db, now: now() });
      const dropped = outcome ? outcome.dropped : undefined;
      if (!(await finishJob(db, job, now(), dropped))) log.warn({ job: job.id, kind: job.kind }, 'job finished after its claim ran out');
      if (dropped) {
        result.dropped++;
        log.warn({ job: job.id, kind: job.kind, reason: dropped }, 'job dropped');
      } else {
        result.done++;
      }
    } catch (err) {
      const { final } = await failJob(db, job, now(), err);
      if (final) result.failed++;
      else result.retried++;
      log.error({ err, job: job.id, kind: job.kind, attempt: job.attempt }, final ? 'job failed for good' : 'job failed; it will be retried');
    }
  }
  return result;
}

/** Claims the due turns of the recurring jobs and runs them; resolves when they have all ended. */
export async function runDueTurns(db: Db, definitions: readonly JobDefinition[], opts: QueueOptions = {}): Promise<string[]> {
  const now = opts.now ?? (() => new Date());
  const turns = await claimTurns(
    db,
    definitions.map((d) => d.name),
    now(),
    opts.leaseMs ?? DEFAULT_LEASE_MS,
  );
  await Promise.all(turns.map((turn) => runTurn(db, definitions, turn, now, opts.log ?? silent)));
  return turns.map((t) => t.name);
}

async function runTurn(db: Db, definitions: readonly JobDefinition[], turn: ClaimedTurn, now: () => Date, log: RunnerLog): Promise<void> {
  const definition = definitions.find((d) => d.name === turn.name);
  try {
    if (!definition) throw new Error(`no recurring job ${turn.name}`);
    await definition.run({ db, now: now() });
    await endTurn(db, turn, now());
  } catch (err) {
    log.error({ err, job: turn.name }, 'recurring job failed');
    await endTurn(db, turn, now(), err).catch((e: unknown) => log.error({ err: e, job: turn.name }, 'ending a recurring job'));
  }
}

export interface RunnerOptions extends QueueOptions {
  db: Db;
  handlers: Readonly<Record<string, JobHandler>>;
  recurring: readonly JobDefinition[];
  log: RunnerLog;
  /** How often to look for work when there was none. */
  pollMs?: number;
}

export interface JobRunner {
  /** Stops claiming work and waits for what is running. */
  stop(): Promise<void>;
}

/**
 * Runs the queue and the recurring jobs in the background until stopped. The queue is worked
 * through batch after batch and looked at again every `pollMs` once empty; each recurring job
 * runs on its own, so a slow one holds up neither the others nor the mail.
 */
export async function startJobRunner(opts: RunnerOptions): Promise<JobRunner> {
  await ensureSchedules(opts.db, opts.recurring);
  const pollMs = opts.pollMs ?? 1_000;
  const now = opts.now ?? (() => new Date());
  let stopped = false;
  const sleepers = new Set<() => void>();
  const pause = () =>
    new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, pollMs);
      sleepers.add(wake);
    });
  const running = new Map<string, Promise<void>>();

  const queue = (async () => {
    while (!stopped) {
      let full = false;
      try {
        const r = await runQueuedJobs(opts.db, opts.handlers, opts);
        full = r.claimed > 0 && r.claimed >= (opts.batch ?? 20);
      } catch (err) {
        opts.log.error({ err }, 'claiming jobs');
      }
      if (!full && !stopped) await pause();
    }
  })();

  const recurring = (async () => {
    while (!stopped) {
      const idle = opts.recurring.filter((d) => !running.has(d.name));
      try {
        const turns = await claimTurns(
          opts.db,
          idle.map((d) => d.name),
          now(),
          opts.leaseMs ?? DEFAULT_LEASE_MS,
        );
        for (const turn of turns) {
          running.set(
            turn.name,
            runTurn(opts.db, idle, turn, now, opts.log).finally(() => running.delete(turn.name)),
          );
        }
      } catch (err) {
        opts.log.error({ err }, 'claiming recurring jobs');
      }
      if (!stopped) await pause();
    }
  })();

  return {
    async stop() {
      stopped = true;
      for (const wake of [...sleepers]) wake();
      await Promise.all([queue, recurring]);
      await Promise.all(running.values());
    },
  };
}
