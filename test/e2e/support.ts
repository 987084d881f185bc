import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const resultsDir = path.join(repoRoot, 'test-results/e2e');

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const chromiumAvailable = fs.existsSync(chromiumPath);
if (!chromiumAvailable) {
  console.warn(`Browser journeys skipped: no Chromium at ${chromiumPath} (install Debian's "chromium" or set CHROMIUM_PATH).`);
}

/** The demo accounts and password of src/demo.ts. */
export const demo = {
  password: 'demo-suotdoi',
  sysadmin: 'quantri@demo.suotdoi.vn',
  districtOfficer: 'tp.vinhlong@demo.suotdoi.vn',
  librarian: 'canbo.thuvien@demo.suotdoi.vn',
};

export const phone = { width: 360, height: 740 };
export const desktop = { width: 1280, height: 900 };

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface RunningServer {
  url: string;
  dataDir: string;
  /** Everything the server printed so far. */
  output(): string;
  /** Sends SIGTERM, resolves with how the process ended, and removes the data folder. */
  stop(): Promise<Exit>;
}

function exited(child: ChildProcess): Promise<Exit> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/**
 * Starts `suotdoi serve` as a user does, on a fresh embedded database with the demo data,
 * and waits until /healthz answers. What it prints goes to test-results/e2e/NAME.log.
 */
export async function startServer(name = 'server'): Promise<RunningServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'suotdoi-e2e-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_URL: url,
    DATA_DIR: dataDir,
    DEMO_DATA: 'true',
  };
  delete env.DATABASE_URL;
  delete env.SMTP_URL;

  fs.mkdirSync(resultsDir, { recursive: true });
  const log = fs.createWriteStream(path.join(resultsDir, `${name}.log`));
  let printed = '';
  const child = spawn(process.execPath, ['bin/suotdoi.js', 'serve'], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const collect = (chunk: Buffer) => {
    printed += chunk.toString('utf8');
    log.write(chunk);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const ended = exited(child);
  ended.finally(() => log.end()).catch(() => undefined);

  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`The server exited while starting (code ${child.exitCode}, signal ${child.signalCode}):\n${printed}`);
    }
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`The server did not answer ${url}/healthz within 90 s:\n${printed}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }

  return {
    url,
    dataDir,
    output: () => printed,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timeout = new Promise<Exit>((resolve) => setTimeout(() => resolve({ code: null, signal: null }), 20_000).unref());
      const exit = await Promise.race([ended, timeout]);
      if (exit.code === null && exit.signal === null) {
        child.kill('SIGKILL');
        await ended;
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
      return exit;
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/** A browser context of a visitor in Việt Nam on a phone or a desktop screen; the browser's language is Vietnamese unless told. */
export async function newVisitor(
  browser: Browser,
  baseURL: string,
  viewport: { width: number; height: number },
  locale = 'vi-VN',
): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL, viewport, locale, timezoneId: 'Asia/Ho_Chi_Minh' });
  context.setDefaultTimeout(15_000);
  return context;
}

/** A full-page screenshot in test-results/e2e/NAME.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(resultsDir, { recursive: true });
  await page.screenshot({ path: path.join(resultsDir, `${name}.png`), fullPage: true });
}

const wcagTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** Runs axe-core on the page (WCAG 2.x A and AA) and fails on any serious or critical violation. */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(wcagTags).analyze();
  const blocking = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (blocking.length === 0) return;
  const report = blocking
    .map((v) =>
      [
        `  [${v.impact}] ${v.id}: ${v.help}`,
        `    ${v.helpUrl}`,
        ...v.nodes.slice(0, 5).map((n) => `    at ${n.target.join(' ')}\n      ${n.failureSummary?.replace(/\n/g, '\n      ') ?? ''}`),
        ...(v.nodes.length > 5 ? [`    … and ${v.nodes.length - 5} more`] : []),
      ].join('\n'),
    )
    .join('\n');
  throw new Error(`Accessibility: ${blocking.length} serious or critical axe violation(s) on ${label} (${page.url()}):\n${report}`);
}

export interface Mail {
  file: string;
  to: string;
  subject: string;
  body: string;
}

function readMail(file: string): Mail {
  const raw = fs.readFileSync(file, 'utf8');
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split);
  const header = (name: string) => new RegExp(`^${name}: (.*)$`, 'mi').exec(head)?.[1]?.trim() ?? '';
  return { file, to: header('To'), subject: header('X-Subject-Text') || header('Subject'), body: raw.slice(split + 4).replace(/\r\n/g, '\n') };
}

/**
 * The newest message in DATA_DIR/outbox for the recipient, written after `since`
 * (the server sends its outbox every few seconds, so this waits for it).
 */
export async function newestMail(dataDir: string, to: string, since: number, timeoutMs = 20_000): Promise<Mail> {
  const dir = path.join(dataDir, 'outbox');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const files = fs.existsSync(dir)
      ? fs
          .readdirSync(dir)
          .filter((f) => f.endsWith('.eml'))
          .map((f) => path.join(dir, f))
          .map((f) => ({ f, at: fs.statSync(f).mtimeMs }))
          .filter((x) => x.at >= since)
          .sort((a, b) => b.at - a.at)
      : [];
    const found = files.map((x) => readMail(x.f)).find((m) => m.to === to);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`No message to ${to} in ${dir} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Finishes a registration: opens the link mailed to the address and presses the button that makes the account. */
export async function confirmRegistration(page: Page, dataDir: string, to: string, since: number): Promise<void> {
  await page.waitForURL('**/register/sent');
  const mail = await newestMail(dataDir, to, since);
  const link = /https?:\/\/\S+\/register\/confirm\/\S+/.exec(mail.body)?.[0];
  if (!link) throw new Error(`no registration link in the message:\n${mail.body}`);
  await page.goto(link);
  await page.getByRole('button', { name: 'Tạo tài khoản' }).click();
}

/** Logs in through the login page and waits until it has been left. */
export async function logIn(page: Page, identifier: string, password: string = demo.password): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email hoặc số điện thoại').fill(identifier);
  await page.getByLabel('Mật khẩu').fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}
