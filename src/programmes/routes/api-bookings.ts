import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { dbOf, inTx } from '../../platform/http/context.js';
import { answerBooking, bookingsOf, createBooking, myBookings } from '../bookings.js';
import { BookingInput, DeclineInput, ProposeInput } from '../model.js';
import { BookingOut, presentBooking } from '../presenters.js';

import { created, errors, IdParams, tags, writeSecurity } from './api-common.js';

export const bookingApi: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/v1/programmes/:id/bookings',
    {
      schema: {
        tags,
        summary: 'Book a museum education programme for a school group',
        security: writeSecurity,
        params: IdParams,
        body: BookingInput,
        response: { 201: BookingOut, ...errors },
      },
    },
    async (req, reply) => {
      const row = await inTx(req, (tx) => createBooking(tx, req.actor, req.params.id, req.body));
      created(reply);
      return presentBooking(row);
    },
  );

  app.get(
    '/api/v1/programmes/:id/bookings',
    {
      schema: {
        tags,
        summary: 'School-group bookings of a programme (staff)',
        security: writeSecurity,
        params: IdParams,
        response: { 200: Type.Array(BookingOut), ...errors },
      },
    },
    async (req) => (await bookingsOf(dbOf(req), req.actor, req.params.id)).map(presentBooking),
  );

  app.get(
    '/api/v1/me/bookings',
    {
      schema: { tags, summary: "The signed-in teacher's bookings", security: writeSecurity, response: { 200: Type.Array(BookingOut), ...errors } },
    },
    async (req) => (await myBookings(dbOf(req), req.actor)).map((b) => presentBooking(b.booking)),
  );

  app.post(
    '/api/v1/bookings/:id/confirm',
    {
      schema: {
        tags,
        summary: 'Confirm a booking (museum staff)',
        security: writeSecurity,
        params: IdParams,
        response: { 200: BookingOut, ...errors },
      },
    },
    async (req) => presentBooking(await inTx(req, (tx) => answerBooking(tx, req.actor, req.params.id, { confirm: true }))),
  );

  app.post(
    '/api/v1/bookings/:id/propose',
    {
      schema: {
        tags,
        summary: 'Propose another offered date (museum staff)',
        security: writeSecurity,
        params: IdParams,
        body: ProposeInput,
        response: { 200: BookingOut, ...errors },
      },
    },
    async (req) =>
      presentBooking(await inTx(req, (tx) => answerBooking(tx, req.actor, req.params.id, { proposeDate: req.body.date, note: req.body.note }))),
  );

  app.post(
    '/api/v1/bookings/:id/decline',
    {
      schema: {
        tags,
        summary: 'Decline a booking with a reason the teacher is told (museum staff)',
        security: writeSecurity,
        params: IdParams,
        body: DeclineInput,
        response: { 200: BookingOut, ...errors },
      },
    },
    async (req) => presentBooking(await inTx(req, (tx) => answerBooking(tx, req.actor, req.params.id, { declineReason: req.body.reason }))),
  );
};
