import { composeLetter, parseLetter } from './letters.js';
import { tonePlacement } from './syllable.js';

/** A run of letters, each with its combining marks. */
const WORD = /(?:\p{L}\p{M}*)+/gu;
/** One letter with its combining marks. */
const LETTER = /\p{L}\p{M}*/gu;
const TOKEN = /[\p{L}\p{N}][\p{L}\p{M}\p{N}]*/gu;
/** The combining diacritics of Latin script, Vietnamese tone and vowel marks among them. */
const DIACRITICS = /[\u0300-\u036f]/gu;

/**
 * The one stored and compared form of text: NFC, whitespace trimmed and collapsed to single
 * spaces, Vietnamese letters composed whatever order their marks were typed in, and each
 * Vietnamese syllable's tone mark in the traditional placement ("hoà" → "hòa", "thuý" →
 * "thúy", "uỷ" → "ủy"; "hoàng", "quý", "già" unchanged). Case is kept; words that are not
 * Vietnamese syllables keep their marks where they are.
 */
export function normalizeVi(s: string): string {
  return collapseSpace(s.normalize('NFD').replace(WORD, normalizeWord).normalize('NFC'));
}

/** Lowercase normalized form that keeps diacritics, for exact-tone matching ("bà" ≠ "ba"). */
export function toneKeyVi(s: string): string {
  return normalizeVi(s.normalize('NFKC').toLowerCase());
}

/**
 * Diacritic-free lowercase form for matching without marks: "Thư viện Tỉnh Vĩnh Long" →
 * "thu vien tinh vinh long". Compatibility forms are folded too (fullwidth letters, ligatures),
 * and đ → d (also ð, which legacy Vietnamese fonts put in its place).
 */
export function foldVi(s: string): string {
  const bare = toneKeyVi(s).normalize('NFD').replace(DIACRITICS, '').replace(/[đð]/gu, 'd');
  return collapseSpace(bare.normalize('NFC'));
}

/** Lowercase words of the text with their diacritics, split at anything not a letter or digit. */
export function tokensVi(s: string): string[] {
  return toneKeyVi(s).match(TOKEN) ?? [];
}

/** ASCII slug for URLs and codes: "Thư viện Tỉnh" → "thu-vien-tinh"; other scripts drop out. */
export function slugVi(s: string): string {
  return foldVi(s).replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

function collapseSpace(s: string): string {
  return s.replace(/\s+/gu, ' ').trim();
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
