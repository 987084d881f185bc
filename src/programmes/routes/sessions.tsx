import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ValidationError, type Issue } from '../../platform/errors.js';
import { dbOf, inTx, issuesOf, pageContext, sendPage } from '../../platform/http/context.js';
import { submitForm } from '../../platform/http/forms.js';
import { addWalkIn, checkIn, saveTickList, sessionSheet } from '../attendance.js';
import { WalkInInput } from '../model.js';
import { cancelSession } from '../service.js';
import { AttendancePage } from '../views/staff.js';
import { NoticeQuery, noticeOf, SessionParams, type Body, type Q } from './common.js';

async function attendancePage(req: FastifyRequest, reply: FastifyReply, id: string, sid: string, issues: Issue[], status = 200) {
  const sheet = await sessionSheet(dbOf(req), req.actor, id, sid);
  return sendPage(reply, <AttendancePage ctx={pageContext(req)} sheet={sheet} notice={noticeOf(req)} issues={issues} />, status);
}

/** A session: cancelling it, and its attendance (check-in by code, the tick list, walk-ins). */
export const sessionPages: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/programmes/:id/sessions/:sid/cancel', { schema: { hide: true, params: SessionParams } }, async (req, reply) => {
    const body = (req.body ?? {}) as Q;
    await inTx(req, (tx) => cancelSession(tx, req.actor, req.params.id, req.params.sid, body.reason?.trim() || undefined));
    return reply.redirect(`/programmes/${req.params.id}?notice=sessionCancelled`, 303);
  });

  app.get(
    '/programmes/:id/sessions/:sid/attendance',
    { schema: { hide: true, params: SessionParams, querystring: NoticeQuery } },
    async (req, reply) => attendancePage(req, reply, req.params.id, req.params.sid, []),
  );

  app.post('/programmes/:id/sessions/:sid/checkin', { schema: { hide: true, params: SessionParams } }, async (req, reply) => {
    const body = (req.body ?? {}) as Q;
    const base = `/programmes/${req.params.id}/sessions/${req.params.sid}/attendance`;
    try {
      if (!body.code?.trim()) throw new ValidationError([{ field: 'code', key: 'errors.required' }]);
      const code = body.code;
      const result = await inTx(req, (tx) => checkIn(tx, req.actor, req.params.id, req.params.sid, code));
      const scan = body.scan === '1' ? '&scan=1' : '';
      return reply.redirect(`${base}?notice=${result.already ? 'already' : 'checkedIn'}&name=${encodeURIComponent(result.name)}${scan}`, 303);
    } catch (err) {
      const issues = issuesOf(err);
      if (issues) return attendancePage(req, reply, req.params.id, req.params.sid, issues, 422);
      throw err;
    }
  });

  app.post('/programmes/:id/sessions/:sid/attendance', { schema: { hide: true, params: SessionParams } }, async (req, reply) => {
    const body = (req.body ?? {}) as Body;
    const list = (v: unknown) => (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string');
    await inTx(req, (tx) =>
      saveTickList(tx, req.actor, req.params.id, req.params.sid, { registrationIds: list(body.present), bookingIds: list(body.groups) }),
    );
    return reply.redirect(`/programmes/${req.params.id}/sessions/${req.params.sid}/attendance?notice=saved_list`, 303);
  });

  app.post('/programmes/:id/sessions/:sid/walk-ins', { schema: { hide: true, params: SessionParams } }, async (req, reply) =>
    submitForm(req, reply, {
      schema: WalkInInput,
      run: (tx, input) => addWalkIn(tx, req.actor, req.params.id, req.params.sid, input),
      redirect: () => `/programmes/${req.params.id}/sessions/${req.params.sid}/attendance?notice=walkIn`,
      redisplay: (issues) => attendancePage(req, reply, req.params.id, req.params.sid, issues, 422),
    }),
  );
};
