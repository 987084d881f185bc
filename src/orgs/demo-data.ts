/**
 * Built-in demonstration data, used when `../shared/fixtures/units` is not beside the checkout.
 *
 * Units: Vĩnh Long province (GSO code 86), its eight districts of 2023 and some of their
 * communes, with the codes and names of the GSO list of 10/04/2023; and some of the communes
 * of the two-level province from 1/7/2025 (Nghị quyết 1687/NQ-UBTVQH15) with the old
 * communes each was formed from. Institutions: the real provincial institutions and district
 * centres and libraries, and a sample of other kinds; all marked as demo data.
 */

export const DEMO_DATA_DATE = '2023-04-10';
export const DEMO_OLD_UNITS_DATE = '2025-03-01';
export const DEMO_REORGANISED_ON = '2025-07-01';

export const demoProvince = { code: '86', name: 'Tỉnh Vĩnh Long', type: 'Tỉnh' };

type Commune = readonly [code: string, name: string, type: 'Xã' | 'Phường' | 'Thị trấn'];

export interface DemoDistrict {
  code: string;
  name: string;
  type: 'Huyện' | 'Thị xã' | 'Thành phố';
  communes: readonly Commune[];
}

export const demoDistricts2023: readonly DemoDistrict[] = [
  {
    code: '855',
    name: 'Thành phố Vĩnh Long',
    type: 'Thành phố',
    communes: [
      ['29542', 'Phường 9', 'Phường'],
      ['29551', 'Phường 2', 'Phường'],
      ['29563', 'Phường Tân Ngãi', 'Phường'],
      ['29566', 'Phường Tân Hòa', 'Phường'],
      ['29569', 'Phường Tân Hội', 'Phường'],
      ['29572', 'Phường Trường An', 'Phường'],
    ],
  },
  {
    code: '857',
    name: 'Huyện Long Hồ',
    type: 'Huyện',
    communes: [
      ['29575', 'Thị trấn Long Hồ', 'Thị trấn'],
      ['29599', 'Xã Long Phước', 'Xã'],
      ['29602', 'Xã Phú Đức', 'Xã'],
      ['29608', 'Xã Long An', 'Xã'],
    ],
  },
  {
    code: '858',
    name: 'Huyện Mang Thít',
    type: 'Huyện',
    communes: [
      ['29623', 'Xã Mỹ An', 'Xã'],
      ['29626', 'Xã Mỹ Phước', 'Xã'],
      ['29632', 'Xã Nhơn Phú', 'Xã'],
      ['29641', 'Thị trấn Cái Nhum', 'Thị trấn'],
    ],
  },
  {
    code: '859',
    name: 'Huyện Vũng Liêm',
    type: 'Huyện',
    communes: [
      ['29659', 'Thị trấn Vũng Liêm', 'Thị trấn'],
      ['29671', 'Xã Trung Chánh', 'Xã'],
      ['29674', 'Xã Tân An Luông', 'Xã'],
      ['29683', 'Xã Trung Hiệp', 'Xã'],
      ['29692', 'Xã Trung Thành', 'Xã'],
      ['29695', 'Xã Trung Hiếu', 'Xã'],
    ],
  },
  {
    code: '860',
    name: 'Huyện Tam Bình',
    type: 'Huyện',
    communes: [
      ['29719', 'Thị trấn Tam Bình', 'Thị trấn'],
      ['29734', 'Xã Hòa Lộc', 'Xã'],
      ['29755', 'Xã Mỹ Thạnh Trung', 'Xã'],
    ],
  },
  {
    code: '861',
    name: 'Thị xã Bình Minh',
    type: 'Thị xã',
    communes: [
      ['29770', 'Phường Cái Vồn', 'Phường'],
      ['29771', 'Phường Thành Phước', 'Phường'],
      ['29806', 'Xã Thuận An', 'Xã'],
    ],
  },
  {
    code: '862',
    name: 'Huyện Trà Ôn',
    type: 'Huyện',
    communes: [
      ['29821', 'Thị trấn Trà Ôn', 'Thị trấn'],
      ['29860', 'Xã Tích Thiện', 'Xã'],
    ],
  },
  {
    code: '863',
    name: 'Huyện Bình Tân',
    type: 'Huyện',
    communes: [
      ['29776', 'Xã Tân Thành', 'Xã'],
      ['29782', 'Xã Tân An Thạnh', 'Xã'],
      ['29785', 'Xã Tân Lược', 'Xã'],
      ['29800', 'Thị trấn Tân Quới', 'Thị trấn'],
    ],
  },
];

export interface DemoCommune2025 {
  code: string;
  name: string;
  type: 'Xã' | 'Phường';
  /** The 2023 communes it was formed from, and whether all of each went into it. */
  formedFrom: readonly (readonly [code: string, share: 'full' | 'partial'])[];
}

export const demoCommunes2025: readonly DemoCommune2025[] = [
  {
    code: '29551',
    name: 'Phường Long Châu',
    type: 'Phường',
    formedFrom: [
      ['29542', 'full'],
      ['29551', 'full'],
      ['29572', 'full'],
    ],
  },
  {
    code: '29566',
    name: 'Phường Tân Ngãi',
    type: 'Phường',
    formedFrom: [
      ['29563', 'full'],
      ['29566', 'full'],
      ['29569', 'full'],
    ],
  },
  {
    code: '29771',
    name: 'Phường Bình Minh',
    type: 'Phường',
    formedFrom: [
      ['29770', 'partial'],
      ['29771', 'partial'],
      ['29806', 'full'],
    ],
  },
  {
    code: '29602',
    name: 'Xã Long Hồ',
    type: 'Xã',
    formedFrom: [
      ['29599', 'full'],
      ['29602', 'full'],
      ['29608', 'full'],
    ],
  },
  {
    code: '29623',
    name: 'Xã Nhơn Phú',
    type: 'Xã',
    formedFrom: [
      ['29623', 'full'],
      ['29626', 'full'],
      ['29632', 'full'],
    ],
  },
  {
    code: '29659',
    name: 'Xã Trung Thành',
    type: 'Xã',
    formedFrom: [
      ['29659', 'full'],
      ['29692', 'full'],
      ['29695', 'full'],
    ],
  },
  {
    code: '29683',
    name: 'Xã Trung Hiệp',
    type: 'Xã',
    formedFrom: [
      ['29671', 'full'],
      ['29674', 'full'],
      ['29683', 'full'],
    ],
  },
  {
    code: '29719',
    name: 'Xã Tam Bình',
    type: 'Xã',
    formedFrom: [
      ['29719', 'partial'],
      ['29755', 'full'],
    ],
  },
  {
    code: '29785',
    name: 'Xã Tân Lược',
    type: 'Xã',
    formedFrom: [
      ['29776', 'full'],
      ['29782', 'full'],
      ['29785', 'full'],
    ],
  },
  {
    code: '29821',
    name: 'Xã Trà Ôn',
    type: 'Xã',
    formedFrom: [
      ['29821', 'partial'],
      ['29860', 'full'],
    ],
  },
];

export interface DemoInstitution {
  code: string;
  name: string;
  type: string;
  /** A unit code; a code reused after 2025 names the unit in force today. */
  unit: string;
  parent?: string;
  servesPublic?: boolean;
  website?: string;
}

/** "Huyện Long Hồ" → "huyện Long Hồ", as the name is written inside another name. */
function inName(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

const districtInstitutions: DemoInstitution[] = demoDistricts2023.flatMap((d) => [
  { code: `TTVH-${d.code}`, name: `Trung tâm Văn hóa, Thông tin và Thể thao ${inName(d.name)}`, type: 'culture_centre_district', unit: d.code },
  { code: `TV-${d.code}`, name: `Thư viện ${inName(d.name)}`, type: 'library_district', unit: d.code, parent: `TTVH-${d.code}` },
]);

export const demoInstitutions: readonly DemoInstitution[] = [
  { code: 'TV-86', name: 'Thư viện tỉnh Vĩnh Long', type: 'library_provincial', unit: '86' },
  { code: 'BT-86', name: 'Bảo tàng tỉnh Vĩnh Long', type: 'museum_provincial', unit: '86' },
  { code: 'TTVHNT-86', name: 'Trung tâm Văn hóa Nghệ thuật tỉnh Vĩnh Long', type: 'culture_centre_provincial', unit: '86' },
  ...districtInstitutions,
  { code: 'TTHTCD-29659', name: 'Trung tâm Văn hóa - Học tập cộng đồng xã Trung Thành', type: 'culture_centre_commune', unit: '29659' },
  { code: 'TTHTCD-29719', name: 'Trung tâm Văn hóa - Học tập cộng đồng xã Tam Bình', type: 'culture_centre_commune', unit: '29719' },
  { code: 'TTHTCD-29785', name: 'Trung tâm Văn hóa - Học tập cộng đồng xã Tân Lược', type: 'culture_centre_commune', unit: '29785' },
  { code: 'TVX-29785', name: 'Thư viện xã Tân Lược', type: 'library_commune', unit: '29785', parent: 'TTHTCD-29785' },
  { code: 'BDVH-29821', name: 'Điểm Bưu điện - Văn hóa xã Trà Ôn', type: 'commune_cultural_post_office', unit: '29821' },
  { code: 'TVCD-29551', name: 'Tủ sách cộng đồng phường Long Châu', type: 'library_private_community', unit: '29551' },
  { code: 'TVTH-NBK', name: 'Thư viện Trường THPT chuyên Nguyễn Bỉnh Khiêm', type: 'library_school', unit: '855', servesPublic: false },
  { code: 'TVTH-LVL', name: 'Thư viện Trường THPT Lưu Văn Liệt', type: 'library_school', unit: '855', servesPublic: false },
  {
    code: 'TVDH-VLUTE',
    name: 'Thư viện Trường Đại học Sư phạm Kỹ thuật Vĩnh Long',
    type: 'library_university',
    unit: '855',
    servesPublic: false,
    website: 'https://vlute.edu.vn',
  },
  { code: 'TVQS-86', name: 'Thư viện Bộ Chỉ huy Quân sự tỉnh Vĩnh Long', type: 'library_armed_forces', unit: '86', servesPublic: false },
  { code: 'NTTQS-86', name: 'Nhà truyền thống Bộ Chỉ huy Quân sự tỉnh Vĩnh Long', type: 'traditional_house_armed_forces', unit: '86' },
  { code: 'NTTCA-86', name: 'Nhà truyền thống Công an tỉnh Vĩnh Long', type: 'traditional_house_armed_forces', unit: '86' },
  { code: 'KLN-PH', name: 'Khu lưu niệm Chủ tịch Hội đồng Bộ trưởng Phạm Hùng', type: 'memorial_house', unit: '29602' },
  { code: 'KTN-VVK', name: 'Khu tưởng niệm Cố Thủ tướng Võ Văn Kiệt', type: 'memorial_house', unit: '29683' },
];
