import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database, Db } from '../db/index.js';
import { claimJobs } from '../jobs/queue.js';
import { createTestDatabase } from '../testing/db.js';
import { queuedMail, sendQueuedMail } from '../testing/mail.js';
import { defineMailLink, enqueue, LINK, MAIL, MAIL_LIMITS } from './index.js';

let database: Database;
let db: Db;

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
});
afterAll(() => database.close());
beforeEach(() => database.exec('delete from jobs'));

const mail = (recipient: string, n = 0, account?: string) => ({ recipient, subject: `Thư ${n}`, bodyText: `Nội dung ${n}`, account });

describe('mail', () => {
  it('is sent only if the writing transaction commits, once', async () => {
    await enqueue(db, mail('a@example.vn'));
    await expect(
      db.transaction(async (tx) => {
        await enqueue(tx, mail('b@example.vn'));
        throw new Error('rolled back');
      }),
    ).rejects.toThrow();
    expect((await sendQueuedMail(db)).map((m) => m.recipient)).toEqual(['a@example.vn']);
    expect(await sendQueuedMail(db)).toEqual([]);
  });

  it('to one recipient stops at the hourly limit; the rest is recorded as dropped with the reason', async () => {
    for (let i = 0; i < MAIL_LIMITS.perRecipientHour + 20; i++) await enqueue(db, mail('vong.lap@example.vn', i));
    await enqueue(db, mail('khac@example.vn'));
    const queued = await queuedMail(db, 'vong.lap@example.vn');
    expect(queued.filter((m) => m.status === 'pending')).toHaveLength(MAIL_LIMITS.perRecipientHour);
    expect(queued.filter((m) => m.status === 'dropped')).toHaveLength(20);
    const [reason] = await database.query<{ last_error: string }>(`select last_error from jobs where status = 'dropped' limit 1`);
    expect(reason?.last_error).toMatch(/rate limit: \d+ mails to this recipient/);
    const sent = await sendQueuedMail(db);
    expect(sent.filter((m) => m.recipient === 'vong.lap@example.vn')).toHaveLength(MAIL_LIMITS.perRecipientHour);
    expect(sent.filter((m) => m.recipient === 'khac@example.vn')).toHaveLength(1);
  });

  it('caused by one account stops at its hourly limit, whoever it goes to', async () => {
    const account = '6f1c3a52-1111-4a8e-9d7e-2a1b3c4d5e6f';
    for (let i = 0; i < MAIL_LIMITS.perAccountHour + 5; i++) await enqueue(db, mail(`nguoi${i}@example.vn`, i, account));
    const [row] = await database.query<{ pending: number; dropped: number }>(
      `select count(*) filter (where status = 'pending')::int as pending, count(*) filter (where status = 'dropped')::int as dropped from jobs`,
    );
    expect(row).toEqual({ pending: MAIL_LIMITS.perAccountHour, dropped: 5 });
  });

  it('of a flooding account does not hold up other people’s: mail takes turns by account', async () => {
    const flood = '6f1c3a52-2222-4a8e-9d7e-2a1b3c4d5e6f';
    for (let i = 0; i < MAIL_LIMITS.perAccountHour; i++) await enqueue(db, mail(`ban${i}@example.vn`, i, flood));
    await enqueue(db, mail('loi.moi@example.vn', 0, '6f1c3a52-3333-4a8e-9d7e-2a1b3c4d5e6f'));
    await enqueue(db, mail('nhac.nho@example.vn'));
    const first = await claimJobs(db, { now: new Date(Date.now() + 1000), limit: 3, leaseMs: 60_000, kinds: [MAIL] });
    expect(first.map((j) => j.payload.recipient).sort()).toEqual(['ban0@example.vn', 'loi.moi@example.vn', 'nhac.nho@example.vn']);
  });

  it('writes its one-time link in when sent, storing only what the link store keeps', async () => {
    const stored = new Map<string, string>();
    defineMailLink('test.link', async (_db, id, tokenHash) => {
      if (id === 'closed') return false;
      stored.set(id, tokenHash);
      return true;
    });
    await enqueue(db, { ...mail('mo@example.vn'), bodyText: `Mở ${LINK} sớm`, link: { kind: 'test.link', id: 'open', url: 'https://x/open/' } });
    await enqueue(db, { ...mail('dong@example.vn'), bodyText: `Mở ${LINK}`, link: { kind: 'test.link', id: 'closed', url: 'https://x/open/' } });
    expect((await queuedMail(db, 'mo@example.vn'))[0]?.bodyText).toBe(`Mở ${LINK} sớm`);
    const sent = await sendQueuedMail(db);
    expect(sent.map((m) => m.recipient)).toEqual(['mo@example.vn']);
    const token = /https:\/\/x\/open\/([\w-]{43}) sớm$/.exec(sent[0]?.bodyText ?? '')?.[1];
    expect(token).toBeDefined();
    expect(stored.get('open')).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.get('open')).not.toContain(token);
    expect((await queuedMail(db, 'dong@example.vn'))[0]?.status).toBe('dropped');
  });
});
