import { describe, expect, it } from 'vitest';
import { allKeys, translator } from '../platform/i18n/index.js';
import { institutionTypes, unitLevels } from './model.js';
import './messages.js';

describe('the orgs message catalogue', () => {
  const vi = new Set(allKeys('vi'));
  const en = new Set(allKeys('en'));

  it('has a label for every institution type and unit level', () => {
    const needed = [...institutionTypes.map((t) => `orgs.type.${t}`), ...unitLevels.map((l) => `orgs.level.${l}`)];
    expect(needed.filter((k) => !vi.has(k) || !en.has(k))).toEqual([]);
  });

  it('fills the parameters of messages', () => {
    expect(translator('vi')('orgs.unit.parentUnknown', { code: '855', date: '2025-07-01' })).toBe(
      'Không có đơn vị mã 855 còn hiệu lực vào ngày 2025-07-01',
    );
    expect(translator('en')('orgs.import.duplicateCode', { code: '86', row: 1 })).toBe('Code 86 is already on row 1');
  });
});
