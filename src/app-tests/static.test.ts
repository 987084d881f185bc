import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

const BR = { 'accept-encoding': 'br, gzip' };

/** The addresses of the stylesheets and scripts a page loads. */
function assetsOf(html: string): string[] {
  return [...html.matchAll(/<(?:link rel="stylesheet" href|script src)="([^"]+)"/g)].map((m) => m[1] as string);
}

describe('weight on the wire', () => {
  it('compresses pages with brotli or gzip when asked, and not otherwise', async () => {
    const br = await t.app.inject({ url: '/', headers: { 'accept-encoding': 'br' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(brotliDecompressSync(br.rawPayload).toString()).toContain('<html');
    const gz = await t.app.inject({ url: '/', headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString()).toContain('<html');
    const plain = await t.app.inject({ url: '/' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toContain('<html');
    const api = await t.app.inject({ url: '/api/openapi.json', headers: { 'accept-encoding': 'gzip' } });
    expect(api.headers['content-encoding']).toBe('gzip');
  });

  it('keeps the home page with everything it loads within 30 KB compressed, without htmx', async () => {
    const home = await t.app.inject({ url: '/', headers: BR });
    const urls = assetsOf(brotliDecompressSync(home.rawPayload).toString());
    expect(urls.some((u) => u.includes('site.') && u.endsWith('.css'))).toBe(true);
    expect(urls.some((u) => u.includes('htmx'))).toBe(false);
    let total = home.rawPayload.length;
    for (const url of urls) {
      const res = await t.app.inject({ url, headers: BR });
      expect(res.statusCode).toBe(200);
      total += res.rawPayload.length;
    }
    expect(total).toBeLessThanOrEqual(30 * 1024);
  });

  it('links assets by content hash, cached for ever, and keeps the plain names with a short cache', async () => {
    const html = (await t.app.inject({ url: '/' })).body;
    const css = assetsOf(html).find((u) => u.endsWith('.css')) as string;
    expect(css).toMatch(/^\/assets\/site\.[0-9a-f]{12}\.css$/);
    const hashed = await t.app.inject({ url: css });
    expect(hashed.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(hashed.headers['content-type']).toContain('text/css');
    const plain = await t.app.inject({ url: '/assets/site.css' });
    expect(plain.body).toBe(hashed.body);
    expect(plain.headers['cache-control']).toBe('public, max-age=3600');
    expect((await t.app.inject({ url: '/assets/htmx.min.js' })).headers['cache-control']).toBe('public, max-age=3600');
    expect((await t.app.inject({ url: css.replace(/[0-9a-f]{12}/, '000000000000') })).statusCode).toBe(404);
  });
});
