import { boolean, date, index, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';

export const unitLevelEnum = pgEnum('unit_level', ['province', 'district', 'commune']);

/**
 * An administrative unit for a period. Codes are the statistics office's codes; a code can be
 * reused by a different unit after a reorganisation, so a unit is (code, valid_from).
 */
export const adminUnits = pgTable(
  'admin_units',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    /** "Tỉnh", "Huyện", "Thị xã", "Thành phố", "Xã", "Phường", "Thị trấn". */
    kind: text('kind').notNull(),
    level: unitLevelEnum('level').notNull(),
    parentId: uuid('parent_id').references((): AnyPgColumn => adminUnits.id),
    validFrom: date('valid_from').notNull(),
    validTo: date('valid_to'),
    nameFolded: text('name_folded').notNull(),
    sortKey: text('sort_key').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('admin_units_code_from_key').on(t.code, t.validFrom), index('admin_units_parent_idx').on(t.parentId)],
);

/** A predecessor → successor link (merge, split, rename) that keeps figures comparable. */
export const unitSuccessions = pgTable(
  'unit_successions',
  {
    predecessorId: uuid('predecessor_id')
      .notNull()
      .references(() => adminUnits.id, { onDelete: 'cascade' }),
    successorId: uuid('successor_id')
      .notNull()
      .references(() => adminUnits.id, { onDelete: 'cascade' }),
    effectiveOn: date('effective_on').notNull(),
    /** full: the whole predecessor went into the successor; partial: only part of it did (a split). */
    share: text('share').notNull().default('full'),
    note: text('note'),
  },
  (t) => [primaryKey({ columns: [t.predecessorId, t.successorId] }), index('unit_successions_successor_idx').on(t.successorId)],
);

export const institutionTypeEnum = pgEnum('institution_type', [
  'library_provincial',
  'library_district',
  'library_commune',
  'library_university',
  'library_armed_forces',
  'library_school',
  'library_private_community',
  'commune_cultural_post_office',
  'museum_provincial',
  'memorial_house',
  'traditional_house',
  'traditional_house_armed_forces',
  'culture_centre_provincial',
  'culture_centre_district',
  'culture_centre_commune',
]);

export const institutions = pgTable(
  'institutions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    type: institutionTypeEnum('type').notNull(),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => adminUnits.id),
    parentId: uuid('parent_id').references((): AnyPgColumn => institutions.id),
    address: text('address'),
    phone: text('phone'),
    email: text('email'),
    website: text('website'),
    /** Serves the public (for private, community, school and armed-forces libraries). */
    servesPublic: boolean('serves_public').notNull().default(true),
    openedOn: date('opened_on'),
    closedOn: date('closed_on'),
    note: text('note'),
    isDemo: boolean('is_demo').notNull().default(false),
    nameFolded: text('name_folded').notNull(),
    sortKey: text('sort_key').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('institutions_code_key').on(t.code),
    index('institutions_unit_idx').on(t.unitId),
    index('institutions_parent_idx').on(t.parentId),
  ],
);
