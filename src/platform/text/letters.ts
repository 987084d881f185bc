/**
 * Letters of the Vietnamese alphabet as combining-mark clusters: a base letter, at most one
 * vowel modifier (breve, circumflex, horn) and at most one tone mark.
 */

/** Tone marks in collation order; tone number = index + 1 (0 is ngang, no mark). */
const TONE_MARKS: readonly string[] = [
  '\u0300', // huyền (grave)
  '\u0309', // hỏi (hook above)
  '\u0303', // ngã (tilde)
  '\u0301', // sắc (acute)
  '\u0323', // nặng (dot below)
];

const MODIFIED = new Map([
  ['a\u0306', 'ă'],
  ['a\u0302', 'â'],
  ['e\u0302', 'ê'],
  ['o\u0302', 'ô'],
  ['o\u031b', 'ơ'],
  ['u\u031b', 'ư'],
]);

/** The 29 Vietnamese letters in alphabetical order, with f, j, w, z at their Latin places. */
export const ALPHABET: readonly string[] = [
  'a',
  'ă',
  'â',
  'b',
  'c',
  'd',
  'đ',
  'e',
  'ê',
  'f',
  'g',
  'h',
  'i',
  'j',
  'k',
  'l',
  'm',
  'n',
  'o',
  'ô',
  'ơ',
  'p',
  'q',
  'r',
  's',
  't',
  'u',
  'ư',
  'v',
  'w',
  'x',
  'y',
  'z',
];

export const VOWELS: ReadonlySet<string> = new Set(['a', 'ă', 'â', 'e', 'ê', 'i', 'o', 'ô', 'ơ', 'u', 'ư', 'y']);
export const MODIFIED_VOWELS: ReadonlySet<string> = new Set(MODIFIED.values());

export interface Letter {
  /** Lowercase member of ALPHABET. */
  letter: string;
  upper: boolean;
  /** 0 ngang, 1 huyền, 2 hỏi, 3 ngã, 4 sắc, 5 nặng. */
  tone: number;
}

/**
 * Reads one decomposed cluster (a base code point followed by its combining marks, in any
 * order). Undefined when the base is not a Latin letter or đ, or a mark is not a Vietnamese
 * one that fits (a second tone, a second modifier, a circumflex on u...).
 */
export function parseLetter(cluster: string): Letter | undefined {
  const [base = '', ...marks] = cluster;
  if (!/^[a-zA-ZđĐ]$/.test(base)) return undefined;
  const lower = base.toLowerCase();
  let letter = lower;
  let tone = 0;
  for (const mark of marks) {
    const markTone = TONE_MARKS.indexOf(mark) + 1;
    if (markTone > 0 && tone === 0) {
      tone = markTone;
      continue;
    }
    const modified = MODIFIED.get(letter + mark);
    if (modified === undefined) return undefined;
    letter = modified;
  }
  return { letter, upper: base !== lower, tone };
}

/** The letter with the given tone, in canonical order (modifier before tone); not yet NFC. */
export function composeLetter(letter: Letter, tone: number): string {
  const base = letter.upper ? letter.letter.toUpperCase() : letter.letter;
  return base + (TONE_MARKS[tone - 1] ?? '');
}

export function letterRank(letter: string): number {
  return ALPHABET.indexOf(letter);
}
