// Reload, a network failure, and a duplicate registration that must not reveal the account.

import { expect, test, type Browser, type Page } from '@playwright/test';
import {
  GOOD_PASSWORD,
  REGISTRATION_PAGE,
  TENANT,
  action,
  expectNoAxeViolations,
  extractCode,
  field,
  flowIdFromUrl,
  freshContext,
  isFlowSubmit,
  openJourney,
  readCode,
  readOutbox,
  registerViaApi,
  submitAndWait,
  uniqueEmail,
  waitForMessage,
  waitForStep,
  widget,
  type Viewport,
} from './support';

const VP: Viewport = { name: '375x812', width: 375, height: 812 };
test.use({ viewport: { width: VP.width, height: VP.height } });

async function fillDetails(page: Page, email: string): Promise<void> {
  await field(page, 'email').fill(email);
  await field(page, 'given_name').fill('Rae');
  await field(page, 'family_name').fill('Silient');
}

test('a reload on verify_email resumes the same flow at verify_email', async ({
  page,
  request,
}) => {
  const email = uniqueEmail('reload');
  const started = await openJourney(page, REGISTRATION_PAGE, 'details');
  await fillDetails(page, email);
  const res = await submitAndWait(page, () => action(page, 'submit').click());
  expect(flowIdFromUrl(res.url())).toBe(started.id);
  await waitForStep(page, 'verify_email');

  const newStarts: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url().includes(`/v1/${TENANT}/journeys/`)) newStarts.push(r.url());
  });
  await page.reload();
  await waitForStep(page, 'verify_email');
  expect(newStarts, 'a reload must not start a new flow').toEqual([]);

  const code = await readCode(request, email);
  await field(page, 'code').fill(code);
  const submitted = await submitAndWait(page, () => action(page, 'submit').click());
  expect(flowIdFromUrl(submitted.url()), 'the code goes to the same flow').toBe(started.id);
  await waitForStep(page, 'password');
});

test('a network failure shows a retry, and Retry goes on', async ({ page, request }) => {
  const email = uniqueEmail('network');
  await openJourney(page, REGISTRATION_PAGE, 'details');
  await fillDetails(page, email);

  let aborted = 0;
  await page.route('**/v1/flows/**', async (route) => {
    if (route.request().method() === 'POST' && aborted === 0) {
      aborted++;
      await route.abort('internetdisconnected');
    } else {
      await route.continue();
    }
  });

  await action(page, 'submit').click();
  const networkError = page.locator('journey-widget [data-jk-network-error]');
  await expect(networkError, 'a failed request says so').toBeVisible();
  await expect(networkError).not.toBeEmpty();
  const retry = page.locator('journey-widget [data-jk-retry]');
  await expect(retry).toBeVisible();
  await expect(widget(page).locator('[data-jk-status]').first()).not.toHaveAttribute(
    'aria-busy',
    'true',
  );
  expect(aborted).toBe(1);
  await expectNoAxeViolations(page, 'network error');

  const [again] = await Promise.all([page.waitForResponse(isFlowSubmit), retry.click()]);
  expect(again.status()).toBeLessThan(300);
  await waitForStep(page, 'verify_email');
  await expect(networkError).toHaveCount(0);

  // The aborted request never reached the server: exactly one code went out.
  await readCode(request, email);
  expect(await readOutbox(request, email)).toHaveLength(1);
});

const COUNTDOWN_KEYS = new Set(['resend_available_in', 'available_in']);

interface VerifyView {
  status: number;
  step: any;
  text: string;
  controls: string[];
}

/** Runs the details step for `email` in a fresh context and describes the verify_email step. */
async function reachVerifyEmail(browser: Browser, email: string): Promise<VerifyView> {
  const ctx = await freshContext(browser, VP);
  try {
    const page = await ctx.newPage();
    await openJourney(page, REGISTRATION_PAGE, 'details');
    await fillDetails(page, email);
    const res = await submitAndWait(page, () => action(page, 'submit').click());
    const body = await res.json();
    const form = await waitForStep(page, 'verify_email');

    const masked: string = body.step?.view?.email_masked ?? '';
    expect(masked, 'the step shows a masked address').not.toBe('');
    expect(masked).not.toBe(email);
    const hideEmail = (s: string) => s.split(email).join('<email>').split(masked).join('<masked>');
    // The resend countdown ticks, so its numbers may differ between the two runs.
    const normalise = (s: string) => hideEmail(s).replace(/\d+/g, '#').replace(/\s+/g, ' ').trim();
    const step = JSON.parse(hideEmail(JSON.stringify(body.step)), (key, value) =>
      COUNTDOWN_KEYS.has(key) && typeof value === 'number'
        ? '<seconds>'
        : typeof value === 'string'
          ? normalise(value)
          : value,
    );
    const text = normalise(await form.innerText());
    const controls = await page
      .locator('journey-widget [data-jk-field], journey-widget [data-jk-action]')
      .evaluateAll((els) =>
        els.map(
          (e) =>
            `${e.getAttribute('data-jk-field') ?? ''}${e.getAttribute('data-jk-action') ?? ''}` +
            `:${(e as HTMLInputElement).type}:${(e as HTMLButtonElement).disabled}`,
        ),
      );
    return { status: res.status(), step, text, controls };
  } finally {
    await ctx.close();
  }
}

test('a duplicate registration looks exactly like a new one; the owner gets a notice', async ({
  browser,
  request,
}) => {
  const existing = uniqueEmail('dup-existing');
  await registerViaApi(request, existing, GOOD_PASSWORD);
  const seen = (await readOutbox(request, existing)).map((m) => m.id);

  const newcomer = uniqueEmail('dup-new');
  const fresh = await reachVerifyEmail(browser, newcomer);
  const duplicate = await reachVerifyEmail(browser, existing);

  expect(duplicate.status, 'same status').toBe(fresh.status);
  expect(duplicate.step, 'same step, fields and actions').toEqual(fresh.step);
  expect(duplicate.step.id).toBe('verify_email');
  expect(duplicate.text, 'same visible texts except the masked email').toBe(fresh.text);
  expect(duplicate.controls).toEqual(fresh.controls);

  // The newcomer got a code; the owner of the taken address got a notice without one.
  await readCode(request, newcomer);
  const notice = await waitForMessage(request, existing, { exclude: seen });
  expect(notice.subject.trim()).not.toBe('');
  expect(notice.body.trim()).not.toBe('');
  expect(extractCode(notice.body), `the notice must not carry a code:\n${notice.body}`).toBeNull();

  // And nothing else: one new message only.
  const after = await readOutbox(request, existing);
  expect(after.filter((m) => !seen.includes(m.id))).toHaveLength(1);
});

test('a widget whose wasm cannot load says so and reports load_failed', async ({ page }) => {
  await page.route('**/widget/journey-widgets_bg*.wasm', (route) => route.abort('failed'));
  const cspViolations: string[] = [];
  page.on('console', (m) => {
    if (/Content.Security.Policy/i.test(m.text())) cspViolations.push(m.text());
  });
  await page.addInitScript(() => {
    const w = window as unknown as { jkErrors: unknown[] };
    w.jkErrors = [];
    document.addEventListener('journey-error', (e) => w.jkErrors.push((e as CustomEvent).detail));
  });
  await page.goto(REGISTRATION_PAGE);

  const notice = page.locator('journey-widget p[role="alert"][data-jk-load-error]');
  await expect(notice, 'a failed load is not a blank space').toBeVisible();
  await expect(notice).not.toBeEmpty();
  const errors = await page.evaluate(() => (window as unknown as { jkErrors: any[] }).jkErrors);
  expect(errors).toHaveLength(1);
  expect(errors[0].code).toBe('load_failed');
  expect(cspViolations, 'the notice needs no inline style or script').toEqual([]);
  await expectNoAxeViolations(page, 'load failed');
});

test('context the journey does not accept is refused, and the widget says why', async ({
  page,
}) => {
  const errors: string[] = [];
  await page.exposeFunction('jkError', (code: string) => errors.push(code));
  await page.addInitScript(() => {
    document.addEventListener('journey-error', (event) => {
      const detail = (event as CustomEvent).detail ?? {};
      (window as unknown as { jkError: (c: string) => void }).jkError(detail.code);
    });
  });
  await page.goto(REGISTRATION_PAGE.replace(/\/$/, '/context/'));
  // The server's text, in the page's language, names what was refused.
  await expect(page.locator('#unknown-key')).toContainText('campaign');
  await expect(page.locator('#unknown-key')).toContainText('does not accept');
  await expect(page.locator('#not-json')).toContainText('does not accept');
  await expect.poll(() => errors.sort()).toEqual(['invalid_context', 'invalid_context']);
  await expectNoAxeViolations(page, 'refused context');
});
