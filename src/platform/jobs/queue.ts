import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { rowsOf, type Db } from '../db/index.js';
import { jobs } from '../schema.js';

export type JobStatus = (typeof jobs.$inferSelect)['status'];

export interface NewJob {
  kind: string;
  payload: Record<string, unknown>;
  /** Jobs of one key take turns with other keys' jobs; defaults to the kind. */
  fairKey?: string;
  runAt?: Date;
  maxAttempts?: number;
  /** Recorded as dropped at once, with this reason, instead of being run. */
  dropped?: string;
}

/** Queues a one-off job in the caller's transaction: it runs only if that transaction commits. */
export async function enqueueJob(db: Db, job: NewJob): Promise<string> {
  const [row] = await db
    .insert(jobs)
    .values({
      kind: job.kind,
      payload: job.payload,
      fairKey: job.fairKey ?? job.kind,
      // The application's clock, as the runners' `now` is: the database's now() carries microseconds
      // and may stand a fraction of a millisecond after the moment a runner asks for due jobs.
      runAt: job.runAt ?? new Date(),
      ...(job.maxAttempts ? { maxAttempts: job.maxAttempts } : {}),
      ...(job.dropped ? { status: 'dropped' as const, lastError: job.dropped, finishedAt: new Date() } : {}),
    })
    .returning({ id: jobs.id });
  if (!row) throw new Error('insert returned nothing');
  return row.id;
}

export interface ClaimedJob {
  id: string;
  kind: string;
  payload: Record<string, unknown>;
  /** This attempt's number, from 1. */
  attempt: number;
  maxAttempts: number;
  claimId: string;
}

export interface ClaimOptions {
  now: Date;
  limit: number;
  /** How long the claim holds the jobs; past that, another server may take them again. */
  leaseMs: number;
  /** Only jobs of these kinds (those this runner has handlers for). */
  kinds: readonly string[];
}

/**
 * Claims up to `limit` due jobs for one claim: pending ones whose time has come, and running
 * ones whose claim ran out (their server stopped). Rows another transaction is claiming are
 * skipped, not waited for. Keys take turns: the first job of every key comes before the second of
 * any, so a key with thousands of jobs waiting holds up nobody else's.
 */
export async function claimJobs(db: Db, opts: ClaimOptions): Promise<ClaimedJob[]> {
  if (opts.kinds.length === 0 || opts.limit <= 0) return [];
  const claimId = randomUUID();
  const now = opts.now.toISOString();
  const until = new Date(opts.now.getTime() + opts.leaseMs).toISOString();
  const kinds = sql.join(
    opts.kinds.map((k) => sql`${k}`),
    sql`, `,
  );
  const due = (t: string) => sql`${sql.raw(t)}kind in (${kinds}) and ((${sql.raw(t)}status = 'pending' and ${sql.raw(t)}run_at <= ${now}::timestamptz)
    or (${sql.raw(t)}status = 'running' and ${sql.raw(t)}locked_until < ${now}::timestamptz))`;
  const rows = await rowsOf<{ id: string; kind: string; payload: Record<string, unknown>; attempts: number; max_attempts: number }>(
    db,
    sql`
    update jobs set status = 'running', attempts = attempts + 1, claim_id = ${claimId}, locked_until = ${until}::timestamptz
    where id in (
      select j.id from jobs j
      join (select id, row_number() over (partition by fair_key order by run_at, created_at, id) as turn from jobs where ${due('')}) r on r.id = j.id
      where ${due('j.')}
      order by r.turn, j.run_at, j.created_at, j.id
      limit ${opts.limit}
      for update of j skip locked
    )
    returning id, kind, payload, attempts, max_attempts`,
  );
  return rows.map((r) => ({ id: r.id, kind: r.kind, payload: r.payload, attempt: r.attempts, maxAttempts: r.max_attempts, claimId }));
}

/** Marks a claimed job done (or dropped, with the reason). False when the claim had run out and another took the job. */
export async function finishJob(db: Db, job: ClaimedJob, now: Date, dropped?: string): Promise<boolean> {
  const rows = await rowsOf<{ id: string }>(
    db,
    sql`
    update jobs set status = ${dropped ? 'dropped' : 'done'}, last_error = ${dropped ?? null}, finished_at = ${now.toISOString()}::timestamptz,
      claim_id = null, locked_until = null
    where id = ${job.id} and claim_id = ${job.claimId} and status = 'running' returning id`,
  );
  return rows.length === 1;
}

/** Wait before attempt n + 1 after n failed: 30 s, 1 min, 2 min, … up to 6 hours. */
export function backoffMs(failedAttempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, failedAttempts - 1), 6 * 3_600_000);
}

/**
 * Records a failed attempt with its error: the job waits its back-off and is tried again, or
 * fails for good after its last attempt. False when the claim had run out.
 */
export async function failJob(db: Db, job: ClaimedJob, now: Date, err: unknown): Promise<{ recorded: boolean; final: boolean }> {
  const final = job.attempt >= job.maxAttempts;
  const message = (err instanceof Error ? err.message : JSON.stringify(err)).slice(0, 1000);
  const rows = await rowsOf<{ id: string }>(
    db,
    sql`
    update jobs set status = ${final ? 'failed' : 'pending'}, last_error = ${message},
      run_at = ${new Date(now.getTime() + backoffMs(job.attempt)).toISOString()}::timestamptz,
      finished_at = ${final ? now.toISOString() : null}::timestamptz, claim_id = null, locked_until = null
    where id = ${job.id} and claim_id = ${job.claimId} and status = 'running' returning id`,
  );
  return { recorded: rows.length === 1, final };
}

/** Forgets finished jobs older than `days` (failed ones are kept as long, for whoever looks into them). */
export async function purgeFinishedJobs(db: Db, now: Date, days = 30): Promise<number> {
  const rows = await rowsOf<{ id: string }>(
    db,
    sql`
    delete from jobs where status in ('done', 'failed', 'dropped') and finished_at < ${new Date(now.getTime() - days * 86_400_000).toISOString()}::timestamptz
    returning id`,
  );
  return rows.length;
}
