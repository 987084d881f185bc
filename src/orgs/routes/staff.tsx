import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { Type } from 'typebox';
import { Uuid } from '../../platform/http/schemas.js';
import { can, canGrant, type Role, type Scope } from '../../platform/access.js';
import { NotFoundError, type Issue } from '../../platform/errors.js';
import { dbOf, inTx, issuesOf, pageContext, sendPage } from '../../platform/http/context.js';
import { parseForm } from '../../platform/http/validation.js';
import { staffRoles } from '../model.js';
import { presentStaff } from '../presenters.js';
import { createSession } from '../../platform/auth/service.js';
import { setSessionCookie } from '../../platform/http/session.js';
import { acceptInvitation, acceptWithNewAccount, getInvitation, inviteStaff, listStaff, revokeGrant, type GrantRow } from '../staff.js';
import { InvitationPage, StaffSection } from '../views/staff.js';

export interface StaffPlace {
  kind: 'institution' | 'unit';
  id: string;
  scope: Scope;
}

const placeRoles: Record<StaffPlace['kind'], readonly Role[]> = {
  institution: staffRoles.filter((r) => r === 'staff' || r === 'manager'),
  unit: staffRoles.filter((r) => r === 'unit_officer' || r === 'dept_admin'),
};

export interface StaffFormState {
  values?: { email?: string | undefined; role?: string | undefined };
  issues?: Issue[];
}

/** The staff section of an institution or unit page, for those who manage its staff; null for everyone else. */
export async function staffSection(req: FastifyRequest, place: StaffPlace, state: StaffFormState = {}): Promise<VNode | null> {
  if (!can(req.actor, 'staff.manage', place.scope)) return null;
  const staff = presentStaff(
    await listStaff(dbOf(req), req.actor, place.kind === 'institution' ? { institutionId: place.id } : { unitId: place.id }),
  );
  const query = req.query as Record<string, unknown> | undefined;
  return (
    <StaffSection
      ctx={pageContext(req)}
      staff={staff}
      base={`/${place.kind === 'institution' ? 'institutions' : 'units'}/${place.id}/staff`}
      roles={placeRoles[place.kind].filter((r) => canGrant(req.actor, r, place.scope))}
      mayRevoke={(r) => canGrant(req.actor, r, place.scope)}
      values={state.values}
      issues={state.issues}
      notice={query?.invited ? req.t('orgs.staff.invited') : undefined}
    />
  );
}

const InviteForm = Type.Object({ email: Type.Optional(Type.String({ maxLength: 500 })), role: Type.Optional(Type.String({ maxLength: 50 })) });
/** An institution by its id; a unit by its id or its code, like the unit's page. */
const placeId = { institution: Uuid, unit: Type.String({ maxLength: 100 }) };
const TokenParams = Type.Object({ token: Type.String({ maxLength: 200 }) });

/**
 * Invite and revoke forms under /institutions/:id/staff and /units/:id/staff, and the page an
 * invitation link opens. A refused invitation re-renders the page it came from, via `rerender`.
 */
export function staffPages(
  rerender: Record<StaffPlace['kind'], (req: FastifyRequest, reply: FastifyReply, id: string, state: StaffFormState) => Promise<FastifyReply>>,
): FastifyPluginAsyncTypebox {
  return async (app) => {
    for (const kind of ['institution', 'unit'] as const) {
      const base = kind === 'institution' ? '/institutions' : '/units';
      const PlaceParams = Type.Object({ id: placeId[kind] });
      const GrantParams = Type.Object({ id: placeId[kind], grantId: Uuid });
      app.post(`${base}/:id/staff/invite`, { schema: { hide: true, params: PlaceParams } }, async (req, reply) => {
        const form = parseForm(InviteForm, req.body);
        try {
          const target = kind === 'institution' ? { institutionId: req.params.id } : { unitId: req.params.id };
          await inTx(req, (tx) => inviteStaff(tx, req.actor, { ...form, ...target }, req.server.deps.config.publicUrl, req.t));
        } catch (err) {
          const issues = issuesOf(err);
          if (!issues) throw err;
          return rerender[kind](req, reply, req.params.id, { values: form, issues });
        }
        return reply.redirect(`${base}/${req.params.id}?invited=1#staff-title`, 303);
      });

      app.post(`${base}/:id/staff/:grantId/revoke`, { schema: { hide: true, params: GrantParams } }, async (req, reply) => {
        await inTx(req, (tx) => revokeGrant(tx, req.actor, req.params.grantId));
        return reply.redirect(`${base}/${req.params.id}#staff-title`, 303);
      });
    }

    const invitationPage = async (req: FastifyRequest, reply: FastifyReply, token: string, form: { issues?: Issue[]; displayName?: string } = {}) => {
      const detail = await getInvitation(dbOf(req), token);
      if (!detail) throw new NotFoundError('orgs.invite.invalid');
      const { invitation: i, place } = detail;
      return sendPage(
        reply,
        <InvitationPage
          ctx={pageContext(req)}
          token={token}
          email={i.email}
          role={i.role}
          status={detail.status}
          expiresAt={i.expiresAt.toISOString()}
          place={place ? { href: `/${place.kind === 'institution' ? 'institutions' : 'units'}/${place.id}`, name: place.name } : null}
          issues={form.issues ?? []}
          displayName={form.displayName}
        />,
        form.issues?.length ? 422 : 200,
      );
    };
    const grantHome = (grant: GrantRow) =>
      grant.institutionId ? `/institutions/${grant.institutionId}` : grant.unitId ? `/units/${grant.unitId}` : '/';

    app.get('/invitations/:token', { schema: { hide: true, params: TokenParams } }, (req, reply) => invitationPage(req, reply, req.params.token));

    app.post('/invitations/:token', { schema: { hide: true, params: TokenParams } }, async (req, reply) => {
      const grant = await inTx(req, (tx) => acceptInvitation(tx, req.actor, req.params.token));
      return reply.redirect(grantHome(grant), 303);
    });

    app.post('/invitations/:token/account', { schema: { hide: true, params: TokenParams }, config: { anonymousWrite: true } }, async (req, reply) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const input = { displayName: body.displayName, password: body.password };
      try {
        const made = await inTx(req, (tx) => acceptWithNewAccount(tx, req.params.token, input, req.locale));
        const session = await createSession(dbOf(req), made.userId, req.server.deps.config.SESSION_DAYS, req.headers['user-agent']);
        setSessionCookie(reply, session.token, session.expiresAt);
        return reply.redirect(grantHome(made.grant), 303);
      } catch (err) {
        const issues = issuesOf(err);
        if (!issues) throw err;
        return invitationPage(req, reply, req.params.token, {
          issues,
          ...(typeof body.displayName === 'string' ? { displayName: body.displayName } : {}),
        });
      }
    });
  };
}
