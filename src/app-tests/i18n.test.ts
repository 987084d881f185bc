import { describe, expect, it } from 'vitest';
import '../app.js';
import { allKeys, messageKey, negotiateLocale, translator } from '../platform/i18n/index.js';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('message catalogues', () => {
  const vi = translator('vi');
  const en = translator('en');

  it('have the same keys in Vietnamese and English', () => {
    expect(allKeys('en').sort()).toEqual(allKeys('vi').sort());
    expect(allKeys('vi').length).toBeGreaterThan(100);
  });

  it.each(allKeys('vi').map((k) => [k]))('%s has text and the same placeholders in both languages', (key) => {
    expect(vi(messageKey(key)).trim()).not.toBe('');
    expect(en(messageKey(key)).trim()).not.toBe('');
    expect(placeholders(en(messageKey(key)))).toEqual(placeholders(vi(messageKey(key))));
  });

  it('fills placeholders and falls back to the key', () => {
    expect(vi('common.results', { n: 3 })).toBe('3 kết quả');
    expect(en(messageKey('no.such.key'))).toBe('no.such.key');
  });
});

describe('negotiateLocale', () => {
  it.each([
    [undefined, 'vi'],
    ['en', 'en'],
    ['vi', 'vi'],
    ['fr', 'vi'],
  ])('cookie %s → %s', (cookie, expected) => {
    expect(negotiateLocale(cookie)).toBe(expected);
  });
});

describe('plural forms', () => {
  const en = translator('en');
  const vi = translator('vi');

  it.each([
    [0, '0 records found'],
    [1, '1 record found'],
    ['1', '1 record found'],
    [2, '2 records found'],
    ['1,234', '1,234 records found'],
  ])('English chooses the form by the count %s', (n, text) => {
    expect(en('catalogue.search.count', { n })).toBe(text);
  });

  it('Vietnamese has one form', () => {
    expect(vi('catalogue.search.count', { n: 1 })).toBe('Tìm thấy 1 biểu ghi');
  });
});
