import { institutionRefs, operableInstitutions, type InstitutionType } from '../orgs/index.js';
import type { Actor } from '../platform/access.js';
import type { Db } from '../platform/db/index.js';

export interface LibraryRef {
  id: string;
  code: string;
  name: string;
  type: InstitutionType;
}

/** Institution names by id, for holdings and facets. */
export async function libraryNames(db: Db, ids: string[]): Promise<Map<string, string>> {
  const refs = await institutionRefs(db, ids);
  return new Map([...refs].map(([id, r]) => [id, r.name]));
}

/** The libraries whose catalogue the actor may work on (every one, however many), grouped by type. */
export async function operableLibraries(db: Db, actor: Actor): Promise<LibraryRef[]> {
  return (await operableInstitutions(db, actor, 'catalogue.write')).map(({ id, code, name, type }) => ({ id, code, name, type }));
}
