import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';

/** What the store knows of a file: its content hash (SHA-256, 64 lowercase hex digits) and size in bytes. */
export interface FileStat {
  hash: string;
  size: number;
}

/** Bytes given to `put`: a buffer, or a stream read once to its end. */
export type FileSource = Buffer | Uint8Array | AsyncIterable<Uint8Array>;

/**
 * Files by content hash. The same bytes are stored once, under their SHA-256; every operation is
 * idempotent, so two processes putting the same file at once both succeed. The store keeps no
 * names, types or owners: the modules keep those in their tables, and `files.ts` counts who
 * refers to which hash so that a file is deleted only when nobody does.
 */
export interface FileStore {
  readonly kind: 'local' | 's3';
  /** Stores the bytes (once) and answers their hash and size. */
  put(data: FileSource): Promise<FileStat>;
  /** The whole file, or null when there is none with that hash. */
  get(hash: string): Promise<Buffer | null>;
  /** The file as a stream (for large files and downloads), or null. */
  stream(hash: string): Promise<Readable | null>;
  stat(hash: string): Promise<FileStat | null>;
  exists(hash: string): Promise<boolean>;
  /** Removes the file; removing one that is not there is no error. */
  delete(hash: string): Promise<void>;
}

const HASH = /^[0-9a-f]{64}$/;

export const isHash = (value: string): boolean => HASH.test(value);

/** Refuses anything but a content hash, so no caller can reach outside the store with a crafted name. */
export function checkHash(hash: string): string {
  if (!isHash(hash)) throw new TypeError(`Not a SHA-256 content hash: ${JSON.stringify(hash)}`);
  return hash;
}

export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Two levels of folders from the hash's first four digits (`ab/cd/abcd…`), so no folder grows past 65,536 entries. */
export const fanOut = (hash: string): string => `${hash.slice(0, 2)}/${hash.slice(2, 4)}/${hash}`;

/** A store that could not do what was asked (the service refused, or a file vanished). */
export class StorageError extends Error {
  override name = 'StorageError';
}
