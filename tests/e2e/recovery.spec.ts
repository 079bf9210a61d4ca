// "Forgot your password?": from the login page to a new password, at phone width, in Chromium.
// A code to the address, a new password, every session of the account ended, and the person
// signed in; the old password no longer works and the new one does.

import { expect, test } from '@playwright/test';
import {
  GOOD_PASSWORD,
  LOGIN_PAGE,
  RECOVERY_PAGE,
  action,
  expectNoAxeViolations,
  expectNoHorizontalScroll,
  expectSignedIn,
  field,
  isFlowStart,
  openJourney,
  readCode,
  readOutbox,
  registerViaApi,
  stepMessages,
  submitAndWait,
  uniqueEmail,
  waitForStep,
} from './support';

const NEW_PASSWORD = 'seven quiet lanterns over the harbour';

test.use({ viewport: { width: 320, height: 640 } });

test('a person who forgot their password resets it from the login page', async ({
  page,
  request,
}) => {
  const email = uniqueEmail('recover');
  await registerViaApi(request, email, GOOD_PASSWORD);
  const seen = (await readOutbox(request, email)).map((m) => m.id);

  await openJourney(page, LOGIN_PAGE, 'login');
  const [start] = await Promise.all([
    page.waitForResponse((r) => isFlowStart(r, 'recovery')),
    page.getByRole('link', { name: 'Forgot your password?' }).click(),
  ]);
  expect(start.status()).toBeLessThan(300);
  expect(page.url()).toBe(RECOVERY_PAGE);
  await waitForStep(page, 'email');
  await expectNoAxeViolations(page, 'recovery email');
  await expectNoHorizontalScroll(page);

  await field(page, 'email').fill(email);
  await submitAndWait(page, () => action(page, 'submit').click());
  await waitForStep(page, 'verify_email');
  await expectNoAxeViolations(page, 'recovery code');
  const code = await readCode(request, email, { exclude: seen });
  await field(page, 'code').fill(code);
  await submitAndWait(page, () => action(page, 'submit').click());

  await waitForStep(page, 'password');
  await expect(field(page, 'password')).toHaveAttribute('autocomplete', 'new-password');
  await expectNoAxeViolations(page, 'recovery new password');
  await field(page, 'password').fill(NEW_PASSWORD);
  await submitAndWait(page, () => action(page, 'submit').click());

  await waitForStep(page, 'done');
  await expectNoAxeViolations(page, 'recovery done');
  await submitAndWait(page, () => action(page, 'continue').click());
  const { claims } = await expectSignedIn(page, request);
  // Choosing a new password is not signing in with it: the recovery code is the method used.
  expect(claims.amr).toEqual(['otp']);
  await expectNoHorizontalScroll(page);
  const told = await readOutbox(request, email);
  expect(told[0].subject).toContain('password was changed');

  // The old password is gone; the new one signs in (a new tab: no login flow to resume).
  const login = await page.context().newPage();
  await openJourney(login, LOGIN_PAGE, 'login');
  await field(login, 'email').fill(email);
  await field(login, 'password').fill(GOOD_PASSWORD);
  const refused = await submitAndWait(login, () => action(login, 'submit').click());
  expect(refused.status()).toBe(422);
  await expect(stepMessages(login, 'error').first()).toBeVisible();
  await field(login, 'password').fill(NEW_PASSWORD);
  await submitAndWait(login, () => action(login, 'submit').click());
  await expectSignedIn(login, request);
});
