import { inArray } from 'drizzle-orm';
import type { Db } from '../platform/db/index.js';
import { formatDateTime, isLocale, translator, type Params, messageKey } from '../platform/i18n/index.js';
import { enqueue } from '../platform/outbox/index.js';
import { users } from '../platform/schema.js';
import './messages.js';

export interface Contact {
  id: string;
  displayName: string;
  recipient: string | null;
  locale: 'vi' | 'en';
}

export async function contactsOf(db: Db, userIds: string[]): Promise<Map<string, Contact>> {
  const ids = [...new Set(userIds)];
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: users.id, displayName: users.displayName, email: users.email, phone: users.phone, locale: users.locale })
    .from(users)
    .where(inArray(users.id, ids));
  return new Map(
    rows.map((r) => [
      r.id,
      {
        id: r.id,
        displayName: r.displayName,
        recipient: r.email ?? r.phone,
        locale: isLocale(r.locale) ? r.locale : 'vi',
      },
    ]),
  );
}

/**
 * Queues one message in the caller's transaction, in the person's language:
 * `programmes.mail.<kind>.subject` and `.body`, filled from params.
 */
export async function tell(db: Db, contact: Contact | undefined, kind: string, params: Params): Promise<void> {
  if (!contact?.recipient) return;
  const t = translator(contact.locale);
  await enqueue(db, {
    recipient: contact.recipient,
    subject: t(messageKey(`programmes.mail.${kind}.subject`), params),
    bodyText: t(messageKey(`programmes.mail.${kind}.body`), { name: contact.displayName, ...params }),
  });
}

export function when(contact: Contact | undefined, at: Date): string {
  return formatDateTime(contact?.locale ?? 'vi', at);
}
