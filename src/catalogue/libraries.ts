import { getInstitution, listInstitutions, programmeInstitutionRefs } from '../orgs/index.js';
import { grantsOf, isSysadmin, roleAllows, type Actor } from '../platform/access.js';
import type { Db } from '../platform/db/index.js';

export interface LibraryRef {
  id: string;
  code: string;
  name: string;
}

/** Institution names by id, for holdings and facets. */
export async function libraryNames(db: Db, ids: string[]): Promise<Map<string, string>> {
  const refs = await programmeInstitutionRefs(db, ids);
  return new Map([...refs].map(([id, r]) => [id, r.name]));
}

/** The libraries whose catalogue the actor may work on: their own, or those under the units they hold. */
export async function operableLibraries(db: Db, actor: Actor): Promise<LibraryRef[]> {
  const found = new Map<string, LibraryRef>();
  const addAll = async (unit?: string) => {
    const page = await listInstitutions(db, { pageSize: 500, ...(unit ? { unit } : {}) });
    for (const { institution: i } of page.items) if (i.type.startsWith('library')) found.set(i.id, { id: i.id, code: i.code, name: i.name });
  };
  if (isSysadmin(actor)) await addAll();
  for (const g of grantsOf(actor)) {
    if (!roleAllows(g.role, 'catalogue.write')) continue;
    if (g.institutionId) {
      const { institution: i } = await getInstitution(db, g.institutionId);
      found.set(i.id, { id: i.id, code: i.code, name: i.name });
    } else if (g.unitId) {
      await addAll(g.unitId);
    }
  }
  return [...found.values()].sort((a, b) => a.name.localeCompare(b.name, 'vi'));
}
