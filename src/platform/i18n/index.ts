export const locales = ['vi', 'en'] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = 'vi';

export type Params = Record<string, string | number>;
/**
 * Every message key. Each module's messages.ts adds its keys to this interface, so a key that no
 * catalogue defines fails the type check instead of showing on a page.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface MessageKeys {}
export type MessageKey = Extract<keyof MessageKeys, string>;
export type Translate = (key: MessageKey, params?: Params) => string;

const catalogues: Record<Locale, Map<string, string>> = { vi: new Map(), en: new Map() };

/** English text that depends on a count: "{n} record" for one, "{n} records" for others. */
export interface Plural {
  one: string;
  other: string;
}

/** One message: the Vietnamese text (no plural forms) and the English one. */
export type MessageTexts = readonly [vi: string, en: string | Plural];

const plurals: Map<string, Plural> = new Map();

/**
 * Registers a module's messages, each key written once with both texts; keys are namespaced by
 * the caller ("orgs.unit.code"). Returns the keys, for the module's type of them.
 */
export function defineMessages<M extends Record<string, MessageTexts>>(messages: M): (keyof M & string)[] {
  for (const [key, [vi, en]] of Object.entries(messages)) {
    if (catalogues.vi.has(key) && catalogues.vi.get(key) !== vi) throw new Error(`Message key defined twice: ${key}`);
    catalogues.vi.set(key, vi);
    if (typeof en === 'string') catalogues.en.set(key, en);
    else {
      catalogues.en.set(key, en.other);
      plurals.set(key, en);
    }
  }
  return Object.keys(messages);
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (locales as readonly string[]).includes(value);
}

export function hasMessage(key: string): key is MessageKey {
  return catalogues.vi.has(key);
}

/**
 * A key built from data — an enum value read from the database, a key stored in a row — which the
 * type checker cannot see. A catalogue without it shows the key itself, as for any unknown key;
 * each module's message test checks that every value of its enums has its message.
 */
export function messageKey(key: string): MessageKey {
  return key as MessageKey;
}

export function allKeys(locale: Locale): string[] {
  return [...catalogues[locale].keys()];
}

/** The count a plural form is chosen by: a number, or a number already formatted ("1,234"). */
function countOf(n: string | number | undefined): number | undefined {
  if (typeof n === 'number') return n;
  if (n === undefined) return undefined;
  const parsed = Number(n.replace(/[,\s\u00a0]/g, ''));
  return Number.isFinite(parsed) ? parsed : undefined;
}

/** A translator for one locale; "{name}" placeholders are filled from params. */
export function translator(locale: Locale): Translate {
  const table = catalogues[locale];
  const rules = new Intl.PluralRules(locale === 'vi' ? 'vi-VN' : 'en-GB');
  return (key, params) => {
    const plural = locale === 'en' ? plurals.get(key) : undefined;
    const count = plural ? countOf(params?.n) : undefined;
    const text =
      plural && count !== undefined ? plural[rules.select(count) === 'one' ? 'one' : 'other'] : (table.get(key) ?? catalogues.vi.get(key) ?? key);
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
  return new Intl.DateTimeFormat(locale === 'vi' ? 'vi-VN' : 'en-GB', {
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    timeZone: 'Asia/Ho_Chi_Minh',
  }).format(d);
}

export function formatDateTime(locale: Locale, value: Date | string | null | undefined): string {
  if (!value) return '';
  return new Intl.DateTimeFormat(locale === 'vi' ? 'vi-VN' : 'en-GB', {
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'Asia/Ho_Chi_Minh',
  }).format(typeof value === 'string' ? new Date(value) : value);
}

export function formatNumber(locale: Locale, n: number): string {
  return new Intl.NumberFormat(locale === 'vi' ? 'vi-VN' : 'en-GB').format(n);
}
