import { createHash, createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3Store, type S3Settings } from './s3.js';
import { sha256 } from './store.js';

/**
 * s3rver (the S3-compatible server the other tests use) does not check Signature V4, so this stub
 * checks it as S3 does: it rebuilds the canonical request from what arrived, signs it with the
 * secret, and compares; and it hashes the body against the payload hash the request claims.
 */
const secret = 'bí-mật-của-kho';
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();
const hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

function verify(req: http.IncomingMessage, body: Buffer): string | null {
  const auth = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(
    req.headers.authorization ?? '',
  );
  if (!auth) return 'no Signature V4';
  const [, keyId, day, region, signed, signature] = auth as unknown as [string, string, string, string, string, string];
  if (keyId !== 'AKID' || region !== 'ap-southeast-1') return 'wrong credential scope';
  const payload = String(req.headers['x-amz-content-sha256']);
  // Requests without a body may leave it unsigned, as S3 allows; uploads must name their bytes' hash.
  if (payload !== hex(body) && !(payload === 'UNSIGNED-PAYLOAD' && req.method !== 'PUT')) return 'payload hash does not match the body';
  const names = signed.split(';');
  if (!names.includes('host') || !names.includes('x-amz-content-sha256')) return 'host or payload hash not signed';
  const url = new URL(req.url ?? '/', 'http://stub');
  const canonical = [
    req.method,
    url.pathname,
    url.search.slice(1),
    ...names.map((n) => `${n}:${String(req.headers[n]).trim()}`),
    '',
    signed,
    payload,
  ].join('\n');
  const date = String(req.headers['x-amz-date']);
  const toSign = ['AWS4-HMAC-SHA256', date, `${day}/${region}/s3/aws4_request`, hex(canonical)].join('\n');
  const key = ['ap-southeast-1', 's3', 'aws4_request'].reduce((k, part) => hmac(k, part), hmac(`AWS4${secret}`, day));
  return hmac(key, toSign).toString('hex') === signature ? null : 'signature does not match';
}

let server: http.Server;
let settings: S3Settings;
const objects = new Map<string, Buffer>();
const refused: string[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const problem = verify(req, body);
      if (problem) {
        refused.push(problem);
        res.writeHead(403).end(`<Error><Code>SignatureDoesNotMatch</Code><Message>${problem}</Message></Error>`);
        return;
      }
      const key = req.url ?? '';
      if (req.method === 'PUT') objects.set(key, body);
      const found = objects.get(key);
      if (req.method === 'GET' && found) res.writeHead(200).end(found);
      else if (req.method === 'GET') res.writeHead(404).end('<Error><Code>NoSuchKey</Code></Error>');
      else if (req.method === 'HEAD') res.writeHead(found ? 200 : 404, { 'content-length': found?.length ?? 0 }).end();
      else res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  settings = {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    bucket: 'kho-so',
    region: 'ap-southeast-1',
    accessKeyId: 'AKID',
    secretAccessKey: secret,
    prefix: 'tinh/',
    pathStyle: true,
  };
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('S3 requests', () => {
  it('are signed with Signature V4 and carry the file hash as their payload hash', async () => {
    const store = new S3Store(settings);
    const bytes = Buffer.from('Hiện vật số hoá — ảnh gốc');
    const { hash } = await store.put(bytes);
    expect(hash).toBe(sha256(bytes));
    expect(objects.get(`/kho-so/tinh/${hash.slice(0, 2)}/${hash.slice(2, 4)}/${hash}`)?.equals(bytes)).toBe(true);
    expect((await store.get(hash))?.equals(bytes)).toBe(true);
    const streamed = await store.put(Readable.from([bytes, Buffer.from(' và bản sao')]));
    expect(await store.exists(streamed.hash)).toBe(true);
    expect(refused).toEqual([]);
  });

  it('signed with a wrong secret are refused by a service that checks', async () => {
    await expect(new S3Store({ ...settings, secretAccessKey: 'sai' }).put(Buffer.from('x'))).rejects.toThrow(/403 SignatureDoesNotMatch/);
    expect(refused).toContain('signature does not match');
  });
});
