import { inArray } from 'drizzle-orm';
import { institutionIdByCode } from '../orgs/index.js';
import type { Actor } from '../platform/access.js';
import type { Db } from '../platform/db/index.js';
import { normalizeVi } from '../platform/text/index.js';
import { recordFromSimple, type SimpleRecord } from './editor.js';
import type { DataField, MarcRecord } from './marc/index.js';
import { items } from './schema.js';
import { addItem, createRecord, type ItemStatus } from './service.js';

/** The note (500 $a) every demo record carries, so that nobody takes it for a library's own. */
export const DEMO_NOTE = 'Biểu ghi mẫu (demo)';

/** A demo title as the quick cataloguing form takes it; `material` marks the few that are not books. */
interface DemoTitle extends SimpleRecord {
  material?: 'video' | 'map';
}

const HN = 'Hà Nội';
const HCM = 'TP. Hồ Chí Minh';
const VH = 'NXB Văn học';
const KD = 'NXB Kim Đồng';
const TRE = 'NXB Trẻ';
const HNV = 'NXB Hội Nhà văn';

/** Well-known Vietnamese books (and a few other materials), in one edition each; no ISBNs. */
const titles: DemoTitle[] = [
  {
    title: 'Truyện Kiều',
    author: 'Nguyễn Du',
    publisher: VH,
    place: HN,
    year: 2015,
    subjects: 'Văn học trung đại; Truyện thơ; Thơ Việt Nam',
    ddc: '895.9221',
  },
  {
    title: 'Số đỏ',
    author: 'Vũ Trọng Phụng',
    publisher: VH,
    place: HN,
    year: 2016,
    subjects: 'Tiểu thuyết; Văn học hiện đại; Văn học Việt Nam',
    ddc: '895.9223',
  },
  {
    title: 'Tắt đèn',
    author: 'Ngô Tất Tố',
    publisher: VH,
    place: HN,
    year: 2015,
    subjects: 'Tiểu thuyết; Nông thôn; Văn học Việt Nam',
    ddc: '895.9223',
  },
  {
    title: 'Dế Mèn phiêu lưu ký',
    author: 'Tô Hoài',
    publisher: KD,
    place: HN,
    year: 2019,
    subjects: 'Văn học thiếu nhi; Truyện đồng thoại',
    ddc: '895.9223',
  },
  {
    title: 'Nhật ký Đặng Thùy Trâm',
    author: 'Đặng Thùy Trâm',
    publisher: HNV,
    place: HN,
    year: 2005,
    subjects: 'Nhật ký; Kháng chiến chống Mỹ',
    ddc: '895.9228',
  },
  {
    title: 'Chí Phèo',
    author: 'Nam Cao',
    publisher: VH,
    place: HN,
    year: 2016,
    subjects: 'Truyện ngắn; Văn học hiện đại; Văn học Việt Nam',
    ddc: '895.9223',
  },
  {
    title: 'Vợ nhặt',
    author: 'Kim Lân',
    publisher: VH,
    place: HN,
    year: 2017,
    subjects: 'Truyện ngắn; Nạn đói năm 1945; Văn học Việt Nam',
    ddc: '895.9223',
  },
  {
    title: 'Đất rừng phương Nam',
    author: 'Đoàn Giỏi',
    publisher: KD,
    place: HN,
    year: 2020,
    subjects: 'Văn học thiếu nhi; Nam Bộ; Kháng chiến chống Pháp',
    ddc: '895.9223',
  },
  {
    title: 'Nỗi buồn chiến tranh',
    author: 'Bảo Ninh',
    publisher: TRE,
    place: HCM,
    year: 2011,
    subjects: 'Tiểu thuyết; Kháng chiến chống Mỹ; Văn học Việt Nam',
    ddc: '895.9223',
  },
  {
    title: 'Mảnh đất lắm người nhiều ma',
    author: 'Nguyễn Khắc Trường',
    publisher: HNV,
    place: HN,
    year: 1990,
    subjects: 'Tiểu thuyết; Nông thôn; Văn học Việt Nam',
    ddc: '895.9223',
  },
  {
    title: 'Bến không chồng',
    author: 'Dương Hướng',
    publisher: HNV,
    place: HN,
    year: 1990,
    subjects: 'Tiểu thuyết; Nông thôn; Văn học Việt Nam',
    ddc: '895.9223',
  },
  {
    title: 'Tuổi thơ dữ dội',
    author: 'Phùng Quán',
    publisher: KD,
    place: HN,
    year: 2019,
    subjects: 'Văn học thiếu nhi; Kháng chiến chống Pháp',
    ddc: '895.9223',
  },
  {
    title: 'Cho tôi xin một vé đi tuổi thơ',
    author: 'Nguyễn Nhật Ánh',
    publisher: TRE,
    place: HCM,
    year: 2008,
    subjects: 'Truyện dài; Tuổi thơ; Văn học Việt Nam',
    ddc: '895.9223',
  },
  {
    title: 'Tôi thấy hoa vàng trên cỏ xanh',
    author: 'Nguyễn Nhật Ánh',
    publisher: TRE,
    place: HCM,
    year: 2010,
    subjects: 'Truyện dài; Tuổi thơ; Văn học Việt Nam',
    ddc: '895.9223',
  },
  { title: 'Mắt biếc', author: 'Nguyễn Nhật Ánh', publisher: TRE, place: HCM, year: 1990, subjects: 'Truyện dài; Văn học Việt Nam', ddc: '895.9223' },
  { title: 'Nhật ký trong tù', author: 'Hồ Chí Minh', publisher: VH, place: HN, year: 1960, subjects: 'Thơ Việt Nam; Thơ chữ Hán', ddc: '895.9221' },
  {
    title: 'Góc sân và khoảng trời',
    author: 'Trần Đăng Khoa',
    publisher: KD,
    place: HN,
    year: 2018,
    subjects: 'Thơ thiếu nhi; Thơ Việt Nam',
    ddc: '895.9221',
  },
  {
    title: 'Bỉ vỏ',
    author: 'Nguyên Hồng',
    publisher: VH,
    place: HN,
    year: 2016,
    subjects: 'Tiểu thuyết; Văn học hiện đại; Văn học Việt Nam',
    ddc: '895.9223',
  },
  {
    title: 'Những ngày thơ ấu',
    author: 'Nguyên Hồng',
    publisher: KD,
    place: HN,
    year: 2017,
    subjects: 'Hồi ký; Tuổi thơ; Văn học Việt Nam',
    ddc: '895.9228',
  },
  {
    title: 'Sống mòn',
    author: 'Nam Cao',
    publisher: VH,
    place: HN,
    year: 2018,
    subjects: 'Tiểu thuyết; Văn học hiện đại; Văn học Việt Nam',
    ddc: '895.9223',
  },
  {
    title: 'Vang bóng một thời',
    author: 'Nguyễn Tuân',
    publisher: 'Tân Dân',
    place: HN,
    year: 1940,
    subjects: 'Truyện ngắn; Văn học hiện đại; Văn học Việt Nam',
    ddc: '895.9223',
  },
  {
    title: 'Hương rừng Cà Mau',
    author: 'Sơn Nam',
    publisher: TRE,
    place: HCM,
    year: 2009,
    subjects: 'Truyện ngắn; Nam Bộ; Đồng bằng sông Cửu Long',
    ddc: '895.9223',
  },
  {
    title: 'Văn minh miệt vườn',
    author: 'Sơn Nam',
    publisher: TRE,
    place: HCM,
    year: 2014,
    subjects: 'Văn hóa Nam Bộ; Miệt vườn; Đồng bằng sông Cửu Long',
    ddc: '306.09597',
  },
  {
    title: 'Lịch sử khẩn hoang miền Nam',
    author: 'Sơn Nam',
    publisher: TRE,
    place: HCM,
    year: 2016,
    subjects: 'Lịch sử; Khẩn hoang; Nam Bộ',
    ddc: '959.7',
  },
  {
    title: 'Việt Nam sử lược',
    author: 'Trần Trọng Kim',
    publisher: 'NXB Tổng hợp TP. Hồ Chí Minh',
    place: HCM,
    year: 2005,
    subjects: 'Lịch sử; Việt Nam',
    ddc: '959.7',
  },
  {
    title: 'Việt Nam văn hóa sử cương',
    author: 'Đào Duy Anh',
    publisher: 'Quan hải tùng thư',
    place: 'Huế',
    year: 1938,
    subjects: 'Văn hóa; Lịch sử văn hóa; Việt Nam',
    ddc: '306.09597',
  },
  {
    title: 'Cơ sở văn hóa Việt Nam',
    author: 'Trần Ngọc Thêm',
    publisher: 'NXB Giáo dục',
    place: HN,
    year: 1999,
    subjects: 'Văn hóa; Việt Nam',
    ddc: '306.09597',
  },
  {
    title: 'Kho tàng truyện cổ tích Việt Nam',
    author: 'Nguyễn Đổng Chi',
    publisher: 'NXB Giáo dục',
    place: HN,
    year: 2000,
    subjects: 'Truyện cổ tích; Văn học dân gian',
    ddc: '398.209597',
  },
  {
    title: 'Từ điển tiếng Việt',
    author: 'Hoàng Phê',
    publisher: 'NXB Đà Nẵng',
    place: 'Đà Nẵng',
    year: 2003,
    subjects: 'Tiếng Việt; Từ điển',
    ddc: '495.9223',
  },
  {
    title: 'Cây lúa Việt Nam thế kỷ 20',
    author: 'Nguyễn Văn Luật',
    publisher: 'NXB Nông nghiệp',
    place: HN,
    year: 2001,
    subjects: 'Lúa; Trồng trọt; Nông nghiệp',
    ddc: '633.18',
  },
  {
    title: 'Những cây thuốc và vị thuốc Việt Nam',
    author: 'Đỗ Tất Lợi',
    publisher: 'NXB Y học',
    place: HN,
    year: 2004,
    subjects: 'Cây thuốc; Dược liệu; Y học cổ truyền',
    ddc: '615.321',
  },
  {
    title: 'Nam dược thần hiệu',
    author: 'Tuệ Tĩnh',
    publisher: 'NXB Y học',
    place: HN,
    year: 1960,
    subjects: 'Y học cổ truyền; Thuốc nam',
    ddc: '615.88',
  },
  {
    title: 'Tự học',
    subtitle: 'một nhu cầu thời đại',
    author: 'Nguyễn Hiến Lê',
    publisher: 'NXB Văn hóa - Thông tin',
    place: HN,
    year: 2003,
    subjects: 'Tự học; Học tập suốt đời',
    ddc: '374.1',
  },
  {
    title: 'Tuổi trẻ đáng giá bao nhiêu',
    author: 'Rosie Nguyễn',
    publisher: HNV,
    place: HN,
    year: 2016,
    subjects: 'Kỹ năng sống; Thanh niên',
    ddc: '158.1',
  },
  {
    title: 'Đắc nhân tâm',
    author: 'Carnegie, Dale',
    publisher: 'NXB Tổng hợp TP. Hồ Chí Minh',
    place: HCM,
    year: 2016,
    subjects: 'Kỹ năng sống; Giao tiếp',
    ddc: '158.2',
  },
  { title: 'Nhà giả kim', author: 'Coelho, Paulo', publisher: HNV, place: HN, year: 2013, subjects: 'Tiểu thuyết; Văn học Braxin', ddc: '869.3' },
  {
    title: 'Hoàng tử bé',
    author: 'Saint-Exupéry, Antoine de',
    publisher: HNV,
    place: HN,
    year: 2013,
    subjects: 'Văn học thiếu nhi; Văn học Pháp',
    ddc: '843.912',
  },
  {
    title: 'La musique vietnamienne traditionnelle',
    author: 'Trần Văn Khê',
    publisher: 'Presses universitaires de France',
    place: 'Paris',
    year: 1962,
    subjects: 'Âm nhạc truyền thống; Nhạc cụ dân tộc; Việt Nam',
    ddc: '780.9597',
    language: 'fre',
  },
  {
    title: 'Cánh đồng hoang',
    author: 'Hồng Sến',
    publisher: 'Hãng phim Giải Phóng',
    place: HCM,
    year: 1979,
    subjects: 'Phim truyện; Kháng chiến chống Mỹ; Đồng Tháp Mười',
    ddc: '791.4372',
    material: 'video',
  },
  {
    title: 'Atlat Địa lí Việt Nam',
    publisher: 'NXB Giáo dục Việt Nam',
    place: HN,
    year: 2019,
    subjects: 'Bản đồ; Địa lí; Việt Nam',
    ddc: '912.597',
    material: 'map',
  },
];

/** Leader/06 of the materials that are not books (the quick form writes books). */
const typeOfRecord = { video: 'g', map: 'e' } as const;

/** The demo libraries that hold copies, with the shelf each keeps them on. */
const libraries = [
  { code: 'TV-86', location: 'Kho mượn' },
  { code: 'TV-855', location: 'Phòng đọc tổng hợp' },
  { code: 'TV-859', location: 'Kho sách' },
] as const;

interface Library {
  id: string;
  location: string;
}

interface DemoCopy {
  library: Library;
  barcode: string;
  status: ItemStatus;
}

/**
 * Each title with its copies: one at the provincial library, one at the city library for every
 * other title, one at Vũng Liêm for every third; every fourth copy is out on loan.
 */
function plan(held: Library[]): Array<{ title: DemoTitle; copies: DemoCopy[] }> {
  let n = 0;
  return titles.map((title, i) => ({
    title,
    copies: held
      .filter((_l, l) => l === 0 || (l === 1 && i % 2 === 0) || (l === 2 && i % 3 === 0))
      .map((library): DemoCopy => {
        n += 1;
        return { library, barcode: `DEMO-${String(n).padStart(6, '0')}`, status: n % 4 === 2 ? 'on_loan' : 'available' };
      }),
  }));
}

function marcOf(t: DemoTitle, today: Date): MarcRecord {
  const marc = recordFromSimple(t, today);
  const note: DataField = { tag: '500', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: normalizeVi(DEMO_NOTE) }] };
  const leader = t.material ? `${marc.leader.slice(0, 6)}${typeOfRecord[t.material]}${marc.leader.slice(7)}` : marc.leader;
  return { leader, fields: [...marc.fields, note].sort((a, b) => a.tag.localeCompare(b.tag)) };
}

/** A call number: the DDC class and the first letter of the author (or title). */
function callNumber(t: DemoTitle): string {
  return `${t.ddc ?? ''} ${(t.author ?? t.title).charAt(0).toUpperCase()}`.trim();
}

/**
 * Adds the labelled demo catalogue (about forty well-known titles, each with a note saying it is a
 * demo record) with copies at the demo libraries, some out on loan. A title whose copies are
 * already there is left alone, so running it again adds nothing. Returns the records added.
 */
export async function seedDemoCatalogue(db: Db, actor: Actor): Promise<number> {
  const held: Library[] = [];
  for (const l of libraries) {
    const id = await institutionIdByCode(db, l.code);
    if (!id) throw new Error(`demo library ${l.code} is missing: seed the demo organisations first`);
    held.push({ id, location: l.location });
  }
  const planned = plan(held);
  const barcodes = planned.flatMap((p) => p.copies.map((c) => c.barcode));
  const present = new Set((await db.select({ barcode: items.barcode }).from(items).where(inArray(items.barcode, barcodes))).map((r) => r.barcode));
  const today = new Date();
  let added = 0;
  for (const { title, copies } of planned) {
    const [first] = copies;
    if (!first || copies.some((c) => present.has(c.barcode))) continue;
    const record = await createRecord(db, actor, first.library.id, marcOf(title, today));
    for (const c of copies) {
      await addItem(db, actor, record.id, {
        institutionId: c.library.id,
        barcode: c.barcode,
        callNumber: callNumber(title),
        location: c.library.location,
        status: c.status,
      });
    }
    added += 1;
  }
  return added;
}
