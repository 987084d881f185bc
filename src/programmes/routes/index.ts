import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { programmeApi } from './api.js';
import { bookingPages } from './bookings.js';
import { calendarPages } from './calendar.js';
import { campaignPages } from './campaigns.js';
import { programmeImages } from './images.js';
import { programmePages } from './programmes.js';
import { registrationPages } from './registrations.js';
import { sessionPages } from './sessions.js';
import { statsPages } from './stats.js';
import '../messages.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const checkinJs = fs.readFileSync(path.join(here, '../assets/checkin.js'), 'utf8');

export const programmesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(programmePages);
  await app.register(registrationPages);
  await app.register(bookingPages);
  await app.register(sessionPages);
  await app.register(calendarPages);
  await app.register(campaignPages);
  await app.register(statsPages);
  await app.register(programmeApi);
  await app.register(programmeImages);

  app.get('/programmes/assets/checkin.js', { schema: { hide: true } }, (_req, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=86400').send(checkinJs),
  );
};
