import { and, eq, gt, inArray, lte, sql } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import { storedFiles } from './schema.js';
import { sha256, StorageError, type FileSource, type FileStat, type FileStore } from './store.js';

/**
 * Stores a file and counts one more reference to it, inside the caller's transaction: the row that
 * will refer to the hash is written in the same transaction. The count is written (and its row
 * locked) before the bytes, so a sweep running at the same time cannot remove them.
 */
export async function storeFile(db: Db, store: FileStore, data: FileSource): Promise<FileStat> {
  if (data instanceof Uint8Array) {
    const hash = sha256(data);
    await countReference(db, hash, data.byteLength);
    return store.put(data);
  }
  const stat = await store.put(data);
  await countReference(db, stat.hash, stat.size);
  if (!(await store.exists(stat.hash))) throw new StorageError(`The file ${stat.hash} was removed while it was being stored; try again`);
  return stat;
}

async function countReference(db: Db, hash: string, size: number): Promise<void> {
  await db
    .insert(storedFiles)
    .values({ hash, size, refs: 1 })
    .onConflictDoUpdate({ target: storedFiles.hash, set: { refs: sql`${storedFiles.refs} + 1` } });
}

/** Counts one reference to a stored file less, in the caller's transaction; the bytes go at the next sweep. */
export async function releaseFile(db: Db, hash: string): Promise<void> {
  await db
    .update(storedFiles)
    .set({ refs: sql`greatest(${storedFiles.refs} - 1, 0)` })
    .where(eq(storedFiles.hash, hash));
}

/**
 * Removes the files nothing refers to any more, a batch at a time; call it after the transaction
 * that released them has committed. Rows being referenced again meanwhile are locked and skipped.
 */
export async function sweepFiles(db: Db, store: FileStore, batch = 100): Promise<number> {
  let removed = 0;
  for (;;) {
    const n = await db.transaction(async (tx) => {
      const rows = await tx
        .select({ hash: storedFiles.hash })
        .from(storedFiles)
        .where(lte(storedFiles.refs, 0))
        .limit(batch)
        .for('update', { skipLocked: true });
      for (const r of rows) await store.delete(r.hash);
      if (rows.length)
        await tx.delete(storedFiles).where(
          and(
            inArray(
              storedFiles.hash,
              rows.map((r) => r.hash),
            ),
            lte(storedFiles.refs, 0),
          ),
        );
      return rows.length;
    });
    removed += n;
    if (n < batch) return removed;
  }
}

/** The files some row refers to, in hash order, a page at a time (for backups). */
export async function referencedFiles(db: Db, after = '', limit = 500): Promise<FileStat[]> {
  return db
    .select({ hash: storedFiles.hash, size: storedFiles.size })
    .from(storedFiles)
    .where(and(gt(storedFiles.refs, 0), gt(storedFiles.hash, after)))
    .orderBy(storedFiles.hash)
    .limit(limit);
}
