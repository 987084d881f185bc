import compress from '@fastify/compress';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import { modules as allModules } from './modules.js';
import { writeGuard } from './platform/auth/guard.js';
import type { AppDeps } from './platform/http/context.js';
import { errorHandler, notFoundHandler } from './platform/http/errors.js';
import { requestContext } from './platform/http/session.js';
import { staticAssets } from './platform/web/static.js';
import { registerEntityNamer } from './platform/audit/names.js';
import { navigationOf, seedStepsOf, type ModuleManifest } from './platform/module.js';
import { systemActor } from './platform/access.js';
import type { Database } from './platform/db/index.js';

/**
 * Brings a migrated database up to what the modules need before anything is served: each
 * module's `always` seed steps (reference data such as the plan's indicators), in order.
 */
export async function prepareDatabase(database: Database, modules: readonly ModuleManifest[] = allModules): Promise<void> {
  for (const step of seedStepsOf(modules, 'always')) await step.run(database.db, systemActor);
}

/** The Fastify application of the given modules (all of them by default). */
export async function buildApp(deps: AppDeps, modules: readonly ModuleManifest[] = allModules): Promise<FastifyInstance> {
  const { config } = deps;
  const app = Fastify({
    logger: config.NODE_ENV === 'test' ? false : { level: config.LOG_LEVEL },
    bodyLimit: Math.round(config.BODY_LIMIT_MB * 1024 * 1024),
    trustProxy: config.TRUST_PROXY,
    ajv: { customOptions: { allErrors: true, coerceTypes: 'array', removeAdditional: false } },
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.decorate('deps', deps);
  app.decorate('modules', modules);
  app.decorate('navigation', navigationOf(modules));
  for (const namer of modules.flatMap((m) => m.entityNames ?? [])) registerEntityNamer(namer);

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
  await app.register(compress, { encodings: ['br', 'gzip'], globalDecompression: false });
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
        description:
          'JSON API of the suotdoi lifelong-learning platform. Authenticate machines with `Authorization: Bearer sd_…` tokens; browser sessions send the `x-csrf-token` header on writes.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, session: { type: 'apiKey', in: 'cookie', name: 'sd_session' } } },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true, transformStaticCSP: (h) => h });
  app.get('/api/openapi.json', { schema: { hide: true } }, () => app.swagger());

  await app.register(staticAssets);

  await app.register(requestContext);
  await app.register(writeGuard);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);

  for (const plugin of modules.flatMap((m) => m.appPlugins ?? [])) await app.register(plugin);
  for (const m of modules) if (m.routes) await app.register(m.routes);
  app.get('/healthz', { schema: { hide: true } }, async () => {
    await deps.database.query('select 1');
    return { ok: true, database: deps.database.kind };
  });
  await app.ready();
  return app;
}
