// Shared helpers for the Journeykit end-to-end tests.
//
// Everything here talks to the product only through its public contract: the widget's
// `data-jk-*` DOM contract, the host page's `#jk-signed-in` / `#jk-id-token`, the JSON API
// under /v1, the tenant's JWKS and the dev-mode outbox at /dev/outbox.

import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import {
  expect,
  test,
  type APIRequestContext,
  type Browser,
  type BrowserContext,
  type Locator,
  type Page,
  type Response,
} from '@playwright/test';
import { AXE_TAGS } from './matrix';

// ---------------------------------------------------------------------------------------------
// Constants

/** The server under test, without a trailing slash. */
export const BASE_URL = (process.env.BASE_URL ?? 'http://127.0.0.1:8123').replace(/\/+$/, '');

/** InsurGroup's brand pages on their own origin (xtask's site server), without a trailing slash. */
export const SITE_URL = (process.env.SITE_URL ?? 'http://localhost:8081').replace(/\/+$/, '');

/**
 * The browser tests' own pages (tests/e2e/site/) on their own origin (xtask's second site
 * server), without a trailing slash.
 */
export const E2E_SITE_URL = (process.env.E2E_SITE_URL ?? 'http://localhost:8082').replace(
  /\/+$/,
  '',
);

/**
 * The browser tests' own tenant (tests/e2e/tenants/e2eco: RoadHelp's journeys, copied), so that
 * editing the demo cannot break the behaviour specs. The demo has its smoke tests
 * (demo.spec.ts, insurgroup.spec.ts).
 */
export const TENANT = 'e2eco';
export const REGISTRATION_PAGE = `${E2E_SITE_URL}/`;
export const LOGIN_PAGE = `${E2E_SITE_URL}/login/`;
export const RECOVERY_PAGE = `${E2E_SITE_URL}/recovery/`;

/** The issuer every ID token of the test tenant must carry. */
export const ISSUER = `${BASE_URL}/v1/${TENANT}`;

/** A password that is long enough and not on any blocklist. */
export const GOOD_PASSWORD = 'violet tractor under the bridge 42';
/** Long enough (16 code points) but on the common-password list. */
export const COMMON_PASSWORD = 'passwordpassword';

export interface Viewport {
  name: string;
  width: number;
  height: number;
}

export const VIEWPORTS: Viewport[] = [
  { name: '375x812', width: 375, height: 812 },
  { name: '768x1024', width: 768, height: 1024 },
  { name: '1440x900', width: 1440, height: 900 },
];

/** The registration journey's steps, in order; also numbers the screenshots. */
export const REGISTRATION_STEPS = ['details', 'verify_email', 'password', 'welcome'] as const;

const SCREENSHOT_ORDER: Record<string, number> = {
  details: 1,
  verify_email: 2,
  password: 3,
  'password-error': 4,
  'password-revealed': 5,
  welcome: 6,
  complete: 7,
  login: 8,
  'login-error': 9,
  'login-complete': 10,
  locked: 11,
};


// ---------------------------------------------------------------------------------------------
// Small utilities

/** A fresh address for one test run; the tag says which test made it. */
export function uniqueEmail(tag: string): string {
  const safe = tag.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const salt = crypto.randomBytes(3).toString('hex');
  return `e2e-${safe}-${Date.now()}-${salt}@example.com`;
}

/** A 6-digit code that is not `avoid`, so a "wrong code" is really wrong. */
export function wrongCode(avoid: string, seed: number): string {
  for (let n = seed; ; n++) {
    const candidate = String((n * 104_729 + 13) % 1_000_000).padStart(6, '0');
    if (candidate !== avoid) return candidate;
  }
}

/** The first run of exactly six digits, as the contract defines the verification code. */
export function extractCode(body: string): string | null {
  const m = /(?<!\d)\d{6}(?!\d)/.exec(body);
  return m ? m[0] : null;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// ---------------------------------------------------------------------------------------------
// Widget locators

/** The `<journey-widget>` element on a host page. */
export function widget(page: Page): Locator {
  return page.locator('journey-widget');
}

/** The widget's root element, the one carrying `data-jk-status` (and `aria-busy`). */
export function widgetRoot(page: Page): Locator {
  return page.locator('journey-widget [data-jk-status]').first();
}

/** The step form for `stepId`. */
export function stepForm(page: Page, stepId: string): Locator {
  return page.locator(`journey-widget form[data-jk-step="${stepId}"]`);
}

/** The step heading (`<h2 tabindex="-1">`) of the step `stepId`. */
export function stepHeading(page: Page, stepId: string): Locator {
  return stepForm(page, stepId).locator('h2');
}

export function field(page: Page, name: string): Locator {
  return page.locator(`journey-widget [data-jk-field="${name}"]`);
}

export function fieldError(page: Page, name: string): Locator {
  return page.locator(`journey-widget [data-jk-field-error="${name}"]`);
}

export function action(page: Page, id: string): Locator {
  return page.locator(`journey-widget [data-jk-action="${id}"]`);
}

export function stepMessages(page: Page, level?: string): Locator {
  const sel = level ? `[data-jk-message="${level}"]` : '[data-jk-message]';
  return page.locator(`journey-widget [data-jk-messages] ${sel}`);
}

/** The widget is idle: no request in flight. */
export async function waitForIdle(page: Page): Promise<void> {
  await expect(widgetRoot(page)).toBeAttached();
  await expect(widgetRoot(page)).not.toHaveAttribute('aria-busy', 'true');
}

/**
 * Waits until the widget shows the step `stepId` and no request is in flight; returns its form.
 */
export async function waitForStep(
  page: Page,
  stepId: string,
  opts: { status?: string } = {},
): Promise<Locator> {
  const form = stepForm(page, stepId);
  await expect(form, `the widget should show the step "${stepId}"`).toBeVisible();
  await waitForIdle(page);
  await expect(widgetRoot(page)).toHaveAttribute('data-jk-status', opts.status ?? 'active');
  await expect(form.locator('h2')).not.toBeEmpty();
  return form;
}

/** The step heading must have the focus (after a step change). */
export async function expectHeadingFocused(page: Page, stepId: string): Promise<void> {
  await expect(
    stepHeading(page, stepId),
    `focus should move to the heading of "${stepId}" after the step changes`,
  ).toBeFocused();
}

/** The whole page fits the viewport's width (WCAG 1.4.10 reflow). */
export async function expectNoHorizontalScroll(page: Page): Promise<void> {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  expect(
    scrollWidth,
    `the page scrolls horizontally: scrollWidth ${scrollWidth} > innerWidth ${innerWidth}`,
  ).toBeLessThanOrEqual(innerWidth);
}

// ---------------------------------------------------------------------------------------------
// Network helpers

/** True for the widget's submission of an answer: `POST /v1/flows/{id}`. */
export function isFlowSubmit(r: Response): boolean {
  return r.request().method() === 'POST' && /\/v1\/flows\/[^/?#]+(?:[?#]|$)/.test(r.url());
}

/** True for the widget's start of a flow: `POST /v1/{tenant}/journeys/{journey}`. */
export function isFlowStart(r: Response, journey?: string, tenant: string = TENANT): boolean {
  const j = journey ?? '[^/?#]+';
  return (
    r.request().method() === 'POST' &&
    new RegExp(`/v1/${tenant}/journeys/${j}(?:[?#]|$)`).test(r.url())
  );
}

/** The flow id in a `/v1/flows/{id}` URL. */
export function flowIdFromUrl(url: string): string | null {
  const m = /\/v1\/flows\/([^/?#]+)/.exec(url);
  return m ? decodeURIComponent(m[1]) : null;
}

/** Clicks (or runs `act`) and waits for the widget's next `POST /v1/flows/{id}` answer. */
export async function submitAndWait(page: Page, act: () => Promise<void>): Promise<Response> {
  const [response] = await Promise.all([page.waitForResponse(isFlowSubmit), act()]);
  await waitForIdle(page);
  return response;
}

/**
 * Opens a host page and waits for the widget's first step; returns the started flow's JSON. The
 * journey is known from the test tenant's page constants, else named by `journeyName`.
 */
export async function openJourney(
  page: Page,
  url: string,
  firstStep: string,
  journeyName?: string,
): Promise<{ id: string; [k: string]: unknown }> {
  const journey =
    journeyName ??
    (url === LOGIN_PAGE ? 'login' : url === RECOVERY_PAGE ? 'recovery' : 'registration');
  const [start] = await Promise.all([
    page.waitForResponse((r) => isFlowStart(r, journey)),
    page.goto(url),
  ]);
  expect(start.status(), `starting the ${journey} flow`).toBeLessThan(300);
  const flow = await start.json();
  await waitForStep(page, firstStep);
  return flow;
}

/** A new, empty browser context (no cookies, no storage) with the given viewport. */
export async function freshContext(browser: Browser, vp?: Viewport): Promise<BrowserContext> {
  return browser.newContext({
    baseURL: BASE_URL,
    viewport: vp ? { width: vp.width, height: vp.height } : undefined,
  });
}

// ---------------------------------------------------------------------------------------------
// Outbox

export interface OutboxMessage {
  id: string | number;
  channel: string;
  to: string;
  subject: string;
  body: string;
  created_at: string | number;
}

/** The dev outbox for `email`, newest first. */
export async function readOutbox(
  request: APIRequestContext,
  email: string,
  base: string = BASE_URL,
): Promise<OutboxMessage[]> {
  const res = await request.get(`${base}/dev/outbox?to=${encodeURIComponent(email)}`);
  expect(res.status(), `GET /dev/outbox?to=${email}`).toBe(200);
  const list = await res.json();
  expect(Array.isArray(list), 'the outbox answers a JSON array').toBe(true);
  return list as OutboxMessage[];
}

/** What [`waitForMessage`] and [`readCode`] wait for. */
interface MessageOptions {
  exclude?: Array<string | number>;
  timeoutMs?: number;
  base?: string;
  channel?: 'email' | 'sms' | 'voice';
}

/**
 * Polls the outbox until a message for `email` (or a phone number, in E.164) appears whose id is
 * not in `exclude` (ids of messages seen before), and returns the newest such message, which
 * must have come by `channel` (`email` unless told: `sms`, `voice`).
 */
export async function waitForMessage(
  request: APIRequestContext,
  email: string,
  opts: MessageOptions = {},
): Promise<OutboxMessage> {
  const exclude = new Set((opts.exclude ?? []).map(String));
  const deadline = Date.now() + (opts.timeoutMs ?? 15_000);
  for (;;) {
    const list = await readOutbox(request, email, opts.base);
    const fresh = list.filter((m) => !exclude.has(String(m.id)));
    if (fresh.length > 0) {
      const msg = fresh[0];
      expect(msg.channel).toBe(opts.channel ?? 'email');
      expect(msg.to.toLowerCase()).toBe(email.toLowerCase());
      return msg;
    }
    if (Date.now() > deadline) {
      throw new Error(`no new outbox message for ${email} within ${opts.timeoutMs ?? 15_000} ms`);
    }
    await sleep(200);
  }
}

/**
 * Reads the newest verification code sent to `email`, polling until it arrives.
 * Pass `exclude` (ids already seen) to wait for a newer code, e.g. after a resend.
 */
export async function readCode(
  request: APIRequestContext,
  email: string,
  opts: MessageOptions = {},
): Promise<string> {
  const msg = await waitForMessage(request, email, opts);
  const code = extractCode(msg.body);
  expect(code, `the newest message to ${email} should carry a 6-digit code:\n${msg.body}`).not
    .toBeNull();
  return code as string;
}

// ---------------------------------------------------------------------------------------------
// Accessibility

interface AxeNode {
  target: unknown[];
  html: string;
  failureSummary?: string;
}
interface AxeViolation {
  id: string;
  impact?: string | null;
  help: string;
  helpUrl: string;
  nodes: AxeNode[];
}

/** Formats axe violations for a failure message a person can read. */
export function formatViolations(violations: AxeViolation[]): string {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .map((n) => {
          const summary = (n.failureSummary ?? '').replace(/\n/g, '\n        ');
          return `    - ${JSON.stringify(n.target)}\n      ${n.html}\n        ${summary}`;
        })
        .join('\n');
      return `[${v.impact ?? 'n/a'}] ${v.id}: ${v.help}\n  ${v.helpUrl}\n${nodes}`;
    })
    .join('\n\n');
}

/**
 * Runs axe-core (WCAG 2.0/2.1 A+AA and 2.2 AA, with `target-size` on) on the whole page and
 * fails with a readable list if anything is found. `label` names the state in the message.
 */
export async function expectNoAxeViolations(page: Page, label = ''): Promise<void> {
  const results = await new AxeBuilder({ page })
    .options({
      runOnly: { type: 'tag', values: AXE_TAGS },
      rules: { 'target-size': { enabled: true } },
    })
    .analyze();
  const violations = results.violations as AxeViolation[];
  const where = label ? ` (${label})` : '';
  expect(
    violations.length,
    `axe found ${violations.length} violation(s) at ${page.url()}${where}:\n\n` +
      formatViolations(violations),
  ).toBe(0);
}

/** Each watched page's Content-Security-Policy refusals so far ([`cspRefusals`]). */
const refusals = new WeakMap<Page, string[]>();

/**
 * Collects every Content-Security-Policy refusal `page` reports from now on (a brand page under
 * a strict policy must cause none); the returned list grows as they come.
 */
export function cspRefusals(page: Page): string[] {
  const refused: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) refused.push(m.text());
  });
  refusals.set(page, refused);
  return refused;
}

/**
 * [`expectNoAxeViolations`] on a page watched by [`cspRefusals`], after checking that the page
 * and the widget caused no refusal so far. axe-core's own inline styles are refused by a strict
 * policy, so what axe causes is dropped once a round trip to the page shows its reports came.
 */
export async function expectNoAxeViolationsNorCspRefusals(page: Page, label: string) {
  const refused = refusals.get(page) ?? [];
  expect(refused, `no CSP refusals before checking ${label}`).toEqual([]);
  await expectNoAxeViolations(page, label);
  await page.evaluate(() => 0);
  refused.length = 0;
}

// ---------------------------------------------------------------------------------------------
// Screenshots

/**
 * A full-page screenshot to tests/e2e/artifacts/<viewport>/<nn>-<step>.png.
 * `nn` comes from the known step order (or `index` when given).
 */
export async function screenshot(
  page: Page,
  viewportName: string,
  stepName: string,
  index?: number,
): Promise<string> {
  const nn = String(index ?? SCREENSHOT_ORDER[stepName] ?? 99).padStart(2, '0');
  const dir = path.join(test.info().project.testDir, 'artifacts', viewportName);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${nn}-${stepName}.png`);
  await page.screenshot({ path: file, fullPage: true, animations: 'disabled', caret: 'hide' });
  return file;
}

/** Everything checked on every registration step: no h-scroll, axe, a screenshot. */
export async function checkStep(
  page: Page,
  vp: Viewport,
  stepName: string,
): Promise<void> {
  await expectNoHorizontalScroll(page);
  await expectNoAxeViolations(page, `${vp.name} ${stepName}`);
  await screenshot(page, vp.name, stepName);
}

// ---------------------------------------------------------------------------------------------
// ID tokens

export interface IdTokenClaims {
  iss: string;
  sub: string;
  aud: string | string[];
  acr: string;
  amr: string[];
  auth_time: number;
  exp: number;
  iat: number;
  [k: string]: unknown;
}

interface Jwk {
  kty: string;
  crv: string;
  x: string;
  kid: string;
  alg: string;
  use: string;
}

function b64urlJson(part: string): any {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
}

/**
 * Verifies an ID token's EdDSA signature against the tenant's JWKS and its issuer; returns
 * its header and claims. Other claims are for the caller to check (see `expectFreshClaims`).
 */
export async function verifyIdToken(
  request: APIRequestContext,
  baseUrl: string,
  token: string,
  tenant: string = TENANT,
): Promise<{ header: Record<string, unknown>; claims: IdTokenClaims }> {
  const base = baseUrl.replace(/\/+$/, '');
  const parts = token.trim().split('.');
  expect(parts.length, `an ID token is a JWS in compact form, got: ${token}`).toBe(3);
  const [h, p, s] = parts;
  const header = b64urlJson(h);
  expect(header.alg, 'the ID token is signed with EdDSA').toBe('EdDSA');
  expect(typeof header.kid, 'the ID token names its key (kid)').toBe('string');

  const res = await request.get(`${base}/v1/${tenant}/.well-known/jwks.json`);
  expect(res.status(), 'GET the JWKS').toBe(200);
  const jwks = (await res.json()) as { keys: Jwk[] };
  expect(Array.isArray(jwks.keys) && jwks.keys.length > 0, 'the JWKS has keys').toBe(true);
  for (const k of jwks.keys) {
    expect(k).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
    expect(typeof k.x).toBe('string');
    expect(typeof k.kid).toBe('string');
    expect(k, 'a public JWKS must not contain a private key').not.toHaveProperty('d');
  }
  const jwk = jwks.keys.find((k) => k.kid === header.kid);
  expect(jwk, `the JWKS has the token's key ${header.kid}`).toBeTruthy();

  const key = crypto.createPublicKey({
    key: { kty: jwk!.kty, crv: jwk!.crv, x: jwk!.x },
    format: 'jwk',
  });
  const ok = crypto.verify(
    null,
    Buffer.from(`${h}.${p}`, 'ascii'),
    key,
    Buffer.from(s, 'base64url'),
  );
  expect(ok, 'the ID token signature verifies against the JWKS').toBe(true);

  // A tampered payload must not verify (guards against a verify that always says yes).
  const tampered = Buffer.from(`${h}.${p}x`, 'ascii');
  expect(crypto.verify(null, tampered, key, Buffer.from(s, 'base64url'))).toBe(false);

  const claims = b64urlJson(p) as IdTokenClaims;
  expect(claims.iss, 'iss').toBe(`${base}/v1/${tenant}`);
  return { header, claims };
}

/** RFC 8176 authentication method reference values. */
const RFC8176_AMR = new Set([
  'face', 'fpt', 'geo', 'hwk', 'iris', 'kba', 'mca', 'mfa', 'otp', 'pin', 'pwd', 'rba',
  'retina', 'sc', 'sms', 'swk', 'tel', 'user', 'vbm', 'wia',
]);

/**
 * The claims of a token issued just now: sub/aud/acr/amr present and well-formed,
 * auth_time within the test's run, iat now, exp in the future.
 */
export function expectFreshClaims(
  claims: IdTokenClaims,
  opts: { notBefore: number; amrIncludes?: string[] },
): void {
  const now = Math.floor(Date.now() / 1000);
  const skew = 5;
  expect(typeof claims.sub === 'string' && claims.sub.length > 0, `sub: ${claims.sub}`).toBe(true);
  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  expect(aud.length, 'aud is present').toBeGreaterThan(0);
  for (const a of aud) expect(typeof a === 'string' && a.length > 0, `aud: ${a}`).toBe(true);
  expect(typeof claims.acr === 'string' && claims.acr.length > 0, `acr: ${claims.acr}`).toBe(true);
  expect(Array.isArray(claims.amr) && claims.amr.length > 0, `amr: ${claims.amr}`).toBe(true);
  for (const m of claims.amr) {
    expect(RFC8176_AMR.has(m), `amr value "${m}" is an RFC 8176 value`).toBe(true);
  }
  for (const m of opts.amrIncludes ?? []) expect(claims.amr).toContain(m);
  for (const c of ['auth_time', 'iat', 'exp'] as const) {
    expect(Number.isInteger(claims[c]), `${c} is an integer (seconds): ${claims[c]}`).toBe(true);
  }
  expect(claims.auth_time, 'auth_time is not before the test').toBeGreaterThanOrEqual(
    opts.notBefore - skew,
  );
  expect(claims.auth_time, 'auth_time is not in the future').toBeLessThanOrEqual(now + skew);
  expect(claims.iat, 'iat is now').toBeGreaterThanOrEqual(opts.notBefore - skew);
  expect(claims.iat, 'iat is not in the future').toBeLessThanOrEqual(now + skew);
  expect(claims.auth_time, 'auth_time <= iat').toBeLessThanOrEqual(claims.iat + skew);
  expect(claims.exp, 'exp is in the future').toBeGreaterThan(now);
  expect(claims.exp, 'exp is after iat').toBeGreaterThan(claims.iat);
}

/**
 * Waits until the host page has received `journey-complete`: `[data-jk-complete]` in the
 * widget, `#jk-signed-in` visible with the subject, and the token in `#jk-id-token`.
 * Verifies the token and returns its claims.
 */
export async function expectSignedIn(
  page: Page,
  request: APIRequestContext,
  tenant: string = TENANT,
  base: string = BASE_URL,
): Promise<{ token: string; claims: IdTokenClaims }> {
  await expect(page.locator('journey-widget [data-jk-complete]')).toBeVisible();
  await expect(widgetRoot(page)).toHaveAttribute('data-jk-status', 'complete');
  const tokenEl = page.locator('#jk-id-token');
  await expect(tokenEl, 'the host page shows the ID token').not.toBeEmpty();
  const token = ((await tokenEl.textContent()) ?? '').trim();
  const { claims } = await verifyIdToken(request, base, token, tenant);
  const signedIn = page.locator('#jk-signed-in');
  await expect(signedIn, 'the host page shows who signed in').toBeVisible();
  await expect(signedIn).toContainText(claims.sub);
  return { token, claims };
}

// ---------------------------------------------------------------------------------------------
// Keyboard

/**
 * Presses Tab (or Shift+Tab) until the focused element matches `selector`; fails after `max`
 * presses. Uses the keyboard only.
 */
export async function tabTo(
  page: Page,
  selector: string,
  opts: { shift?: boolean; max?: number } = {},
): Promise<void> {
  const key = opts.shift ? 'Shift+Tab' : 'Tab';
  const max = opts.max ?? 25;
  const trail: string[] = [];
  for (let i = 0; i <= max; i++) {
    const where = await page.evaluate((sel) => {
      const el = document.activeElement;
      if (!el) return { match: false, desc: '(none)' };
      const attrs = ['data-jk-field', 'data-jk-action', 'data-jk-reveal', 'data-jk-retry', 'id']
        .map((a) => (el.hasAttribute(a) ? `[${a}="${el.getAttribute(a)}"]` : ''))
        .join('');
      return { match: el.matches(sel), desc: `${el.tagName.toLowerCase()}${attrs}` };
    }, selector);
    if (where.match) return;
    trail.push(where.desc);
    if (i < max) await page.keyboard.press(key);
  }
  throw new Error(
    `${key} did not reach ${selector} within ${max} presses; focus went: ${trail.join(' → ')}`,
  );
}

/** The focused element matches `selector`. */
export async function expectFocused(page: Page, selector: string): Promise<void> {
  await expect(page.locator(selector)).toBeFocused();
}

// ---------------------------------------------------------------------------------------------
// API shortcuts (for setting up state the test is not about)

async function apiJson(res: import('@playwright/test').APIResponse, what: string): Promise<any> {
  const text = await res.text();
  expect(res.status(), `${what}: ${text}`).toBeLessThan(300);
  return JSON.parse(text);
}

/** Registers `email` with `password` through the JSON API alone; returns the complete flow. */
export async function registerViaApi(
  request: APIRequestContext,
  email: string,
  password: string,
): Promise<any> {
  const headers = { 'content-type': 'application/json', origin: BASE_URL };
  let flow = await apiJson(
    await request.post(`${BASE_URL}/v1/${TENANT}/journeys/registration`, { data: {}, headers }),
    'start registration',
  );
  const submit = async (step: string, act: string, values: Record<string, string>) =>
    apiJson(
      await request.post(`${BASE_URL}/v1/flows/${encodeURIComponent(flow.id)}`, {
        data: { step, action: act, values },
        headers,
      }),
      `submit ${step}/${act}`,
    );
  expect(flow.step.id).toBe('details');
  flow = await submit('details', 'submit', { email, given_name: 'Api', family_name: 'Setup' });
  expect(flow.step.id).toBe('verify_email');
  const code = await readCode(request, email);
  flow = await submit('verify_email', 'submit', { code });
  expect(flow.step.id).toBe('password');
  flow = await submit('password', 'submit', { password });
  expect(flow.step.id).toBe('welcome');
  flow = await submit('welcome', 'continue', {});
  expect(flow.status).toBe('complete');
  return flow;
}
