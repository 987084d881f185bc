import type { Db } from '../../platform/db/index.js';
import { Type } from 'typebox';
import { libraryNames } from '../libraries.js';
import { presentItem } from '../presenters.js';
import type { ItemRow } from '../service.js';
import { errorResponses, Uuid } from '../../platform/http/schemas.js';

export const tags = ['catalogue'];
export const errors = errorResponses;
export const IdParams = Type.Object({ id: Uuid });
/** What a page after a redirect says happened (`?notice=saved`). */
export const NoticeQuery = Type.Object({ notice: Type.Optional(Type.String({ maxLength: 40 })) });

export async function presentedItems(db: Db, rows: ItemRow[]) {
  const names = await libraryNames(
    db,
    rows.map((r) => r.institutionId),
  );
  return rows.map((i) => presentItem(i, names.get(i.institutionId) ?? ''));
}
