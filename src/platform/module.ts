import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { ComponentChild } from 'preact';
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
  /** `lead`: under the welcome (a search box); `main`: after what the platform offers. */
  area: 'lead' | 'main';
  order: number;
  render: (ctx: PageContext, db: Db) => Promise<ComponentChild> | ComponentChild;
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

/** A Fastify plugin of a module (plain or with the TypeBox type provider). */
export type ModulePlugin = FastifyPluginAsync | FastifyPluginAsyncTypebox;

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
  /** A Fastify plugin with the module's pages and JSON API (encapsulated: its hooks stay inside). */
  routes?: ModulePlugin;
  /** App-wide plugins (wrapped with fastify-plugin), registered before every module's routes. */
  appPlugins?: ModulePlugin[];
  navigation?: NavEntry[];
  home?: HomePart[];
  jobs?: JobDefinition[];
  seed?: SeedStep[];
  grantLabels?: GrantLabeller;
  /** Passed to `registerEntityNamer` (platform/audit) when the app is assembled. */
  entityNames?: EntityNamer[];
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The modules this application was built from, in order. */
    modules: readonly ModuleManifest[];
  }
}

/** The header menu of an application: every module's entries, in order. */
export function navigationOf(modules: readonly ModuleManifest[]): NavEntry[] {
  return modules.flatMap((m) => m.navigation ?? []).sort((a, b) => a.order - b.order);
}

/** The home page's parts, in order. */
export function homePartsOf(modules: readonly ModuleManifest[]): HomePart[] {
  return modules.flatMap((m) => m.home ?? []).sort((a, b) => a.order - b.order);
}

/** Seed steps of one kind, in order. */
export function seedStepsOf(modules: readonly ModuleManifest[], kind: SeedStep['kind']): SeedStep[] {
  return modules
    .flatMap((m) => m.seed ?? [])
    .filter((s) => s.kind === kind)
    .sort((a, b) => a.order - b.order);
}

/** Labels for grants from the module that knows institutions and units (none: no labels). */
export async function labelGrants(
  modules: readonly ModuleManifest[],
  db: Db,
  grants: Grant[],
): Promise<Map<string, { href: string; label: string }>> {
  const labeller = modules.find((m) => m.grantLabels)?.grantLabels;
  return labeller ? labeller(db, grants) : new Map();
}
