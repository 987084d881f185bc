import { Type } from 'typebox';
import { itemStatuses } from './service.js';
import { IsoDate, Uuid } from '../platform/http/schemas.js';

/** The quick cataloguing form's fields (the web form and the JSON API share them). */
export const SimpleFields = {
  title: Type.String({ minLength: 1, maxLength: 500 }),
  subtitle: Type.Optional(Type.String({ maxLength: 500 })),
  author: Type.Optional(Type.String({ maxLength: 200 })),
  publisher: Type.Optional(Type.String({ maxLength: 200 })),
  place: Type.Optional(Type.String({ maxLength: 100 })),
  year: Type.Optional(Type.Integer({ minimum: 1000, maximum: 2100 })),
  isbn: Type.Optional(Type.String({ maxLength: 30 })),
  subjects: Type.Optional(Type.String({ maxLength: 2000 })),
  ddc: Type.Optional(Type.String({ maxLength: 30, pattern: '^[0-9]{3}(\\.[0-9]+)?$' })),
  language: Type.Optional(Type.String({ pattern: '^[a-z]{3}$' })),
};

export const SimpleForm = Type.Object({ institutionId: Uuid, ...SimpleFields });

/** A copy's fields; the library is chosen only when the copy is added. */
export const ItemFields = {
  barcode: Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9-]+$' }),
  callNumber: Type.Optional(Type.String({ maxLength: 100 })),
  location: Type.Optional(Type.String({ maxLength: 200 })),
  status: Type.Optional(Type.Union(itemStatuses.map((s) => Type.Literal(s)))),
  price: Type.Optional(Type.Integer({ minimum: 0, maximum: 2_000_000_000 })),
  acquiredOn: Type.Optional(IsoDate),
  note: Type.Optional(Type.String({ maxLength: 500 })),
};

export const ItemForm = Type.Object({ institutionId: Type.Optional(Uuid), ...ItemFields });

/** A record in MARC-in-JSON (code4lib): `{ "leader": "…", "fields": [{ "001": "…" }, { "245": { "ind1": "1", "ind2": "0", "subfields": [{ "a": "…" }] } }] }`. */
export const MarcJsonIn = Type.Object(
  {
    leader: Type.String({ minLength: 1, maxLength: 24 }),
    fields: Type.Array(
      Type.Record(
        Type.String(),
        Type.Union([
          Type.String({ maxLength: 9999 }),
          Type.Object(
            {
              ind1: Type.String({ maxLength: 1 }),
              ind2: Type.String({ maxLength: 1 }),
              subfields: Type.Array(Type.Record(Type.String(), Type.String({ maxLength: 9999 }), { minProperties: 1, maxProperties: 1 }), {
                maxItems: 500,
              }),
            },
            { additionalProperties: false },
          ),
        ]),
        { minProperties: 1, maxProperties: 1 },
      ),
      { minItems: 1, maxItems: 1000 },
    ),
  },
  {
    additionalProperties: false,
    description:
      'MARC-in-JSON: `{ "leader": "00000nam a2200000 i 4500", "fields": [{ "008": "…" }, { "245": { "ind1": "1", "ind2": "0", "subfields": [{ "a": "Truyện Kiều" }] } }] }`. ' +
      'It is checked as the MARC editor checks a record (tags, indicators, subfield codes, 008 length, 245 $a); problems name `marc.fields.N`.',
  },
);
