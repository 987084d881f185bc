import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ValidationError } from '../../platform/errors.js';
import { dbOf, inTx } from '../../platform/http/context.js';
import { importInstitutions } from '../import-institutions.js';
import { importUnits } from '../import-units.js';
import { InstitutionInput, InstitutionPatch, institutionTypes, InviteInput, SuccessionInput, UnitInput, UnitPatch, unitLevels } from '../model.js';
import {
  GrantRefOut,
  ImportReportOut,
  InstitutionDetailOut,
  InstitutionImportReportOut,
  InstitutionOut,
  InvitationOut,
  LinkOut,
  presentGrantRef,
  presentInstitution,
  presentInstitutionDetail,
  presentInvitation,
  presentLink,
  presentStaff,
  presentUnit,
  presentUnitDetail,
  StaffOut,
  UnitDetailOut,
  UnitOut,
} from '../presenters.js';
import {
  addSuccession,
  createInstitution,
  createUnit,
  getInstitution,
  getUnit,
  listInstitutions,
  listUnits,
  updateInstitution,
  updateUnit,
} from '../service.js';
import { createSession, DisplayNameSchema, PasswordSchema } from '../../platform/auth/service.js';
import { setSessionCookie } from '../../platform/http/session.js';
import { acceptInvitation, acceptWithNewAccount, inviteStaff, listStaff, revokeGrant } from '../staff.js';
import { errorResponses, IsoDate, Page, PageQuery, Uuid } from '../../platform/http/schemas.js';
export { ErrorOut } from '../../platform/http/schemas.js';

const tags = ['orgs'];
const Id = Type.Object({ id: Uuid });
const Text = (maxLength: number) => Type.Optional(Type.String({ maxLength }));

const errors = errorResponses;
const readErrors = { 400: errorResponses[400], 404: errorResponses[404] };

const UnitQuery = Type.Object(
  {
    q: Text(200),
    level: Type.Optional(Type.Enum(unitLevels)),
    at: Type.Optional(Type.Union([IsoDate, Type.Literal('all')], { description: 'In force on this date (default today), or "all".' })),
    parentId: Type.Optional(Uuid),
    ...PageQuery,
  },
  { additionalProperties: false },
);

const InstitutionQuery = Type.Object(
  {
    q: Text(200),
    type: Type.Optional(Type.Enum(institutionTypes)),
    unit: Type.Optional(Type.String({ maxLength: 40, description: 'A unit id or code: institutions in it or below it.' })),
    status: Type.Optional(Type.Enum(['open', 'all'])),
    ...PageQuery,
  },
  { additionalProperties: false },
);

const UnitImportBody = Type.Object(
  {
    format: Type.Enum(['json', 'csv']),
    text: Type.String({ minLength: 1, maxLength: 20_000_000 }),
    fileName: Text(200),
  },
  { additionalProperties: false },
);

const InstitutionImportBody = Type.Object({ csv: Type.String({ minLength: 1, maxLength: 20_000_000 }) }, { additionalProperties: false });

const StaffQuery = Type.Object(
  {
    institutionId: Type.Optional(Uuid),
    unitId: Type.Optional(Uuid),
  },
  { additionalProperties: false },
);

/** The JSON API of units, institutions and staff: every route is described in the OpenAPI document. */
export const orgsApi: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/v1/units',
    {
      schema: {
        tags,
        summary: 'Administrative units, filtered; units in force today unless `at` says otherwise',
        querystring: UnitQuery,
        response: { 200: Page(UnitOut), ...readErrors },
      },
    },
    async (req) => {
      const result = await listUnits(dbOf(req), req.query);
      return { ...result, items: result.items.map(presentUnit) };
    },
  );

  app.get(
    '/api/v1/units/:id',
    {
      schema: {
        tags,
        summary: 'A unit with its place in the hierarchy, successions and institutions',
        params: Id,
        response: { 200: UnitDetailOut, ...readErrors },
      },
    },
    async (req) => presentUnitDetail(await getUnit(dbOf(req), req.params.id)),
  );

  app.post(
    '/api/v1/units',
    {
      schema: { tags, summary: 'Create a unit (units.write over its parent)', body: UnitInput, response: { 201: UnitDetailOut, ...errors } },
    },
    async (req, reply) => {
      const detail = await inTx(req, async (tx) => getUnit(tx, (await createUnit(tx, req.actor, req.body)).id));
      return reply.code(201).send(presentUnitDetail(detail));
    },
  );

  app.patch(
    '/api/v1/units/:id',
    {
      schema: {
        tags,
        summary: 'Change a unit (units.write over its parent)',
        params: Id,
        body: UnitPatch,
        response: { 200: UnitDetailOut, ...errors },
      },
    },
    async (req) => presentUnitDetail(await inTx(req, async (tx) => getUnit(tx, (await updateUnit(tx, req.actor, req.params.id, req.body)).id))),
  );

  app.post(
    '/api/v1/units/import',
    {
      schema: {
        tags,
        summary: 'Import a unit list (JSON snapshot or 2025 mapping, or CSV of units or successions); all or nothing',
        body: UnitImportBody,
        response: { 200: ImportReportOut, ...errors },
      },
    },
    async (req) => {
      const report = await inTx(req, (tx) => importUnits(tx, req.actor, req.body));
      if (report.errors.length) throw new ValidationError(report.errors);
      return report;
    },
  );

  app.post(
    '/api/v1/unit-successions',
    {
      schema: {
        tags,
        summary: 'Record that a unit was (wholly or partly) succeeded by another',
        body: SuccessionInput,
        response: { 201: LinkOut, ...errors },
      },
    },
    async (req, reply) => {
      const link = await inTx(req, (tx) => addSuccession(tx, req.actor, req.body));
      return reply.code(201).send(presentLink(link));
    },
  );

  app.get(
    '/api/v1/institutions',
    {
      schema: {
        tags,
        summary: 'Institutions, filtered, in Vietnamese alphabetical order',
        querystring: InstitutionQuery,
        response: { 200: Page(InstitutionOut), ...readErrors },
      },
    },
    async (req) => {
      const result = await listInstitutions(dbOf(req), req.query);
      return { ...result, items: result.items.map(presentInstitution) };
    },
  );

  app.get(
    '/api/v1/institutions/:id',
    {
      schema: {
        tags,
        summary: 'An institution with its units, parent and children',
        params: Id,
        response: { 200: InstitutionDetailOut, ...readErrors },
      },
    },
    async (req) => presentInstitutionDetail(await getInstitution(dbOf(req), req.params.id)),
  );

  app.post(
    '/api/v1/institutions',
    {
      schema: {
        tags,
        summary: 'Create an institution (institutions.create over its unit)',
        body: InstitutionInput,
        response: { 201: InstitutionDetailOut, ...errors },
      },
    },
    async (req, reply) => {
      const detail = await inTx(req, async (tx) => getInstitution(tx, (await createInstitution(tx, req.actor, req.body)).id));
      return reply.code(201).send(presentInstitutionDetail(detail));
    },
  );

  app.patch(
    '/api/v1/institutions/:id',
    {
      schema: {
        tags,
        summary: 'Change an institution (institutions.write over it)',
        params: Id,
        body: InstitutionPatch,
        response: { 200: InstitutionDetailOut, ...errors },
      },
    },
    async (req) =>
      presentInstitutionDetail(
        await inTx(req, async (tx) => getInstitution(tx, (await updateInstitution(tx, req.actor, req.params.id, req.body)).id)),
      ),
  );

  app.post(
    '/api/v1/institutions/import',
    {
      schema: {
        tags,
        summary: 'Import institutions from CSV; all or nothing',
        body: InstitutionImportBody,
        response: { 200: InstitutionImportReportOut, ...errors },
      },
    },
    async (req) => {
      const report = await inTx(req, (tx) => importInstitutions(tx, req.actor, req.body.csv));
      if (report.errors.length) throw new ValidationError(report.errors);
      return report;
    },
  );

  app.post(
    '/api/v1/invitations',
    {
      schema: {
        tags,
        summary: 'Invite someone by email to a staff role at an institution or over a unit',
        body: InviteInput,
        response: { 201: InvitationOut, ...errors },
      },
    },
    async (req, reply) => {
      const row = await inTx(req, (tx) => inviteStaff(tx, req.actor, req.body, req.server.deps.config.publicUrl, req.t));
      return reply.code(201).send(presentInvitation(row));
    },
  );

  app.post(
    '/api/v1/invitations/:token/accept',
    {
      schema: {
        tags,
        summary: 'Accept an invitation as the logged-in person',
        params: Type.Object({ token: Type.String({ minLength: 10, maxLength: 100 }) }),
        response: { 200: GrantRefOut, ...errors },
      },
    },
    async (req) => presentGrantRef(await inTx(req, (tx) => acceptInvitation(tx, req.actor, req.params.token))),
  );

  app.post(
    '/api/v1/invitations/:token/account',
    {
      config: { anonymousWrite: true },
      schema: {
        tags,
        summary: "Create an account for the invitation's address (the link proves it) and accept; sets the session cookie",
        params: Type.Object({ token: Type.String({ minLength: 10, maxLength: 100 }) }),
        body: Type.Object({ displayName: DisplayNameSchema, password: PasswordSchema }, { additionalProperties: false }),
        response: { 201: GrantRefOut, ...errors },
      },
    },
    async (req, reply) => {
      const made = await inTx(req, (tx) => acceptWithNewAccount(tx, req.params.token, req.body, req.locale));
      const session = await createSession(dbOf(req), made.userId, req.server.deps.config.SESSION_DAYS, req.headers['user-agent']);
      setSessionCookie(reply, session.token, session.expiresAt);
      return reply.code(201).send(presentGrantRef(made.grant));
    },
  );

  app.get(
    '/api/v1/staff',
    {
      schema: {
        tags,
        summary: 'Staff and pending invitations of an institution or unit (staff.manage over it)',
        querystring: StaffQuery,
        response: { 200: StaffOut, ...errors },
      },
    },
    async (req) => {
      if (!req.query.institutionId === !req.query.unitId) throw new ValidationError([{ field: 'institutionId', key: 'orgs.staff.oneTarget' }]);
      return presentStaff(await listStaff(dbOf(req), req.actor, req.query));
    },
  );

  app.delete(
    '/api/v1/staff/:id',
    {
      schema: {
        tags,
        summary: 'Take a role away (staff.manage over where it is held)',
        params: Id,
        response: { 204: Type.Null({ description: 'Taken away' }), ...errors },
      },
    },
    async (req, reply) => {
      await inTx(req, (tx) => revokeGrant(tx, req.actor, req.params.id));
      return reply.code(204).send(null);
    },
  );
};
