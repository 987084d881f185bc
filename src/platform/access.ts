import { ForbiddenError, UnauthenticatedError } from './errors.js';

export const roles = ['staff', 'manager', 'unit_officer', 'dept_admin', 'sysadmin'] as const;
export type Role = (typeof roles)[number];

/** A staff role scoped to one institution or one unit subtree; sysadmin has neither. */
export interface Grant {
  role: Role;
  institutionId: string | null;
  unitId: string | null;
}

interface Base {
  /** Shown in the audit log. */
  label: string;
  ip?: string;
}

export type Actor =
  | ({ kind: 'anonymous' } & Base)
  | ({ kind: 'user'; userId: string; grants: Grant[] } & Base)
  | ({ kind: 'token'; userId: string; tokenId: string; grants: Grant[]; scopes: string[] } & Base)
  /** The operator at the command line, who holds the machine and so the whole installation. */
  | ({ kind: 'system' } & Base);

export const anonymous: Actor = { kind: 'anonymous', label: 'anonymous' };
export const systemActor: Actor = { kind: 'system', label: 'cli' };

export const permissions = [
  'units.write',
  'institutions.create',
  'institutions.write',
  'staff.invite',
  'staff.manage',
  'audit.read',
  'tokens.create',
  'users.manage',
  'catalogue.write',
  'circulation.operate',
  'digital.write',
  'museum.write',
  'programmes.operate',
  'monitoring.report',
  'monitoring.review',
  'monitoring.view',
  'monitoring.administer',
] as const;
export type Permission = (typeof permissions)[number];

/** The work an institution's staff do in the modules: books, loans, digital documents, museum objects, programmes, figures. */
const operating: readonly Permission[] = [
  'catalogue.write',
  'circulation.operate',
  'digital.write',
  'museum.write',
  'programmes.operate',
  'monitoring.report',
];

const byRole: Record<Role, readonly Permission[]> = {
  staff: operating,
  manager: [...operating, 'institutions.write', 'staff.invite', 'staff.manage', 'audit.read', 'tokens.create'],
  unit_officer: [
    'institutions.create',
    'institutions.write',
    'staff.invite',
    'staff.manage',
    'audit.read',
    'tokens.create',
    'monitoring.review',
    'monitoring.view',
  ],
  dept_admin: [
    'units.write',
    'institutions.create',
    'institutions.write',
    'staff.invite',
    'staff.manage',
    'audit.read',
    'tokens.create',
    'users.manage',
    ...operating,
    'monitoring.review',
    'monitoring.view',
    'monitoring.administer',
  ],
  sysadmin: permissions,
};

const libraries = [
  'library_provincial',
  'library_district',
  'library_commune',
  'library_university',
  'library_armed_forces',
  'library_school',
  'library_private_community',
  'commune_cultural_post_office',
] as const;
const museums = ['museum_provincial', 'memorial_house', 'traditional_house', 'traditional_house_armed_forces'] as const;

/**
 * The institution types (as orgs stores them) that may use a module's permission; a permission
 * absent here is open to every type. Libraries (and the commune cultural post offices that keep
 * a reading room) catalogue and lend books; museums and memorial or traditional houses catalogue
 * objects; both hold digital documents; every institution runs programmes and reports figures.
 */
export const typeRules: Partial<Record<Permission, readonly string[]>> = {
  'catalogue.write': libraries,
  'circulation.operate': libraries,
  'museum.write': museums,
  'digital.write': [...libraries, ...museums],
};

/** Whether an institution of this type may use the permission at all, whoever asks. */
export function typeAllows(permission: Permission, institutionType: string): boolean {
  return typeRules[permission]?.includes(institutionType) ?? true;
}

/** API token scopes and the permissions each one lets a token use. */
export const tokenScopes = {
  read: [] as Permission[],
  'orgs:write': ['units.write', 'institutions.create', 'institutions.write'] as Permission[],
  'catalogue:write': ['catalogue.write'] as Permission[],
  'circulation:write': ['circulation.operate'] as Permission[],
  'digital:write': ['digital.write'] as Permission[],
  'museum:write': ['museum.write'] as Permission[],
  'programmes:write': ['programmes.operate'] as Permission[],
  'monitoring:write': ['monitoring.report'] as Permission[],
  /** What a person does for themselves (register for a programme, book, cancel their own); no staff permission. */
  'self:write': [] as Permission[],
} as const;
export type TokenScope = keyof typeof tokenScopes;

/** Where a write lands: the target's unit and its ancestors, its institution and the ones it sits in. */
export interface Scope {
  unitPath: string[];
  institutionPath: string[];
  /** The target institution's type (as orgs stores it), when the write lands on an institution; its type rule then applies. */
  institutionType?: string;
}

export const everywhere: Scope = { unitPath: [], institutionPath: [] };

export function roleAllows(role: Role, permission: Permission): boolean {
  return byRole[role].includes(permission);
}

function grantCovers(grant: Grant, scope: Scope): boolean {
  if (grant.role === 'sysadmin') return true;
  if (grant.unitId && scope.unitPath.includes(grant.unitId)) return true;
  if (grant.institutionId && scope.institutionPath.includes(grant.institutionId)) return true;
  return false;
}

export function grantsOf(actor: Actor): Grant[] {
  return actor.kind === 'user' || actor.kind === 'token' ? actor.grants : [];
}

/**
 * Deny by default: true only when the target institution's type may use the permission and a
 * grant of the actor has the permission over the scope. The type rule binds everyone, the
 * operator at the command line too: a museum holds no book catalogue.
 */
export function can(actor: Actor, permission: Permission, scope: Scope): boolean {
  if (scope.institutionType !== undefined && !typeAllows(permission, scope.institutionType)) return false;
  if (actor.kind === 'system') return true;
  if (actor.kind === 'anonymous') return false;
  if (actor.kind === 'token') {
    const allowed = actor.scopes.some((s) => (tokenScopes[s as TokenScope] as readonly Permission[] | undefined)?.includes(permission));
    if (!allowed) return false;
  }
  return actor.grants.some((g) => roleAllows(g.role, permission) && grantCovers(g, scope));
}

/** Whether the actor holds the permission anywhere (to show a menu entry or a list page). */
export function canSomewhere(actor: Actor, permission: Permission): boolean {
  if (actor.kind === 'system') return true;
  if (actor.kind === 'token' && !actor.scopes.some((s) => (tokenScopes[s as TokenScope] as readonly Permission[] | undefined)?.includes(permission)))
    return false;
  return grantsOf(actor).some((g) => roleAllows(g.role, permission));
}

export function requireUser(actor: Actor): asserts actor is Extract<Actor, { kind: 'user' | 'token' }> {
  if (actor.kind !== 'user' && actor.kind !== 'token') throw new UnauthenticatedError();
}

/** A write the actor makes for themselves: a person, or a token of theirs holding the scope (a read-only token never writes). */
export function requireWriteScope(actor: Actor, scope: TokenScope): asserts actor is Extract<Actor, { kind: 'user' | 'token' }> {
  requireUser(actor);
  if (actor.kind === 'token' && !actor.scopes.includes(scope)) throw new ForbiddenError('errors.tokenScope');
}

export function authorize(actor: Actor, permission: Permission, scope: Scope): void {
  if (actor.kind === 'anonymous') throw new UnauthenticatedError();
  if (!can(actor, permission, scope)) throw new ForbiddenError();
}

export function isSysadmin(actor: Actor): boolean {
  return actor.kind === 'system' || grantsOf(actor).some((g) => g.role === 'sysadmin');
}

const rank: Record<Role, number> = { staff: 1, manager: 2, unit_officer: 3, dept_admin: 4, sysadmin: 5 };

/** An actor may hand out a role only up to their own, inside a scope they cover. */
export function canGrant(actor: Actor, role: Role, scope: Scope): boolean {
  if (actor.kind === 'system') return true;
  if (role === 'sysadmin') return isSysadmin(actor);
  return grantsOf(actor).some(
    (g) =>
      roleAllows(g.role, 'staff.invite') &&
      rank[g.role] >= rank[role] &&
      grantCovers(g, scope) &&
      (g.role !== 'manager' || role === 'staff' || role === 'manager'),
  );
}
