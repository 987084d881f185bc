import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { inTx } from '../../platform/http/context.js';
import { submitForm } from '../../platform/http/forms.js';
import { answerBooking, createBooking, teacherAnswer } from '../bookings.js';
import { BookingInput, DeclineInput, ProposeInput } from '../model.js';
import { BookingParams, detailPage, IdParams, requireSignedIn } from './common.js';
import { registrationsPage } from './registrations.js';
import { Uuid } from '../../platform/http/schemas.js';

/** Group bookings of museum education programmes: a teacher books, the museum answers, the teacher accepts or cancels. */
export const bookingPages: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/programmes/:id/bookings', { schema: { hide: true, params: IdParams } }, async (req, reply) => {
    requireSignedIn(req);
    return submitForm(req, reply, {
      schema: BookingInput,
      run: (tx, input) => createBooking(tx, req.actor, req.params.id, input),
      redirect: () => '/my/programmes?notice=booked',
      redisplay: (issues, values) => detailPage(req, reply, req.params.id, { issues, values, status: 422 }),
    });
  });

  app.post('/programmes/:id/bookings/:bid/confirm', { schema: { hide: true, params: BookingParams } }, async (req, reply) => {
    await inTx(req, (tx) => answerBooking(tx, req.actor, req.params.bid, { confirm: true }));
    return reply.redirect(`/programmes/${req.params.id}/registrations?notice=answered`, 303);
  });

  app.post('/programmes/:id/bookings/:bid/decline', { schema: { hide: true, params: BookingParams } }, async (req, reply) =>
    submitForm(req, reply, {
      schema: DeclineInput,
      run: (tx, input) => answerBooking(tx, req.actor, req.params.bid, { declineReason: input.reason }),
      redirect: () => `/programmes/${req.params.id}/registrations?notice=answered`,
      redisplay: (issues) => registrationsPage(req, reply, req.params.id, issues, 422),
    }),
  );

  app.post('/programmes/:id/bookings/:bid/propose', { schema: { hide: true, params: BookingParams } }, async (req, reply) =>
    submitForm(req, reply, {
      schema: ProposeInput,
      run: (tx, input) => answerBooking(tx, req.actor, req.params.bid, { proposeDate: input.date, note: input.note }),
      redirect: () => `/programmes/${req.params.id}/registrations?notice=answered`,
      redisplay: (issues) => registrationsPage(req, reply, req.params.id, issues, 422),
    }),
  );

  for (const [path, accept] of [
    ['accept', true],
    ['cancel', false],
  ] as const) {
    app.post(`/my/bookings/:bid/${path}`, { schema: { hide: true, params: Type.Object({ bid: Uuid }) } }, async (req, reply) => {
      await inTx(req, (tx) => teacherAnswer(tx, req.actor, req.params.bid, accept));
      return reply.redirect('/my/programmes?notice=answered', 303);
    });
  }
};
