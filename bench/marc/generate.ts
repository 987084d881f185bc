/**
 * A deterministic generator of realistic Vietnamese bibliographic records (MARC 21, UTF-8, NFC):
 * titles, authors, publishers, places, subjects and summaries built from real Vietnamese words and
 * names, so the text has the diacritics of real catalogues. The same seed gives the same records.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

import { writeIso2709Record, type DataField, type MarcField, type MarcRecord } from '../../src/catalogue/marc/index.js';

/** mulberry32: a small, fast, seedable PRNG. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FAMILY = [
  'Nguyễn',
  'Trần',
  'Lê',
  'Phạm',
  'Hoàng',
  'Huỳnh',
  'Phan',
  'Vũ',
  'Võ',
  'Đặng',
  'Bùi',
  'Đỗ',
  'Hồ',
  'Ngô',
  'Dương',
  'Lý',
  'Đinh',
  'Trịnh',
  'Lương',
  'Mai',
  'Tô',
  'Hà',
  'Đoàn',
  'Lâm',
];
const FAMILY_WEIGHTS = [38, 11, 9.5, 7, 5, 5, 4.5, 4, 4, 2, 2, 1.5, 1.3, 1.3, 1, 0.5, 0.6, 0.5, 0.5, 0.5, 0.3, 0.5, 0.4, 0.3];
const MIDDLE = [
  'Văn',
  'Thị',
  'Hữu',
  'Đức',
  'Minh',
  'Ngọc',
  'Quang',
  'Thanh',
  'Xuân',
  'Hồng',
  'Kim',
  'Thu',
  'Công',
  'Đình',
  'Bảo',
  'Gia',
  'Như',
  'Phương',
];
const GIVEN = [
  'An',
  'Anh',
  'Bình',
  'Châu',
  'Cường',
  'Dũng',
  'Dung',
  'Đạt',
  'Giang',
  'Hà',
  'Hải',
  'Hạnh',
  'Hiền',
  'Hiếu',
  'Hoa',
  'Hùng',
  'Huệ',
  'Hương',
  'Khánh',
  'Lan',
  'Linh',
  'Long',
  'Mai',
  'Minh',
  'Nam',
  'Nga',
  'Ngọc',
  'Nhung',
  'Phong',
  'Phúc',
  'Phương',
  'Quân',
  'Quý',
  'Sơn',
  'Tâm',
  'Thảo',
  'Thành',
  'Thắng',
  'Thủy',
  'Tiến',
  'Trang',
  'Trung',
  'Tú',
  'Tuấn',
  'Uyên',
  'Vân',
  'Việt',
  'Vinh',
  'Yến',
];
const TITLE_OPENINGS = [
  'Lịch sử',
  'Văn hóa',
  'Giáo trình',
  'Tuyển tập',
  'Truyện ngắn',
  'Tiểu thuyết',
  'Thơ',
  'Hướng dẫn',
  'Cẩm nang',
  'Tìm hiểu',
  'Nghiên cứu',
  'Kỷ yếu',
  'Từ điển',
  'Sổ tay',
  'Những câu chuyện về',
  'Bí quyết',
  'Nhập môn',
  'Cơ sở',
  'Phương pháp',
  'Địa chí',
];
const TOPICS = [
  'văn học Việt Nam',
  'lịch sử Việt Nam',
  'tiếng Việt',
  'kinh tế nông nghiệp',
  'giáo dục tiểu học',
  'khoa học tự nhiên',
  'công nghệ thông tin',
  'y học cổ truyền',
  'sức khỏe cộng đồng',
  'văn hóa dân gian',
  'làng nghề truyền thống',
  'lễ hội cổ truyền',
  'ca dao tục ngữ',
  'di sản văn hóa',
  'bảo tàng và di tích',
  'phát triển nông thôn',
  'biến đổi khí hậu',
  'tài nguyên môi trường',
  'pháp luật',
  'kỹ năng sống',
  'nuôi dạy con',
  'trồng trọt và chăn nuôi',
  'thủy sản',
  'du lịch',
  'ẩm thực Việt Nam',
  'âm nhạc dân tộc',
  'mỹ thuật',
  'kiến trúc',
  'chiến tranh và hòa bình',
  'Hồ Chí Minh',
  'đồng bằng sông Cửu Long',
  'Tây Nguyên',
  'miền núi phía Bắc',
  'thư viện và thông tin',
  'học tập suốt đời',
  'đọc sách',
];
const TITLE_TAILS = [
  '',
  '',
  '',
  ' cho thiếu nhi',
  ' dành cho học sinh',
  ' trong thời kỳ đổi mới',
  ' thế kỷ XX',
  ' hiện đại',
  ' qua các thời kỳ',
  ' ở Việt Nam',
  ' và con người',
  ' từ góc nhìn mới',
  ': lý luận và thực tiễn',
  ': những vấn đề cơ bản',
  ' (1945-1975)',
];
const SUBTITLES = [
  'tái bản có sửa chữa',
  'sách tham khảo',
  'chuyên khảo',
  'tập 1',
  'tập 2',
  'song ngữ Việt - Anh',
  'tài liệu bồi dưỡng',
  'hồi ký',
  'tiểu luận',
];
const PUBLISHERS = [
  'Nxb. Giáo dục Việt Nam',
  'Nxb. Kim Đồng',
  'Nxb. Trẻ',
  'Nxb. Văn học',
  'Nxb. Chính trị Quốc gia Sự thật',
  'Nxb. Khoa học xã hội',
  'Nxb. Hội Nhà văn',
  'Nxb. Phụ nữ Việt Nam',
  'Nxb. Thanh niên',
  'Nxb. Tổng hợp Thành phố Hồ Chí Minh',
  'Nxb. Đại học Quốc gia Hà Nội',
  'Nxb. Nông nghiệp',
  'Nxb. Y học',
  'Nxb. Lao động',
  'Nxb. Văn hóa dân tộc',
  'Nxb. Thông tin và Truyền thông',
];
const PLACES = ['Hà Nội', 'Hà Nội', 'Hà Nội', 'Thành phố Hồ Chí Minh', 'Thành phố Hồ Chí Minh', 'Huế', 'Đà Nẵng', 'Cần Thơ', 'Hải Phòng', 'Nghệ An'];
const SUBJECTS = [
  'Văn học Việt Nam',
  'Truyện ngắn',
  'Thơ',
  'Tiểu thuyết',
  'Lịch sử',
  'Văn hóa',
  'Giáo dục',
  'Nông nghiệp',
  'Y học',
  'Kinh tế',
  'Pháp luật',
  'Khoa học',
  'Công nghệ',
  'Môi trường',
  'Du lịch',
  'Âm nhạc',
  'Mỹ thuật',
  'Thiếu nhi',
  'Phụ nữ',
  'Dân tộc thiểu số',
  'Lễ hội',
  'Ẩm thực',
];
const SUBJECT_DIVISIONS = ['Lịch sử', 'Nghiên cứu', 'Sách giáo khoa', 'Tài liệu tham khảo', 'Thế kỷ 20', 'Thế kỷ 21', 'Phê bình và giải thích'];
const GEOGRAPHIC = ['Việt Nam', 'Hà Nội', 'Huế', 'Nam Bộ', 'Bắc Bộ', 'Trung Bộ', 'Tây Nguyên', 'Đông Nam Á'];
const SUMMARY_WORDS = [
  'cuốn',
  'sách',
  'giới thiệu',
  'những',
  'nội dung',
  'cơ bản',
  'về',
  'lịch sử',
  'văn hóa',
  'con người',
  'đất nước',
  'Việt Nam',
  'qua',
  'các',
  'thời kỳ',
  'phát triển',
  'đồng thời',
  'phân tích',
  'nhiều',
  'vấn đề',
  'thực tiễn',
  'trong',
  'đời sống',
  'xã hội',
  'hiện nay',
  'giúp',
  'bạn đọc',
  'hiểu',
  'rõ',
  'hơn',
  'giá trị',
  'truyền thống',
  'của',
  'dân tộc',
  'và',
  'là',
  'tài liệu',
  'bổ ích',
  'cho',
  'học sinh',
  'sinh viên',
  'giáo viên',
  'cán bộ',
  'thư viện',
  'người',
  'yêu',
  'thích',
  'tìm hiểu',
  'quê hương',
  'gia đình',
  'cộng đồng',
  'làng',
  'xã',
];
const DDC = ['895.922', '959.7', '398.209597', '372.6', '630', '610', '338.1', '340', '500', '004', '780.9597', '745.5', '915.97', '371.3', '020'];
const SERIES = ['Tủ sách Thiếu nhi', 'Tủ sách Nhà nông', 'Văn học Việt Nam hiện đại', 'Di sản văn hóa', 'Học tập suốt đời'];

function isbn13(random: () => number): string {
  const digits = [9, 7, 8, 6, 0, 4, ...Array.from({ length: 6 }, () => Math.floor(random() * 10))];
  const sum = digits.reduce((acc, d, i) => acc + d * (i % 2 === 0 ? 1 : 3), 0);
  return [...digits, (10 - (sum % 10)) % 10].join('');
}

function sf(code: string, value: string): { code: string; value: string } {
  return { code, value };
}

/** Generates `count` records from `seed`. */
export function* generateVietnameseRecords(count: number, seed = 2025): Generator<MarcRecord> {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const familyTotal = FAMILY_WEIGHTS.reduce((a, b) => a + b, 0);
  const family = (): string => {
    let r = random() * familyTotal;
    for (let i = 0; i < FAMILY.length; i++) {
      r -= FAMILY_WEIGHTS[i] as number;
      if (r <= 0) return FAMILY[i] as string;
    }
    return FAMILY[0] as string;
  };
  const person = (): string => `${family()}, ${random() < 0.8 ? `${pick(MIDDLE)} ` : ''}${pick(GIVEN)}`;
  const direct = (name: string): string => {
    const [last, first] = name.split(', ');
    return `${first} ${last}`;
  };
  const sentence = (words: number): string => {
    const parts = Array.from({ length: words }, () => pick(SUMMARY_WORDS));
    const text = parts.join(' ');
    return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
  };

  for (let n = 1; n <= count; n++) {
    const year = 1975 + Math.floor(random() * 50);
    const author = person();
    const topic = pick(TOPICS);
    const title = `${pick(TITLE_OPENINGS)} ${topic}${pick(TITLE_TAILS)}`;
    const fields: MarcField[] = [
      { tag: '001', value: `VN${String(n).padStart(9, '0')}` },
      { tag: '003', value: 'VN-TVT' },
      { tag: '005', value: `${year + 1}0315093000.0` },
      { tag: '008', value: `${String(year).slice(2)}0315s${year}    vm a          000 0 vie d` },
      { tag: '020', ind1: ' ', ind2: ' ', subfields: [sf('a', isbn13(random)), sf('c', `${(20 + Math.floor(random() * 300)) * 1000}đ`)] },
      { tag: '040', ind1: ' ', ind2: ' ', subfields: [sf('a', 'VN-TVT'), sf('b', 'vie'), sf('c', 'VN-TVT'), sf('e', 'AACR2')] },
      { tag: '041', ind1: '0', ind2: ' ', subfields: [sf('a', 'vie')] },
      { tag: '082', ind1: '0', ind2: '4', subfields: [sf('a', pick(DDC)), sf('2', '23')] },
      { tag: '100', ind1: '1', ind2: ' ', subfields: [sf('a', author), sf('e', 'tác giả')] },
    ];
    const title245: DataField = { tag: '245', ind1: '1', ind2: '0', subfields: [sf('a', title)] };
    if (random() < 0.4) title245.subfields.push(sf('b', pick(SUBTITLES)));
    title245.subfields.push(sf('c', `${direct(author)}${random() < 0.3 ? ` ; ${direct(person())} biên soạn` : ''}`));
    fields.push(title245);
    if (random() < 0.3) fields.push({ tag: '250', ind1: ' ', ind2: ' ', subfields: [sf('a', `Tái bản lần thứ ${2 + Math.floor(random() * 5)}`)] });
    fields.push({
      tag: '264',
      ind1: ' ',
      ind2: '1',
      subfields: [sf('a', `${pick(PLACES)} :`), sf('b', `${pick(PUBLISHERS)},`), sf('c', String(year))],
    });
    fields.push({
      tag: '300',
      ind1: ' ',
      ind2: ' ',
      subfields: [
        sf('a', `${40 + Math.floor(random() * 600)} tr. :`),
        sf('b', 'minh họa ;'),
        sf('c', `${[19, 20, 21, 24][Math.floor(random() * 4)]} cm`),
      ],
    });
    if (random() < 0.25) fields.push({ tag: '490', ind1: '0', ind2: ' ', subfields: [sf('a', pick(SERIES))] });
    if (random() < 0.5)
      fields.push({
        tag: '500',
        ind1: ' ',
        ind2: ' ',
        subfields: [sf('a', `Đầu bìa sách ghi: ${pick(PUBLISHERS).replace('Nxb. ', 'Nhà xuất bản ')}`)],
      });
    if (random() < 0.7) {
      const summary = Array.from({ length: 2 + Math.floor(random() * 4) }, () => sentence(8 + Math.floor(random() * 14))).join(' ');
      fields.push({ tag: '520', ind1: ' ', ind2: ' ', subfields: [sf('a', summary)] });
    }
    const subjects = 1 + Math.floor(random() * 3);
    for (let s = 0; s < subjects; s++) {
      const subject: DataField = { tag: '650', ind1: ' ', ind2: '7', subfields: [sf('a', pick(SUBJECTS))] };
      if (random() < 0.5) subject.subfields.push(sf('x', pick(SUBJECT_DIVISIONS)));
      if (random() < 0.4) subject.subfields.push(sf('z', pick(GEOGRAPHIC)));
      subject.subfields.push(sf('2', 'Bộ TĐCĐ'));
      fields.push(subject);
    }
    if (random() < 0.35) fields.push({ tag: '700', ind1: '1', ind2: ' ', subfields: [sf('a', person()), sf('e', 'dịch')] });
    fields.push({
      tag: '852',
      ind1: ' ',
      ind2: ' ',
      subfields: [sf('a', 'TVT'), sf('b', pick(['Kho đọc', 'Kho mượn', 'Phòng thiếu nhi'])), sf('j', `${pick(DDC)} ${author.slice(0, 1)}`)],
    });
    yield { leader: '00000nam a2200000 a 4500', fields };
  }
}

/** Writes `count` generated records to an ISO 2709 file; returns its size in bytes. */
export async function writeVietnameseCatalogue(path: string, count: number, seed = 2025): Promise<number> {
  const out = createWriteStream(path);
  let bytes = 0;
  for (const record of generateVietnameseRecords(count, seed)) {
    const encoded = writeIso2709Record(record);
    bytes += encoded.length;
    if (!out.write(encoded)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return bytes;
}
