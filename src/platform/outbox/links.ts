import type { Db } from '../db/index.js';

/**
 * Stores the hash of a freshly minted token on the invitation, reset or the like with this id,
 * if it is still open; false when it is not (accepted, used, expired, withdrawn).
 */
export type LinkStore = (db: Db, id: string, tokenHash: string, now: Date) => Promise<boolean>;

const stores = new Map<string, LinkStore>();

/**
 * Declares a kind of one-time link a mail may carry. The token is minted when the mail is sent,
 * only its hash is stored, and the mail queued in the database holds `LINK` in its place: no
 * table and no backup holds a link that works.
 */
export function defineMailLink(kind: string, store: LinkStore): void {
  stores.set(kind, store);
}

export function linkStore(kind: string): LinkStore | undefined {
  return stores.get(kind);
}

/** Where a mail's body takes its one-time link. */
export const LINK = '{{link}}';
