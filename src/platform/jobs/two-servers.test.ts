import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../db/index.js';
import { enqueue, mailHandlers, type OutgoingMessage } from '../outbox/index.js';
import { createTestDatabase } from '../testing/db.js';
import { startJobRunner } from './runner.js';

const url = process.env.DATABASE_URL;
if (!url) console.warn('two-servers.test.ts: skipped, it needs a PostgreSQL server (set DATABASE_URL)');

let first: Database;
let second: Database;

describe.skipIf(!url)('two app servers on one PostgreSQL database', () => {
  beforeAll(async () => {
    first = await createTestDatabase();
    const [row] = await first.query<{ name: string }>('select current_database() as name');
    const u = new URL(url ?? '');
    u.pathname = `/${row?.name ?? ''}`;
    second = await openDatabase({ url: u.toString() });
  });
  afterAll(async () => {
    await second.close();
    await first.close();
  });

  it('send each mail exactly once', async () => {
    const n = 300;
    for (let i = 0; i < n; i++) {
      await enqueue(first.db, {
        recipient: `nguoi${i}@example.vn`,
        subject: `Thư ${i}`,
        bodyText: 'Xin chào',
        account: `6f1c3a52-0000-4a8e-9d7e-${String(i % 7).padStart(12, '0')}`,
      });
    }
    const sent: Array<{ server: number; msg: OutgoingMessage }> = [];
    const log = { error: () => undefined, warn: () => undefined };
    const runners = await Promise.all(
      [first, second].map((database, server) =>
        startJobRunner({
          db: database.db,
          log,
          pollMs: 20,
          batch: 7,
          recurring: [],
          handlers: mailHandlers({
            send: async (msg) => {
              await new Promise((r) => setImmediate(r));
              sent.push({ server, msg });
            },
          }),
        }),
      ),
    );
    await expect.poll(() => sent.length, { timeout: 60_000, interval: 50 }).toBeGreaterThanOrEqual(n);
    await Promise.all(runners.map((r) => r.stop()));
    expect(sent).toHaveLength(n);
    expect(new Set(sent.map((s) => s.msg.id)).size).toBe(n);
    const [row] = await first.query<{ done: number; other: number }>(
      `select count(*) filter (where status = 'done')::int as done, count(*) filter (where status <> 'done')::int as other from jobs`,
    );
    expect(row).toEqual({ done: n, other: 0 });
  });
});
