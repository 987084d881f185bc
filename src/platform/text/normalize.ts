import { composeLetter, parseLetter, VOWELS } from './letters.js';
import { tonePlacement } from './syllable.js';

/** A run of letters, each with its combining marks. */
const WORD = /(?:\p{L}\p{M}*)+/gu;
/** One letter with its combining marks. */
const LETTER = /\p{L}\p{M}*/gu;
const TOKEN = /[\p{L}\p{N}][\p{L}\p{M}\p{N}]*/gu;
/** The combining diacritics of Latin script, Vietnamese tone and vowel marks among them. */
const DIACRITICS = /[\u0300-\u036f]/gu;
/** Text that every step of normalizeVi but the spacing leaves as it is. */
const ASCII = /^[\0-\x7f]*$/;

/** The Vietnamese letters that exist precomposed (NFC), in both cases, each with its folded form. */
const FOLDED_LETTERS: ReadonlyMap<string, string> = new Map(
  [
    ...[...VOWELS].flatMap((vowel) => ['', '\u0300', '\u0309', '\u0303', '\u0301', '\u0323'].map((tone) => (vowel + tone).normalize('NFC'))),
    'đ',
  ].flatMap((letter) => {
    const folded = letter === 'đ' ? 'd' : letter.normalize('NFD').charAt(0);
    return [
      [letter, folded],
      [letter.toUpperCase(), folded],
    ] as const;
  }),
);
/**
 * ASCII and precomposed Vietnamese letters only: the text of nearly every record. Such text
 * is normalised word by word (NFD and NFC change nothing across ASCII) and folded letter by
 * letter, with the same results as the general path.
 */
const PLAIN_VI = new RegExp(`^[\\0-\\x7f${[...FOLDED_LETTERS.keys()].join('')}]*$`, 'u');
/** Whitespace that collapseSpace would change: other than one space between two other characters. */
const ODD_SPACE = /[^\S ]| {2}|^ | $/;

/** Words of plain text already normalised: syllables repeat, so most words are found here. */
const normalizedWords = new Map<string, string>();
const MAX_CACHED_WORDS = 50_000;

/**
 * The one stored and compared form of text: NFC, whitespace trimmed and collapsed to single
 * spaces, Vietnamese letters composed whatever order their marks were typed in, and each
 * Vietnamese syllable's tone mark in the traditional placement ("hoà" → "hòa", "thuý" →
 * "thúy", "uỷ" → "ủy"; "hoàng", "quý", "già" unchanged). Case is kept; words that are not
 * Vietnamese syllables keep their marks where they are.
 */
export function normalizeVi(s: string): string {
  if (ASCII.test(s)) return collapseSpace(s);
  if (PLAIN_VI.test(s)) return collapseSpace(normalizePlain(s));
  return normalizeAny(s);
}

function normalizeAny(s: string): string {
  return collapseSpace(s.normalize('NFD').replace(WORD, normalizeWord).normalize('NFC'));
}

/** Modifier letters written for apostrophes and primes (ʹ ʺ ʻ ʼ ʾ ʿ ˈ ˮ, in romanised names). */
const MODIFIER_APOSTROPHES = /[\u02b9-\u02bc\u02be\u02bf\u02c8\u02ee]/gu;

/** The text with modifier-letter apostrophes (ʹ ʻ ʼ …) read as the ASCII apostrophe, so that they fold alike. */
export function plainApostrophes(s: string): string {
  return s.replace(MODIFIER_APOSTROPHES, "'");
}

/** Lowercase normalized form that keeps diacritics, for exact-tone matching ("bà" ≠ "ba"). */
export function toneKeyVi(s: string): string {
  return normalizeVi((PLAIN_VI.test(s) ? s : plainApostrophes(s.normalize('NFKC'))).toLowerCase());
}

/**
 * Diacritic-free lowercase form for matching without marks: "Thư viện Tỉnh Vĩnh Long" →
 * "thu vien tinh vinh long". Compatibility forms are folded too (fullwidth letters, ligatures),
 * and đ → d (also ð, which legacy Vietnamese fonts put in its place).
 */
export function foldVi(s: string): string {
  if (PLAIN_VI.test(s)) return collapseSpace(foldPlain(s.toLowerCase()));
  const bare = toneKeyVi(s).normalize('NFD').replace(DIACRITICS, '').replace(/[đð]/gu, 'd');
  return collapseSpace(bare.normalize('NFC'));
}

/** Lowercase words of the text with their diacritics, split at anything not a letter or digit. */
export function tokensVi(s: string): string[] {
  return toneKeyVi(s).match(TOKEN) ?? [];
}

/** ASCII slug for URLs and codes: "Thư viện Tỉnh" → "thu-vien-tinh"; other scripts drop out. */
export function slugVi(s: string): string {
  return foldVi(s)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function collapseSpace(s: string): string {
  return ODD_SPACE.test(s) ? s.replace(/\s+/gu, ' ').trim() : s;
}

/** In plain text (PLAIN_VI) every character outside ASCII is a letter. */
function isPlainLetter(code: number): boolean {
  return code >= 0x80 || (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a);
}

/** Plain text with each word (a run of letters) normalised on its own. */
function normalizePlain(s: string): string {
  let out = '';
  let start = -1;
  for (let i = 0; i < s.length; i++) {
    if (isPlainLetter(s.charCodeAt(i))) {
      if (start < 0) start = i;
      continue;
    }
    if (start >= 0) out += normalizePlainWord(s.slice(start, i));
    start = -1;
    out += s.charAt(i);
  }
  return start >= 0 ? out + normalizePlainWord(s.slice(start)) : out;
}

/** Lowercase plain text with each letter folded to its base. */
function foldPlain(lower: string): string {
  let out = '';
  for (let i = 0; i < lower.length; i++) {
    const char = lower.charAt(i);
    out += char < '\x80' ? char : (FOLDED_LETTERS.get(char) ?? char);
  }
  return out;
}

function normalizePlainWord(word: string): string {
  let normalized = normalizedWords.get(word);
  if (normalized === undefined) {
    normalized = normalizeAny(word);
    if (normalizedWords.size >= MAX_CACHED_WORDS) normalizedWords.clear();
    normalizedWords.set(word, normalized);
  }
  return normalized;
}

function normalizeWord(word: string): string {
  const clusters = word.match(LETTER) ?? [];
  const letters = clusters.map(parseLetter);
  const placement = tonePlacement(letters);
  return clusters
    .map((cluster, i) => {
      const letter = letters[i];
      if (letter === undefined) return cluster;
      if (placement === undefined) return composeLetter(letter, letter.tone);
      return composeLetter(letter, i === placement.index ? placement.tone : 0);
    })
    .join('');
}
