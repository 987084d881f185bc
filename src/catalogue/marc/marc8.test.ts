import { describe, expect, it } from 'vitest';

import { Marc8Decoder, marc8Evidence, type Marc8Evidence, type Marc8Problem } from './marc8.js';

function decode(latin1: string): { text: string; problems: Marc8Problem[] } {
  const bytes = Buffer.from(latin1, 'latin1');
  const problems: Marc8Problem[] = [];
  const text = new Marc8Decoder().decode(bytes, 0, bytes.length, problems);
  return { text, problems };
}

function text(latin1: string): string {
  const { text: decoded, problems } = decode(latin1);
  expect(problems).toEqual([]);
  return decoded.normalize('NFC');
}

describe('MARC-8 decoding', () => {
  it('passes ASCII through', () => {
    expect(text('Plain text, 123 & more.')).toBe('Plain text, 123 & more.');
  });

  it('moves ANSEL diacritics after the letter they precede (the marc-perl Vietnamese vector)', () => {
    expect(text('Ph\xe2ep l\xf2a c\xe0ua s\xf2\xbd t\xe0inh th\xe2\xbdc.')).toBe('Phép lạ của sự tỉnh thức.');
  });

  it('decodes Vietnamese letters: ơ and ư (ANSEL hook/horn letters), đ, and stacked marks', () => {
    expect(text('\xbc \xbd \xac \xad \xb3 \xa3')).toBe('ơ ư Ơ Ư đ Đ');
    expect(text('Vi\xe3\xf2et Nam')).toBe('Việt Nam');
    expect(text('ng\xbd\xe1\xbci')).toBe('người');
    expect(text('\xe6\xf2a')).toBe('ặ');
  });

  it('decodes the ANSEL special letters and signs', () => {
    expect(text('\xa1\xa2\xa5\xa6\xb1\xb2\xb5\xb6\xb8\xb9\xba\xc0\xc3\xc5\xc6\xc7\xc8')).toBe('ŁØÆŒłøæœı£ð°©¿¡ß€');
  });

  it('maps the ligature and double tilde halves to one spanning mark between the letters', () => {
    expect(text('\xebt\xecs')).toBe('t\u0361s');
    expect(text('\xfan\xfbg')).toBe('n\u0360g');
  });

  it('switches G0 and G1 with escape sequences: Cyrillic, Greek, Hebrew, Arabic', () => {
    expect(text('\x1b(NMOSKWA\x1b(B!')).toBe('москва!');
    expect(text('\x1b(N\x61\x62\x1b(B')).toBe('АБ');
    expect(text('\x1b)N\xc1\xc2')).toBe('аб');
    expect(text('\x1b(SABD\x1b(B')).toBe('ΑΒΓ');
    expect(text('\x1b(2`ab\x1b(B')).toBe('אבג');
    expect(text('\x1b(3HIJ\x1b(B')).toBe('بةت');
    expect(text('\x1b(QAB\x1b(B')).toBe('ђѓ');
  });

  it('reads ANSEL designated with "!E" and extended sets in G1', () => {
    expect(text('\x1b)!E\xe2e')).toBe('é');
    expect(text('\x1b,!E\x62\x1b(Be')).toBe('é');
  });

  it('reads subscripts, superscripts and Greek symbols (technique 1 and ISO 2022 designation)', () => {
    expect(text('H\x1bb2\x1bsO')).toBe('H₂O');
    expect(text('x\x1bp2\x1bs')).toBe('x²');
    expect(text('\x1bgabc\x1bs')).toBe('αβγ');
    expect(text('E=mc\x1b(p2\x1b(B')).toBe('E=mc²');
  });

  it('reads East Asian characters (EACC) in G0 and G1', () => {
    expect(text('\x1b$1!05!0d\x1b(B')).toBe('\u4e32\u4eba');
    expect(text('\x1b$)1\xa1\xb0\xb5')).toBe('\u4e32');
    expect(text('\x1b$1!05 !0d\x1b(B')).toBe('\u4e32 \u4eba');
    expect(text('\x1b$1!05!# !0d\x1b(B')).toBe('\u4e32\u3000\u4eba');
  });

  it('starts every call with ASCII and ANSEL, whatever the previous call left', () => {
    const decoder = new Marc8Decoder();
    const cyrillic = Buffer.from('\x1b(NMIR', 'latin1');
    expect(decoder.decode(cyrillic, 0, cyrillic.length, [])).toBe('мир');
    const plain = Buffer.from('MIR', 'latin1');
    expect(decoder.decode(plain, 0, plain.length, [])).toBe('MIR');
  });

  it('resolves numeric character references, the LoC lossless convention', () => {
    expect(text('&#x1EA0;&#x200F;x &#xZZ; &#x;')).toBe('Ạ\u200Fx &#xZZ; &#x;');
    expect(text('\x1b(3&#x200F;\x1b(B')).toBe('\u200F');
    expect(text('\xe2&#x03B1;')).toBe('ά');
  });

  it('drops C1 non-sort markers into their Unicode controls and joiners', () => {
    expect(text('\x88The\x89 end\x8d\x8e')).toBe('\u0098The\u009C end\u200D\u200C');
  });

  it('reports bytes with no meaning and replaces them', () => {
    const { text: decoded, problems } = decode('a\xc9b\xffc\x7fd');
    expect(decoded).toBe('a\uFFFDb\uFFFDc\uFFFDd');
    expect(problems.map((p) => p.offset)).toEqual([1, 3, 5]);
    expect(problems[0]?.what).toContain('0xC9');
  });

  it('reads ASCII punctuation left in a non-Latin G0 set as ASCII, with a problem', () => {
    const { text: decoded, problems } = decode('\x1b(SAB: D\x1b(B');
    expect(decoded).toBe('ΑΒ: Γ');
    expect(problems).toHaveLength(1);
    expect(problems[0]?.what).toContain('read as ASCII ":"');
  });

  it('replaces a broken escape sequence, keeping the text around it', () => {
    const { text: decoded, problems } = decode('Soci\x1bt\xe2e');
    expect(decoded.normalize('NFC')).toBe('Soci\uFFFDté');
    expect(problems[0]?.what).toContain('escape byte');
    expect(decode('end\x1b(').text).toBe('end\uFFFD(');
  });

  it('skips one byte of a bad EACC sequence and resynchronises', () => {
    const { text: decoded, problems } = decode('\x1b$1!05J!05P\x1b(B');
    expect(decoded).toBe('\u4e32\uFFFD\u4e32\uFFFD');
    expect(problems).toHaveLength(2);
  });

  it('drops control bytes, which are not MARC-8 characters', () => {
    const { text: decoded, problems } = decode('a\x0cb');
    expect(decoded).toBe('ab');
    expect(problems[0]?.what).toContain('0x0C');
  });

  it('keeps a trailing diacritic that has no letter after it', () => {
    expect(decode('a\xe2').text).toBe('a\u0301');
  });
});

describe('marc8Evidence', () => {
  function evidence(latin1: string): Marc8Evidence {
    const into = { undefinedBytes: 0, strayDiacritics: 0, diacritics: 0, escapes: 0 };
    const bytes = Buffer.from(latin1, 'latin1');
    marc8Evidence(bytes, 0, bytes.length, into);
    return into;
  }

  it('counts diacritics before letters, diacritics before nothing, undefined bytes and escapes', () => {
    expect(evidence('Caf\xe2e')).toEqual({ undefinedBytes: 0, strayDiacritics: 0, diacritics: 1, escapes: 0 });
    expect(evidence('\xe2 x\xf2')).toEqual({ undefinedBytes: 0, strayDiacritics: 2, diacritics: 2, escapes: 0 });
    expect(evidence('\xc9\xd6\x80')).toEqual({ undefinedBytes: 3, strayDiacritics: 0, diacritics: 0, escapes: 0 });
    expect(evidence('\x1b(N')).toEqual({ undefinedBytes: 0, strayDiacritics: 0, diacritics: 0, escapes: 1 });
  });
});
