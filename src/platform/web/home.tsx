import type { FastifyInstance } from 'fastify';
import { CatalogueSearchBox } from '../../catalogue/index.js';
import { networkCounts } from '../../orgs/index.js';
import { dbOf, pageContext, sendPage } from '../http/context.js';
import { formatNumber } from '../i18n/index.js';
import { Layout } from './layout.js';

export async function homeRoutes(app: FastifyInstance): Promise<void> {
  app.get('/', { schema: { hide: true } }, async (req, reply) => {
    const ctx = pageContext(req);
    const { t } = ctx;
    const counts = await networkCounts(dbOf(req), new Date());
    return sendPage(reply, (
      <Layout ctx={ctx} title={t('home.title')}>
        <h1>{t('home.title')}</h1>
        <p class="lead">{t('home.lead')}</p>
        <CatalogueSearchBox ctx={ctx} />
        {ctx.user ? null : <p><a class="button" href="/register">{t('home.start')}</a> <a class="button button--secondary" href="/institutions">{t('home.browse')}</a></p>}
        <h2>{t('home.offer.title')}</h2>
        <ul class="cards">
          {(['libraries', 'museums', 'centres', 'record', 'monitoring'] as const).map((k) => (
            <li class="card" key={k}><p>{t(`home.offer.${k}`)}</p></li>
          ))}
        </ul>
        <h2>{t('home.network.title')}</h2>
        <ul>
          <li><a href="/units">{t('home.network.units', { n: formatNumber(ctx.locale, counts.units) })}</a></li>
          <li><a href="/institutions">{t('home.network.institutions', { n: formatNumber(ctx.locale, counts.institutions) })}</a></li>
        </ul>
      </Layout>
    ));
  });
}
