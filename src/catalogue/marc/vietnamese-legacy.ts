/**
 * The two 8-bit Vietnamese encodings found in exports of old CDS/ISIS and WinISIS catalogues.
 *
 * TCVN3 (TCVN 5712:1993 "VN3", the ABC fonts): one byte per letter, lower case only for toned
 * letters (upper-case toned letters were drawn with separate "H" fonts using the same codes).
 *
 * VNI (VNI for Windows fonts): a base ASCII letter followed by a byte carrying its diacritics
 * ("a" 0xF9 = "á", "a" 0xE1 = "ấ"); ơ, ư, đ and the toned i/ỵ letters are single bytes.
 *
 * Bytes that are neither become the Windows-1252 character of that byte.
 */

/** Windows-1252 at 0x80..0x9F; the five unassigned positions keep their C1 control. */
const WINDOWS_1252_C1 = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';

function windows1252(byte: number): string {
  return byte < 0xa0 ? WINDOWS_1252_C1.charAt(byte - 0x80) : String.fromCharCode(byte);
}

/** TCVN3 byte → letter (byte 0xA1..0xFE). */
const TCVN3: ReadonlyMap<number, string> = new Map(
  (
    [
      [0xa1, 'Ă'],
      [0xa2, 'Â'],
      [0xa3, 'Ê'],
      [0xa4, 'Ô'],
      [0xa5, 'Ơ'],
      [0xa6, 'Ư'],
      [0xa7, 'Đ'],
      [0xa8, 'ă'],
      [0xa9, 'â'],
      [0xaa, 'ê'],
      [0xab, 'ô'],
      [0xac, 'ơ'],
      [0xad, 'ư'],
      [0xae, 'đ'],
      [0xb5, 'à'],
      [0xb6, 'ả'],
      [0xb7, 'ã'],
      [0xb8, 'á'],
      [0xb9, 'ạ'],
      [0xbb, 'ằ'],
      [0xbc, 'ẳ'],
      [0xbd, 'ẵ'],
      [0xbe, 'ắ'],
      [0xc6, 'ặ'],
      [0xc7, 'ầ'],
      [0xc8, 'ẩ'],
      [0xc9, 'ẫ'],
      [0xca, 'ấ'],
      [0xcb, 'ậ'],
      [0xcc, 'è'],
      [0xce, 'ẻ'],
      [0xcf, 'ẽ'],
      [0xd0, 'é'],
      [0xd1, 'ẹ'],
      [0xd2, 'ề'],
      [0xd3, 'ể'],
      [0xd4, 'ễ'],
      [0xd5, 'ế'],
      [0xd6, 'ệ'],
      [0xd7, 'ì'],
      [0xd8, 'ỉ'],
      [0xdc, 'ĩ'],
      [0xdd, 'í'],
      [0xde, 'ị'],
      [0xdf, 'ò'],
      [0xe1, 'ỏ'],
      [0xe2, 'õ'],
      [0xe3, 'ó'],
      [0xe4, 'ọ'],
      [0xe5, 'ồ'],
      [0xe6, 'ổ'],
      [0xe7, 'ỗ'],
      [0xe8, 'ố'],
      [0xe9, 'ộ'],
      [0xea, 'ờ'],
      [0xeb, 'ở'],
      [0xec, 'ỡ'],
      [0xed, 'ớ'],
      [0xee, 'ợ'],
      [0xef, 'ù'],
      [0xf1, 'ủ'],
      [0xf2, 'ũ'],
      [0xf3, 'ú'],
      [0xf4, 'ụ'],
      [0xf5, 'ừ'],
      [0xf6, 'ử'],
      [0xf7, 'ữ'],
      [0xf8, 'ứ'],
      [0xf9, 'ự'],
      [0xfa, 'ỳ'],
      [0xfb, 'ỷ'],
      [0xfc, 'ỹ'],
      [0xfd, 'ý'],
      [0xfe, 'ỵ'],
    ] as const
  ).map(([byte, letter]) => [byte, letter]),
);

const ACUTE = '\u0301';
const GRAVE = '\u0300';
const HOOK = '\u0309';
const TILDE = '\u0303';
const DOT = '\u0323';
const CIRCUMFLEX = '\u0302';
const BREVE = '\u0306';

/** VNI diacritic byte (lower-case form; the upper-case form is 0x20 less) → combining marks. */
const VNI_MARKS: ReadonlyMap<number, string> = new Map([
  [0xf9, ACUTE],
  [0xf8, GRAVE],
  [0xfb, HOOK],
  [0xf5, TILDE],
  [0xef, DOT],
  [0xe2, CIRCUMFLEX],
  [0xe1, CIRCUMFLEX + ACUTE],
  [0xe0, CIRCUMFLEX + GRAVE],
  [0xe5, CIRCUMFLEX + HOOK],
  [0xe3, CIRCUMFLEX + TILDE],
  [0xe4, CIRCUMFLEX + DOT],
  [0xea, BREVE],
  [0xe9, BREVE + ACUTE],
  [0xe8, BREVE + GRAVE],
  [0xfa, BREVE + HOOK],
  [0xfc, BREVE + TILDE],
  [0xeb, BREVE + DOT],
]);

/** VNI single-byte letters (lower-case byte; the upper-case letter is 0x20 less). */
const VNI_LETTERS: ReadonlyMap<number, string> = new Map([
  [0xf4, 'ơ'],
  [0xf6, 'ư'],
  [0xf1, 'đ'],
  [0xed, 'í'],
  [0xec, 'ì'],
  [0xe6, 'ỉ'],
  [0xf3, 'ĩ'],
  [0xf2, 'ị'],
  [0xee, 'ỵ'],
]);

/** Letters a VNI diacritic byte may follow. */
const VNI_BASES = new Set('aeiouyAEIOUYơưƠƯ');

/** Counts of bytes a legacy decoder could not place (a hint that the guess of encoding is wrong). */
export interface LegacyEvidence {
  unmapped: number;
}

export function decodeTcvn3(bytes: Uint8Array, start: number, end: number, evidence?: LegacyEvidence): string {
  let out = '';
  let run = start;
  for (let i = start; i < end; i++) {
    const b = bytes[i] as number;
    if (b < 0x80) continue;
    out += latin1Run(bytes, run, i);
    run = i + 1;
    const letter = TCVN3.get(b);
    if (letter !== undefined) {
      out += letter;
    } else {
      out += windows1252(b);
      if (evidence) evidence.unmapped++;
    }
  }
  return out + latin1Run(bytes, run, end);
}

export function decodeVni(bytes: Uint8Array, start: number, end: number, evidence?: LegacyEvidence): string {
  let out = '';
  let run = start;
  let previous = '';
  for (let i = start; i < end; i++) {
    const b = bytes[i] as number;
    if (b < 0x80) continue;
    const ascii = latin1Run(bytes, run, i);
    if (ascii.length > 0) previous = ascii.charAt(ascii.length - 1);
    out += ascii;
    run = i + 1;
    const upper = b >= 0xc0 && b < 0xe0;
    const lower = upper ? b + 0x20 : b;
    const letter = b >= 0xc0 ? VNI_LETTERS.get(lower) : undefined;
    const marks = b >= 0xc0 ? VNI_MARKS.get(lower) : undefined;
    if (letter !== undefined) {
      const cased = upper ? letter.toUpperCase() : letter;
      out += cased;
      previous = cased;
    } else if (marks !== undefined && VNI_BASES.has(previous)) {
      out += marks;
      previous = '';
    } else {
      out += windows1252(b);
      previous = '';
      if (evidence) evidence.unmapped++;
    }
  }
  return out + latin1Run(bytes, run, end);
}

function latin1Run(bytes: Uint8Array, start: number, end: number): string {
  return start < end ? Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1') : '';
}

const TONE_MARKS = /[\u0300\u0301\u0303\u0309\u0323]/gu;
/** What may stand before a tone mark in NFD: its vowel, or the vowel's circumflex, breve or horn. */
const TONE_CARRIERS = new Set(['a', 'e', 'i', 'o', 'u', 'y', '\u0302', '\u0306', '\u031b']);
const TONES = new Set(['\u0300', '\u0301', '\u0303', '\u0309', '\u0323']);

function misplacedTone(decomposed: string): boolean {
  for (let i = 0; i < decomposed.length; i++) {
    if (TONES.has(decomposed.charAt(i)) && !TONE_CARRIERS.has(decomposed.charAt(i - 1))) return true;
  }
  return false;
}
const SYLLABLE =
  /^(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|b|c|d|đ|g|h|k|l|m|n|p|r|s|t|v|x)?(?:uyê|uya|uyu|oai|oay|oeo|uây|uôi|ươi|ươu|iêu|yêu|ai|ao|au|ay|âu|ây|eo|êu|ia|iê|iu|oa|oă|oe|oi|ôi|ơi|ua|uâ|uê|ui|uô|uơ|uy|ưa|ưi|ươ|ưu|yê|a|ă|â|e|ê|i|o|ô|ơ|u|ư|y)(?:ng|nh|ch|c|m|n|p|t)?$/u;

/** Whether a word (any case, NFC) is a well-formed Vietnamese syllable with at most one tone. */
export function isVietnameseSyllable(word: string): boolean {
  const decomposed = word.toLowerCase().normalize('NFD');
  const tones = decomposed.match(TONE_MARKS);
  if (tones !== null && (tones.length > 1 || misplacedTone(decomposed))) return false;
  return SYLLABLE.test(decomposed.replace(TONE_MARKS, '').normalize('NFC'));
}

const WORD = /[\p{L}\p{M}]+/gu;
const NON_ASCII = /\P{ASCII}/u;

/** Words with a non-ASCII letter that are / are not Vietnamese syllables. */
export interface VietnameseScore {
  syllables: number;
  others: number;
}

export function scoreVietnamese(text: string, into: VietnameseScore): void {
  for (const match of text.normalize('NFC').matchAll(WORD)) {
    const word = match[0];
    if (!NON_ASCII.test(word)) continue;
    if (isVietnameseSyllable(word)) into.syllables++;
    else into.others++;
  }
}
