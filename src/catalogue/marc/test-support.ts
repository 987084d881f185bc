import type { MarcReadItem, MarcRecordItem } from './issues.js';
import type { MarcRecord } from './record.js';

/**
 * Builds ISO 2709 bytes by hand, for tests that need exact or broken bytes. Field content is given
 * without its terminator, as a byte-per-character ("latin1") string or as bytes.
 */
export function rawIso2709(fields: ReadonlyArray<readonly [string, string | Uint8Array]>, leader = '00000nam a2200000 a 4500'): Buffer {
  const data = fields.map(([, content]) =>
    Buffer.concat([typeof content === 'string' ? Buffer.from(content, 'latin1') : content, Buffer.from([0x1e])]),
  );
  let offset = 0;
  const directory = fields
    .map(([tag], i) => {
      const entry = `${tag}${String(data[i]?.length).padStart(4, '0')}${String(offset).padStart(5, '0')}`;
      offset += data[i]?.length ?? 0;
      return entry;
    })
    .join('');
  const base = 24 + directory.length + 1;
  const length = base + offset + 1;
  const head = `${String(length).padStart(5, '0')}${leader.slice(5, 12)}${String(base).padStart(5, '0')}${leader.slice(17)}${directory}\x1e`;
  return Buffer.concat([Buffer.from(head, 'latin1'), ...data, Buffer.from([0x1d])]);
}

/** The records of read items, failing the test when an item is an error. */
export function recordsOf(items: Iterable<MarcReadItem>): MarcRecord[] {
  return [...items].map((item) => {
    if (item.error) throw new Error(`unexpected error item: ${item.error.message}`);
    return item.record;
  });
}

/** The single item of a read, failing when there is not exactly one. */
export function onlyItem(items: Iterable<MarcReadItem>): MarcReadItem {
  const all = [...items];
  if (all.length !== 1) throw new Error(`expected one item, got ${all.length}`);
  return all[0] as MarcReadItem;
}

/** The single record of a read, failing when there is not exactly one record item. */
export function onlyRecord(items: Iterable<MarcReadItem>): MarcRecordItem {
  const item = onlyItem(items);
  if (item.error) throw new Error(`unexpected error item: ${item.error.message}`);
  return item;
}

/** Splits bytes into chunks of the given sizes (cycling), as a stream would deliver them. */
export async function* chunked(bytes: Uint8Array, sizes: readonly number[]): AsyncGenerator<Uint8Array> {
  let at = 0;
  for (let i = 0; at < bytes.length; i++) {
    const size = Math.max(1, sizes[i % sizes.length] ?? 1);
    yield bytes.subarray(at, at + size);
    at += size;
    await Promise.resolve();
  }
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}
