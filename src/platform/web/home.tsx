import type { FastifyInstance } from 'fastify';
import { dbOf, pageContext, sendPage } from '../http/context.js';
import { homePartsOf, type HomePart } from '../module.js';
import { Layout } from './layout.js';

/** The home page: the platform's welcome, then each module's part in the order their manifests give. */
export async function homeRoutes(app: FastifyInstance): Promise<void> {
  const parts = homePartsOf(app.modules);
  app.get('/', { schema: { hide: true } }, async (req, reply) => {
    const ctx = pageContext(req);
    const { t } = ctx;
    const db = dbOf(req);
    const render = (area: HomePart['area']) => Promise.all(parts.filter((p) => p.area === area).map(async (p) => p.render(ctx, db)));
    const [lead, main] = await Promise.all([render('lead'), render('main')]);
    return sendPage(
      reply,
      <Layout ctx={ctx} title={t('home.title')}>
        <h1>{t('home.title')}</h1>
        <p class="lead">{t('home.lead')}</p>
        {lead}
        {ctx.user ? null : (
          <p>
            <a class="button" href="/register">
              {t('home.start')}
            </a>{' '}
            <a class="button button--secondary" href="/institutions">
              {t('home.browse')}
            </a>
          </p>
        )}
        <h2>{t('home.offer.title')}</h2>
        <ul class="cards">
          {(['libraries', 'museums', 'centres', 'record', 'monitoring'] as const).map((k) => (
            <li class="card" key={k}>
              <p>{t(`home.offer.${k}`)}</p>
            </li>
          ))}
        </ul>
        {main}
      </Layout>,
    );
  });
}
