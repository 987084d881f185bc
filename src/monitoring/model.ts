import { Type, type Static } from 'typebox';
import { IsoDate, Uuid } from '../platform/http/schemas.js';

/** What an institution meets or not in a year, decided from activity, a declaration or an officer. */
export const criteria = ['lll_services', 'it_applied', 'classes_clubs', 'creative_activities', 'e_library', 'museum_grade_ii'] as const;
export type Criterion = (typeof criteria)[number];

/** Yearly figures of an institution that indicators add up or follow over time. */
export const measures = ['library_visits', 'museum_visitors', 'education_programmes', 'programmes_held', 'attendance', 'staff_trained'] as const;
export type Measure = (typeof measures)[number];

export const formulaKinds = ['share', 'count', 'sum', 'growth'] as const;
export type FormulaKind = (typeof formulaKinds)[number];

const Localised = Type.Object(
  { vi: Type.String({ minLength: 1, maxLength: 300 }), en: Type.String({ minLength: 1, maxLength: 300 }) },
  { additionalProperties: false },
);

export const Formula = Type.Union([
  Type.Object({ kind: Type.Literal('share'), criterion: Type.Enum(criteria) }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('count'), criterion: Type.Enum(criteria) }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('sum'), measure: Type.Enum(measures) }, { additionalProperties: false }),
  Type.Object(
    { kind: Type.Literal('growth'), measure: Type.Enum(measures), baseYear: Type.Integer({ minimum: 2000, maximum: 2100 }) },
    { additionalProperties: false },
  ),
]);
export type Formula = Static<typeof Formula>;

export const Target = Type.Object(
  {
    year: Type.Integer({ minimum: 2000, maximum: 2100 }),
    value: Type.Number({ minimum: 0, maximum: 1_000_000 }),
    upper: Type.Optional(Type.Number({ minimum: 0, maximum: 1_000_000 })),
  },
  { additionalProperties: false },
);
export type Target = Static<typeof Target>;

export const IndicatorDefinition = Type.Object(
  {
    name: Localised,
    section: Type.String({ minLength: 1, maxLength: 40 }),
    groupName: Localised,
    types: Type.Array(Type.String({ minLength: 1, maxLength: 60 }), { minItems: 1, maxItems: 20 }),
    formula: Formula,
    targets: Type.Array(Target, { maxItems: 30 }),
  },
  { additionalProperties: false },
);
export type IndicatorDefinition = Static<typeof IndicatorDefinition>;

export const submissionStatuses = ['draft', 'submitted', 'returned', 'accepted', 'approved'] as const;
export type SubmissionStatus = (typeof submissionStatuses)[number];

export const transitions = ['submit', 'return', 'accept', 'approve', 'reopen'] as const;
export type Transition = (typeof transitions)[number];

/** Where each transition may start and where it leads. */
export const flow: Record<Transition, { from: readonly SubmissionStatus[]; to: SubmissionStatus }> = {
  submit: { from: ['draft', 'returned'], to: 'submitted' },
  return: { from: ['submitted', 'accepted'], to: 'returned' },
  accept: { from: ['submitted'], to: 'accepted' },
  approve: { from: ['accepted'], to: 'approved' },
  reopen: { from: ['approved'], to: 'returned' },
};

export const visitChannels = ['in_person', 'digital'] as const;
export const visitPurposes = ['reading', 'borrowing', 'learning', 'research', 'museum_tour', 'unknown'] as const;
export const visitMethods = ['counted', 'estimated'] as const;
export type VisitChannel = (typeof visitChannels)[number];
export type VisitPurpose = (typeof visitPurposes)[number];
export type VisitMethod = (typeof visitMethods)[number];

export const VisitInput = Type.Object(
  {
    institutionId: Uuid,
    date: IsoDate,
    granularity: Type.Optional(Type.Union([Type.Literal('day'), Type.Literal('month')])),
    channel: Type.Optional(Type.Enum(visitChannels)),
    purpose: Type.Optional(Type.Enum(visitPurposes)),
    visitors: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
    schoolGroupVisitors: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
    method: Type.Optional(Type.Enum(visitMethods)),
  },
  { additionalProperties: false },
);
export type VisitInput = Static<typeof VisitInput>;

export type Family = 'library' | 'museum' | 'centre';

export function familyOf(type: string): Family {
  if (type.startsWith('museum') || type === 'memorial_house' || type.startsWith('traditional_house')) return 'museum';
  if (type.startsWith('culture_centre')) return 'centre';
  return 'library';
}

/** A number on a yearly form: who sees it, its bounds, and whether the platform can observe it. */
export interface FormField {
  name: string;
  families: readonly Family[];
  max: number;
  required: boolean;
  /** The measure it feeds, when an indicator follows it. */
  measure?: Measure;
}

const all: readonly Family[] = ['library', 'museum', 'centre'];

export const formFields: readonly FormField[] = [
  { name: 'visitsInPerson', families: ['library', 'centre'], max: 10_000_000, required: true, measure: 'library_visits' },
  { name: 'visitsDigital', families: ['library'], max: 100_000_000, required: false },
  { name: 'museumVisitors', families: ['museum'], max: 10_000_000, required: true, measure: 'museum_visitors' },
  { name: 'schoolGroupVisitors', families: ['museum'], max: 10_000_000, required: false },
  { name: 'programmesHeld', families: all, max: 100_000, required: true, measure: 'programmes_held' },
  { name: 'sessionsHeld', families: all, max: 1_000_000, required: false },
  { name: 'registrations', families: all, max: 10_000_000, required: false },
  { name: 'attendance', families: all, max: 100_000_000, required: false, measure: 'attendance' },
  { name: 'educationProgrammes', families: ['museum'], max: 10_000, required: false, measure: 'education_programmes' },
  { name: 'classesAndClubs', families: ['centre'], max: 10_000, required: false },
  { name: 'staffTrained', families: all, max: 100_000, required: true, measure: 'staff_trained' },
  { name: 'digitalResources', families: ['library', 'museum'], max: 100_000_000, required: false },
  { name: 'volunteers', families: all, max: 1_000_000, required: false },
  { name: 'sponsorshipVnd', families: all, max: 1_000_000_000_000, required: false },
];

export function fieldsFor(type: string): FormField[] {
  const family = familyOf(type);
  return formFields.filter((f) => f.families.includes(family));
}

/** Which form field carries a measure the platform also observes. */
export const measureField: Record<Measure, string> = {
  library_visits: 'visitsInPerson',
  museum_visitors: 'museumVisitors',
  education_programmes: 'educationProgrammes',
  programmes_held: 'programmesHeld',
  attendance: 'attendance',
  staff_trained: 'staffTrained',
};

export type IndicatorStatus = 'met' | 'on_track' | 'behind' | 'no_data';

/** Reports for years before the reorganisation roll up by district; later ones by commune. */
export function rollupLevel(year: number): 'district' | 'commune' {
  return year <= 2024 ? 'district' : 'commune';
}

/** The day an institution's place in the network is read for a year: the year's last day. */
export function referenceDate(year: number): string {
  return `${year}-12-31`;
}

export const DEFAULT_DEADLINE = { month: 11, day: 15 } as const;
export const REMINDER_DAYS = [14, 7, 1] as const;
