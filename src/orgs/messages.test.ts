import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { allKeys, translator } from '../platform/i18n/index.js';
import { institutionTypes, unitLevels } from './model.js';
import './messages.js';

const here = path.dirname(fileURLToPath(import.meta.url));

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.tsx?$/.test(e.name) && !e.name.endsWith('.test.ts') && e.name !== 'messages.ts' ? [p] : [];
  });
}

describe('the orgs message catalogue', () => {
  const vi = new Set(allKeys('vi'));
  const en = new Set(allKeys('en'));

  it('has, in Vietnamese and English, every key the module uses', () => {
    const used = new Set(sources(here).flatMap((f) => [...fs.readFileSync(f, 'utf8').matchAll(/'(orgs\.[\w.]+)'/g)].map((m) => m[1] ?? '')));
    for (const type of institutionTypes) used.add(`orgs.type.${type}`);
    for (const level of unitLevels) used.add(`orgs.level.${level}`);
    for (const key of ['orgs.share.full', 'orgs.share.partial', 'orgs.units.title', 'orgs.institutions.title']) used.add(key);
    for (const kind of ['units', 'institutions']) for (const part of ['title', 'lead', 'fileHint']) used.add(`orgs.import.${kind}.${part}`);
    const missing = [...used].filter((k) => !vi.has(k) || !en.has(k));
    expect(missing).toEqual([]);
  });

  it('fills the parameters of messages', () => {
    expect(translator('vi')('orgs.unit.parentUnknown', { code: '855', date: '2025-07-01' })).toBe('Không có đơn vị mã 855 còn hiệu lực vào ngày 2025-07-01');
    expect(translator('en')('orgs.import.duplicateCode', { code: '86', row: 1 })).toBe('Code 86 is already on row 1');
  });
});
