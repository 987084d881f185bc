import { withTransaction, type Db } from '../platform/db/index.js';
import { vnDate } from './model.js';
import { remindTomorrow } from './registrations.js';
import { extendOpenSchedules } from './service.js';

let extendedOn = '';

/**
 * What the server's timer calls: queues the day-before reminders (once per registrant and
 * session, however often it runs) and, once a day, adds the next sessions of clubs that meet
 * with no end date. Returns how many reminders were queued.
 */
export async function sendDueReminders(db: Db, now: Date = new Date()): Promise<number> {
  const today = vnDate(now);
  if (extendedOn !== today) {
    await withTransaction(db, (tx) => extendOpenSchedules(tx, now));
    extendedOn = today;
  }
  return withTransaction(db, (tx) => remindTomorrow(tx, now));
}
