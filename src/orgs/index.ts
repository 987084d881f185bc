/**
 * Administrative units (with validity periods and successions), institutions and their staff.
 * Other modules reach this one only through what is exported here.
 */
import type { ModuleManifest } from '../platform/module.js';
import { NetworkHomePart } from './home.js';
import { orgsEntityNames } from './names.js';
import { orgsRoutes } from './routes.js';
import { seedDemoOrgs } from './seed.js';
import { grantLabels } from './service.js';
import './messages.js';

export const orgsModule: ModuleManifest = {
  name: 'orgs',
  routes: orgsRoutes,
  navigation: [
    { href: '/units', key: 'nav.units', order: 20 },
    { href: '/institutions', key: 'nav.institutions', order: 30 },
  ],
  home: [{ area: 'main', order: 90, render: NetworkHomePart }],
  grantLabels,
  entityNames: orgsEntityNames,
  seed: [{ name: 'demo network', kind: 'demo', order: 10, run: seedDemoOrgs }],
};

export {
  networkCounts,
  grantLabels,
  findUnitByCode,
  unitIdByCode,
  institutionIdByCode,
  listUnits,
  getUnit,
  listInstitutions,
  getInstitution,
  createUnit,
  updateUnit,
  addSuccession,
  createInstitution,
  updateInstitution,
} from './service.js';
export type { UnitFilter, InstitutionFilter, Page } from './service.js';
export { unitScope, institutionScope } from './scope.js';
export { importUnits } from './import-units.js';
export type { ImportReport, UnitSource } from './import-units.js';
export { importInstitutions } from './import-institutions.js';
export { inviteStaff, acceptInvitation, listStaff, revokeGrant } from './staff.js';
export { seedDemoOrgs } from './seed.js';
export type { SeedSummary } from './seed.js';
export { unitPath } from './scope.js';
export { institutionTypes, THREE_LEVEL_END } from './model.js';
export type { UnitRow, InstitutionRow, UnitLevel, InstitutionType } from './model.js';
export { loadNetwork, networkStamp, type Network, type NetworkUnit, type NetworkInstitution, type NetworkSuccession } from './network.js';
export { institutionRefs, unitOptions, unitRefs, unitSubtree, type InstitutionRef, type UnitRef } from './refs.js';
export { operableInstitutions, type OperableInstitution } from './operable.js';
