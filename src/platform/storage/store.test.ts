import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalStore } from './local.js';
import { S3Store, type S3Settings } from './s3.js';
import { fanOut, sha256, StorageError, type FileStore } from './store.js';

let dir: string;
let server: S3rver;
let s3: S3Settings;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'suotdoi-store-'));
  server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: path.join(dir, 's3'), configureBuckets: [{ name: 'suotdoi-test' }] });
  const { port } = await server.run();
  s3 = {
    endpoint: `http://127.0.0.1:${port}`,
    bucket: 'suotdoi-test',
    region: 'us-east-1',
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    prefix: 'files/',
    pathStyle: true,
  };
});
afterAll(async () => {
  await server.close();
  await fs.rm(dir, { recursive: true, force: true });
});

const stores: [string, () => FileStore][] = [
  ['local disk', () => new LocalStore(path.join(dir, 'local'))],
  ['S3-compatible server (s3rver)', () => new S3Store(s3)],
];

async function read(stream: Readable | null): Promise<Buffer | null> {
  if (!stream) return null;
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

describe.each(stores)('file store on %s', (_name, open) => {
  it('stores bytes under their SHA-256, once, and gives them back whole', async () => {
    const store = open();
    const bytes = Buffer.from('Biên bản kiểm tra thư viện xã — lần 1');
    const first = await store.put(bytes);
    expect(first).toEqual({ hash: sha256(bytes), size: bytes.length });
    expect(await store.put(Buffer.from(bytes))).toEqual(first);
    expect(await store.get(first.hash)).toEqual(bytes);
    expect(await read(await store.stream(first.hash))).toEqual(bytes);
    expect(await store.stat(first.hash)).toEqual(first);
    expect(await store.exists(first.hash)).toBe(true);
  });

  it('takes a stream of many chunks and hashes it as it goes', async () => {
    const store = open();
    const parts = Array.from({ length: 40 }, (_, i) => Buffer.alloc(64 * 1024, i));
    const stat = await store.put(Readable.from(parts));
    const whole = Buffer.concat(parts);
    expect(stat).toEqual({ hash: sha256(whole), size: whole.length });
    expect((await store.get(stat.hash))?.equals(whole)).toBe(true);
  });

  it('answers null for a missing file, deletes idempotently, and refuses anything but a hash', async () => {
    const store = open();
    const { hash } = await store.put(Buffer.from('xoá tôi đi'));
    await store.delete(hash);
    await store.delete(hash);
    expect(await store.get(hash)).toBeNull();
    expect(await store.stream(hash)).toBeNull();
    expect(await store.stat(hash)).toBeNull();
    expect(await store.exists(hash)).toBe(false);
    await expect(store.get('../../etc/passwd')).rejects.toThrow(TypeError);
    await expect(store.delete('ABC')).rejects.toThrow(TypeError);
  });
});

describe('local disk store', () => {
  it('fans files out into two levels of folders and leaves no temporary file behind', async () => {
    const root = path.join(dir, 'fan');
    const store = new LocalStore(root);
    const { hash } = await store.put(Buffer.from('một tệp'));
    expect(await fs.readFile(path.join(root, fanOut(hash)), 'utf8')).toBe('một tệp');
    expect(fanOut(hash)).toMatch(/^[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{64}$/);
    expect(await fs.readdir(path.join(root, 'tmp'))).toEqual([]);
  });

  it('removes the temporary file of a stream that fails midway', async () => {
    const root = path.join(dir, 'broken');
    const store = new LocalStore(root);
    async function* failing() {
      yield Buffer.from('nửa tệp');
      throw new Error('connection reset');
    }
    await expect(store.put(failing())).rejects.toThrow('connection reset');
    expect(await fs.readdir(path.join(root, 'tmp'))).toEqual([]);
  });
});

describe('S3 store', () => {
  it('sends its credentials and says what the service refused', async () => {
    const store = new S3Store({ ...s3, accessKeyId: 'NO-SUCH-KEY' });
    await expect(store.put(Buffer.from('x'))).rejects.toThrow(StorageError);
    await expect(store.put(Buffer.from('x'))).rejects.toThrow(/403 InvalidAccessKeyId/);
    await expect(new S3Store({ ...s3, bucket: 'no-such-bucket' }).get(sha256(Buffer.from('x')))).rejects.toThrow(/404 NoSuchBucket/);
  });

  it('keeps the files under the prefix in the bucket', async () => {
    const { hash } = await new S3Store(s3).put(Buffer.from('trong thùng'));
    const res = await fetch(`${s3.endpoint}/${s3.bucket}/files/${fanOut(hash)}`);
    expect(Buffer.from(await res.arrayBuffer()).toString()).toBe('trong thùng');
    expect(await new S3Store({ ...s3, prefix: 'other/' }).exists(hash)).toBe(false);
  });
});
