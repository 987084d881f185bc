/**
 * File storage: files by content hash through one interface, on the local disk (the default) or
 * in an S3-compatible bucket, chosen by configuration; types sniffed from the bytes; reference
 * counts that say when a file may go, and that backups follow. See docs/architecture.md.
 */
import type { Config, StorageSettings } from '../config.js';
import { LocalStore } from './local.js';
import { S3Store } from './s3.js';
import type { FileStore } from './store.js';

export { checkHash, isHash, sha256, StorageError, type FileSource, type FileStat, type FileStore } from './store.js';
export { LocalStore } from './local.js';
export { S3Store, type S3Settings } from './s3.js';
export { sniffAllowed, sniffType, type SniffedType } from './sniff.js';
export { referencedFiles, releaseFile, storeFile, sweepFiles } from './files.js';

/** The store the settings describe. */
export function openStorage(settings: StorageSettings): FileStore {
  return settings.kind === 'local' ? new LocalStore(settings.dir) : new S3Store(settings);
}

const opened = new WeakMap<Config, FileStore>();

/** The one store of a configuration (each configuration opens its store once). */
export function storageFor(config: Config): FileStore {
  let store = opened.get(config);
  if (!store) {
    store = openStorage(config.storage);
    opened.set(config, store);
  }
  return store;
}
