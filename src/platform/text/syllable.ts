import { MODIFIED_VOWELS, VOWELS, type Letter } from './letters.js';

const ONSETS: ReadonlySet<string> = new Set([
  '',
  'b',
  'c',
  'ch',
  'd',
  'đ',
  'g',
  'gh',
  'gi',
  'h',
  'k',
  'kh',
  'l',
  'm',
  'n',
  'ng',
  'ngh',
  'nh',
  'p',
  'ph',
  'qu',
  'r',
  's',
  't',
  'th',
  'tr',
  'v',
  'x',
]);

const CODAS: ReadonlySet<string> = new Set(['', 'c', 'ch', 'm', 'n', 'ng', 'nh', 'p', 't']);

/** Vowel groups of Vietnamese syllables, glides included, after a "qu" or "gi" onset is taken off. */
const NUCLEI: ReadonlySet<string> = new Set([
  'a',
  'ă',
  'â',
  'e',
  'ê',
  'i',
  'o',
  'ô',
  'ơ',
  'u',
  'ư',
  'y',
  'ai',
  'ao',
  'au',
  'ay',
  'âu',
  'ây',
  'eo',
  'êu',
  'ia',
  'iê',
  'iu',
  'oa',
  'oă',
  'oe',
  'oi',
  'oo',
  'ôi',
  'ôô',
  'ơi',
  'ua',
  'uâ',
  'uê',
  'ui',
  'uô',
  'uơ',
  'uy',
  'ưa',
  'ưi',
  'ươ',
  'ưu',
  'yê',
  'iêu',
  'oai',
  'oao',
  'oay',
  'oeo',
  'uây',
  'uêu',
  'uôi',
  'uya',
  'uyê',
  'uyu',
  'ươi',
  'ươu',
  'yêu',
]);

export interface TonePlacement {
  /** Index of the letter that carries the tone. */
  index: number;
  tone: number;
}

/**
 * Where the one tone of a Vietnamese syllable goes, in the traditional placement ("hòa",
 * "khỏe", "thúy", but "hoàng", "quý", "già"). Undefined when the letters are not one
 * Vietnamese syllable with exactly one tone mark, on a vowel.
 */
export function tonePlacement(letters: readonly (Letter | undefined)[]): TonePlacement | undefined {
  const parsed = letters.filter((letter) => letter !== undefined);
  if (parsed.length !== letters.length) return undefined;
  const toned = parsed.filter((letter) => letter.tone > 0);
  const [marked] = toned;
  if (toned.length !== 1 || marked === undefined || !VOWELS.has(marked.letter)) return undefined;
  const index = toneIndex(parsed.map((letter) => letter.letter));
  return index === undefined ? undefined : { index, tone: marked.tone };
}

function toneIndex(letters: readonly string[]): number | undefined {
  const isVowel = (i: number): boolean => VOWELS.has(letters[i] ?? '');
  let start = 0;
  while (start < letters.length && !isVowel(start)) start++;
  let end = start;
  while (end < letters.length && isVowel(end)) end++;
  let onset = letters.slice(0, start).join('');
  const first = letters[start];
  // In "qu" the u belongs to the onset; so does the i of "gi" when another vowel follows.
  if ((onset === 'q' && first === 'u') || (onset === 'g' && first === 'i' && end - start > 1)) {
    onset += first;
    start++;
  }
  const nucleus = letters.slice(start, end);
  const coda = letters.slice(end).join('');
  if (!ONSETS.has(onset) || !CODAS.has(coda) || !NUCLEI.has(nucleus.join(''))) return undefined;
  const modified = nucleus.findLastIndex((vowel) => MODIFIED_VOWELS.has(vowel));
  if (modified >= 0) return start + modified;
  if (coda !== '') return end - 1;
  if (nucleus.length === 3) return start + 1;
  return start;
}
