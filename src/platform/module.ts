import type { FastifyInstance } from 'fastify';
import type { VNode } from 'preact';
import type { Actor, Grant } from './access.js';
import type { Db } from './db/index.js';
import type { PageContext } from './web/context.js';

/** A top-level page in the header menu. */
export interface NavEntry {
  href: string;
  /** Message key of the label. */
  key: string;
  /** Place in the menu, lowest first. */
  order: number;
  visible?: (ctx: PageContext) => boolean;
}

/** A part of the home page: rendered in order, or left out when it returns null. */
export interface HomePart {
  order: number;
  render: (ctx: PageContext, db: Db) => Promise<VNode | null> | VNode | null;
}

/** What a background job is given each time it runs. */
export interface JobContext {
  db: Db;
  now: Date;
}

/** Recurring background work; the platform's job runner makes sure one server runs each due turn. */
export interface JobDefinition {
  /** Unique across modules: "module.job". */
  name: string;
  /** How often a turn is due, in milliseconds. */
  everyMs: number;
  run: (ctx: JobContext) => Promise<unknown>;
}

/**
 * Writes done once per database. `always` steps (reference data the module cannot work without,
 * such as the plan's indicators) run after every migration; `demo` steps only while demo data
 * is loaded for the first time, in one transaction with the other modules' demo steps.
 */
export interface SeedStep {
  name: string;
  kind: 'always' | 'demo';
  /** Lower runs first (orgs before the modules that hang off institutions). */
  order: number;
  run: (db: Db, actor: Actor) => Promise<unknown>;
}

/** Names and links for grants, shown on the account page (orgs knows institutions and units). */
export type GrantLabeller = (db: Db, grants: Grant[]) => Promise<Map<string, { href: string; label: string }>>;

/**
 * Names for the ids the audit log shows, for one kind of item a module owns ("institution", "unit").
 * `fields` lists the recorded fields whose values are such ids: "institutionId" anywhere, or
 * "unit.parentId" only in entries about that item type. The kind's own entries are named too.
 */
export interface EntityNamer {
  kind: string;
  fields: string[];
  names: (db: Db, ids: string[]) => Promise<Map<string, string>>;
}

/** What a module adds to the application; `src/modules.ts` lists them and `app.ts` assembles them. */
export interface ModuleManifest {
  name: string;
  /** A Fastify plugin with the module's pages and JSON API. */
  routes?: (app: FastifyInstance) => Promise<void>;
  navigation?: NavEntry[];
  home?: HomePart[];
  jobs?: JobDefinition[];
  seed?: SeedStep[];
  grantLabels?: GrantLabeller;
  /** Passed to `registerEntityNamer` (platform/audit) when the app is assembled. */
  entityNames?: EntityNamer[];
}
