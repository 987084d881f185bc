import { EACC_CHARS, EACC_RUNS } from './eacc-table.js';
import { MARC8_SETS } from './marc8-tables.js';

/** A byte (or escape sequence) the MARC-8 decoder could not map, at `offset` in the input buffer. */
export interface Marc8Problem {
  offset: number;
  what: string;
}

interface SingleByteSet {
  readonly kind: 'single';
  readonly final: number;
  /** Code point for positions 0x21..0x7E (index 0..93); 0 = unassigned. */
  readonly codePoints: Uint32Array;
  readonly combining: Uint8Array;
}

interface EaccSet {
  readonly kind: 'eacc';
  readonly final: number;
}

type GraphicSet = SingleByteSet | EaccSet;

const ESC = 0x1b;
const AMPERSAND = 0x26;
const ASCII_FINAL = 0x42;
const ANSEL_FINAL = 0x45;
const EACC_FINAL = 0x31;
const REPLACEMENT = '\uFFFD';
const COMBINING_MARK = /^\p{M}$/u;

/** C1 controls that ANSEL defines (non-sort markers, joiners). */
const ANSEL_CONTROLS: ReadonlyMap<number, string> = new Map([
  [0x88, '\u0098'],
  [0x89, '\u009C'],
  [0x8d, '\u200D'],
  [0x8e, '\u200C'],
]);

/** ANSEL's second halves of double diacritics map to nothing: the first half is the Unicode mark. */
const ANSEL_DROPPED_HALVES = new Set([0x6c, 0x7b]);

function singleByteSet(final: number, table: string): SingleByteSet {
  const codePoints = new Uint32Array(94);
  const combining = new Uint8Array(94);
  table.split(' ').forEach((hex, index) => {
    const cp = Number.parseInt(hex, 16);
    codePoints[index] = cp;
    if (cp !== 0 && COMBINING_MARK.test(String.fromCodePoint(cp))) combining[index] = 1;
  });
  return { kind: 'single', final, codePoints, combining };
}

const ASCII_SET: SingleByteSet = (() => {
  const codePoints = new Uint32Array(94);
  for (let i = 0; i < 94; i++) codePoints[i] = 0x21 + i;
  return { kind: 'single', final: ASCII_FINAL, codePoints, combining: new Uint8Array(94) };
})();

const EACC_SET: EaccSet = { kind: 'eacc', final: EACC_FINAL };

const SETS: ReadonlyMap<number, GraphicSet> = new Map<number, GraphicSet>([
  [ASCII_FINAL, ASCII_SET],
  [EACC_FINAL, EACC_SET],
  ...[...MARC8_SETS].map(([final, table]): [number, GraphicSet] => [final, singleByteSet(final, table)]),
]);

const ANSEL_SET = SETS.get(ANSEL_FINAL) as SingleByteSet;

let eaccMap: Map<number, number> | undefined;

/** EACC 0x212320, the ideographic space: its third byte, 0x20, is outside the table's 94-code grid. */
const EACC_IDEOGRAPHIC_SPACE = 0x212320;

/** The EACC table, unpacked on first use: 24-bit code (three bytes 0x21..0x7E) to code point. */
function eacc(): Map<number, number> {
  if (eaccMap) return eaccMap;
  const map = new Map<number, number>();
  const chars = Array.from(EACC_CHARS, (ch) => ch.codePointAt(0) ?? 0);
  let linear = 0;
  let next = 0;
  for (const run of EACC_RUNS.split(' ')) {
    const [gap, length] = run.split('.').map((n) => Number.parseInt(n, 36)) as [number, number];
    linear += gap;
    for (let i = 0; i < length; i++, linear++) {
      const b1 = 0x21 + Math.floor(linear / 8836);
      const b2 = 0x21 + (Math.floor(linear / 94) % 94);
      const b3 = 0x21 + (linear % 94);
      map.set((b1 << 16) | (b2 << 8) | b3, chars[next++] ?? 0xfffd);
    }
  }
  map.set(EACC_IDEOGRAPHIC_SPACE, 0x3000);
  eaccMap = map;
  return map;
}

/** The character named by a `&#xHHHH;` reference at i, and the reference's length. */
function numericReference(bytes: Uint8Array, i: number, end: number): { text: string; length: number } | undefined {
  if (bytes[i + 1] !== 0x23 || (bytes[i + 2] !== 0x78 && bytes[i + 2] !== 0x58)) return undefined;
  let cp = 0;
  let j = i + 3;
  for (; j < end && j < i + 10; j++) {
    const b = bytes[j] as number;
    const digit = b >= 0x30 && b <= 0x39 ? b - 0x30 : b >= 0x41 && b <= 0x46 ? b - 0x37 : b >= 0x61 && b <= 0x66 ? b - 0x57 : -1;
    if (digit === -1) break;
    cp = cp * 16 + digit;
  }
  if (j === i + 3 || bytes[j] !== 0x3b || j >= end) return undefined;
  if (cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return undefined;
  return { text: String.fromCodePoint(cp), length: j + 1 - i };
}

/**
 * MARC-8 to Unicode. Each call decodes one subfield (or control field) and starts, as yaz does, with
 * G0 = ASCII and G1 = ANSEL; escape sequences switch them (ISO 2022 designations `ESC ( F`,
 * `ESC , F`, `ESC ) F`, `ESC - F`, `ESC $ F`, `ESC $ ( F`... and the locking shifts `ESC g`,
 * `ESC b`, `ESC p`, `ESC s`). Combining marks, which MARC-8 puts before their base letter, are moved
 * after it. Numeric character references `&#xHHHH;` (the LoC lossless-conversion convention) become
 * the characters they name. Bytes with no meaning become U+FFFD, except ASCII punctuation left in a
 * non-Latin G0 set that lacks it (a forgotten switch back to ASCII), which is read as ASCII, and
 * control bytes, which are dropped.
 */
export class Marc8Decoder {
  private g0: GraphicSet = ASCII_SET;
  private g1: GraphicSet = ANSEL_SET;

  decode(bytes: Uint8Array, start: number, end: number, problems: Marc8Problem[]): string {
    this.designateDefaults();
    let out = '';
    let marks = '';
    let i = start;
    while (i < end) {
      const b = bytes[i] as number;
      if (b === ESC) {
        const consumed = this.escape(bytes, i, end);
        if (consumed === 0) {
          problems.push({ offset: i, what: 'escape byte 0x1B not followed by a valid MARC-8 escape sequence; replaced by U+FFFD' });
          out += REPLACEMENT + marks;
          marks = '';
          i++;
        } else {
          i += consumed;
        }
        continue;
      }
      let text: string;
      let combining = false;
      let width = 1;
      if (b === AMPERSAND && this.g0 !== EACC_SET) {
        const reference = numericReference(bytes, i, end);
        if (reference) {
          out += reference.text + marks;
          marks = '';
          i += reference.length;
          continue;
        }
      }
      if (b < 0x20) {
        problems.push({ offset: i, what: `control byte 0x${hex(b)} is not a MARC-8 character; it was dropped` });
        i++;
        continue;
      } else if (b === 0x20) {
        text = ' ';
      } else if (b < 0x7f || (b > 0xa0 && b < 0xff)) {
        const set = b < 0x7f ? this.g0 : this.g1;
        const low = b & 0x7f;
        if (set.kind === 'eacc') {
          const code = this.eaccCode(bytes, i, end, b < 0x7f ? 0 : 0x80);
          const cp = code === -1 ? undefined : eacc().get(code);
          if (cp === undefined) {
            problems.push({
              offset: i,
              what: `bytes ${hexBytes(bytes, i, Math.min(end, i + 3))} are not an EACC character; one byte was replaced by U+FFFD`,
            });
            text = REPLACEMENT;
          } else {
            text = String.fromCodePoint(cp);
            width = 3;
          }
        } else if (set === ANSEL_SET && ANSEL_DROPPED_HALVES.has(low)) {
          i++;
          continue;
        } else {
          const cp = set.codePoints[low - 0x21] ?? 0;
          if (cp !== 0) {
            text = String.fromCodePoint(cp);
            combining = set.combining[low - 0x21] === 1;
          } else if (b < 0x7f && low < 0x41) {
            problems.push({
              offset: i,
              what: `byte 0x${hex(b)} has no meaning in MARC-8 set ${setName(set)}; read as ASCII "${String.fromCharCode(b)}"`,
            });
            text = String.fromCharCode(b);
          } else {
            problems.push({ offset: i, what: `byte 0x${hex(b)} has no meaning in MARC-8 set ${setName(set)}; replaced by U+FFFD` });
            text = REPLACEMENT;
          }
        }
      } else {
        const control = ANSEL_CONTROLS.get(b);
        if (control === undefined) {
          problems.push({ offset: i, what: `byte 0x${hex(b)} has no meaning in MARC-8; replaced by U+FFFD` });
          text = REPLACEMENT;
        } else {
          text = control;
        }
      }
      i += width;
      if (combining) {
        marks += text;
      } else {
        out += text + marks;
        marks = '';
      }
    }
    return out + marks;
  }

  private designateDefaults(): void {
    this.g0 = ASCII_SET;
    this.g1 = ANSEL_SET;
  }

  /** The 24-bit EACC code at i (bytes offset by `shift`), or -1 when three valid bytes are not there. */
  private eaccCode(bytes: Uint8Array, i: number, end: number, shift: number): number {
    if (i + 3 > end) return -1;
    const b1 = (bytes[i] as number) - shift;
    const b2 = (bytes[i + 1] as number) - shift;
    const b3 = (bytes[i + 2] as number) - shift;
    if (b1 < 0x21 || b1 > 0x7e || b2 < 0x21 || b2 > 0x7e || b3 < 0x20 || b3 > 0x7e) return -1;
    return (b1 << 16) | (b2 << 8) | b3;
  }

  /** Applies the escape sequence at i; returns its length, or 0 when it is not a valid one. */
  private escape(bytes: Uint8Array, i: number, end: number): number {
    const n1 = i + 1 < end ? (bytes[i + 1] as number) : -1;
    switch (n1) {
      case 0x67:
      case 0x62:
      case 0x70: {
        const set = SETS.get(n1);
        if (!set) return 0;
        this.g0 = set;
        return 2;
      }
      case 0x73:
        this.g0 = ASCII_SET;
        return 2;
      case 0x28:
      case 0x2c:
      case 0x29:
      case 0x2d: {
        const designated = this.designation(bytes, i + 2, end);
        if (!designated || designated.set.kind === 'eacc') return 0;
        if (n1 === 0x28 || n1 === 0x2c) this.g0 = designated.set;
        else this.g1 = designated.set;
        return 2 + designated.length;
      }
      case 0x24: {
        const n2 = i + 2 < end ? (bytes[i + 2] as number) : -1;
        const toG1 = n2 === 0x29 || n2 === 0x2d;
        const intermediate = toG1 || n2 === 0x28 || n2 === 0x2c;
        const designated = this.designation(bytes, i + (intermediate ? 3 : 2), end);
        if (!designated || designated.set.kind !== 'eacc') return 0;
        if (toG1) this.g1 = designated.set;
        else this.g0 = designated.set;
        return (intermediate ? 3 : 2) + designated.length;
      }
      default:
        return 0;
    }
  }

  /** The set named by the final byte at j (optionally preceded by "!"), and the bytes it took. */
  private designation(bytes: Uint8Array, j: number, end: number): { set: GraphicSet; length: number } | undefined {
    if (j >= end) return undefined;
    let final = bytes[j] as number;
    let length = 1;
    if (final === 0x21 && j + 1 < end) {
      final = bytes[j + 1] as number;
      length = 2;
    }
    const set = SETS.get(final);
    return set ? { set, length } : undefined;
  }
}

function hex(b: number): string {
  return b.toString(16).toUpperCase().padStart(2, '0');
}

function hexBytes(bytes: Uint8Array, start: number, end: number): string {
  const parts: string[] = [];
  for (let i = start; i < end; i++) parts.push(`0x${hex(bytes[i] as number)}`);
  return parts.join(' ');
}

function setName(set: GraphicSet): string {
  return `"${String.fromCharCode(set.final)}"`;
}

/**
 * How much a byte string looks like MARC-8: bytes that mean nothing in MARC-8, and diacritics that
 * stand before something other than a letter (a space, a digit, the end of the text). Escape
 * sequences make it MARC-8 for sure (`escapes` > 0).
 */
export interface Marc8Evidence {
  undefinedBytes: number;
  strayDiacritics: number;
  diacritics: number;
  escapes: number;
}

export function marc8Evidence(bytes: Uint8Array, start: number, end: number, into: Marc8Evidence): void {
  for (let i = start; i < end; i++) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      if (b === ESC) into.escapes++;
      continue;
    }
    if (b >= 0xa1 && b <= 0xfe) {
      const low = b & 0x7f;
      const cp = ANSEL_SET.codePoints[low - 0x21] ?? 0;
      if (cp === 0 && !ANSEL_DROPPED_HALVES.has(low)) {
        into.undefinedBytes++;
      } else if (ANSEL_SET.combining[low - 0x21] === 1 || ANSEL_DROPPED_HALVES.has(low)) {
        into.diacritics++;
        const next = i + 1 < end ? (bytes[i + 1] as number) : 0x20;
        const letterNext = (next >= 0x41 && next <= 0x5a) || (next >= 0x61 && next <= 0x7a) || next >= 0xa1;
        if (!letterNext) into.strayDiacritics++;
      }
    } else if (!ANSEL_CONTROLS.has(b)) {
      into.undefinedBytes++;
    }
  }
}
