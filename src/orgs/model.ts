import { Type, type Static, type TSchema } from 'typebox';
import { foldVi } from '../platform/text/index.js';
import { institutionTypeEnum, unitLevelEnum, type adminUnits, type institutions } from './schema.js';
import { IsoDate, isUuid, Nullable, Uuid } from '../platform/http/schemas.js';

export type UnitRow = typeof adminUnits.$inferSelect;
export type InstitutionRow = typeof institutions.$inferSelect;

export const unitLevels = unitLevelEnum.enumValues;
export type UnitLevel = (typeof unitLevels)[number];
export const institutionTypes = institutionTypeEnum.enumValues;
export type InstitutionType = (typeof institutionTypes)[number];

/** Depth in the hierarchy: a parent's rank is below its child's. */
export const levelRank: Record<UnitLevel, number> = { province: 0, district: 1, commune: 2 };

/** The kinds of unit each level may have (Luật Tổ chức chính quyền địa phương). */
export const kindsByLevel: Record<UnitLevel, readonly string[]> = {
  province: ['Tỉnh', 'Thành phố'],
  district: ['Huyện', 'Quận', 'Thị xã', 'Thành phố'],
  commune: ['Xã', 'Phường', 'Thị trấn', 'Đặc khu'],
};

/** The last day of three-level local government; districts were abolished from 1/7/2025. */
export const THREE_LEVEL_END = '2025-06-30';

/** The kind a unit's full name starts with ("Thị xã Bình Minh" → "Thị xã"), longest first. */
export function kindFromName(name: string, level?: UnitLevel): string | undefined {
  const kinds = level ? kindsByLevel[level] : [...new Set(Object.values(kindsByLevel).flat())];
  return [...kinds].sort((a, b) => b.length - a.length).find((k) => name === k || name.startsWith(`${k} `));
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const VN_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;

/** "2025-07-01" or "1/7/2025" → "2025-07-01"; undefined when it is not a real calendar date. */
export function parseDate(value: string): string | undefined {
  const v = value.trim();
  const iso = ISO_DATE.exec(v);
  const vn = VN_DATE.exec(v);
  const [y, m, d] = iso ? [iso[1], iso[2], iso[3]] : vn ? [vn[3], vn[2], vn[1]] : [];
  if (!y || !m || !d) return undefined;
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  if (date.getUTCFullYear() !== Number(y) || date.getUTCMonth() !== Number(m) - 1 || date.getUTCDate() !== Number(d)) return undefined;
  return date.toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

export interface Period {
  validFrom: string;
  validTo: string | null;
}

export function inForce(p: Period, on: string): boolean {
  return p.validFrom <= on && (p.validTo === null || p.validTo >= on);
}

export function overlaps(a: Period, b: Period): boolean {
  return (a.validTo === null || a.validTo >= b.validFrom) && (b.validTo === null || b.validTo >= a.validFrom);
}

/** Whether `outer` covers every day of `inner`. */
export function covers(outer: Period, inner: Period): boolean {
  if (outer.validFrom > inner.validFrom) return false;
  if (outer.validTo === null) return true;
  return inner.validTo !== null && inner.validTo <= outer.validTo;
}

/** Level names people type in files: English or Vietnamese, with or without marks. */
export function parseLevel(value: string): UnitLevel | undefined {
  const v = foldVi(value);
  if (v === 'province' || v === 'tinh') return 'province';
  if (v === 'district' || v === 'huyen') return 'district';
  if (v === 'commune' || v === 'xa') return 'commune';
  return undefined;
}

const Code = Type.String({ pattern: '^\\s*[0-9]{2,10}\\s*$', maxLength: 20 });
const Name = Type.String({ minLength: 1, maxLength: 200 });
const DateString = IsoDate;
const InstitutionCode = Type.String({ pattern: '^\\s*[A-Za-z0-9][A-Za-z0-9._-]{0,39}\\s*$', maxLength: 50 });

const unitFields = {
  code: Code,
  name: Name,
  kind: Type.String({ minLength: 1, maxLength: 40 }),
  level: Type.Enum(unitLevels),
  parentCode: Type.Optional(Nullable(Code)),
  validFrom: DateString,
  validTo: Type.Optional(Nullable(DateString)),
};

export const UnitInput = Type.Object(unitFields, { additionalProperties: false });
export type UnitInput = Static<typeof UnitInput>;
export const UnitPatch = Type.Partial(Type.Object(unitFields), { additionalProperties: false });
export type UnitPatch = Static<typeof UnitPatch>;

export const SuccessionInput = Type.Object(
  {
    predecessorId: Uuid,
    successorId: Uuid,
    effectiveOn: DateString,
    share: Type.Optional(Type.Union([Type.Literal('full'), Type.Literal('partial')])),
    note: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  },
  { additionalProperties: false },
);
export type SuccessionInput = Static<typeof SuccessionInput>;

const Optional = <T extends TSchema>(t: T) => Type.Optional(Nullable(t));

const institutionFields = {
  code: InstitutionCode,
  name: Name,
  type: Type.Enum(institutionTypes),
  unitCode: Code,
  parentCode: Optional(InstitutionCode),
  address: Optional(Type.String({ maxLength: 300 })),
  phone: Optional(Type.String({ pattern: '^[0-9 +().-]{6,20}$', maxLength: 20 })),
  email: Optional(Type.String({ format: 'email', maxLength: 254 })),
  website: Optional(Type.String({ format: 'uri', pattern: '^https?://', maxLength: 300 })),
  servesPublic: Type.Optional(Type.Boolean()),
  openedOn: Optional(DateString),
  closedOn: Optional(DateString),
  note: Optional(Type.String({ maxLength: 2000 })),
};

export const InstitutionInput = Type.Object(institutionFields, { additionalProperties: false });
export type InstitutionInput = Static<typeof InstitutionInput>;
export const InstitutionPatch = Type.Partial(Type.Object(institutionFields), { additionalProperties: false });
export type InstitutionPatch = Static<typeof InstitutionPatch>;

export const staffRoles = ['staff', 'manager', 'unit_officer', 'dept_admin'] as const;

export const InviteInput = Type.Object(
  {
    email: Type.String({ format: 'email', maxLength: 254 }),
    role: Type.Enum(staffRoles),
    institutionId: Type.Optional(Uuid),
    unitId: Type.Optional(Uuid),
  },
  { additionalProperties: false },
);
export type InviteInput = Static<typeof InviteInput>;

export { isUuid };
