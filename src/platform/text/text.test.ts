import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { compareVi, foldVi, normalizeVi, slugVi, sortKeyVi, tokensVi, toneKeyVi } from './index.js';

const NFD = (s: string): string => s.normalize('NFD');

describe('normalizeVi', () => {
  it.each([
    // oa, oe, uy without a final consonant: the mark goes on the first vowel, for every tone
    ['hoà', 'hòa'],
    ['hoả', 'hỏa'],
    ['hoã', 'hõa'],
    ['hoá', 'hóa'],
    ['hoạ', 'họa'],
    ['toà', 'tòa'],
    ['thoả', 'thỏa'],
    ['loè', 'lòe'],
    ['khoẻ', 'khỏe'],
    ['khoẽ', 'khõe'],
    ['khoé', 'khóe'],
    ['khoẹ', 'khọe'],
    ['tuỳ', 'tùy'],
    ['thuỷ', 'thủy'],
    ['luỹ', 'lũy'],
    ['thuý', 'thúy'],
    ['truỵ', 'trụy'],
    ['uỷ', 'ủy'],
    ['oà', 'òa'],
    // already canonical
    ['hòa', 'hòa'],
    ['khỏe', 'khỏe'],
    ['thúy', 'thúy'],
    ['ủy', 'ủy'],
    // a final consonant keeps the mark on the last vowel
    ['hoàng', 'hoàng'],
    ['toán', 'toán'],
    ['hoạch', 'hoạch'],
    ['khoẻn', 'khoẻn'],
    ['tuýt', 'tuýt'],
    ['hòang', 'hoàng'],
    ['túyt', 'tuýt'],
    // vowel modifiers (ă â ê ô ơ ư) take the mark, the last of two
    ['quyết', 'quyết'],
    ['tuyển', 'tuyển'],
    ['thuyền', 'thuyền'],
    ['Nguyễn', 'Nguyễn'],
    ['người', 'người'],
    ['rượu', 'rượu'],
    ['thuở', 'thuở'],
    ['chuối', 'chuối'],
    ['Huế', 'Huế'],
    ['cửa', 'cửa'],
    ['ngừơi', 'người'],
    // three vowels, open syllable: the middle one
    ['ngoại', 'ngoại'],
    ['xoáy', 'xoáy'],
    ['khuỷu', 'khuỷu'],
    ['ngoẹo', 'ngoẹo'],
    ['ngoaị', 'ngoại'],
    // other open syllables: the first vowel
    ['mùa', 'mùa'],
    ['muà', 'mùa'],
    ['mía', 'mía'],
    ['tuổi', 'tuổi'],
    // "qu" and "gi" onsets
    ['quý', 'quý'],
    ['quà', 'quà'],
    ['quả', 'quả'],
    ['quốc', 'quốc'],
    ['Quỳnh', 'Quỳnh'],
    ['qúy', 'quý'],
    ['qùa', 'quà'],
    ['QÚY', 'QUÝ'],
    ['già', 'già'],
    ['giữ', 'giữ'],
    ['giếng', 'giếng'],
    ['giặt', 'giặt'],
    ['gìa', 'già'],
    ['gì', 'gì'],
    ['gìn', 'gìn'],
    // capitals
    ['HOÀ', 'HÒA'],
    ['Hoà', 'Hòa'],
    ['KHOẺ', 'KHỎE'],
    ['Thuỷ', 'Thủy'],
    ['UỶ BAN', 'ỦY BAN'],
    ['hOÀ', 'hÒA'],
    // decomposed input, marks in odd order, legacy combining grave and acute
    [NFD('hoà'), 'hòa'],
    ['ho\u0300a', 'hòa'],
    [NFD('Việt Nam'), 'Việt Nam'],
    ['Vie\u0301\u0302t', 'Viết'],
    ['a\u0301\u0302', 'ấ'],
    ['hoa\u0340', 'hòa'],
    ['thu\u0341y', 'thúy'],
    ['Vie\u0302\u0341t', 'Viết'],
    ['o\u0323\u031b', 'ợ'],
    // sentences
    ['Thư viện  tỉnh\tVĩnh Long,  hoà nhạc tối nay!', 'Thư viện tỉnh Vĩnh Long, hòa nhạc tối nay!'],
    ['Uỷ ban nhân dân (UBND) tỉnh', 'Ủy ban nhân dân (UBND) tỉnh'],
    ['Sức khoẻ là vàng.', 'Sức khỏe là vàng.'],
    ['"Hoà-bình", 2024', '"Hòa-bình", 2024'],
    ['Hoà123', 'Hòa123'],
    // empty and whitespace
    ['', ''],
    ['   ', ''],
    ['\n a \u00a0 b\t', 'a b'],
    ['a\r\n\r\nb', 'a b'],
    // not Vietnamese: left alone
    ['Café', 'Café'],
    ['Cafe\u0301', 'Café'],
    ['naïve', 'naïve'],
    ['Noël', 'Noël'],
    ['où', 'où'],
    ['ña', 'ña'],
    ['Mozart', 'Mozart'],
    ['東京大學 圖書館', '東京大學 圖書館'],
    ['Москва', 'Москва'],
    ['Paris hoà', 'Paris hòa'],
    ['Hoàbình', 'Hoàbình'],
  ])('%j → %j', (input, expected) => {
    expect(normalizeVi(input)).toBe(expected);
  });
});

describe('foldVi', () => {
  it.each([
    ['Thư viện Tỉnh Vĩnh Long', 'thu vien tinh vinh long'],
    ['Đà Nẵng', 'da nang'],
    ['ĐỒNG THÁP', 'dong thap'],
    ['đ Đ', 'd d'],
    ['aàảãáạ ăằẳẵắặ âầẩẫấậ', 'aaaaaa aaaaaa aaaaaa'],
    ['eèẻẽéẹ êềểễếệ', 'eeeeee eeeeee'],
    ['iìỉĩíị yỳỷỹýỵ', 'iiiiii yyyyyy'],
    ['oòỏõóọ ôồổỗốộ ơờởỡớợ', 'oooooo oooooo oooooo'],
    ['uùủũúụ ưừửữứự', 'uuuuuu uuuuuu'],
    ['HOÀ hòa ' + NFD('Hoà'), 'hoa hoa hoa'],
    ['Café naïve', 'cafe naive'],
    ['ｈｏà', 'hoa'],
    ['Ðà Lạt', 'da lat'],
    ['東京', '東京'],
    ['', ''],
  ])('%j → %j', (input, expected) => {
    expect(foldVi(input)).toBe(expected);
  });
});

describe('toneKeyVi, tokensVi, slugVi', () => {
  it.each([
    ['Bà', 'bà'],
    ['HOÀ', 'hòa'],
    ['Thuỷ  Tiên', 'thủy tiên'],
  ])('toneKeyVi(%j) = %j', (input, expected) => {
    expect(toneKeyVi(input)).toBe(expected);
  });

  it('keeps tones apart', () => {
    expect(toneKeyVi('bà')).not.toBe(toneKeyVi('ba'));
    expect(foldVi('bà')).toBe(foldVi('ba'));
  });

  it.each([
    ['Thư viện (tỉnh) Vĩnh-Long, 2024!', ['thư', 'viện', 'tỉnh', 'vĩnh', 'long', '2024']],
    ['Uỷ ban', ['ủy', 'ban']],
    ['  ...  ', []],
  ])('tokensVi(%j)', (input, expected) => {
    expect(tokensVi(input)).toEqual(expected);
  });

  it.each([
    ['Thư viện Tỉnh Vĩnh Long', 'thu-vien-tinh-vinh-long'],
    ['  Đền thờ & Nhà lưu niệm!! ', 'den-tho-nha-luu-niem'],
    ['Nghị định 30/2020/NĐ-CP', 'nghi-dinh-30-2020-nd-cp'],
    ['', ''],
  ])('slugVi(%j) = %j', (input, expected) => {
    expect(slugVi(input)).toBe(expected);
  });
});

const byKey = (a: string, b: string): number => {
  const x = sortKeyVi(a);
  const y = sortKeyVi(b);
  return x < y ? -1 : x > y ? 1 : 0;
};

const SORTED_WORDS = [
  '',
  '1',
  '2',
  '9a',
  'a',
  'A',
  'à',
  'À',
  'ả',
  'ã',
  'á',
  'ạ',
  'a b',
  'a-b',
  'ab',
  'az',
  'ăn',
  'Ăn',
  'ằn',
  'ân',
  'ấn',
  'b',
  'Ba',
  'bà',
  'bả',
  'bã',
  'bá',
  'bạ',
  'bác',
  'bắc',
  'bấc',
  'c',
  'ch',
  'da',
  'dz',
  'đa',
  'Đa',
  'e',
  'ê',
  'f',
  'g',
  'gi',
  'h',
  'i',
  'y',
  'z',
];

const VINH_LONG = [
  'Ba Tri',
  'Bến Tre',
  'Bình Đại',
  'Bình Minh',
  'Bình Tân',
  'Càng Long',
  'Cầu Kè',
  'Cầu Ngang',
  'Châu Thành',
  'Chợ Lách',
  'Duyên Hải',
  'Giồng Trôm',
  'Long Hồ',
  'Mang Thít',
  'Mỏ Cày Bắc',
  'Mỏ Cày Nam',
  'Tam Bình',
  'Thạnh Phú',
  'Tiểu Cần',
  'Trà Cú',
  'Trà Ôn',
  'Trà Vinh',
  'Vĩnh Long',
  'Vũng Liêm',
];

describe('compareVi and sortKeyVi', () => {
  it.each([
    ['words', SORTED_WORDS],
    ['Vĩnh Long places', VINH_LONG],
  ])('sort %s in Vietnamese order', (_name, sorted) => {
    const reversed = [...sorted].reverse();
    expect([...reversed].sort(compareVi)).toEqual(sorted);
    expect([...reversed].sort(byKey)).toEqual(sorted);
  });

  it('agrees with Intl.Collator("vi") on the place names', () => {
    expect([...VINH_LONG].reverse().sort(new Intl.Collator('vi').compare)).toEqual(VINH_LONG);
  });

  it.each([
    ['hoà', 'hòa', 0],
    ['Hoà', 'hòa', 1],
    ['ba', 'bà', -1],
    ['da', 'đa', -1],
    ['Ba', 'bà', -1],
    ['a', 'A', -1],
    ['a  b', 'a b', 0],
    ['ca', 'ça', -1],
    ['ça', 'cb', -1],
    ['Zürich', 'Zurich', 1],
  ])('compareVi(%j, %j) = %d', (a, b, expected) => {
    expect(compareVi(a, b)).toBe(expected);
    expect(byKey(a, b)).toBe(expected);
  });

  it.each([
    ['Bình Minh', 'DMRL#QMRL!01!100001'],
    ['', ''],
    ['a', 'A'],
  ])('sortKeyVi(%j) = %j', (input, key) => {
    expect(sortKeyVi(input)).toBe(key);
  });

  it('sorts random permutations of the place names the same by key and by compareVi', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray(VINH_LONG, { minLength: VINH_LONG.length }), (places) => {
        expect([...places].sort(compareVi)).toEqual(VINH_LONG);
        expect([...places].sort(byKey)).toEqual(VINH_LONG);
      }),
    );
  });
});

const TONES = ['', '\u0300', '\u0309', '\u0303', '\u0301', '\u0323'];
const LETTERS = [...'aăâbcdđeêfghijklmnoôơpqrstuưvwxyz'];
/** Vietnamese letters in either case with any tone, digits and spaces: where Intl.Collator('vi') is the reference. */
const viLetter = fc
  .tuple(fc.constantFrom(...LETTERS), fc.constantFrom(...TONES), fc.boolean())
  .map(([letter, tone, upper]) => (upper ? letter.toUpperCase() : letter) + tone);
const viText = fc.array(fc.oneof(viLetter, fc.constantFrom(' ', '0', '7')), { maxLength: 8 }).map((parts) => parts.join(''));

/** Text built to hit the hard cases: syllables, stray and odd-order marks, mixed scripts. */
const MARKS = [...TONES, '\u0340', '\u0341', '\u0302', '\u0306', '\u031b', '\u0308', '\u0327'];
const tangled = fc
  .array(
    fc.oneof(
      fc
        .tuple(fc.constantFrom(...'aAeEiouUyqgđĐnfz1 '), fc.constantFrom(...MARKS), fc.constantFrom(...MARKS))
        .map(([base, m1, m2]) => base + m1 + m2),
      fc.constantFrom('hoà', 'Thuý', 'quý', 'qúy', 'gìa', 'HOÀNG', 'ngừơi', ' \t', '-', ',', '東', 'ß', 'Ω', 'İ'),
    ),
    { maxLength: 10 },
  )
  .map((parts) => parts.join(''));
const anyText = fc.oneof(tangled, viText, fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }));

describe('properties', () => {
  it('normalizeVi is idempotent', () => {
    fc.assert(
      fc.property(anyText, (s) => normalizeVi(normalizeVi(s)) === normalizeVi(s)),
      { numRuns: 2000 },
    );
  });

  it('normalizeVi does not depend on composition: normalizeVi(NFD(x)) = normalizeVi(x)', () => {
    fc.assert(
      fc.property(anyText, (s) => normalizeVi(NFD(s)) === normalizeVi(s)),
      { numRuns: 2000 },
    );
  });

  it('precomposed Vietnamese text (the fast path) gives what its decomposed form gives', () => {
    const precomposed = fc
      .array(
        fc.oneof(
          viLetter.map((letter) => letter.normalize('NFC')),
          fc.constantFrom(' ', '  ', '\t', '\n', '0', '-', ',', '.', 'gi', 'qu', 'Q'),
        ),
        { maxLength: 12 },
      )
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(precomposed, (s) => normalizeVi(s) === normalizeVi(NFD(s)) && toneKeyVi(s) === toneKeyVi(NFD(s)) && foldVi(s) === foldVi(NFD(s))),
      { numRuns: 3000 },
    );
  });

  it('foldVi(normalizeVi(x)) = foldVi(x), and folding is idempotent', () => {
    fc.assert(
      fc.property(anyText, (s) => foldVi(normalizeVi(s)) === foldVi(s) && foldVi(foldVi(s)) === foldVi(s)),
      { numRuns: 2000 },
    );
  });

  it('sortKeyVi orders exactly as compareVi', () => {
    fc.assert(
      fc.property(anyText, anyText, (a, b) => byKey(a, b) === compareVi(a, b)),
      { numRuns: 3000 },
    );
    fc.assert(
      fc.property(viText, viText, (a, b) => byKey(a, b) === compareVi(a, b)),
      { numRuns: 3000 },
    );
  });

  it('sorting by sortKeyVi and by compareVi gives the same order', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(viText, tangled)), (list) => {
        const keys = (sorted: string[]): string[] => sorted.map(sortKeyVi);
        expect(keys([...list].sort(compareVi))).toEqual(keys([...list].sort(byKey)));
      }),
    );
  });

  it('compareVi is 0 exactly for equal normalized text, and antisymmetric', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, viText), fc.oneof(anyText, viText), (a, b) => {
        expect(compareVi(a, b) === 0).toBe(normalizeVi(a) === normalizeVi(b));
        expect(compareVi(a, b) + compareVi(b, a)).toBe(0);
      }),
      { numRuns: 2000 },
    );
    fc.assert(fc.property(viText, (a) => compareVi(a, NFD(a.toUpperCase())) <= 0));
  });

  it('agrees with Intl.Collator("vi") on Vietnamese letters, digits and spaces', () => {
    const collator = new Intl.Collator('vi');
    fc.assert(
      fc.property(viText, viText, (a, b) => {
        const [x, y] = [normalizeVi(a), normalizeVi(b)];
        expect(compareVi(x, y)).toBe(Math.sign(collator.compare(x, y)));
      }),
      { numRuns: 5000 },
    );
  });

  it('sortKeyVi is printable ASCII without quotes or backslash', () => {
    fc.assert(
      fc.property(anyText, (s) => /^[!#-&(-[\]-_a-~]*$/.test(sortKeyVi(s))),
      { numRuns: 2000 },
    );
  });
});
