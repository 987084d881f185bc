import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { can, canSomewhere } from '../../platform/access.js';
import { ForbiddenError } from '../../platform/errors.js';
import { dbOf, inTx, issuesOf, pageContext, sendPage } from '../../platform/http/context.js';
import { submitForm } from '../../platform/http/forms.js';
import { parseForm } from '../../platform/http/validation.js';
import { requireSomewhere } from '../guard.js';
import { importInstitutions } from '../import-institutions.js';
import { institutionTypes } from '../model.js';
import { presentInstitution, presentInstitutionDetail } from '../presenters.js';
import { institutionScope } from '../scope.js';
import { createInstitution, getInstitution, listInstitutions, updateInstitution } from '../service.js';
import { ImportPage } from '../views/import.js';
import { InstitutionDetailPage, InstitutionFormPage, InstitutionListPage, type InstitutionFormValues } from '../views/institutions.js';
import { formatOf, readUpload } from './forms.js';
import { staffSection, type StaffFormState } from './staff.js';
import { Uuid } from '../../platform/http/schemas.js';

const ListQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200 })),
  type: Type.Optional(Type.Enum(institutionTypes)),
  unit: Type.Optional(Type.String({ maxLength: 40 })),
  closed: Type.Optional(Type.Boolean()),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
});

const text = Type.Optional(Type.String({ maxLength: 5000 }));
const InstitutionForm = Type.Object({
  code: text,
  name: text,
  type: text,
  unitCode: text,
  parentCode: text,
  address: text,
  phone: text,
  email: text,
  website: text,
  servesPublic: Type.Optional(Type.Boolean()),
  openedOn: text,
  closedOn: text,
  note: text,
});
const Params = Type.Object({ id: Uuid });

/** A form's fields; a blank optional one clears the value, an unticked box says no. */
function institutionInput(form: InstitutionFormValues) {
  return {
    parentCode: null,
    address: null,
    phone: null,
    email: null,
    website: null,
    openedOn: null,
    closedOn: null,
    note: null,
    ...form,
    servesPublic: form.servesPublic ?? false,
  };
}

/** The institution page; with the state of a refused invitation, shown again with its errors. */
export async function institutionDetailPage(req: FastifyRequest, reply: FastifyReply, id: string, state: StaffFormState = {}) {
  const db = dbOf(req);
  const detail = await getInstitution(db, id);
  const scope = await institutionScope(db, detail.institution.id);
  const staff = await staffSection(req, { kind: 'institution', id: detail.institution.id, scope }, state);
  const query = req.query as Record<string, unknown>;
  return sendPage(
    reply,
    <InstitutionDetailPage
      ctx={pageContext(req)}
      institution={presentInstitutionDetail(detail)}
      canWrite={can(req.actor, 'institutions.write', scope)}
      canAudit={can(req.actor, 'audit.read', scope)}
      saved={Boolean(query.saved)}
      staff={staff}
    />,
    state.issues?.length ? 422 : 200,
  );
}

export const institutionPages: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/institutions', { schema: { hide: true } }, async (req, reply) => {
    const f = parseForm(ListQuery, req.query);
    const result = await listInstitutions(dbOf(req), { ...f, status: f.closed ? 'all' : 'open', pageSize: 50 });
    return sendPage(
      reply,
      <InstitutionListPage
        ctx={pageContext(req)}
        filter={f}
        result={{ ...result, items: result.items.map(presentInstitution) }}
        canCreate={canSomewhere(req.actor, 'institutions.create')}
      />,
    );
  });

  app.get('/institutions/new', { schema: { hide: true } }, async (req, reply) => {
    requireSomewhere(req.actor, 'institutions.create');
    return sendPage(reply, <InstitutionFormPage ctx={pageContext(req)} values={{ servesPublic: true }} issues={[]} />);
  });

  app.post('/institutions', { schema: { hide: true } }, async (req, reply) =>
    submitForm(req, reply, {
      schema: InstitutionForm,
      run: (tx, form) => createInstitution(tx, req.actor, institutionInput(form)),
      redirect: (row) => `/institutions/${row.id}?saved=1`,
      redisplay: (issues, values) => (
        <InstitutionFormPage ctx={pageContext(req)} values={{ ...values, servesPublic: values.servesPublic === 'true' }} issues={issues} />
      ),
    }),
  );

  app.get('/institutions/import', { schema: { hide: true } }, async (req, reply) => {
    requireSomewhere(req.actor, 'institutions.create');
    return sendPage(reply, <ImportPage ctx={pageContext(req)} kind="institutions" issues={[]} />);
  });

  app.post('/institutions/import', { schema: { hide: true }, config: { upload: true } }, async (req, reply) => {
    requireSomewhere(req.actor, 'institutions.create');
    try {
      const upload = await readUpload(req);
      if (formatOf(upload) !== 'csv')
        return sendPage(
          reply,
          <ImportPage ctx={pageContext(req)} kind="institutions" issues={[{ field: 'file', key: 'orgs.import.csvOnly' }]} />,
          422,
        );
      const report = await inTx(req, (tx) => importInstitutions(tx, req.actor, upload.text));
      return sendPage(
        reply,
        <ImportPage ctx={pageContext(req)} kind="institutions" {...(report.errors.length ? {} : { result: report })} issues={report.errors} />,
        report.errors.length ? 422 : 200,
      );
    } catch (err) {
      const issues = issuesOf(err);
      if (!issues) throw err;
      return sendPage(reply, <ImportPage ctx={pageContext(req)} kind="institutions" issues={issues} />, 422);
    }
  });

  app.get('/institutions/:id', { schema: { hide: true, params: Params } }, async (req, reply) => institutionDetailPage(req, reply, req.params.id));

  app.get('/institutions/:id/edit', { schema: { hide: true, params: Params } }, async (req, reply) => {
    requireSomewhere(req.actor, 'institutions.write');
    const db = dbOf(req);
    const { institution: i, unit, parent } = await getInstitution(db, req.params.id);
    if (!can(req.actor, 'institutions.write', await institutionScope(db, i.id))) throw new ForbiddenError();
    const values: InstitutionFormValues = {
      code: i.code,
      name: i.name,
      type: i.type,
      unitCode: unit.code,
      parentCode: parent?.code,
      address: i.address,
      phone: i.phone,
      email: i.email,
      website: i.website,
      servesPublic: i.servesPublic,
      openedOn: i.openedOn,
      closedOn: i.closedOn,
      note: i.note,
    };
    return sendPage(reply, <InstitutionFormPage ctx={pageContext(req)} values={values} issues={[]} institution={i} />);
  });

  app.post('/institutions/:id', { schema: { hide: true, params: Params } }, async (req, reply) =>
    submitForm(req, reply, {
      schema: InstitutionForm,
      run: (tx, form) => updateInstitution(tx, req.actor, req.params.id, institutionInput(form)),
      redirect: (row) => `/institutions/${row.id}?saved=1`,
      redisplay: async (issues, values) => {
        const { institution } = await getInstitution(dbOf(req), req.params.id);
        return (
          <InstitutionFormPage
            ctx={pageContext(req)}
            values={{ ...values, servesPublic: values.servesPublic === 'true' }}
            issues={issues}
            institution={institution}
          />
        );
      },
    }),
  );
};
