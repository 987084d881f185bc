import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { permissions } from './platform/access.js';
import { allKeys } from './platform/i18n/index.js';
import './modules.js';

const here = path.dirname(fileURLToPath(import.meta.url));

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) && e.name !== 'messages.ts' ? [p] : [];
  });
}

/**
 * The type checker sees keys passed to a translator; this test also sees keys kept in data (a
 * notice map, a stored note), in every module, and the prefixes that keys are built from.
 */
describe('the message catalogues of every module', () => {
  const vi = new Set(allKeys('vi'));
  const en = new Set(allKeys('en'));
  const namespaces = new Set([...vi].map((k) => k.split('.')[0]));
  const files = sources(here);
  const notKeys = new Set<string>(permissions);
  const texts = new Map(files.map((f) => [path.relative(here, f), fs.readFileSync(f, 'utf8')]));

  it('have, in Vietnamese and English, every whole key a module names', () => {
    const missing: string[] = [];
    for (const [file, text] of texts) {
      // Permission names, audit actions, job names and mail-link kinds look like keys and are not.
      for (const line of text.split('\n').filter((l) => !/\b(action|name|kind): |defineMailLink\(/.test(l))) {
        for (const m of line.matchAll(/'([a-z]+(?:\.[\w:-]+)+)'/g)) {
          const key = m[1] ?? '';
          if (notKeys.has(key) || !namespaces.has(key.split('.')[0]) || /\.(js|css|json|xml|png|svg)$/.test(key)) continue;
          if (!vi.has(key) || !en.has(key)) missing.push(`${file}: ${key}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('have keys under every prefix a module builds keys from', () => {
    const empty: string[] = [];
    for (const [file, text] of texts) {
      for (const m of text.matchAll(/messageKey\(`([a-z]+(?:\.[\w]+)*\.)\$\{/g)) {
        const prefix = m[1] ?? '';
        if (![...vi].some((k) => k.startsWith(prefix))) empty.push(`${file}: ${prefix}…`);
      }
    }
    expect(empty).toEqual([]);
  });
});
