/**
 * Vietnamese collation, as CLDR's "vi" tailoring (what Intl.Collator('vi') does) for
 * Vietnamese text, in three levels compared over the whole string:
 * 1. letters: a ă â b c d đ e ê (f) g h i (j) k l m n o ô ơ p q r s t u ư v (w) x y (z), one
 *    by one (ch, ng, th... are two letters);
 *    before them space, then punctuation and symbols (by code point), then digits (plain,
 *    digit by digit); after them every other letter or number (by code point, case paired);
 * 2. tones: ngang < huyền < hỏi < ngã < sắc < nặng (a à ả ã á ạ), then other diacritics;
 * 3. case: lowercase before uppercase.
 * Text is normalized with normalizeVi first, so two strings compare equal exactly when they
 * normalize to the same string.
 */
import { letterRank, parseLetter } from './letters.js';
import { normalizeVi } from './normalize.js';

const SPACE = 1;
const PUNCTUATION = 2;
const DIGIT = 3;
const LETTER = 4;
const OTHER = 5;
/** Primary weight = group * GROUP + value; every code point fits below GROUP. */
const GROUP = 0x200000;
/** Secondary weights below this are tones; a combining mark outside a Vietnamese letter weighs this + its code point. */
const TONE_LEVELS = 6;

interface Weights {
  /** One weight per character; combining marks outside a Vietnamese letter have none. */
  primary: number[];
  secondary: number[];
  tertiary: number[];
}

const CLUSTER = /\P{M}\p{M}*|\p{M}+/gu;

function weigh(s: string): Weights {
  const weights: Weights = { primary: [], secondary: [], tertiary: [] };
  for (const [cluster] of normalizeVi(s).normalize('NFD').matchAll(CLUSTER)) {
    const letter = parseLetter(cluster);
    if (letter !== undefined) {
      weights.primary.push(LETTER * GROUP + letterRank(letter.letter));
      weights.secondary.push(letter.tone);
      weights.tertiary.push(letter.upper ? 1 : 0);
      continue;
    }
    const [base = '', ...marks] = cluster;
    if (/\p{M}/u.test(base)) {
      marks.unshift(base);
    } else {
      const [primary, tertiary] = baseWeights(base);
      weights.primary.push(primary);
      weights.secondary.push(0);
      weights.tertiary.push(tertiary);
    }
    for (const mark of marks) {
      weights.secondary.push(TONE_LEVELS + codePoint(mark));
      weights.tertiary.push(0);
    }
  }
  return weights;
}

/** Primary and tertiary weight of a character that is not a Vietnamese letter with marks. */
function baseWeights(char: string): [number, number] {
  const letter = parseLetter(char);
  if (letter !== undefined) return [LETTER * GROUP + letterRank(letter.letter), letter.upper ? 1 : 0];
  if (char === ' ') return [SPACE * GROUP, 0];
  if (/^[0-9]$/.test(char)) return [DIGIT * GROUP + Number(char), 0];
  if (!/[\p{L}\p{N}]/u.test(char)) return [PUNCTUATION * GROUP + codePoint(char), 0];
  const lower = char.toLowerCase();
  const paired = lower !== char && [...lower].length === 1 && lower.toUpperCase() === char;
  return paired ? [OTHER * GROUP + codePoint(lower), 1] : [OTHER * GROUP + codePoint(char), 0];
}

function codePoint(char: string): number {
  return char.codePointAt(0) ?? 0;
}

function compareWeights(a: readonly number[], b: readonly number[]): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  return Math.sign(a.length - b.length);
}

/** Vietnamese collation order (-1, 0, 1); for sorting many strings, sort by sortKeyVi instead. */
export function compareVi(a: string, b: string): number {
  const x = weigh(a);
  const y = weigh(b);
  return compareWeights(x.primary, y.primary) || compareWeights(x.secondary, y.secondary) || compareWeights(x.tertiary, y.tertiary);
}

// The sort key is printable ASCII (no quotes or backslash). Each level is a sequence of
// prefix-free code words whose byte order is the weight order; levels are joined by '!',
// which sorts below every code word, so a shorter level sorts first and trailing separators
// can be dropped.
const LEVEL_SEPARATOR = '!';
const DIGITS62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const LETTER_CODES = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefg';

/** Four base-62 digits: 62^4 exceeds the largest code point. */
function base62(n: number): string {
  let out = '';
  for (let rest = n, i = 0; i < 4; i++, rest = Math.floor(rest / 62)) {
    out = DIGITS62.charAt(rest % 62) + out;
  }
  return out;
}

function primaryCode(weight: number): string {
  const value = weight % GROUP;
  switch (Math.floor(weight / GROUP)) {
    case SPACE:
      return '#';
    case PUNCTUATION:
      return `$${base62(value)}`;
    case DIGIT:
      return String(value);
    case LETTER:
      return LETTER_CODES.charAt(value);
    default:
      return `~${base62(value)}`;
  }
}

function secondaryCode(weight: number): string {
  return weight < TONE_LEVELS ? String(weight) : `~${base62(weight - TONE_LEVELS)}`;
}

/**
 * Zero is a level's lowest weight, and strings equal on the levels above have the same number
 * of characters that can weigh zero on this one, so trailing zeros decide nothing.
 */
function withoutTrailingZeros(weights: readonly number[]): readonly number[] {
  let end = weights.length;
  while (end > 0 && weights[end - 1] === 0) end--;
  return weights.slice(0, end);
}

/**
 * A printable-ASCII key whose plain byte order (COLLATE "C", or `<` on strings) is the order
 * of compareVi; equal keys exactly when compareVi says 0. Deterministic, for a database
 * column to ORDER BY.
 */
export function sortKeyVi(s: string): string {
  const { primary, secondary, tertiary } = weigh(s);
  return [primary.map(primaryCode).join(''), withoutTrailingZeros(secondary).map(secondaryCode).join(''), withoutTrailingZeros(tertiary).join('')]
    .join(LEVEL_SEPARATOR)
    .replace(/!+$/, '');
}
