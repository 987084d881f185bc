import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { can, canSomewhere } from '../../platform/access.js';
import { ForbiddenError } from '../../platform/errors.js';
import { dbOf, inTx, issuesOf, pageContext, sendPage } from '../../platform/http/context.js';
import { submitForm } from '../../platform/http/forms.js';
import { parseForm } from '../../platform/http/validation.js';
import { requireSomewhere } from '../guard.js';
import { importUnits } from '../import-units.js';
import { vnToday } from '../../platform/time.js';
import { unitLevels } from '../model.js';
import { presentUnit, presentUnitDetail } from '../presenters.js';
import { unitScope } from '../scope.js';
import { createUnit, getUnit, listUnits, unitWriteScope, updateUnit } from '../service.js';
import { ImportPage } from '../views/import.js';
import { UnitDetailPage, UnitFormPage, UnitListPage, type UnitFormValues } from '../views/units.js';
import { staffSection, type StaffFormState } from './staff.js';
import { formatOf, readUpload } from './forms.js';

const ListQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200 })),
  level: Type.Optional(Type.Enum(unitLevels)),
  at: Type.Optional(Type.String({ format: 'date' })),
  all: Type.Optional(Type.Boolean()),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
});

const text = Type.Optional(Type.String({ maxLength: 1000 }));
const UnitForm = Type.Object({ code: text, name: text, kind: text, level: text, parentCode: text, validFrom: text, validTo: text });
const Params = Type.Object({ id: Type.String({ maxLength: 100 }) });

/** A form's fields; a blank optional one clears the value. */
function unitInput(form: UnitFormValues) {
  return { parentCode: null, validTo: null, ...form };
}

/** The unit page; with the state of a refused invitation, shown again with its errors. */
export async function unitDetailPage(req: FastifyRequest, reply: FastifyReply, id: string, state: StaffFormState = {}) {
  const db = dbOf(req);
  const detail = await getUnit(db, id);
  const staff = await staffSection(req, { kind: 'unit', id: detail.unit.id, scope: await unitScope(db, detail.unit.id) }, state);
  const query = req.query as Record<string, unknown>;
  return sendPage(
    reply,
    <UnitDetailPage
      ctx={pageContext(req)}
      unit={presentUnitDetail(detail)}
      canWrite={can(req.actor, 'units.write', await unitWriteScope(db, detail.unit))}
      saved={Boolean(query.saved)}
      staff={staff}
    />,
    state.issues?.length ? 422 : 200,
  );
}

export const unitPages: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/units', { schema: { hide: true } }, async (req, reply) => {
    const f = parseForm(ListQuery, req.query);
    const at = f.at ?? vnToday();
    const result = await listUnits(dbOf(req), { q: f.q, level: f.level, at: f.all ? 'all' : at, page: f.page });
    return sendPage(
      reply,
      <UnitListPage
        ctx={pageContext(req)}
        filter={{ ...f, at }}
        result={{ ...result, items: result.items.map(presentUnit) }}
        canWrite={canSomewhere(req.actor, 'units.write')}
      />,
    );
  });

  app.get('/units/new', { schema: { hide: true } }, async (req, reply) => {
    requireSomewhere(req.actor, 'units.write');
    return sendPage(reply, <UnitFormPage ctx={pageContext(req)} values={{ level: 'commune', kind: 'Xã', validFrom: vnToday() }} issues={[]} />);
  });

  app.post('/units', { schema: { hide: true } }, async (req, reply) =>
    submitForm(req, reply, {
      schema: UnitForm,
      run: (tx, form) => createUnit(tx, req.actor, unitInput(form)),
      redirect: (row) => `/units/${row.id}?saved=1`,
      redisplay: (issues, values) => <UnitFormPage ctx={pageContext(req)} values={values} issues={issues} />,
    }),
  );

  app.get('/units/import', { schema: { hide: true } }, async (req, reply) => {
    requireSomewhere(req.actor, 'units.write');
    return sendPage(reply, <ImportPage ctx={pageContext(req)} kind="units" issues={[]} />);
  });

  app.post('/units/import', { schema: { hide: true }, config: { upload: true } }, async (req, reply) => {
    requireSomewhere(req.actor, 'units.write');
    try {
      const upload = await readUpload(req);
      const report = await inTx(req, (tx) => importUnits(tx, req.actor, { format: formatOf(upload), ...upload }));
      return sendPage(
        reply,
        <ImportPage ctx={pageContext(req)} kind="units" {...(report.errors.length ? {} : { result: report })} issues={report.errors} />,
        report.errors.length ? 422 : 200,
      );
    } catch (err) {
      const issues = issuesOf(err);
      if (!issues) throw err;
      return sendPage(reply, <ImportPage ctx={pageContext(req)} kind="units" issues={issues} />, 422);
    }
  });

  app.get('/units/:id', { schema: { hide: true, params: Params } }, async (req, reply) => unitDetailPage(req, reply, req.params.id));

  app.get('/units/:id/edit', { schema: { hide: true, params: Params } }, async (req, reply) => {
    requireSomewhere(req.actor, 'units.write');
    const db = dbOf(req);
    const { unit, parent } = await getUnit(db, req.params.id);
    if (!can(req.actor, 'units.write', await unitWriteScope(db, unit))) throw new ForbiddenError();
    const values = {
      code: unit.code,
      name: unit.name,
      kind: unit.kind,
      level: unit.level,
      parentCode: parent?.code,
      validFrom: unit.validFrom,
      validTo: unit.validTo,
    };
    return sendPage(reply, <UnitFormPage ctx={pageContext(req)} values={values} issues={[]} unit={unit} />);
  });

  app.post('/units/:id', { schema: { hide: true, params: Params } }, async (req, reply) =>
    submitForm(req, reply, {
      schema: UnitForm,
      run: (tx, form) => updateUnit(tx, req.actor, req.params.id, unitInput(form)),
      redirect: (row) => `/units/${row.id}?saved=1`,
      redisplay: async (issues, values) => {
        const { unit } = await getUnit(dbOf(req), req.params.id);
        return <UnitFormPage ctx={pageContext(req)} values={values} issues={issues} unit={unit} />;
      },
    }),
  );
};
