import { Type, type Static } from 'typebox';
import type { InstitutionRow, UnitRow } from './model.js';
import { institutionTypes, unitLevels } from './model.js';
import type { unitSuccessions } from './schema.js';
import type { GrantRow, InvitationRow, StaffList, StaffMember } from './staff.js';
import { Nullable, Uuid } from '../platform/http/schemas.js';

export type SuccessionRow = typeof unitSuccessions.$inferSelect;

const Id = Uuid;
const DateOut = Type.String({ format: 'date' });

export const UnitRefOut = Type.Object({
  id: Id,
  code: Type.String(),
  name: Type.String(),
  kind: Type.String(),
  level: Type.Enum(unitLevels),
  validFrom: DateOut,
  validTo: Nullable(DateOut),
});
export type UnitRefView = Static<typeof UnitRefOut>;

export const SuccessionOut = Type.Object({
  unit: UnitRefOut,
  effectiveOn: DateOut,
  share: Type.Enum(['full', 'partial']),
  note: Nullable(Type.String()),
});
export type SuccessionView = Static<typeof SuccessionOut>;

export const LinkOut = Type.Object({
  predecessorId: Id,
  successorId: Id,
  effectiveOn: DateOut,
  share: Type.Enum(['full', 'partial']),
  note: Nullable(Type.String()),
});

export function presentLink(l: SuccessionRow): Static<typeof LinkOut> {
  return {
    predecessorId: l.predecessorId,
    successorId: l.successorId,
    effectiveOn: l.effectiveOn,
    share: l.share === 'partial' ? 'partial' : 'full',
    note: l.note,
  };
}

export const UnitOut = Type.Object({
  ...UnitRefOut.properties,
  parent: Nullable(UnitRefOut),
  predecessors: Type.Array(SuccessionOut),
  successors: Type.Array(SuccessionOut),
});
export type UnitView = Static<typeof UnitOut>;

export const InstitutionRefOut = Type.Object({
  id: Id,
  code: Type.String(),
  name: Type.String(),
  type: Type.Enum(institutionTypes),
  closedOn: Nullable(DateOut),
});
export type InstitutionRefView = Static<typeof InstitutionRefOut>;

export const UnitDetailOut = Type.Object({
  ...UnitOut.properties,
  /** Ancestors from the top (the province) down to the parent. */
  path: Type.Array(UnitRefOut),
  children: Type.Array(UnitRefOut),
  institutions: Type.Array(InstitutionRefOut),
});
export type UnitDetailView = Static<typeof UnitDetailOut>;

export const InstitutionOut = Type.Object({
  ...InstitutionRefOut.properties,
  unit: UnitRefOut,
  parent: Nullable(InstitutionRefOut),
  address: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  email: Nullable(Type.String()),
  website: Nullable(Type.String()),
  servesPublic: Type.Boolean(),
  openedOn: Nullable(DateOut),
  note: Nullable(Type.String()),
  isDemo: Type.Boolean(),
});
export type InstitutionView = Static<typeof InstitutionOut>;

export const InstitutionDetailOut = Type.Object({
  ...InstitutionOut.properties,
  /** The units above the institution's unit, from the top down, ending with its unit. */
  unitPath: Type.Array(UnitRefOut),
  /** The institutions it sits in, outermost first. */
  ancestors: Type.Array(InstitutionRefOut),
  children: Type.Array(InstitutionRefOut),
});
export type InstitutionDetailView = Static<typeof InstitutionDetailOut>;

export const ImportReportOut = Type.Object({
  created: Type.Integer(),
  updated: Type.Integer(),
  successions: Type.Integer(),
});

export const InstitutionImportReportOut = Type.Object({
  created: Type.Integer(),
  updated: Type.Integer(),
});

export function presentUnitRef(u: UnitRow): UnitRefView {
  return { id: u.id, code: u.code, name: u.name, kind: u.kind, level: u.level, validFrom: u.validFrom, validTo: u.validTo };
}

export interface Linked {
  unit: UnitRow;
  link: SuccessionRow;
}

export function presentSuccession({ unit, link }: Linked): SuccessionView {
  return { unit: presentUnitRef(unit), effectiveOn: link.effectiveOn, share: link.share === 'partial' ? 'partial' : 'full', note: link.note };
}

export interface UnitItem {
  unit: UnitRow;
  parent: UnitRow | null;
  predecessors: Linked[];
  successors: Linked[];
}

export function presentUnit(item: UnitItem): UnitView {
  return {
    ...presentUnitRef(item.unit),
    parent: item.parent ? presentUnitRef(item.parent) : null,
    predecessors: item.predecessors.map(presentSuccession),
    successors: item.successors.map(presentSuccession),
  };
}

export interface UnitDetail extends UnitItem {
  path: UnitRow[];
  children: UnitRow[];
  institutions: InstitutionRow[];
}

export function presentUnitDetail(d: UnitDetail): UnitDetailView {
  return {
    ...presentUnit(d),
    path: d.path.map(presentUnitRef),
    children: d.children.map(presentUnitRef),
    institutions: d.institutions.map(presentInstitutionRef),
  };
}

export function presentInstitutionRef(i: InstitutionRow): InstitutionRefView {
  return { id: i.id, code: i.code, name: i.name, type: i.type, closedOn: i.closedOn };
}

export interface InstitutionItem {
  institution: InstitutionRow;
  unit: UnitRow;
  parent: InstitutionRow | null;
}

export function presentInstitution({ institution: i, unit, parent }: InstitutionItem): InstitutionView {
  return {
    ...presentInstitutionRef(i),
    unit: presentUnitRef(unit),
    parent: parent ? presentInstitutionRef(parent) : null,
    address: i.address,
    phone: i.phone,
    email: i.email,
    website: i.website,
    servesPublic: i.servesPublic,
    openedOn: i.openedOn,
    note: i.note,
    isDemo: i.isDemo,
  };
}

export interface InstitutionDetail extends InstitutionItem {
  unitPath: UnitRow[];
  ancestors: InstitutionRow[];
  children: InstitutionRow[];
}

export function presentInstitutionDetail(d: InstitutionDetail): InstitutionDetailView {
  return {
    ...presentInstitution(d),
    unitPath: d.unitPath.map(presentUnitRef),
    ancestors: d.ancestors.map(presentInstitutionRef),
    children: d.children.map(presentInstitutionRef),
  };
}

/** What the audit log keeps of a unit: its data, without derived columns. */
export function auditUnit(u: UnitRow) {
  return { code: u.code, name: u.name, kind: u.kind, level: u.level, parentId: u.parentId, validFrom: u.validFrom, validTo: u.validTo };
}

export function auditInstitution(i: InstitutionRow) {
  return {
    code: i.code,
    name: i.name,
    type: i.type,
    unitId: i.unitId,
    parentId: i.parentId,
    address: i.address,
    phone: i.phone,
    email: i.email,
    website: i.website,
    servesPublic: i.servesPublic,
    openedOn: i.openedOn,
    closedOn: i.closedOn,
    note: i.note,
  };
}

const RoleOut = Type.Enum(['staff', 'manager', 'unit_officer', 'dept_admin', 'sysadmin']);

export const InvitationOut = Type.Object({
  id: Id,
  email: Type.String(),
  role: RoleOut,
  institutionId: Nullable(Id),
  unitId: Nullable(Id),
  expiresAt: Type.String({ format: 'date-time' }),
});
export type InvitationView = Static<typeof InvitationOut>;

export const GrantRefOut = Type.Object({
  id: Id,
  role: RoleOut,
  institutionId: Nullable(Id),
  unitId: Nullable(Id),
  since: Type.String({ format: 'date-time' }),
});

export const GrantOut = Type.Object({
  ...GrantRefOut.properties,
  user: Type.Object({ id: Id, displayName: Type.String(), email: Nullable(Type.String()) }),
});
export type GrantView = Static<typeof GrantOut>;

export const StaffOut = Type.Object({ members: Type.Array(GrantOut), pending: Type.Array(InvitationOut) });
export type StaffView = Static<typeof StaffOut>;

export function presentInvitation(i: InvitationRow): InvitationView {
  return { id: i.id, email: i.email, role: i.role, institutionId: i.institutionId, unitId: i.unitId, expiresAt: i.expiresAt.toISOString() };
}

export function presentGrantRef(g: GrantRow): Static<typeof GrantRefOut> {
  return { id: g.id, role: g.role, institutionId: g.institutionId, unitId: g.unitId, since: g.createdAt.toISOString() };
}

export function presentStaffMember({ grant, user }: StaffMember): GrantView {
  return { ...presentGrantRef(grant), user };
}

export function presentStaff(list: StaffList): StaffView {
  return { members: list.members.map(presentStaffMember), pending: list.pending.map(presentInvitation) };
}
