import { sql } from 'drizzle-orm';
import { rowsOf, type Db } from '../db/index.js';
import { runQueuedJobs } from '../jobs/runner.js';
import { mailHandlers, MAIL, type OutgoingMessage, type Transport } from '../outbox/index.js';

export interface QueuedMail {
  recipient: string;
  subject: string;
  bodyText: string;
  status: string;
}

/** The mail queued for a recipient, oldest first, as the jobs table holds it (one-time links not written in). */
export async function queuedMail(db: Db, recipient: string): Promise<QueuedMail[]> {
  return rowsOf<QueuedMail>(
    db,
    sql`select payload ->> 'recipient' as recipient, payload ->> 'subject' as subject,
      coalesce(payload ->> 'bodyText', '') as "bodyText", status
    from jobs where kind = ${MAIL} and (payload ->> 'recipient') = ${recipient} order by created_at, id`,
  );
}

/** Sends every mail that is due through the transport (by default one that collects them) and returns what was sent. */
export async function sendQueuedMail(db: Db, transport?: Transport): Promise<OutgoingMessage[]> {
  const sent: OutgoingMessage[] = [];
  const handlers = mailHandlers({
    send: async (m) => {
      await transport?.send(m);
      sent.push(m);
    },
  });
  while ((await runQueuedJobs(db, handlers, { batch: 100 })).claimed > 0);
  return sent;
}
