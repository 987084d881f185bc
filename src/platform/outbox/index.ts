import fs from 'node:fs/promises';
import path from 'node:path';
import { and, asc, eq, lt, sql } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import type { Db } from '../db/index.js';
import { outbox } from '../schema.js';

export interface Message {
  recipient: string;
  subject: string;
  bodyText: string;
}

/** Queues a message in the caller's transaction; it is sent only if that transaction commits. */
export async function enqueue(db: Db, msg: Message): Promise<void> {
  await db.insert(outbox).values(msg);
}

export interface Transport {
  send(msg: Message & { id: string }): Promise<void>;
}

/** Development transport: each message becomes an .eml file in the outbox folder. */
export function fileTransport(dir: string, from: string): Transport {
  return {
    async send(msg) {
      await fs.mkdir(dir, { recursive: true });
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const encoded = `=?UTF-8?B?${Buffer.from(msg.subject).toString('base64')}?=`;
      const eml = [
        `From: ${from}`, `To: ${msg.recipient}`, `Subject: ${encoded}`, `X-Subject-Text: ${msg.subject}`,
        'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit', '', msg.bodyText, '',
      ].join('\r\n');
      await fs.writeFile(path.join(dir, `${stamp}-${msg.id}.eml`), eml);
    },
  };
}

export function smtpTransport(url: string, from: string): Transport {
  const mailer = nodemailer.createTransport(url);
  return {
    async send(msg) {
      await mailer.sendMail({ from, to: msg.recipient, subject: msg.subject, text: msg.bodyText });
    },
  };
}

const MAX_ATTEMPTS = 8;

/** Sends what is pending, oldest first; a failure is retried later, up to a limit. */
export async function drainOutbox(db: Db, transport: Transport, limit = 50): Promise<{ sent: number; failed: number }> {
  const pending = await db.select().from(outbox)
    .where(and(eq(outbox.status, 'pending'), lt(outbox.attempts, MAX_ATTEMPTS)))
    .orderBy(asc(outbox.createdAt)).limit(limit);
  let sent = 0;
  let failed = 0;
  for (const row of pending) {
    try {
      await transport.send(row);
      await db.update(outbox).set({ status: 'sent', sentAt: new Date(), attempts: sql`${outbox.attempts} + 1` }).where(eq(outbox.id, row.id));
      sent++;
    } catch (err) {
      failed++;
      await db.update(outbox).set({
        attempts: sql`${outbox.attempts} + 1`,
        lastError: (err as Error).message.slice(0, 500),
        status: row.attempts + 1 >= MAX_ATTEMPTS ? 'failed' : 'pending',
      }).where(eq(outbox.id, row.id));
    }
  }
  return { sent, failed };
}
