import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

const sources = {
  'site.css': path.join(here, 'assets/site.css'),
  'site.js': path.join(here, 'assets/site.js'),
  'upload-progress.js': path.join(here, 'assets/upload-progress.js'),
  'htmx.min.js': require.resolve('htmx.org/dist/htmx.min.js'),
} as const;

export type AssetName = keyof typeof sources;

interface Asset {
  url: string;
  body: Buffer;
  type: string;
}

/** `site.css` → `site.<first 12 hex digits of its SHA-256>.css`, read once when the process starts. */
function load(name: AssetName): Asset {
  const body = readFileSync(sources[name]);
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
  const dot = name.indexOf('.');
  const type = name.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8';
  return { url: `/assets/${name.slice(0, dot)}.${hash}${name.slice(dot)}`, body, type };
}

const assets = new Map((Object.keys(sources) as AssetName[]).map((name) => [name, load(name)]));

/** The content-hashed address of an asset, safe to cache for ever. */
export function assetUrl(name: AssetName): string {
  return (assets.get(name) as Asset).url;
}

const IMMUTABLE = 'public, max-age=31536000, immutable';

/** Hashed names are cached for a year; the plain names (pages cached by older clients, bookmarks) for an hour. */
export const staticAssets: FastifyPluginAsync = async (app) => {
  for (const [name, a] of assets) {
    app.get(a.url, { schema: { hide: true } }, (_req, reply) => reply.type(a.type).header('cache-control', IMMUTABLE).send(a.body));
    if (name === 'htmx.min.js') {
      app.get(`/assets/${name}`, { schema: { hide: true } }, (_req, reply) =>
        reply.type(a.type).header('cache-control', 'public, max-age=3600').send(a.body),
      );
    }
  }
  await app.register(fastifyStatic, { root: path.join(here, 'assets'), prefix: '/assets/', maxAge: '1h' });
};
