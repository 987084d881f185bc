import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { rowsOf, type Db } from '../db/index.js';
import type { JobDefinition } from '../module.js';

/** Makes sure every recurring job has its row (a new one is due at once) and its current period. */
export async function ensureSchedules(db: Db, definitions: readonly JobDefinition[]): Promise<void> {
  const names = new Set<string>();
  for (const d of definitions) {
    if (names.has(d.name)) throw new Error(`Two recurring jobs are named ${d.name}`);
    if (!Number.isInteger(d.everyMs) || d.everyMs < 1) throw new Error(`Recurring job ${d.name} needs a whole number of milliseconds`);
    names.add(d.name);
    await db.execute(sql`insert into job_schedules (name, every_ms) values (${d.name}, ${d.everyMs})
      on conflict (name) do update set every_ms = excluded.every_ms where job_schedules.every_ms <> excluded.every_ms`);
  }
}

export interface ClaimedTurn {
  name: string;
  claimId: string;
}

/**
 * Claims the due turns of the named recurring jobs: each claimed row's next turn moves one
 * period on, so another server asking at the same time gets nothing. A job still running (its
 * claim not run out) is not started again.
 */
export async function claimTurns(db: Db, names: readonly string[], now: Date, leaseMs: number): Promise<ClaimedTurn[]> {
  if (names.length === 0) return [];
  const claimId = randomUUID();
  const at = now.toISOString();
  const rows = await rowsOf<{ name: string }>(
    db,
    sql`
    update job_schedules set next_run_at = ${at}::timestamptz + every_ms * interval '1 millisecond', claim_id = ${claimId},
      locked_until = ${new Date(now.getTime() + leaseMs).toISOString()}::timestamptz, last_started_at = ${at}::timestamptz
    where name in (
      select name from job_schedules
      where name in (${sql.join(
        names.map((n) => sql`${n}`),
        sql`, `,
      )}) and next_run_at <= ${at}::timestamptz
        and (locked_until is null or locked_until < ${at}::timestamptz)
      for update skip locked
    )
    returning name`,
  );
  return rows.map((r) => ({ name: r.name, claimId }));
}

/** Ends a turn, keeping its error (or clearing the last one). */
export async function endTurn(db: Db, turn: ClaimedTurn, now: Date, err?: unknown): Promise<void> {
  const message = err === undefined ? null : (err instanceof Error ? err.message : JSON.stringify(err)).slice(0, 1000);
  await db.execute(sql`update job_schedules set claim_id = null, locked_until = null, last_finished_at = ${now.toISOString()}::timestamptz,
    last_error = ${message} where name = ${turn.name} and claim_id = ${turn.claimId}`);
}
