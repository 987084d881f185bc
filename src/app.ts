import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import { catalogueRoutes } from './catalogue/index.js';
import { digitalVisits, monitoringRoutes } from './monitoring/index.js';
import { orgsRoutes } from './orgs/index.js';
import { programmesRoutes } from './programmes/index.js';
import { authRoutes } from './platform/auth/routes.js';
import { auditRoutes } from './platform/audit/routes.js';
import type { AppDeps } from './platform/http/context.js';
import { errorHandler, notFoundHandler } from './platform/http/errors.js';
import { requestContext } from './platform/http/session.js';
import { homeRoutes } from './platform/web/home.js';
import './platform/messages.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config } = deps;
  const app = Fastify({
    logger: config.NODE_ENV === 'test' ? false : { level: config.LOG_LEVEL },
    bodyLimit: Math.round(config.BODY_LIMIT_MB * 1024 * 1024),
    trustProxy: config.TRUST_PROXY,
    ajv: { customOptions: { allErrors: true, coerceTypes: 'array', removeAdditional: false } },
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.decorate('deps', deps);

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: config.secureCookies ? [] : null,
      },
    },
    hsts: config.secureCookies,
    crossOriginEmbedderPolicy: false,
  });
  await app.register(cookie);
  await app.register(formbody, { bodyLimit: Math.round(config.BODY_LIMIT_MB * 1024 * 1024) });
  await app.register(multipart, { limits: { fileSize: Math.round(config.UPLOAD_LIMIT_MB * 1024 * 1024), files: 1, fields: 20 } });
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'suotdoi API',
        version: '1',
        description: 'JSON API of the suotdoi lifelong-learning platform. Authenticate machines with `Authorization: Bearer sd_…` tokens; browser sessions send the `x-csrf-token` header on writes.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, session: { type: 'apiKey', in: 'cookie', name: 'sd_session' } } },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true, transformStaticCSP: (h) => h });
  app.get('/api/openapi.json', { schema: { hide: true } }, () => app.swagger());

  await app.register(fastifyStatic, { root: path.join(here, 'platform/web/assets'), prefix: '/assets/', maxAge: '7d' });
  const htmx = await readFile(require.resolve('htmx.org/dist/htmx.min.js'));
  app.get('/assets/htmx.min.js', { schema: { hide: true } }, (_req, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=604800').send(htmx));

  await app.register(requestContext);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);

  await app.register(homeRoutes);
  await app.register(authRoutes);
  await app.register(auditRoutes);
  await app.register(orgsRoutes);
  await app.register(programmesRoutes);
  await app.register(digitalVisits);
  await app.register(monitoringRoutes);
  await app.register(catalogueRoutes);
  app.get('/healthz', { schema: { hide: true } }, async () => {
    await deps.database.query('select 1');
    return { ok: true, database: deps.database.kind };
  });
  await app.ready();
  return app;
}
