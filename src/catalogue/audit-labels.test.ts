import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { allKeys } from '../platform/i18n/index.js';
import '../platform/messages.js';
import './messages.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Every `action: 'catalogue.…'` and `entityType: '…'` the catalogue writes to the audit log. */
async function auditedNames(): Promise<{ actions: Set<string>; entities: Set<string> }> {
  const actions = new Set<string>();
  const entities = new Set<string>();
  const files = (await readdir(here, { recursive: true })).filter((f) => /\.tsx?$/.test(f) && !f.endsWith('.test.ts'));
  for (const f of files) {
    const source = await readFile(path.join(here, f), 'utf8');
    for (const m of source.matchAll(/action: '(catalogue\.[a-z_.]+)'/g)) if (m[1]) actions.add(m[1]);
    for (const m of source.matchAll(/entityType: '([a-z_]+)'/g)) if (m[1]) entities.add(m[1]);
  }
  return { actions, entities };
}

describe('the catalogue in the audit log', () => {
  test('every action and item type it records has a label in both languages', async () => {
    const { actions, entities } = await auditedNames();
    expect(actions).toContain('catalogue.record.delete');
    expect(entities).toContain('catalogue_record');
    for (const locale of ['vi', 'en'] as const) {
      const keys = new Set(allKeys(locale));
      expect(
        [...actions].filter((a) => !keys.has(`audit.verb.${a.split('.').pop() ?? a}`)),
        `verbs (${locale})`,
      ).toEqual([]);
      expect(
        [...entities].filter((e) => !keys.has(`audit.entity.${e}`)),
        `item types (${locale})`,
      ).toEqual([]);
    }
  });
});
