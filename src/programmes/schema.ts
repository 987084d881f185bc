import { sql } from 'drizzle-orm';
import { boolean, date, index, integer, pgEnum, pgTable, primaryKey, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

export const programmeKindEnum = pgEnum('programme_kind', ['event', 'class', 'club', 'museum_education']);
export const programmeStatusEnum = pgEnum('programme_status', ['draft', 'published', 'cancelled']);
export const registrationStatusEnum = pgEnum('registration_status', ['confirmed', 'waitlisted', 'cancelled']);
export const bookingStatusEnum = pgEnum('booking_status', ['requested', 'confirmed', 'proposed', 'declined', 'cancelled']);

/** A campaign groups programmes of many institutions under one theme and period. */
export const campaigns = pgTable('programme_campaigns', {
  id: uuid('id').primaryKey().defaultRandom(),
  title: text('title').notNull(),
  description: text('description'),
  /** The unit whose officers run the campaign (usually the province). */
  unitId: uuid('unit_id').notNull(),
  startsOn: date('starts_on').notNull(),
  endsOn: date('ends_on').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const programmes = pgTable(
  'programmes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    institutionId: uuid('institution_id').notNull(),
    /** The institution's unit when the programme was last saved, for place filters and calendars. */
    unitId: uuid('unit_id').notNull(),
    kind: programmeKindEnum('kind').notNull(),
    status: programmeStatusEnum('status').notNull().default('draft'),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    venue: text('venue'),
    onlineUrl: text('online_url'),
    /** First occurrence, as a wall-clock time in Asia/Ho_Chi_Minh (stored as the instant). */
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    durationMinutes: integer('duration_minutes').notNull(),
    /** RFC 5545 RRULE (without "RRULE:"), null for a single session. */
    rrule: text('rrule'),
    /** Dates (YYYY-MM-DD, Vietnam time) the rule skips. */
    exdates: date('exdates')
      .array()
      .notNull()
      .default(sql`'{}'::date[]`),
    capacity: integer('capacity').notNull(),
    audiences: text('audiences')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    topics: text('topics')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** Fee in đồng; 0 is free. */
    fee: integer('fee').notNull().default(0),
    accessibility: text('accessibility'),
    imageUrl: text('image_url'),
    campaignId: uuid('campaign_id').references(() => campaigns.id, { onDelete: 'set null' }),
    /** foldVi of title, description and venue, for diacritics-insensitive search. */
    searchFolded: text('search_folded').notNull(),
    /** toneKeyVi of the same text, so a query typed with its marks ranks exact-tone matches first. */
    searchTone: text('search_tone').notNull(),
    sortKey: text('sort_key').notNull(),
    /** Seats taken by confirmed registrations; changed only under the row lock. */
    confirmedCount: integer('confirmed_count').notNull().default(0),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('programmes_institution_idx').on(t.institutionId),
    index('programmes_unit_idx').on(t.unitId),
    index('programmes_campaign_idx').on(t.campaignId),
  ],
);

export const programmeSessions = pgTable(
  'programme_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    programmeId: uuid('programme_id')
      .notNull()
      .references(() => programmes.id, { onDelete: 'cascade' }),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    cancelReason: text('cancel_reason'),
  },
  (t) => [uniqueIndex('programme_sessions_start_key').on(t.programmeId, t.startsAt), index('programme_sessions_starts_idx').on(t.startsAt)],
);

export const registrations = pgTable(
  'programme_registrations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    programmeId: uuid('programme_id')
      .notNull()
      .references(() => programmes.id, { onDelete: 'cascade' }),
    userId: uuid('user_id').notNull(),
    status: registrationStatusEnum('status').notNull(),
    ageGroup: text('age_group'),
    /** What the QR code carries; shown to staff as a short code too. */
    code: text('code').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('programme_registrations_code_key').on(t.code),
    uniqueIndex('programme_registrations_active_key')
      .on(t.programmeId, t.userId)
      .where(sql`${t.status} <> 'cancelled'`),
    index('programme_registrations_user_idx').on(t.userId),
    index('programme_registrations_waitlist_idx').on(t.programmeId, t.status, t.createdAt),
  ],
);

/** One reminder per registration and session, so the timer never sends twice. */
export const reminders = pgTable(
  'programme_reminders',
  {
    registrationId: uuid('registration_id')
      .notNull()
      .references(() => registrations.id, { onDelete: 'cascade' }),
    sessionId: uuid('session_id')
      .notNull()
      .references(() => programmeSessions.id, { onDelete: 'cascade' }),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.registrationId, t.sessionId] })],
);

export const attendance = pgTable(
  'programme_attendance',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    sessionId: uuid('session_id')
      .notNull()
      .references(() => programmeSessions.id, { onDelete: 'cascade' }),
    registrationId: uuid('registration_id').references(() => registrations.id, { onDelete: 'cascade' }),
    bookingId: uuid('booking_id').references(() => groupBookings.id, { onDelete: 'cascade' }),
    /** A walk-in has a name and no registration. */
    walkInName: text('walk_in_name'),
    ageGroup: text('age_group'),
    /** Pupils of a school group count as many people. */
    headcount: smallint('headcount').notNull().default(1),
    method: text('method').notNull(),
    checkedInAt: timestamp('checked_in_at', { withTimezone: true }).notNull().defaultNow(),
    checkedInBy: uuid('checked_in_by'),
  },
  (t) => [
    uniqueIndex('programme_attendance_once_key').on(t.sessionId, t.registrationId),
    uniqueIndex('programme_attendance_booking_key').on(t.sessionId, t.bookingId),
    index('programme_attendance_session_idx').on(t.sessionId),
  ],
);

/** A teacher's booking of a museum education programme for a class of pupils. */
export const groupBookings = pgTable(
  'programme_group_bookings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    programmeId: uuid('programme_id')
      .notNull()
      .references(() => programmes.id, { onDelete: 'cascade' }),
    userId: uuid('user_id').notNull(),
    school: text('school').notNull(),
    className: text('class_name'),
    pupils: integer('pupils').notNull(),
    requestedDate: date('requested_date').notNull(),
    proposedDate: date('proposed_date'),
    status: bookingStatusEnum('status').notNull().default('requested'),
    note: text('note'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('programme_group_bookings_programme_idx').on(t.programmeId), index('programme_group_bookings_user_idx').on(t.userId)],
);

/** A day marked on the calendars: national days (preloaded) and local anniversaries. */
export const calendarMarkers = pgTable(
  'programme_calendar_markers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Stable key of a preloaded national day; null for local ones. */
    key: text('key'),
    title: text('title').notNull(),
    description: text('description'),
    month: smallint('month').notNull(),
    day: smallint('day').notNull(),
    /** How many days it lasts (a week is 7). */
    days: smallint('days').notNull().default(1),
    /** Null: every year. */
    year: smallint('year'),
    /** Null: the whole country; otherwise shown on the calendars of this unit and above/below it. */
    unitId: uuid('unit_id'),
    hidden: boolean('hidden').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('programme_calendar_markers_key').on(t.key)],
);

/** The secret in the address of a citizen's own calendar feed (calendar apps send no cookies). */
export const calendarFeeds = pgTable(
  'programme_calendar_feeds',
  {
    userId: uuid('user_id').primaryKey(),
    token: text('token').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('programme_calendar_feeds_token_key').on(t.token)],
);
