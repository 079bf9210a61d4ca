// Five wrong email codes lock the flow (800-63B-4 §3.1.3: at most 5 wrong tries per code).

import { expect, test } from '@playwright/test';
import {
  BASE_URL,
  REGISTRATION_PAGE,
  action,
  expectHeadingFocused,
  expectNoAxeViolations,
  field,
  fieldError,
  flowIdFromUrl,
  openJourney,
  readCode,
  screenshot,
  stepForm,
  submitAndWait,
  uniqueEmail,
  waitForStep,
  widgetRoot,
  wrongCode,
} from './support';

test.use({ viewport: { width: 375, height: 812 } });

test('five wrong codes lock the flow; a sixth cannot be submitted', async ({ page, request }) => {
  const email = uniqueEmail('lock');
  await openJourney(page, REGISTRATION_PAGE, 'details');
  await field(page, 'email').fill(email);
  await field(page, 'given_name').fill('Lou');
  await field(page, 'family_name').fill('Locked');
  const toVerify = await submitAndWait(page, () => action(page, 'submit').click());
  const flowId = flowIdFromUrl(toVerify.url());
  expect(flowId).toBeTruthy();
  await waitForStep(page, 'verify_email');

  // The real code, so that every "wrong" code really is wrong.
  const realCode = await readCode(request, email);
  const code = field(page, 'code');
  const anyError = page.locator(
    'journey-widget [data-jk-field-error="code"], journey-widget [data-jk-messages] [data-jk-message="error"]',
  );

  for (let attempt = 1; attempt <= 4; attempt++) {
    await expect(code, `the code input is there for wrong try ${attempt}`).toBeVisible();
    await code.fill(wrongCode(realCode, attempt));
    const res = await submitAndWait(page, () => action(page, 'submit').click());
    expect(res.status(), `wrong code ${attempt} is refused`).toBeGreaterThanOrEqual(400);
    expect(res.status()).toBeLessThan(500);
    await waitForStep(page, 'verify_email');
    await expect(anyError.first(), `an error is shown after wrong code ${attempt}`).toBeVisible();
    await expect(anyError.first()).not.toBeEmpty();
    await expect(code).toHaveAttribute('aria-invalid', 'true');
  }

  // The fifth wrong code locks the flow: a normal answer with the failed flow on `locked`.
  await code.fill(wrongCode(realCode, 5));
  const fifth = await submitAndWait(page, () => action(page, 'submit').click());
  expect(fifth.status(), 'the fifth wrong code is answered with the locked step').toBe(200);
  const fifthBody = await fifth.json();
  expect(fifthBody.status).toBe('failed');
  expect(fifthBody.step?.id).toBe('locked');

  await waitForStep(page, 'locked', { status: 'failed' });
  await expect(widgetRoot(page)).toHaveAttribute('data-jk-status', 'failed');
  await expect(stepForm(page, 'locked')).toHaveAttribute('data-jk-block', 'show_information');
  await expectHeadingFocused(page, 'locked');
  await expect(stepForm(page, 'verify_email')).toHaveCount(0);
  await expect(field(page, 'code'), 'no code input once locked').toHaveCount(0);
  await expect(fieldError(page, 'code')).toHaveCount(0);
  await expect(page.locator('journey-widget [data-jk-action]'), 'locked has no actions').toHaveCount(
    0,
  );
  await expectNoAxeViolations(page, 'locked');
  await screenshot(page, '375x812', 'locked');

  // Not even the API takes a sixth try, and not the real code either.
  const sixth = await request.post(`${BASE_URL}/v1/flows/${encodeURIComponent(flowId!)}`, {
    data: { step: 'verify_email', action: 'submit', values: { code: realCode } },
    headers: { 'content-type': 'application/json', origin: BASE_URL },
  });
  expect(sixth.status(), 'a sixth try on a locked flow is refused').toBe(409);
  const body = await sixth.json();
  expect(body.error?.code).toBe('flow_ended');
  expect(body.flow?.status).toBe('failed');
  expect(body.flow?.step?.id).toBe('locked');
});
