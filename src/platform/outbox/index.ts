import { sql } from 'drizzle-orm';
import { randomToken, sha256 } from '../auth/tokens.js';
import { rowsOf, type Db } from '../db/index.js';
import { enqueueJob } from '../jobs/queue.js';
import type { JobHandler } from '../jobs/runner.js';
import { LINK, linkStore } from './links.js';
import type { Transport } from './transports.js';

export { fileTransport, smtpTransport, type OutgoingMessage, type Transport } from './transports.js';
export { defineMailLink, LINK, type LinkStore } from './links.js';

/** The job kind that sends a mail. */
export const MAIL = 'mail';

export interface Message {
  recipient: string;
  subject: string;
  /** The text; `LINK` in it stands for the one-time link, minted when the mail is sent. */
  bodyText: string;
  /** The account whose action caused the mail, where there is one (counted for its hourly limit). */
  account?: string | undefined;
  /** The one-time link: a kind declared with `defineMailLink`, the id it opens, and the URL the token is appended to. */
  link?: { kind: string; id: string; url: string } | undefined;
}

/**
 * Mails per hour one recipient receives, and one account's actions cause. Mail past either is
 * recorded as dropped with the reason and never sent, so a loop of clicks costs one row per
 * click rather than everyone else's delay.
 */
export const MAIL_LIMITS = { perRecipientHour: 30, perAccountHour: 100 };

const HOUR = 3_600_000;

async function overLimit(db: Db, msg: Message, fairKey: string): Promise<string | null> {
  const since = new Date(Date.now() - HOUR).toISOString();
  const [row] = await rowsOf<{ recipient_n: number; account_n: number }>(
    db,
    sql`select
      (select count(*)::int from jobs where kind = ${MAIL} and (payload ->> 'recipient') = ${msg.recipient}
        and created_at > ${since}::timestamptz and status <> 'dropped') as recipient_n,
      (select count(*)::int from jobs where kind = ${MAIL} and fair_key = ${fairKey} and created_at > ${since}::timestamptz
        and status <> 'dropped') as account_n`,
  );
  if ((row?.recipient_n ?? 0) >= MAIL_LIMITS.perRecipientHour)
    return `rate limit: ${MAIL_LIMITS.perRecipientHour} mails to this recipient in the last hour`;
  if (msg.account && (row?.account_n ?? 0) >= MAIL_LIMITS.perAccountHour)
    return `rate limit: ${MAIL_LIMITS.perAccountHour} mails caused by this account in the last hour`;
  return null;
}

/**
 * Queues a message in the caller's transaction; it is sent only if that transaction commits.
 * Mail of one account (or, without one, to one recipient) takes turns with everyone else's.
 */
export async function enqueue(db: Db, msg: Message): Promise<void> {
  const fairKey = msg.account ? `account:${msg.account}` : `to:${msg.recipient}`;
  const dropped = await overLimit(db, msg, fairKey);
  const payload = dropped
    ? { recipient: msg.recipient, subject: msg.subject }
    : { recipient: msg.recipient, subject: msg.subject, bodyText: msg.bodyText, ...(msg.link ? { link: msg.link } : {}) };
  await enqueueJob(db, { kind: MAIL, payload, fairKey, ...(dropped ? { dropped } : {}) });
}

interface StoredMail {
  recipient: string;
  subject: string;
  bodyText: string;
  link?: { kind: string; id: string; url: string };
}

function storedMail(payload: Record<string, unknown>): StoredMail {
  const { recipient, subject, bodyText, link } = payload;
  if (typeof recipient !== 'string' || typeof subject !== 'string' || typeof bodyText !== 'string') throw new Error('not a mail');
  return { recipient, subject, bodyText, ...(link ? { link: link as NonNullable<StoredMail['link']> } : {}) };
}

/**
 * The handler of mail jobs: writes the one-time link in (minting its token and storing the hash
 * first; a link no longer open drops the mail) and hands the message to the transport.
 */
export function mailHandlers(transport: Transport): Record<string, JobHandler> {
  return {
    [MAIL]: async (job, { db, now }) => {
      const mail = storedMail(job.payload);
      let bodyText = mail.bodyText;
      if (mail.link) {
        const store = linkStore(mail.link.kind);
        if (!store) throw new Error(`no mail link of kind ${mail.link.kind}`);
        const token = randomToken();
        if (!(await store(db, mail.link.id, sha256(token), now))) return { dropped: 'the link is no longer open' };
        bodyText = bodyText.split(LINK).join(`${mail.link.url}${token}`);
      }
      await transport.send({ id: job.id, recipient: mail.recipient, subject: mail.subject, bodyText });
    },
  };
}
