/**
 * Weight on the wire: what a phone's first visit (empty cache, JavaScript on) transfers for the home page, an OPAC
 * result page, the calendar and the transparency page — the HTML plus the stylesheets and scripts it links, as the
 * server sends them brotli- and gzip-compressed, and uncompressed for comparison. Demo data, embedded database.
 *
 *   npx tsx bench/web/weight.ts
 */
import { pathToFileURL } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { seedDemo } from '../../src/demo.js';
import { loadConfig } from '../../src/platform/config.js';
import { createTestDatabase } from '../../src/platform/testing/db.js';

export const pages = [
  { name: 'home', url: '/' },
  { name: 'OPAC result', url: '/catalogue?q=truyen+kieu' },
  { name: 'calendar', url: '/calendar' },
  { name: 'transparency', url: '/transparency' },
];

export interface PageWeight {
  name: string;
  url: string;
  resources: number;
  br: number;
  gzip: number;
  identity: number;
}

async function transferred(app: FastifyInstance, url: string, encoding: string): Promise<number> {
  const res = await app.inject({ url, headers: { 'accept-encoding': encoding } });
  if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}`);
  return res.rawPayload.length;
}

export async function benchWeight(): Promise<PageWeight[]> {
  const database = await createTestDatabase();
  await seedDemo(database);
  const app = await buildApp({ config: loadConfig({ NODE_ENV: 'test', DEMO_DATA: 'true' }), database, transport: { send: async () => {} } });
  try {
    const out: PageWeight[] = [];
    for (const p of pages) {
      const html = (await app.inject({ url: p.url })).body;
      const urls = [p.url, ...[...html.matchAll(/<(?:link rel="stylesheet" href|script src)="([^"]+)"/g)].map((m) => m[1] as string)];
      const sum = async (encoding: string) => (await Promise.all(urls.map((u) => transferred(app, u, encoding)))).reduce((a, b) => a + b, 0);
      out.push({ ...p, resources: urls.length, br: await sum('br'), gzip: await sum('gzip'), identity: await sum('identity') });
    }
    return out;
  } finally {
    await app.close();
    await database.close();
  }
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

export function printWeight(rows: PageWeight[]): void {
  console.log('| page | resources | brotli | gzip | uncompressed |');
  console.log('|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.name} (\`${r.url}\`) | ${r.resources} | ${kb(r.br)} | ${kb(r.gzip)} | ${kb(r.identity)} |`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) printWeight(await benchWeight());
