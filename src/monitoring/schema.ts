import {
  bigint,
  bigserial,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  boolean,
} from 'drizzle-orm/pg-core';
import type { IndicatorDefinition } from './model.js';

/** An indicator of the plan; its definition is data, edited by the Department and versioned. */
export const monitoringIndicators = pgTable(
  'monitoring_indicators',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    code: text('code').notNull(),
    position: integer('position').notNull().default(0),
    version: integer('version').notNull().default(1),
    definition: jsonb('definition').$type<IndicatorDefinition>().notNull(),
    retiredAt: timestamp('retired_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('monitoring_indicators_code_key').on(t.code)],
);

/** Every definition an indicator has had, with who changed it and why. */
export const monitoringIndicatorVersions = pgTable(
  'monitoring_indicator_versions',
  {
    indicatorId: uuid('indicator_id')
      .notNull()
      .references(() => monitoringIndicators.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    definition: jsonb('definition').$type<IndicatorDefinition>().notNull(),
    note: text('note'),
    changedBy: text('changed_by').notNull(),
    changedAt: timestamp('changed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.indicatorId, t.version] })],
);

/** An institution's declaration that it met a criterion in a year, and an officer's override. */
export const monitoringCriteria = pgTable(
  'monitoring_criteria',
  {
    institutionId: uuid('institution_id').notNull(),
    year: integer('year').notNull(),
    criterion: text('criterion').notNull(),
    declared: boolean('declared'),
    evidenceText: text('evidence_text'),
    evidenceUrl: text('evidence_url'),
    declaredBy: text('declared_by'),
    declaredAt: timestamp('declared_at', { withTimezone: true }),
    override: boolean('override'),
    overrideReason: text('override_reason'),
    overriddenBy: text('overridden_by'),
    overriddenAt: timestamp('overridden_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.institutionId, t.year, t.criterion] })],
);

/** Visit counts of one institution for a day or a month (then `day` is the month's first day). */
export const monitoringVisits = pgTable(
  'monitoring_visits',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    institutionId: uuid('institution_id').notNull(),
    day: date('day').notNull(),
    granularity: text('granularity').notNull(),
    channel: text('channel').notNull(),
    purpose: text('purpose').notNull(),
    visitors: integer('visitors').notNull(),
    schoolGroupVisitors: integer('school_group_visitors').notNull().default(0),
    method: text('method').notNull(),
    source: text('source').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('monitoring_visits_key').on(t.institutionId, t.day, t.granularity, t.channel, t.purpose),
    index('monitoring_visits_day_idx').on(t.day),
  ],
);

/** Monthly totals kept beside the counts so dashboards read a few rows per institution and year. */
export const monitoringVisitMonths = pgTable(
  'monitoring_visit_months',
  {
    institutionId: uuid('institution_id').notNull(),
    month: date('month').notNull(),
    channel: text('channel').notNull(),
    visitors: integer('visitors').notNull(),
    schoolGroupVisitors: integer('school_group_visitors').notNull(),
    estimated: integer('estimated').notNull(),
  },
  (t) => [primaryKey({ columns: [t.institutionId, t.month, t.channel] }), index('monitoring_visit_months_month_idx').on(t.month)],
);

/**
 * Yearly totals per institution, channel and purpose, kept in the transaction that writes the
 * counts, so the dashboard reads one row per institution and year instead of every day.
 */
export const monitoringVisitYears = pgTable(
  'monitoring_visit_years',
  {
    institutionId: uuid('institution_id').notNull(),
    year: integer('year').notNull(),
    channel: text('channel').notNull(),
    purpose: text('purpose').notNull(),
    visitors: bigint('visitors', { mode: 'number' }).notNull(),
    schoolGroupVisitors: bigint('school_group_visitors', { mode: 'number' }).notNull(),
    estimated: bigint('estimated', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.institutionId, t.year, t.channel, t.purpose] }), index('monitoring_visit_years_year_idx').on(t.year)],
);

/** A reporting period the Department opens: a year, or one quarter of it. */
export const monitoringPeriods = pgTable(
  'monitoring_periods',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    year: integer('year').notNull(),
    quarter: integer('quarter'),
    deadline: date('deadline').notNull(),
    status: text('status').notNull().default('open'),
    openedBy: text('opened_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('monitoring_periods_key').on(t.year, t.quarter)],
);

/** One institution's data set for a period and where it stands in the review. */
export const monitoringSubmissions = pgTable(
  'monitoring_submissions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    periodId: uuid('period_id')
      .notNull()
      .references(() => monitoringPeriods.id, { onDelete: 'cascade' }),
    institutionId: uuid('institution_id').notNull(),
    status: text('status').notNull().default('draft'),
    values: jsonb('values').$type<Record<string, number | string | null>>().notNull().default({}),
    observed: jsonb('observed').$type<Record<string, number>>().notNull().default({}),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    firstSubmittedAt: timestamp('first_submitted_at', { withTimezone: true }),
    reviewComment: text('review_comment'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('monitoring_submissions_key').on(t.periodId, t.institutionId),
    index('monitoring_submissions_institution_idx').on(t.institutionId),
  ],
);

/** The history of a submission: every transition with who, when and the comment or reason. */
export const monitoringSubmissionEvents = pgTable(
  'monitoring_submission_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    submissionId: uuid('submission_id')
      .notNull()
      .references(() => monitoringSubmissions.id, { onDelete: 'cascade' }),
    action: text('action').notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status').notNull(),
    comment: text('comment'),
    actorLabel: text('actor_label').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('monitoring_submission_events_submission_idx').on(t.submissionId)],
);

/** Reminders already queued, so each (period, institution, days before) goes out once. */
export const monitoringReminders = pgTable(
  'monitoring_reminders',
  {
    periodId: uuid('period_id')
      .notNull()
      .references(() => monitoringPeriods.id, { onDelete: 'cascade' }),
    institutionId: uuid('institution_id').notNull(),
    daysBefore: integer('days_before').notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.periodId, t.institutionId, t.daysBefore] })],
);

/** A file an institution attached as evidence for a criterion it declares; `stored_name` is its content hash in the file storage. */
export const monitoringEvidenceFiles = pgTable(
  'monitoring_evidence_files',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    institutionId: uuid('institution_id').notNull(),
    year: integer('year').notNull(),
    criterion: text('criterion').notNull(),
    fileName: text('file_name').notNull(),
    kind: text('kind').notNull(),
    bytes: integer('bytes').notNull(),
    storedName: text('stored_name').notNull(),
    uploadedBy: text('uploaded_by').notNull(),
    uploadedAt: timestamp('uploaded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('monitoring_evidence_files_criterion_idx').on(t.institutionId, t.year, t.criterion)],
);
