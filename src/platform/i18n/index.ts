export const locales = ['vi', 'en'] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = 'vi';

export type Params = Record<string, string | number>;
export type Translate = (key: string, params?: Params) => string;

const catalogues: Record<Locale, Map<string, string>> = { vi: new Map(), en: new Map() };

/**
 * Registers a module's messages. Every key must exist in both languages (the type checks it);
 * keys are namespaced by the caller ("orgs.unit.code").
 */
export function defineMessages<V extends Record<string, string>>(vi: V, en: { [K in keyof V]: string }): (keyof V & string)[] {
  for (const [key, text] of Object.entries(vi)) {
    if (catalogues.vi.has(key) && catalogues.vi.get(key) !== text) throw new Error(`Message key defined twice: ${key}`);
    catalogues.vi.set(key, text);
  }
  for (const [key, text] of Object.entries(en)) catalogues.en.set(key, text);
  return Object.keys(vi);
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (locales as readonly string[]).includes(value);
}

export function hasMessage(key: string): boolean {
  return catalogues.vi.has(key);
}

export function allKeys(locale: Locale): string[] {
  return [...catalogues[locale].keys()];
}

/** A translator for one locale; "{name}" placeholders are filled from params. */
export function translator(locale: Locale): Translate {
  const table = catalogues[locale];
  return (key, params) => {
    const text = table.get(key) ?? catalogues.vi.get(key) ?? key;
    if (!params) return text;
    return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
  };
}

/**
 * The visitor's chosen language (the `lang` cookie set by the language switch), else Vietnamese.
 * Accept-Language is not followed: the platform serves a Vietnamese province, and a phone set to
 * English should still show the province's own language first, with the switch one tap away.
 */
export function negotiateLocale(cookie: string | undefined): Locale {
  return isLocale(cookie) ? cookie : defaultLocale;
}

export function formatDate(locale: Locale, value: Date | string | null | undefined): string {
  if (!value) return '';
  const d = typeof value === 'string' ? new Date(value.length === 10 ? `${value}T00:00:00Z` : value) : value;
  return new Intl.DateTimeFormat(locale === 'vi' ? 'vi-VN' : 'en-GB', { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'Asia/Ho_Chi_Minh' }).format(d);
}

export function formatDateTime(locale: Locale, value: Date | string | null | undefined): string {
  if (!value) return '';
  return new Intl.DateTimeFormat(locale === 'vi' ? 'vi-VN' : 'en-GB', {
    day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'Asia/Ho_Chi_Minh',
  }).format(typeof value === 'string' ? new Date(value) : value);
}

export function formatNumber(locale: Locale, n: number): string {
  return new Intl.NumberFormat(locale === 'vi' ? 'vi-VN' : 'en-GB').format(n);
}
