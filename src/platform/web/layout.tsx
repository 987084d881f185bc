import type { ComponentChildren } from 'preact';
import { Button, Form } from './components.js';
import type { PageContext } from './context.js';
import { messageKey } from '../i18n/index.js';
import { assetUrl, type AssetName } from './static.js';

function langHref(url: string, lang: string): string {
  const u = new URL(url, 'http://x');
  u.searchParams.set('lang', lang);
  return `${u.pathname}${u.search}`;
}

export interface Crumb {
  href: string;
  label: string;
}

export interface LayoutProps {
  ctx: PageContext;
  title: string;
  children: ComponentChildren;
  crumbs?: Crumb[];
  /** Scripts this page needs beyond site.js; htmx (53 KB) only on pages whose markup carries `hx-` attributes. */
  scripts?: AssetName[];
}

export function Layout({ ctx, title, children, crumbs, scripts = [] }: LayoutProps) {
  const htmx = scripts.includes('htmx.min.js');
  const other = ctx.locale === 'vi' ? 'en' : 'vi';
  const path = new URL(ctx.url, 'http://x').pathname;
  return (
    <html lang={ctx.locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} — ${ctx.t('site.name')}`}</title>
        <link rel="stylesheet" href={assetUrl('site.css')} />
        {scripts.map((s) => (
          <script key={s} src={assetUrl(s)} defer></script>
        ))}
        <script src={assetUrl('site.js')} defer></script>
      </head>
      <body hx-headers={htmx ? JSON.stringify({ 'x-csrf-token': ctx.csrfToken }) : undefined}>
        <a class="skip-link" href="#main">
          {ctx.t('site.skip')}
        </a>
        <header class="site-header">
          <div class="container site-header__inner">
            <a class="site-header__brand" href="/">
              <span class="site-header__name">{ctx.t('site.name')}</span>
              <span class="site-header__tagline">{ctx.t('site.tagline')}</span>
            </a>
            <div class="site-header__tools">
              {ctx.user ? (
                <>
                  <a href="/account" aria-current={path.startsWith('/account') ? 'page' : undefined}>
                    {ctx.user.displayName}
                  </a>
                  <Form ctx={ctx} action="/logout" class="inline-form">
                    <Button variant="secondary">{ctx.t('nav.logout')}</Button>
                  </Form>
                </>
              ) : (
                <>
                  <a href="/login" aria-current={path === '/login' ? 'page' : undefined}>
                    {ctx.t('nav.login')}
                  </a>
                  <a href="/register" aria-current={path === '/register' ? 'page' : undefined}>
                    {ctx.t('nav.register')}
                  </a>
                </>
              )}
              <a href={langHref(ctx.url, other)} hreflang={other} lang={other}>
                {ctx.t('nav.switchTo')}
              </a>
            </div>
          </div>
          <nav class="site-nav" aria-label={ctx.t('site.menu')}>
            <ul class="container site-nav__list">
              <li>
                <a href="/" aria-current={path === '/' ? 'page' : undefined}>
                  {ctx.t('nav.home')}
                </a>
              </li>
              {ctx.nav
                .filter((n) => !n.visible || n.visible(ctx))
                .map((n) => (
                  <li key={n.href}>
                    <a href={n.href} aria-current={path.startsWith(n.href) ? 'page' : undefined}>
                      {ctx.t(messageKey(n.key))}
                    </a>
                  </li>
                ))}
            </ul>
          </nav>
        </header>
        {ctx.demo ? <p class="demo-banner">{ctx.t('site.demoBanner')}</p> : null}
        <div class="container">
          {crumbs && crumbs.length ? (
            <nav class="breadcrumbs" aria-label={ctx.t('nav.breadcrumb')}>
              <ol>
                {crumbs.map((c) => (
                  <li key={c.href}>
                    <a href={c.href}>{c.label}</a>
                  </li>
                ))}
              </ol>
            </nav>
          ) : null}
          <main id="main" tabindex={-1}>
            {children}
          </main>
        </div>
        <footer class="site-footer">
          <div class="container">
            <p>{ctx.t('site.footer')}</p>
            <p>
              <a href="/api/docs">{ctx.t('site.apiDocs')}</a> · <a href="/api/openapi.json">OpenAPI</a>
            </p>
          </div>
        </footer>
      </body>
    </html>
  );
}
