import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('configuration', () => {
  it('has working defaults', () => {
    const c = loadConfig({}, '/srv/app');
    expect(c.PORT).toBe(3000);
    expect(c.dataDir).toBe('/srv/app/data');
    expect(c.publicUrl).toBe('http://localhost:3000');
    expect(c.secureCookies).toBe(false);
    expect(c.DATABASE_URL).toBeUndefined();
  });

  it('loads demo data by default only on a development or test site over plain http', () => {
    expect(loadConfig({}).DEMO_DATA).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test', PUBLIC_URL: 'http://localhost:4000' }).DEMO_DATA).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production' }).DEMO_DATA).toBe(false);
    expect(loadConfig({ PUBLIC_URL: 'https://suotdoi.vinhlong.gov.vn' }).DEMO_DATA).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', DEMO_DATA: 'true' }).DEMO_DATA).toBe(true);
    expect(loadConfig({ PUBLIC_URL: 'https://demo.suotdoi.vn', DEMO_DATA: 'yes' }).DEMO_DATA).toBe(true);
    expect(loadConfig({ DEMO_DATA: 'off' }).DEMO_DATA).toBe(false);
  });

  it('reads and converts values', () => {
    const c = loadConfig({ PORT: '8080', DEMO_DATA: 'no', PUBLIC_URL: 'https://suotdoi.vinhlong.gov.vn/', DATABASE_URL: 'postgres://u@h/db' }, '/x');
    expect(c.PORT).toBe(8080);
    expect(c.DEMO_DATA).toBe(false);
    expect(c.publicUrl).toBe('https://suotdoi.vinhlong.gov.vn');
    expect(c.secureCookies).toBe(true);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://x/y'],
    ['DEMO_DATA', 'maybe'],
    ['PUBLIC_URL', 'ftp://x'],
    ['NODE_ENV', 'staging'],
    ['LOGIN_MAX_FAILURES', '0'],
  ])('refuses %s=%s and names it', (key, value) => {
    try {
      loadConfig({ [key]: value });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).message).toContain(`${key}=`);
    }
  });

  it('reports every bad value at once', () => {
    expect(() => loadConfig({ PORT: 'x', SESSION_DAYS: '-1' })).toThrow(/PORT=.*\n.*SESSION_DAYS=/s);
  });
});
