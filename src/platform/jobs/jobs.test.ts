import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database, Db } from '../db/index.js';
import type { JobDefinition } from '../module.js';
import { createTestDatabase } from '../testing/db.js';
import { backoffMs, claimJobs, enqueueJob, failJob, finishJob, purgeFinishedJobs } from './queue.js';
import { runDueTurns, runQueuedJobs, startJobRunner, type JobHandler } from './runner.js';
import { claimTurns, ensureSchedules } from './schedule.js';

let database: Database;
let db: Db;

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
});
afterAll(() => database.close());
beforeEach(() => database.exec('delete from jobs; delete from job_schedules'));

const at = (iso: string) => new Date(iso);
const T0 = at('2026-03-01T08:00:00Z');
const later = (ms: number) => new Date(T0.getTime() + ms);
const claim = (now: Date, kinds = ['test'], limit = 10, leaseMs = 60_000) => claimJobs(db, { now, limit, leaseMs, kinds });
const row = async (id: string) =>
  (
    await database.query<{ status: string; attempts: number; last_error: string | null; run_at: Date }>(
      'select status, attempts, last_error, run_at from jobs where id = $1',
      [id],
    )
  )[0];

describe('one-off jobs', () => {
  it('are claimed once: a second claim at the same time gets nothing, and only kinds asked for', async () => {
    const id = await enqueueJob(db, { kind: 'test', payload: { n: 1 }, runAt: T0 });
    await enqueueJob(db, { kind: 'other', payload: {}, runAt: T0 });
    const [first, second] = await Promise.all([claim(T0), claim(T0)]);
    expect([...(first ?? []), ...(second ?? [])].map((j) => j.id)).toEqual([id]);
    expect(await claim(T0)).toEqual([]);
    expect((await row(id))?.status).toBe('running');
  });

  it('wait for their time', async () => {
    await enqueueJob(db, { kind: 'test', payload: {}, runAt: later(60_000) });
    expect(await claim(T0)).toEqual([]);
    expect(await claim(later(60_000))).toHaveLength(1);
  });

  it('are not enqueued when the writing transaction rolls back', async () => {
    await expect(
      db.transaction(async (tx) => {
        await enqueueJob(tx, { kind: 'test', payload: {}, runAt: T0 });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await claim(T0)).toEqual([]);
  });

  it('are finished once, by their own claim only', async () => {
    const id = await enqueueJob(db, { kind: 'test', payload: {}, runAt: T0 });
    const [job] = await claim(T0, ['test'], 10, 1_000);
    if (!job) throw new Error('not claimed');
    const [again] = await claim(later(5_000));
    expect(again?.id).toBe(id);
    expect(again?.attempt).toBe(2);
    expect(await finishJob(db, job, later(6_000))).toBe(false);
    if (!again) throw new Error('not claimed');
    expect(await finishJob(db, again, later(6_000))).toBe(true);
    expect(await finishJob(db, again, later(7_000))).toBe(false);
    expect((await row(id))?.status).toBe('done');
    expect(await claim(later(3_600_000))).toEqual([]);
  });

  it('are retried with a growing wait after a failure, keep the error, and fail for good after the last attempt', async () => {
    const id = await enqueueJob(db, { kind: 'test', payload: {}, runAt: T0, maxAttempts: 3 });
    let now = T0;
    const waits: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      const [job] = await claim(now);
      if (!job) throw new Error(`attempt ${attempt} not claimed`);
      expect(job.attempt).toBe(attempt);
      const { final } = await failJob(db, job, now, new Error(`down ${attempt}`));
      expect(final).toBe(attempt === 3);
      const r = await row(id);
      expect(r?.last_error).toBe(`down ${attempt}`);
      if (attempt < 3) {
        expect(r?.status).toBe('pending');
        expect(await claim(new Date(now.getTime() + backoffMs(attempt) - 1))).toEqual([]);
        waits.push(backoffMs(attempt));
        now = new Date(now.getTime() + backoffMs(attempt));
      }
    }
    expect(waits[1]).toBe(2 * (waits[0] ?? 0));
    expect((await row(id))?.status).toBe('failed');
    expect(await claim(later(86_400_000))).toEqual([]);
    expect(backoffMs(40)).toBe(6 * 3_600_000);
  });

  it('take turns by key: a thousand jobs of one key do not hold up another key’s', async () => {
    for (let i = 0; i < 1000; i++) await enqueueJob(db, { kind: 'test', payload: { i }, fairKey: 'flood', runAt: T0 });
    await enqueueJob(db, { kind: 'test', payload: { other: true }, fairKey: 'someone', runAt: later(1) });
    const first = await claim(later(1), ['test'], 2);
    expect(first.map((j) => j.payload)).toContainEqual({ other: true });
  });

  it('are forgotten 30 days after they finished', async () => {
    const id = await enqueueJob(db, { kind: 'test', payload: {}, runAt: T0 });
    const [job] = await claim(T0);
    if (!job) throw new Error('not claimed');
    await finishJob(db, job, T0);
    expect(await purgeFinishedJobs(db, later(29 * 86_400_000))).toBe(0);
    expect(await purgeFinishedJobs(db, later(31 * 86_400_000))).toBe(1);
    expect(await row(id)).toBeUndefined();
  });

  it('run through their handler, which may drop a job that has become pointless', async () => {
    const seen: unknown[] = [];
    const handlers: Record<string, JobHandler> = {
      test: async (job) => {
        seen.push(job.payload);
        if (job.payload.drop) return { dropped: 'nothing to do' };
        if (job.payload.fail) throw new Error('broken');
        return undefined;
      },
    };
    const ok = await enqueueJob(db, { kind: 'test', payload: { n: 1 }, runAt: T0 });
    const drop = await enqueueJob(db, { kind: 'test', payload: { drop: true }, runAt: T0 });
    const fail = await enqueueJob(db, { kind: 'test', payload: { fail: true }, runAt: T0 });
    const r = await runQueuedJobs(db, handlers, { now: () => T0 });
    expect(r).toEqual({ claimed: 3, done: 1, dropped: 1, retried: 1, failed: 0 });
    expect(seen).toHaveLength(3);
    expect((await row(ok))?.status).toBe('done');
    expect(await row(drop)).toMatchObject({ status: 'dropped', last_error: 'nothing to do' });
    expect(await row(fail)).toMatchObject({ status: 'pending', last_error: 'broken', attempts: 1 });
  });
});

describe('recurring jobs', () => {
  const counted = (name: string, everyMs: number, runs: Date[]): JobDefinition => ({
    name,
    everyMs,
    run: async ({ now }) => {
      runs.push(now);
    },
  });

  it('run each due turn once, however many runners ask at the same time', async () => {
    const runs: Date[] = [];
    const defs = [counted('test.tick', 60_000, runs)];
    await ensureSchedules(db, defs);
    await database.exec(`update job_schedules set next_run_at = '${T0.toISOString()}'`);
    const claimed = await Promise.all([1, 2, 3].map(() => runDueTurns(db, defs, { now: () => T0 })));
    expect(claimed.flat()).toEqual(['test.tick']);
    expect(runs).toHaveLength(1);
    expect(await runDueTurns(db, defs, { now: () => later(59_999) })).toEqual([]);
    expect(await runDueTurns(db, defs, { now: () => later(60_000) })).toEqual(['test.tick']);
    expect(runs).toHaveLength(2);
  });

  it('are not started again while a turn still runs, and keep the last error', async () => {
    const defs: JobDefinition[] = [{ name: 'test.fails', everyMs: 1_000, run: () => Promise.reject(new Error('no mail server')) }];
    await ensureSchedules(db, defs);
    await database.exec(`update job_schedules set next_run_at = '${T0.toISOString()}'`);
    const [turn] = await claimTurns(db, ['test.fails'], T0, 60_000);
    expect(turn?.name).toBe('test.fails');
    expect(await claimTurns(db, ['test.fails'], later(5_000), 60_000)).toEqual([]);
    expect(await runDueTurns(db, defs, { now: () => later(61_000) })).toEqual(['test.fails']);
    const [r] = await database.query<{ last_error: string; locked_until: Date | null }>(
      `select last_error, locked_until from job_schedules where name = 'test.fails'`,
    );
    expect(r).toEqual({ last_error: 'no mail server', locked_until: null });
  });

  it('refuse two definitions of one name', async () => {
    await expect(ensureSchedules(db, [counted('test.same', 1_000, []), counted('test.same', 2_000, [])])).rejects.toThrow(/test\.same/);
  });
});

describe('the runner', () => {
  it('works the queue and the recurring jobs until stopped, then waits for what runs', async () => {
    const done: string[] = [];
    const runs: Date[] = [];
    await enqueueJob(db, { kind: 'test', payload: { n: 1 } });
    const runner = await startJobRunner({
      db,
      pollMs: 10,
      log: { error: () => undefined, warn: () => undefined },
      handlers: {
        test: async (job) => {
          done.push(job.id);
        },
      },
      recurring: [
        {
          name: 'test.runner',
          everyMs: 3_600_000,
          run: async ({ now }) => {
            runs.push(now);
          },
        },
      ],
    });
    await enqueueJob(db, { kind: 'test', payload: { n: 2 } });
    await expect.poll(() => done.length).toBe(2);
    await expect.poll(() => runs.length).toBe(1);
    await runner.stop();
    await enqueueJob(db, { kind: 'test', payload: { n: 3 } });
    expect((await database.query(`select 1 from jobs where status = 'pending'`)).length).toBe(1);
  });
});
