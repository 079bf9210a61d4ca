// InsurGroup's brand pages on their own origin (SITE_URL, http://localhost:8081), embedding the
// widget cross-origin from the journey server (BASE_URL) as a brand's own website would.
//
// One person registers with Wheelhouse (car insurance) and logs in with the same account on
// Evenstar Life (life insurance); each brand shows its own texts; the dark Evenstar page passes
// axe and fits 320 px; the Arabic page is right to left; an origin the tenant does not allow
// gets no CORS grant; the staff page links every brand's pages, the preview and the outbox.
// The car brand's quote form calls InsurGroup's quote service from the page (CORS, CSP).

import { expect, test, type Page } from '@playwright/test';
import {
  BASE_URL,
  GOOD_PASSWORD,
  SITE_URL,
  action,
  cspRefusals,
  expectFreshClaims,
  expectNoAxeViolations,
  expectNoHorizontalScroll,
  expectSignedIn,
  field,
  readCode,
  stepHeading,
  submitAndWait,
  uniqueEmail,
  waitForMessage,
  waitForStep,
} from './support';

const TENANT = 'insurgroup';

/**
 * Opens a brand page on the site's origin and waits for the widget's first step; returns the
 * body the widget started the flow with.
 */
async function openBrandPage(page: Page, path: string, journey: string, firstStep: string) {
  const [start] = await Promise.all([
    page.waitForResponse(
      (r) =>
        r.request().method() === 'POST' &&
        r.url() === `${BASE_URL}/v1/${TENANT}/journeys/${journey}`,
    ),
    page.goto(`${SITE_URL}${path}`),
  ]);
  expect(start.status(), `starting ${journey} from ${path}`).toBe(200);
  expect(start.headers()['access-control-allow-origin'], 'the API grants the brand origin').toBe(
    SITE_URL,
  );
  await waitForStep(page, firstStep);
  return start.request().postDataJSON();
}

test('one account: registered with Wheelhouse, logged in on Evenstar Life', async ({
  page,
  request,
  browser,
}) => {
  const startedAt = Math.floor(Date.now() / 1000);
  const email = uniqueEmail('insurgroup');
  const refused = cspRefusals(page);
  // The page itself hears journey-complete (a listener of the test's, besides page.js's).
  await page.addInitScript(() => {
    document.addEventListener('journey-complete', (e) => {
      (window as any).__jkComplete = (e as CustomEvent).detail;
    });
  });

  const body = await openBrandPage(page, '/wheelhouse/', 'registration', 'details');
  expect(body.brand, 'the widget sends its brand attribute').toBe('wheelhouse');
  await expect(stepHeading(page, 'details')).toHaveText('Insure your car: create your account');
  await field(page, 'email').fill(email);
  await field(page, 'given_name').fill('Jane');
  await field(page, 'family_name').fill('Driver');
  await submitAndWait(page, () => action(page, 'submit').click());

  await waitForStep(page, 'verify_email');
  const message = await waitForMessage(request, email);
  expect(message.subject, "the email speaks Wheelhouse's words").toBe(
    'Your Wheelhouse code for your car insurance',
  );
  await field(page, 'code').fill(await readCode(request, email));
  await submitAndWait(page, () => action(page, 'submit').click());
  await waitForStep(page, 'password');
  await field(page, 'password').fill(GOOD_PASSWORD);
  await submitAndWait(page, () => action(page, 'submit').click());
  await waitForStep(page, 'welcome');
  await expect(stepHeading(page, 'welcome')).toHaveText('Welcome to Wheelhouse');
  await submitAndWait(page, () => action(page, 'continue').click());

  const registered = await expectSignedIn(page, request, TENANT);
  expectFreshClaims(registered.claims, { notBefore: startedAt });
  expect(registered.claims.aud).toBe('insurgroup-web');
  const heard = await page.evaluate(() => (window as any).__jkComplete);
  expect(heard?.id_token, 'the page heard journey-complete with the token').toBe(
    registered.token,
  );
  expect(heard?.session?.subject).toBe(registered.claims.sub);

  // The other brand, a fresh browser: the same account signs in.
  const ctx = await browser.newContext();
  try {
    const life = await ctx.newPage();
    const lifeRefused = cspRefusals(life);
    const start = await openBrandPage(life, '/evenstar/login/', 'login', 'login');
    expect(start.brand).toBe('evenstar');
    await expect(stepHeading(life, 'login')).toHaveText('Sign in to your life insurance');
    await field(life, 'email').fill(email);
    await field(life, 'password').fill(GOOD_PASSWORD);
    await submitAndWait(life, () => action(life, 'submit').click());
    const loggedIn = await expectSignedIn(life, request, TENANT);
    expectFreshClaims(loggedIn.claims, { notBefore: startedAt, amrIncludes: ['pwd'] });
    expect(loggedIn.claims.sub, 'one account across the brands').toBe(registered.claims.sub);
    expect(lifeRefused, 'no Content-Security-Policy refusals').toEqual([]);
  } finally {
    await ctx.close();
  }
  expect(refused, 'no Content-Security-Policy refusals').toEqual([]);
});

test.describe('the dark Evenstar Life page at 320 px', () => {
  test.use({ viewport: { width: 320, height: 640 } });

  test('is dark, passes axe and does not scroll sideways', async ({ page }) => {
    await openBrandPage(page, '/evenstar/', 'registration', 'details');
    await expect(stepHeading(page, 'details')).toHaveText(
      'Look after the people you love: create your account',
    );
    const scheme = await page.evaluate(
      () => getComputedStyle(document.documentElement).colorScheme,
    );
    expect(scheme, 'form controls and scrollbars are dark too').toBe('dark');
    await expectNoAxeViolations(page, 'evenstar 320');
    await expectNoHorizontalScroll(page);
  });
});

test('the Arabic Evenstar Life page is right to left, in the brand’s words', async ({ page }) => {
  const body = await openBrandPage(page, '/evenstar/ar/', 'registration', 'details');
  expect(body.locale).toBe('ar');
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await expect(stepHeading(page, 'details')).toHaveText('احمِ من تحب: أنشئ حسابك');
  const direction = await stepHeading(page, 'details').evaluate((h) => getComputedStyle(h).direction);
  expect(direction).toBe('rtl');
  await expectNoAxeViolations(page, 'evenstar ar');
  await expectNoHorizontalScroll(page);
});

test('an origin the tenant does not allow gets no CORS grant', async ({ request }) => {
  for (const path of ['/v1/insurgroup', '/widget/journey-widget.js', '/themes/evenstar.css']) {
    const allowed = await request.get(`${BASE_URL}${path}`, { headers: { origin: SITE_URL } });
    expect(allowed.status(), path).toBe(200);
    expect(allowed.headers()['access-control-allow-origin'], path).toBe(SITE_URL);
    const other = await request.get(`${BASE_URL}${path}`, {
      headers: { origin: 'http://elsewhere.example' },
    });
    expect(other.headers()['access-control-allow-origin'], path).toBeUndefined();
  }
  const start = await request.post(`${BASE_URL}/v1/insurgroup/journeys/registration`, {
    headers: { origin: 'http://elsewhere.example' },
    data: { brand: 'wheelhouse' },
  });
  expect(start.status()).toBe(403);
  expect(start.headers()['access-control-allow-origin']).toBeUndefined();
  expect((await start.json()).error.code).toBe('origin_not_allowed');
});

test('the staff page links every brand’s pages, the preview and the dev outbox', async ({
  page,
}) => {
  const response = await page.goto(`${SITE_URL}/`);
  const csp = response?.headers()['content-security-policy'] ?? '';
  expect(csp).toContain(`script-src 'self' ${BASE_URL} 'wasm-unsafe-eval'`);
  expect(csp).not.toContain('unsafe-inline');
  for (const href of [
    '/wheelhouse/',
    '/wheelhouse/login/',
    '/wheelhouse/recovery/',
    '/wheelhouse/quote/',
    '/wheelhouse/buy/',
    '/evenstar/',
    '/evenstar/login/',
    '/evenstar/recovery/',
    '/evenstar/quote/',
    '/evenstar/buy/',
    `${BASE_URL}/preview/?tenant=insurgroup&brand=wheelhouse`,
    `${BASE_URL}/preview/?tenant=insurgroup&brand=evenstar`,
    `${BASE_URL}/dev/outbox`,
  ]) {
    await expect(page.locator(`a[href="${href}"]`), href).toHaveCount(1);
  }
  await expectNoAxeViolations(page, 'staff page');
  // The demo index on the journey server lists both tenants and their brands.
  await page.goto(`${BASE_URL}/`);
  for (const href of ['/roadhelp/', `${SITE_URL}/wheelhouse/`, `${SITE_URL}/evenstar/`]) {
    await expect(page.locator(`a[href="${href}"]`), href).toHaveCount(1);
  }
});

test('the car brand’s quote form asks the quote service from the page and shows the quote', async ({
  page,
}) => {
  const refused = cspRefusals(page);
  await page.goto(`${SITE_URL}/wheelhouse/quote/`);
  // An empty form says beside each field what is missing.
  await page.getByRole('button', { name: 'Get my quote' }).click();
  await expect(page.getByLabel('Make')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText("Enter your car's make, such as Volvo.")).toBeVisible();
  await page.getByLabel('Make').fill('Volvo');
  await page.getByLabel('Model').fill('V60');
  await page.getByRole('button', { name: 'Get my quote' }).click();
  await expect(page.locator('#quote-result')).toHaveAttribute('role', 'status');
  await expect(page.locator('#quote-result')).toContainText(/Your quote Q-\d+: EUR \d+ a year\./);
  // The page starts the save-quote journey with the quote: its first step is beside the live
  // region, not inside it.
  await expect(page.locator('#quote-save journey-widget form[data-jk-step="email"]')).toBeVisible();
  await expect(page.locator('#quote-result journey-widget')).toHaveCount(0);
  expect(refused, 'no CSP refusals').toEqual([]);
  await expectNoAxeViolations(page, 'quote form');
  await page.setViewportSize({ width: 320, height: 640 });
  await expectNoHorizontalScroll(page);
});
