import { isAscii, isUtf8, transcode } from 'node:buffer';

import { marc8Evidence, Marc8Decoder, type Marc8Evidence } from './marc8.js';
import { decodeTcvn3, decodeVni, scoreVietnamese, type LegacyEvidence, type VietnameseScore } from './vietnamese-legacy.js';

/** The character encodings the readers know. Records are always written in UTF-8. */
export type MarcEncoding = 'utf8' | 'marc8' | 'tcvn3' | 'vni';

export const ENCODING_NAMES: Readonly<Record<MarcEncoding, string>> = {
  utf8: 'UTF-8',
  marc8: 'MARC-8',
  tcvn3: 'TCVN3 (ABC)',
  vni: 'VNI',
};

/** How a record's data will be read, and why when that differs from what the record says. */
export interface EncodingChoice {
  /** 'ascii' when every byte is ASCII and nothing needs converting. */
  encoding: MarcEncoding | 'ascii';
  /** Set when the bytes were read in another encoding than the leader declares or none was named. */
  note?: { code: 'encoding-mismatch' | 'legacy-encoding'; what: string };
  /** The record claims UTF-8 (or UTF-8 was named) but its bytes are not valid UTF-8. */
  invalidUtf8?: boolean;
}

/**
 * Code points of text that NFC may change: combining marks and everything outside the Latin letters
 * below U+0300 and the precomposed Latin (Vietnamese) letters of U+1E00-U+1EFF, which are stable.
 */
const MAY_CHANGE_UNDER_NFC = /[\u0300-\u1dff\u1f00-\uffff]/;

export function mayChangeUnderNfc(text: string): boolean {
  return MAY_CHANGE_UNDER_NFC.test(text);
}

/** The text in Unicode NFC, returned as it is when NFC cannot change it (no call to normalize). */
export function nfc(text: string): string {
  return MAY_CHANGE_UNDER_NFC.test(text) ? text.normalize('NFC') : text;
}

/**
 * UTF-8 bytes as a string. Valid UTF-8 goes through ICU's converter, much faster than V8's UTF-8
 * decoder on non-ASCII text; invalid UTF-8 is decoded with U+FFFD in place of the bad bytes.
 */
export function utf8Text(bytes: Uint8Array, start: number, end: number, valid: boolean): string {
  const part = Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start);
  return valid ? transcode(part, 'utf8', 'utf16le').toString('utf16le') : part.toString('utf8');
}

const ESC = 0x1b;
const AMPERSAND = 0x26;

/**
 * Chooses the encoding of one record's data (bytes start..end, directory excluded). A named
 * encoding is obeyed. Otherwise leader/09 decides (`a` = UTF-8, anything else = MARC-8), corrected
 * by what the bytes show: MARC-8 records holding valid UTF-8 are read as UTF-8, and records whose
 * bytes look like TCVN3 or VNI rather than what they declare are converted from those; each such
 * correction comes with a note for a warning.
 */
export function chooseEncoding(bytes: Uint8Array, start: number, end: number, leader09: string, named: MarcEncoding | undefined): EncodingChoice {
  const data = bytes.subarray(start, end);
  const declaresUtf8 = leader09 === 'a';
  if (isAscii(data)) {
    const marc8 = named === 'marc8' || (named === undefined && !declaresUtf8);
    return { encoding: marc8 && (data.includes(AMPERSAND) || data.includes(ESC)) ? 'marc8' : 'ascii' };
  }
  if (named !== undefined) {
    if (named === 'utf8' && !isUtf8(data)) return { encoding: 'utf8', invalidUtf8: true };
    if (named !== 'utf8' && !data.includes(ESC) && isUtf8(data)) {
      return {
        encoding: 'utf8',
        note: {
          code: 'encoding-mismatch',
          what: `${ENCODING_NAMES[named]} was asked for but the bytes are UTF-8; they were read as UTF-8, not garbled`,
        },
      };
    }
    return { encoding: named };
  }
  if (declaresUtf8) {
    if (isUtf8(data)) return { encoding: 'utf8' };
    const guess = guessEightBit(bytes, start, end, true);
    if (guess === undefined) return { encoding: 'utf8', invalidUtf8: true };
    return {
      encoding: guess,
      note: {
        code: guess === 'marc8' ? 'encoding-mismatch' : 'legacy-encoding',
        what: `leader/09 declares UTF-8 but the bytes are not UTF-8; they look like ${ENCODING_NAMES[guess]} and were read as such`,
      },
    };
  }
  if (!data.includes(ESC) && isUtf8(data)) {
    return {
      encoding: 'utf8',
      note: { code: 'encoding-mismatch', what: 'leader/09 declares MARC-8 but the record holds UTF-8; it was read as UTF-8' },
    };
  }
  const guess = guessEightBit(bytes, start, end, false) ?? 'marc8';
  if (guess === 'marc8') return { encoding: 'marc8' };
  return {
    encoding: guess,
    note: {
      code: 'legacy-encoding',
      what: `no encoding was named and the bytes look like ${ENCODING_NAMES[guess]}, not MARC-8; they were converted from ${ENCODING_NAMES[guess]}`,
    },
  };
}

/** Fewer Vietnamese words than this are too little evidence to override what a record declares. */
const MIN_SYLLABLES = 3;

/** Text of the data with field terminators, subfield delimiters and codes turned into spaces, for scoring. */
function plainText(text: string): string {
  let out = '';
  let from = 0;
  for (let at = text.indexOf('\x1f'); at !== -1; at = text.indexOf('\x1f', from)) {
    out += `${text.slice(from, at)} `;
    from = at + 2;
  }
  return (out + text.slice(from)).replaceAll('\x1e', ' ');
}

/**
 * Which 8-bit encoding the bytes are in: MARC-8, TCVN3 or VNI. A legacy Vietnamese encoding wins
 * only when reading the bytes that way gives Vietnamese syllables (and few other words) and reading
 * them as MARC-8 gives bytes with no meaning, diacritics on nothing, or fewer Vietnamese words.
 * With `strict`, MARC-8 must be flawless to be chosen (the record claimed UTF-8), else undefined.
 */
export function guessEightBit(bytes: Uint8Array, start: number, end: number, strict: boolean): 'marc8' | 'tcvn3' | 'vni' | undefined {
  const evidence: Marc8Evidence = { undefinedBytes: 0, strayDiacritics: 0, diacritics: 0, escapes: 0 };
  marc8Evidence(bytes, start, end, evidence);
  if (evidence.escapes > 0) return 'marc8';
  const marc8Flaws = evidence.undefinedBytes * 2 + evidence.strayDiacritics;
  const marc8Score: VietnameseScore = { syllables: 0, others: 0 };
  scoreVietnamese(plainText(new Marc8Decoder().decode(bytes, start, end, [])), marc8Score);

  let best: { encoding: 'tcvn3' | 'vni'; margin: number } | undefined;
  for (const [encoding, decode] of [
    ['tcvn3', decodeTcvn3],
    ['vni', decodeVni],
  ] as const) {
    const legacy: LegacyEvidence = { unmapped: 0 };
    const score: VietnameseScore = { syllables: 0, others: 0 };
    scoreVietnamese(plainText(decode(bytes, start, end, legacy)), score);
    const flaws = score.others + legacy.unmapped * 2;
    const convincing = score.syllables >= MIN_SYLLABLES && score.syllables >= 3 * flaws;
    const better = marc8Flaws > 0 || score.syllables > marc8Score.syllables;
    const margin = score.syllables - flaws;
    if (convincing && better && (best === undefined || margin > best.margin)) best = { encoding, margin };
  }
  if (best) return best.encoding;
  if (strict) return marc8Flaws === 0 && evidence.diacritics > 0 ? 'marc8' : undefined;
  return 'marc8';
}
