import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as WebStream } from 'node:stream/web';
import { AwsClient } from 'aws4fetch';
import { checkHash, fanOut, sha256, StorageError, type FileSource, type FileStat, type FileStore } from './store.js';

export interface S3Settings {
  /** Address of the S3-compatible service, e.g. `https://s3.example.vn` (MinIO, Ceph, Garage, AWS). */
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Put before every key, e.g. `suotdoi/`; empty for the bucket's root. */
  prefix: string;
  /** `https://endpoint/bucket/key` (true, what self-hosted services expect) or `https://bucket.endpoint/key`. */
  pathStyle: boolean;
}

/**
 * Files in a bucket of an S3-compatible service, under `<prefix>ab/cd/<hash>`. Requests are signed
 * (AWS Signature V4) with the file's SHA-256 as the payload hash, so the service itself checks
 * that the bytes arrived whole. A stream is spooled to a temporary file first: the key is the
 * hash, known only at the end.
 */
export class S3Store implements FileStore {
  readonly kind = 's3';
  private readonly client: AwsClient;

  constructor(readonly settings: S3Settings) {
    this.client = new AwsClient({
      accessKeyId: settings.accessKeyId,
      secretAccessKey: settings.secretAccessKey,
      region: settings.region,
      service: 's3',
      retries: 3,
    });
  }

  private url(hash: string): string {
    const { endpoint, bucket, prefix, pathStyle } = this.settings;
    const base = new URL(endpoint);
    const key = `${prefix}${fanOut(checkHash(hash))}`;
    if (pathStyle) return `${base.origin}${base.pathname.replace(/\/+$/, '')}/${bucket}/${key}`;
    return `${base.protocol}//${bucket}.${base.host}${base.pathname.replace(/\/+$/, '')}/${key}`;
  }

  private async request(method: string, hash: string, init: { body?: BodyInit; headers?: Record<string, string> } = {}): Promise<Response> {
    const res = await this.client.fetch(this.url(hash), { method, ...init });
    if (res.ok || (res.status === 404 && method === 'HEAD')) return res;
    const detail = (await res.text()).match(/<Code>([^<]+)<\/Code>/)?.[1] ?? res.statusText;
    // A missing file is an answer; a missing bucket is a configuration to fix.
    if (res.status === 404 && detail !== 'NoSuchBucket') return new Response(null, { status: 404 });
    throw new StorageError(`S3 ${method} ${hash}: ${res.status} ${detail}`);
  }

  async put(data: FileSource): Promise<FileStat> {
    if (data instanceof Uint8Array) {
      const hash = sha256(data);
      await this.request('PUT', hash, { body: data as Uint8Array<ArrayBuffer>, headers: this.putHeaders(hash, data.byteLength) });
      return { hash, size: data.byteLength };
    }
    const temp = path.join(os.tmpdir(), `suotdoi-s3-${randomBytes(12).toString('hex')}`);
    try {
      const digest = createHash('sha256');
      let size = 0;
      const fh = await fs.open(temp, 'wx');
      try {
        for await (const chunk of data) {
          digest.update(chunk);
          size += chunk.byteLength;
          await fh.write(chunk);
        }
      } finally {
        await fh.close();
      }
      const hash = digest.digest('hex');
      const body = Readable.toWeb(createReadStream(temp)) as unknown as BodyInit;
      await this.request('PUT', hash, { body, headers: this.putHeaders(hash, size) });
      return { hash, size };
    } finally {
      await fs.rm(temp, { force: true });
    }
  }

  private putHeaders(hash: string, size: number): Record<string, string> {
    return { 'content-type': 'application/octet-stream', 'content-length': String(size), 'x-amz-content-sha256': hash };
  }

  async get(hash: string): Promise<Buffer | null> {
    const res = await this.request('GET', hash);
    return res.status === 404 ? null : Buffer.from(await res.arrayBuffer());
  }

  async stream(hash: string): Promise<Readable | null> {
    const res = await this.request('GET', hash);
    if (res.status === 404 || !res.body) return null;
    return Readable.fromWeb(res.body as WebStream<Uint8Array>);
  }

  async stat(hash: string): Promise<FileStat | null> {
    const res = await this.request('HEAD', hash);
    return res.status === 404 ? null : { hash, size: Number(res.headers.get('content-length') ?? 0) };
  }

  async exists(hash: string): Promise<boolean> {
    return (await this.stat(hash)) !== null;
  }

  async delete(hash: string): Promise<void> {
    await this.request('DELETE', hash);
  }
}
