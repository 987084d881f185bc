import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ValidationError } from '../../platform/errors.js';
import { dbOf, inTx } from '../../platform/http/context.js';
import { calendarEntries, createMarker, listMarkers, markersBetween, updateMarker, type CalendarScope } from '../calendar.js';
import { createCampaign, getCampaign, listCampaigns, updateCampaign } from '../campaigns.js';
import { CampaignEditInput, CampaignInput, MarkerInput } from '../model.js';
import {
  CalendarEntryOut,
  CampaignOut,
  MarkerDayOut,
  MarkerOut,
  presentCampaign,
  presentEntry,
  presentMarker,
  presentMarkerDay,
} from '../presenters.js';
import { IsoDate, Uuid } from '../../platform/http/schemas.js';

import { created, errors, IdParams, tags, writeSecurity } from './api-common.js';

const CalendarQuery = Type.Object({
  from: IsoDate,
  to: IsoDate,
  unitId: Type.Optional(Uuid),
  institutionId: Type.Optional(Uuid),
});

export const calendarApi: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/v1/calendar',
    {
      schema: {
        tags,
        summary: 'Sessions and marked days between two dates, for the province, a unit or an institution',
        querystring: CalendarQuery,
        response: { 200: Type.Object({ sessions: Type.Array(CalendarEntryOut), markers: Type.Array(MarkerDayOut) }), ...errors },
      },
    },
    async (req) => {
      const q = req.query;
      if (q.to <= q.from) throw new ValidationError([{ field: 'to', key: 'programmes.errors.endBeforeStart' }]);
      const scope: CalendarScope = q.institutionId
        ? { kind: 'institution', institutionId: q.institutionId }
        : q.unitId
          ? { kind: 'unit', unitId: q.unitId }
          : { kind: 'all' };
      const db = dbOf(req);
      const [sessions, markers] = await Promise.all([calendarEntries(db, scope, q.from, q.to, 5000), markersBetween(db, scope, q.from, q.to)]);
      return { sessions: sessions.map(presentEntry), markers: markers.map(presentMarkerDay) };
    },
  );

  app.get(
    '/api/v1/calendar/markers',
    {
      schema: { tags, summary: 'Calendar markers (national days, local anniversaries)', response: { 200: Type.Array(MarkerOut), ...errors } },
    },
    async (req) => (await listMarkers(dbOf(req))).map(presentMarker),
  );

  app.post(
    '/api/v1/calendar/markers',
    {
      schema: {
        tags,
        summary: 'Add a local anniversary or a day to mark',
        security: writeSecurity,
        body: MarkerInput,
        response: { 201: MarkerOut, ...errors },
      },
    },
    async (req, reply) => {
      const row = await inTx(req, (tx) => createMarker(tx, req.actor, req.body));
      created(reply);
      return presentMarker(row);
    },
  );

  app.put(
    '/api/v1/calendar/markers/:id',
    {
      schema: {
        tags,
        summary: 'Edit a calendar marker',
        security: writeSecurity,
        params: IdParams,
        body: MarkerInput,
        response: { 200: MarkerOut, ...errors },
      },
    },
    async (req) => presentMarker(await inTx(req, (tx) => updateMarker(tx, req.actor, req.params.id, req.body))),
  );

  app.get(
    '/api/v1/campaigns',
    {
      schema: { tags, summary: 'Campaigns', response: { 200: Type.Array(CampaignOut), ...errors } },
    },
    async (req) => (await listCampaigns(dbOf(req))).map((c) => presentCampaign(c)),
  );

  app.post(
    '/api/v1/campaigns',
    {
      schema: {
        tags,
        summary: 'Create a campaign (unit officers)',
        security: writeSecurity,
        body: CampaignInput,
        response: { 201: CampaignOut, ...errors },
      },
    },
    async (req, reply) => {
      const row = await inTx(req, (tx) => createCampaign(tx, req.actor, req.body));
      created(reply);
      return presentCampaign(row);
    },
  );

  app.put(
    '/api/v1/campaigns/:id',
    {
      schema: {
        tags,
        summary: 'Edit a campaign and set which programmes belong to it (unit officers)',
        security: writeSecurity,
        params: IdParams,
        body: CampaignEditInput,
        response: { 200: CampaignOut, ...errors },
      },
    },
    async (req) => presentCampaign(await inTx(req, (tx) => updateCampaign(tx, req.actor, req.params.id, req.body))),
  );

  app.get(
    '/api/v1/campaigns/:id',
    {
      schema: { tags, summary: 'A campaign with its totals', params: IdParams, response: { 200: CampaignOut, ...errors } },
    },
    async (req) => {
      const { campaign, totals } = await getCampaign(dbOf(req), req.params.id);
      return presentCampaign(campaign, totals);
    },
  );
};
