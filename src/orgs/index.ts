/**
 * Administrative units (with validity periods and successions), institutions and their staff.
 * Other modules reach this one only through what is exported here.
 */
import './messages.js';

export { orgsRoutes } from './routes.js';
export {
  networkCounts, grantLabels, findUnitByCode, unitIdByCode, institutionIdByCode, listUnits, getUnit, listInstitutions, getInstitution,
  createUnit, updateUnit, addSuccession, createInstitution, updateInstitution,
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
