import type { IndicatorDefinition } from '../model.js';

const libraries = [
  'library_provincial',
  'library_district',
  'library_commune',
  'library_university',
  'library_armed_forces',
  'library_school',
  'library_private_community',
];
const museums = ['museum_provincial', 'memorial_house', 'traditional_house', 'traditional_house_armed_forces'];

interface Group {
  key: string;
  types: string[];
  vi: string;
  en: string;
}

const libraryGroups: Group[] = [
  { key: 'provincial', types: ['library_provincial'], vi: 'Thư viện tỉnh', en: 'Provincial library' },
  { key: 'district', types: ['library_district'], vi: 'Thư viện công cộng cấp huyện', en: 'District public libraries' },
  { key: 'commune', types: ['library_commune'], vi: 'Thư viện công cộng cấp xã', en: 'Commune public libraries' },
  { key: 'university', types: ['library_university'], vi: 'Thư viện trường đại học', en: 'University libraries' },
  { key: 'armed_forces', types: ['library_armed_forces'], vi: 'Thư viện lực lượng vũ trang', en: 'Armed-forces libraries' },
  {
    key: 'school',
    types: ['library_school'],
    vi: 'Thư viện cơ sở giáo dục phổ thông, giáo dục nghề nghiệp và cơ sở giáo dục khác',
    en: 'Libraries of schools, vocational and other education institutions',
  },
];

/** 2025 and 2030 targets of section II.2.1 (percent; the provincial library's "yes" is 100%). */
const lllTargets: Record<string, [number, number]> = {
  provincial: [100, 100],
  district: [70, 90],
  commune: [40, 60],
  university: [90, 100],
  armed_forces: [80, 100],
  school: [70, 90],
};
const itTargets: Record<string, [number, number]> = {
  provincial: [100, 100],
  district: [60, 70],
  commune: [20, 30],
  university: [90, 100],
  armed_forces: [80, 80],
  school: [70, 80],
};

export interface SeedIndicator {
  code: string;
  definition: IndicatorDefinition;
}

function share(
  code: string,
  section: string,
  g: Group,
  criterion: 'lll_services' | 'it_applied',
  name: { vi: string; en: string },
  t: [number, number],
): SeedIndicator {
  return {
    code,
    definition: {
      name,
      section,
      groupName: { vi: g.vi, en: g.en },
      types: g.types,
      formula: { kind: 'share', criterion },
      targets: [
        { year: 2025, value: t[0] },
        { year: 2030, value: t[1] },
      ],
    },
  };
}

/** Every target of Decision 596/QĐ-UBND (section II.2) as an indicator. */
export const planIndicators: SeedIndicator[] = [
  ...libraryGroups.map((g) =>
    share(
      `lll.${g.key}`,
      'II.2.1',
      g,
      'lll_services',
      {
        vi: `${g.vi} có cung cấp dịch vụ phục vụ học tập suốt đời`,
        en: `${g.en} providing lifelong-learning services`,
      },
      lllTargets[g.key] ?? [0, 0],
    ),
  ),
  ...libraryGroups.map((g) =>
    share(
      `it.${g.key}`,
      'II.2.1',
      g,
      'it_applied',
      {
        vi: `${g.vi} ứng dụng công nghệ thông tin và chuyển đổi số`,
        en: `${g.en} applying IT and digital transformation`,
      },
      itTargets[g.key] ?? [0, 0],
    ),
  ),
  {
    code: 'visits.libraries',
    definition: {
      name: { vi: 'Tăng trưởng bình quân số lượt người sử dụng thư viện phục vụ học tập', en: 'Average yearly growth of library use for learning' },
      section: 'II.2.1',
      groupName: { vi: 'Toàn bộ thư viện', en: 'All libraries' },
      types: libraries,
      formula: { kind: 'growth', measure: 'library_visits', baseYear: 2023 },
      targets: [
        { year: 2025, value: 10 },
        { year: 2030, value: 10, upper: 15 },
      ],
    },
  },
  {
    code: 'elibrary.provincial',
    definition: {
      name: { vi: 'Thư viện tỉnh hoạt động theo mô hình thư viện điện tử hiện đại', en: 'Provincial library working as a modern electronic library' },
      section: 'II.2.1',
      groupName: { vi: 'Thư viện tỉnh', en: 'Provincial library' },
      types: ['library_provincial'],
      formula: { kind: 'count', criterion: 'e_library' },
      targets: [
        { year: 2025, value: 1 },
        { year: 2030, value: 1 },
      ],
    },
  },
  {
    code: 'museum.grade2',
    definition: {
      name: { vi: 'Bảo tàng tỉnh đạt tiêu chí Bảo tàng hạng II', en: 'Provincial museum meeting grade II criteria' },
      section: 'II.2.2',
      groupName: { vi: 'Bảo tàng tỉnh', en: 'Provincial museum' },
      types: ['museum_provincial'],
      formula: { kind: 'count', criterion: 'museum_grade_ii' },
      targets: [{ year: 2025, value: 1 }],
    },
  },
  {
    code: 'museum.education',
    definition: {
      name: {
        vi: 'Chương trình giáo dục lịch sử, văn hóa, khoa học, nghệ thuật của Bảo tàng tỉnh',
        en: 'Education programmes of the provincial museum (history, culture, science, art)',
      },
      section: 'II.2.2',
      groupName: { vi: 'Bảo tàng tỉnh', en: 'Provincial museum' },
      types: ['museum_provincial'],
      formula: { kind: 'sum', measure: 'education_programmes' },
      targets: [
        { year: 2025, value: 1 },
        { year: 2030, value: 3, upper: 5 },
      ],
    },
  },
  {
    code: 'visits.museums',
    definition: {
      name: {
        vi: 'Tăng trưởng bình quân lượt khách tham quan bảo tàng để nghiên cứu, học tập',
        en: 'Average yearly growth of museum visitors for research and learning',
      },
      section: 'II.2.2',
      groupName: { vi: 'Bảo tàng tỉnh, nhà lưu niệm, nhà truyền thống', en: 'Provincial museum, memorial and traditional houses' },
      types: museums,
      formula: { kind: 'growth', measure: 'museum_visitors', baseYear: 2023 },
      targets: [
        { year: 2025, value: 10 },
        { year: 2030, value: 10, upper: 15 },
      ],
    },
  },
  {
    code: 'centres.district',
    definition: {
      name: {
        vi: 'Trung tâm VH-TT-TT cấp huyện tổ chức, hỗ trợ hoạt động sáng tạo, hưởng thụ văn hóa, thể thao, du lịch',
        en: 'District culture centres organising creative, cultural, sports and tourism activities',
      },
      section: 'II.2.3',
      groupName: { vi: 'Trung tâm Văn hóa, Thông tin và Thể thao cấp huyện', en: 'District culture, information and sports centres' },
      types: ['culture_centre_district'],
      formula: { kind: 'share', criterion: 'creative_activities' },
      targets: [
        { year: 2025, value: 80 },
        { year: 2030, value: 100 },
      ],
    },
  },
  {
    code: 'centres.commune',
    definition: {
      name: {
        vi: 'Trung tâm văn hóa - học tập cộng đồng xã có lớp năng khiếu, câu lạc bộ, nhóm sở thích',
        en: 'Commune culture and community-learning centres with classes, clubs or interest groups',
      },
      section: 'II.2.3',
      groupName: { vi: 'Trung tâm văn hóa và học tập cộng đồng cấp xã', en: 'Commune culture and community-learning centres' },
      types: ['culture_centre_commune'],
      formula: { kind: 'share', criterion: 'classes_clubs' },
      targets: [
        { year: 2025, value: 70 },
        { year: 2030, value: 100 },
      ],
    },
  },
];
