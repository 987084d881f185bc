import { Type, type Static } from 'typebox';
import { IsoDate, Nullable, Uuid } from '../platform/http/schemas.js';

export const programmeKinds = ['event', 'class', 'club', 'museum_education'] as const;
export type ProgrammeKind = (typeof programmeKinds)[number];

export const topics = ['reading', 'digital_skills', 'local_history', 'arts', 'sports', 'life_skills', 'foreign_languages'] as const;
export type Topic = (typeof topics)[number];

/** Who a programme is for; "staff" marks the training courses of the plan's training task. */
export const audiences = ['children', 'teenagers', 'adults', 'older_people', 'pupils', 'people_with_disabilities', 'families', 'staff'] as const;
export type Audience = (typeof audiences)[number];

/** The age bands attendance is counted in; a registrant may leave it blank. */
export const ageGroups = ['under_6', '6_14', '15_17', '18_35', '36_59', '60_plus'] as const;
export type AgeGroup = (typeof ageGroups)[number];

const DAY = 86_400_000;
/** Vietnam has kept UTC+7 without daylight saving since 1975. */
export const VN_OFFSET = 7 * 3_600_000;
export const ZONE = 'Asia/Ho_Chi_Minh';

/** The instant of a wall-clock date and time in Vietnam. */
export function vnInstant(date: string, time = '00:00'): Date {
  return new Date(`${date}T${time}:00+07:00`);
}

/** The Vietnamese calendar date (YYYY-MM-DD) of an instant. */
export function vnDate(at: Date): string {
  return new Date(at.getTime() + VN_OFFSET).toISOString().slice(0, 10);
}

/** The Vietnamese wall-clock time (HH:MM) of an instant. */
export function vnTime(at: Date): string {
  return new Date(at.getTime() + VN_OFFSET).toISOString().slice(11, 16);
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
}

/** Monday of the week the date falls in. */
export function weekStart(date: string): string {
  const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
  return addDays(date, -((dow + 6) % 7));
}

export function isDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

const DateString = IsoDate;
const TimeString = Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$' });

const programmeFields = {
  kind: Type.Enum(programmeKinds),
  title: Type.String({ minLength: 1, maxLength: 300 }),
  description: Type.Optional(Type.String({ maxLength: 20_000 })),
  institutionId: Uuid,
  venue: Type.Optional(Type.String({ maxLength: 500 })),
  onlineUrl: Type.Optional(Type.String({ format: 'uri', pattern: '^https?://', maxLength: 1000 })),
  startDate: DateString,
  startTime: TimeString,
  endTime: TimeString,
  rrule: Type.Optional(Type.String({ maxLength: 500 })),
  exdates: Type.Optional(Type.Array(DateString, { maxItems: 366 })),
  capacity: Type.Integer({ minimum: 1, maximum: 100_000 }),
  audiences: Type.Optional(Type.Array(Type.Enum(audiences), { maxItems: audiences.length })),
  topics: Type.Optional(Type.Array(Type.Enum(topics), { maxItems: topics.length })),
  fee: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000_000 })),
  accessibility: Type.Optional(Type.String({ maxLength: 2000 })),
  imageUrl: Type.Optional(Type.String({ format: 'uri-reference', pattern: '^(https?://|/[^/])', maxLength: 1000 })),
  campaignId: Type.Optional(Nullable(Uuid)),
};

export const ProgrammeInput = Type.Object(programmeFields, { additionalProperties: false });
export type ProgrammeInput = Static<typeof ProgrammeInput>;

export const RegistrationInput = Type.Object(
  {
    ageGroup: Type.Optional(Type.Enum(ageGroups)),
  },
  { additionalProperties: false },
);
export type RegistrationInput = Static<typeof RegistrationInput>;

export const CancelSessionInput = Type.Object({ reason: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false });

export const CheckInInput = Type.Object({ code: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false });

export const WalkInInput = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    ageGroup: Type.Optional(Type.Enum(ageGroups)),
  },
  { additionalProperties: false },
);
export type WalkInInput = Static<typeof WalkInInput>;

export const BookingInput = Type.Object(
  {
    school: Type.String({ minLength: 1, maxLength: 300 }),
    className: Type.Optional(Type.String({ maxLength: 100 })),
    pupils: Type.Integer({ minimum: 1, maximum: 1000 }),
    date: DateString,
    note: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export type BookingInput = Static<typeof BookingInput>;

export const DeclineInput = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false });

export const ProposeInput = Type.Object({ date: DateString, note: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false });

export const CampaignInput = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 300 }),
    description: Type.Optional(Type.String({ maxLength: 5000 })),
    unitId: Uuid,
    startsOn: DateString,
    endsOn: DateString,
  },
  { additionalProperties: false },
);
export type CampaignInput = Static<typeof CampaignInput>;

/** An edit also says which programmes belong to the campaign (all of them; the rest are taken out). */
export const CampaignEditInput = Type.Object(
  {
    ...CampaignInput.properties,
    programmeIds: Type.Array(Uuid, { maxItems: 500, uniqueItems: true }),
  },
  { additionalProperties: false },
);
export type CampaignEditInput = Static<typeof CampaignEditInput>;

export const MarkerInput = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 300 }),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    month: Type.Integer({ minimum: 1, maximum: 12 }),
    day: Type.Integer({ minimum: 1, maximum: 31 }),
    days: Type.Optional(Type.Integer({ minimum: 1, maximum: 31 })),
    year: Type.Optional(Nullable(Type.Integer({ minimum: 1900, maximum: 2200 }))),
    unitId: Type.Optional(Nullable(Uuid)),
    hidden: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type MarkerInput = Static<typeof MarkerInput>;

export const PeriodQuery = Type.Object({
  from: DateString,
  to: DateString,
  unitId: Type.Optional(Uuid),
  institutionId: Type.Optional(Uuid),
});
export type PeriodQuery = Static<typeof PeriodQuery>;
