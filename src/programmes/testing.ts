import type { Actor } from '../platform/access.js';
import type { Db } from '../platform/db/index.js';
import { makeActor, makeInstitution, makeUnit } from '../orgs/testing.js';
import { addDays, vnDate, type ProgrammeInput } from './model.js';
import { createProgramme, setProgrammeStatus, type ProgrammeRow } from './service.js';

export { makeActor, makeInstitution, makeUnit };

export type UserActor = Extract<Actor, { kind: 'user' }>;
export type InstitutionRow = Awaited<ReturnType<typeof makeInstitution>>;

/** A staff member of an institution (a fresh one unless given). */
export async function makeStaff(db: Db, institution?: InstitutionRow): Promise<{ actor: UserActor; institution: InstitutionRow }> {
  const inst = institution ?? (await makeInstitution(db, { type: 'culture_centre_district' }));
  const actor = await makeActor(db, [{ role: 'staff', institution: inst }]);
  return { actor, institution: inst };
}

export async function makeCitizen(db: Db): Promise<UserActor> {
  return makeActor(db);
}

/** A class starting in a week (by default), published, run by a fresh institution's staff. */
export async function makeProgramme(
  db: Db,
  spec: Partial<ProgrammeInput> & { staff?: UserActor; institution?: InstitutionRow; publish?: boolean } = {},
): Promise<{ programme: ProgrammeRow; staff: UserActor; institution: InstitutionRow }> {
  const { staff: given, institution: inst, publish, ...overrides } = spec;
  const made = given && inst ? { actor: given, institution: inst } : await makeStaff(db, inst);
  const input: ProgrammeInput = {
    kind: 'class',
    title: 'Lớp kỹ năng số cho người cao tuổi',
    institutionId: made.institution.id,
    startDate: addDays(vnDate(new Date()), 7),
    startTime: '09:00',
    endTime: '10:30',
    capacity: 20,
    ...overrides,
  };
  let programme = await createProgramme(db, made.actor, input);
  if (publish !== false) programme = await setProgrammeStatus(db, made.actor, programme.id, 'published');
  return { programme, staff: made.actor, institution: made.institution };
}

/** One programmes write (a new draft class) at the institution, for the access matrix across modules. */
export function writeProgramme(db: Db, actor: Actor, institutionId: string): Promise<unknown> {
  return createProgramme(db, actor, {
    kind: 'class',
    title: 'Thử quyền',
    institutionId,
    startDate: addDays(vnDate(new Date()), 7),
    startTime: '09:00',
    endTime: '10:00',
    capacity: 10,
  });
}

export { signedIn } from '../testing/app.js';
