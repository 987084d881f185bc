import { describe, expect, it } from 'vitest';

import { chooseEncoding, guessEightBit } from './encoding.js';
import { decodeTcvn3, decodeVni, isVietnameseSyllable, type LegacyEvidence } from './vietnamese-legacy.js';

function tcvn3(latin1: string, evidence?: LegacyEvidence): string {
  const bytes = Buffer.from(latin1, 'latin1');
  return decodeTcvn3(bytes, 0, bytes.length, evidence);
}

function vni(latin1: string, evidence?: LegacyEvidence): string {
  const bytes = Buffer.from(latin1, 'latin1');
  return decodeVni(bytes, 0, bytes.length, evidence).normalize('NFC');
}

describe('TCVN3 (ABC)', () => {
  it('decodes the toned vowels of each base letter', () => {
    expect(tcvn3('\xb5\xb8\xb6\xb7\xb9 \xbb\xbe\xbc\xbd\xc6 \xc7\xca\xc8\xc9\xcb')).toBe('àáảãạ ằắẳẵặ ầấẩẫậ');
    expect(tcvn3('\xcc\xd0\xce\xcf\xd1 \xd2\xd5\xd3\xd4\xd6 \xd7\xdd\xd8\xdc\xde')).toBe('èéẻẽẹ ềếểễệ ìíỉĩị');
    expect(tcvn3('\xdf\xe3\xe1\xe2\xe4 \xe5\xe8\xe6\xe7\xe9 \xea\xed\xeb\xec\xee')).toBe('òóỏõọ ồốổỗộ ờớởỡợ');
    expect(tcvn3('\xef\xf3\xf1\xf2\xf4 \xf5\xf8\xf6\xf7\xf9 \xfa\xfd\xfb\xfc\xfe')).toBe('ùúủũụ ừứửữự ỳýỷỹỵ');
  });

  it('decodes the base letters with marks and đ, in both cases', () => {
    expect(tcvn3('\xa8\xa9\xaa\xab\xac\xad\xae \xa1\xa2\xa3\xa4\xa5\xa6\xa7')).toBe('ăâêôơưđ ĂÂÊÔƠƯĐ');
  });

  it('decodes a title and counts bytes it cannot place', () => {
    expect(tcvn3('Th\xad vi\xd6n t\xdfnh H\xb6i D\xad\xacng')).toBe('Thư viện tònh Hải Dương');
    const evidence = { unmapped: 0 };
    expect(tcvn3('a\x80b\xb0\x9f\x81', evidence)).toBe('a€b°Ÿ\u0081');
    expect(evidence.unmapped).toBe(4);
  });
});

describe('VNI', () => {
  it('combines a base letter with the diacritic byte that follows it', () => {
    expect(vni('aù aø aû aõ aï')).toBe('á à ả ã ạ');
    expect(vni('aâ aá aà aå aã aä')).toBe('â ấ ầ ẩ ẫ ậ');
    expect(vni('aê aé aè aú aü aë')).toBe('ă ắ ằ ẳ ẵ ặ');
    expect(vni('AÙ EÂ OÁ UØ YÕ')).toBe('Á Ê Ố Ù Ỹ');
  });

  it('decodes the single-byte letters ơ, ư, đ and the toned i and ỵ', () => {
    expect(vni('ô ö ñ í ì æ ó ò î')).toBe('ơ ư đ í ì ỉ ĩ ị ỵ');
    expect(vni('Ô Ö Ñ Í Ì Æ Ó Ò Î')).toBe('Ơ Ư Đ Í Ì Ỉ Ĩ Ị Ỵ');
    expect(vni('ôù öø')).toBe('ớ ừ');
  });

  it('decodes a title', () => {
    expect(vni('Thö vieän tænh Haûi Döông')).toBe('Thư viện tỉnh Hải Dương');
    expect(vni('Nguyeãn Thò Minh Khai')).toBe('Nguyễn Thị Minh Khai');
  });

  it('reads a diacritic byte that follows no vowel as the Windows-1252 character, counted as unplaced', () => {
    const evidence = { unmapped: 0 };
    expect(vni('xù ù', evidence)).toBe('xù ù');
    expect(evidence.unmapped).toBe(2);
  });
});

describe('isVietnameseSyllable', () => {
  it('accepts well-formed syllables in any case', () => {
    for (const word of ['người', 'Nguyễn', 'khuya', 'nghiêng', 'quốc', 'giữa', 'ĐƯỜNG', 'thuở', 'oải', 'uyên', 'ơi', 'a']) {
      expect(isVietnameseSyllable(word), word).toBe(true);
    }
  });

  it('rejects words that are not Vietnamese syllables', () => {
    for (const word of ['études', 'théâtre', 'Müller', 'vieñ', 'tônh̃', 'москва', 'strasse', 'ǎ']) {
      expect(isVietnameseSyllable(word), word).toBe(false);
    }
  });

  it('rejects two tones on one syllable', () => {
    expect(isVietnameseSyllable('ấ\u0300')).toBe(false);
  });
});

describe('choosing the encoding of a record', () => {
  const bytes = (latin1: string): Buffer => Buffer.from(latin1, 'latin1');
  const choose = (latin1: string, leader09: string, named?: 'utf8' | 'marc8' | 'tcvn3' | 'vni') => {
    const data = bytes(latin1);
    return chooseEncoding(data, 0, data.length, leader09, named);
  };

  it('needs no conversion for ASCII, except MARC-8 escapes and character references', () => {
    expect(choose('plain', ' ')).toEqual({ encoding: 'ascii' });
    expect(choose('plain', 'a')).toEqual({ encoding: 'ascii' });
    expect(choose('&#x1EA0;', ' ')).toEqual({ encoding: 'marc8' });
    expect(choose('\x1b$1!05\x1b(B', ' ')).toEqual({ encoding: 'marc8' });
    expect(choose('&#x1EA0;', 'a')).toEqual({ encoding: 'ascii' });
  });

  it('follows leader/09 when the bytes agree', () => {
    expect(choose('Th\xc6\xb0', 'a')).toEqual({ encoding: 'utf8' });
    expect(choose('Caf\xe2e', ' ')).toEqual({ encoding: 'marc8' });
  });

  it('flags invalid UTF-8 it cannot explain', () => {
    expect(choose('bad \xc0\x80 bytes', 'a')).toEqual({ encoding: 'utf8', invalidUtf8: true });
    expect(choose('Th\xc6\xb0 \xff', 'a', 'utf8')).toEqual({ encoding: 'utf8', invalidUtf8: true });
  });

  it('obeys a named encoding unless the bytes are UTF-8, which it reads as UTF-8 with a warning', () => {
    expect(choose('Th\xc6 ', ' ', 'marc8')).toEqual({ encoding: 'marc8' });
    expect(choose('Th\xc6\xb0', ' ', 'marc8')).toMatchObject({ encoding: 'utf8', note: { code: 'encoding-mismatch' } });
    expect(choose('Th\xc6\xb0', ' ', 'tcvn3')).toMatchObject({ encoding: 'utf8', note: { code: 'encoding-mismatch' } });
    expect(choose('Caf\xe2e', 'a', 'vni')).toEqual({ encoding: 'vni' });
  });

  it('guesses TCVN3 or VNI only with enough Vietnamese words', () => {
    const tcvn = bytes('\x1faLÞch s\xf6 v\xa8n h\xe4c ViÖt Nam');
    expect(guessEightBit(tcvn, 0, tcvn.length, false)).toBe('tcvn3');
    const vniText = bytes('\x1faLòch söû vaên hoïc Vieät Nam');
    expect(guessEightBit(vniText, 0, vniText.length, false)).toBe('vni');
    const marc8 = bytes('\x1faL\xf2ich s\xe0\xbd v\xe6an h\xf2\xe3oc Vi\xf2\xe3et Nam');
    expect(guessEightBit(marc8, 0, marc8.length, false)).toBe('marc8');
    const one = bytes('P\xe5 omslaget');
    expect(guessEightBit(one, 0, one.length, false)).toBe('marc8');
  });

  it('in strict mode (the record claimed UTF-8) accepts MARC-8 only when it is flawless', () => {
    const marc8 = bytes('th\xe2e\xe3atre');
    expect(guessEightBit(marc8, 0, marc8.length, true)).toBe('marc8');
    const noise = bytes('\xc0\x80\xff');
    expect(guessEightBit(noise, 0, noise.length, true)).toBeUndefined();
  });
});
