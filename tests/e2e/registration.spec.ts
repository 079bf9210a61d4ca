// A new person registers through the test tenant's page (tests/e2e/site/, the widget
// cross-origin) at three viewport sizes, then logs in.
//
// Every step is checked with axe, for horizontal scrolling, and photographed to
// tests/e2e/artifacts/<viewport>/<nn>-<step>.png.

import { expect, test } from '@playwright/test';
import {
  COMMON_PASSWORD,
  GOOD_PASSWORD,
  ISSUER,
  LOGIN_PAGE,
  REGISTRATION_PAGE,
  VIEWPORTS,
  action,
  checkStep,
  expectHeadingFocused,
  expectNoAxeViolations,
  expectFreshClaims,
  expectSignedIn,
  field,
  fieldError,
  freshContext,
  openJourney,
  readCode,
  screenshot,
  stepForm,
  stepMessages,
  submitAndWait,
  uniqueEmail,
  waitForStep,
  widgetRoot,
} from './support';

for (const vp of VIEWPORTS) {
  test.describe(`registration at ${vp.name}`, () => {
    test.use({ viewport: { width: vp.width, height: vp.height } });

    test('a new person registers, gets a verified ID token, and logs in again', async ({
      page,
      request,
      browser,
    }) => {
      const startedAt = Math.floor(Date.now() / 1000);
      const email = uniqueEmail(vp.name);

      // 1. details
      await openJourney(page, REGISTRATION_PAGE, 'details');
      await expect(page.locator('#jk-signed-in'), 'hidden until signed in').toBeHidden();
      await expect(stepForm(page, 'details')).toHaveAttribute('data-jk-block', 'collect_user_data');
      await checkStep(page, vp, 'details');
      await field(page, 'email').fill(email);
      await field(page, 'given_name').fill('Erin');
      await field(page, 'family_name').fill('Testperson');
      await submitAndWait(page, () => action(page, 'submit').click());

      // 2. verify_email
      await waitForStep(page, 'verify_email');
      await expectHeadingFocused(page, 'verify_email');
      await expect(stepForm(page, 'verify_email')).toHaveAttribute(
        'data-jk-block',
        'email_validation',
      );
      const resend = action(page, 'resend');
      await expect(resend, 'resend waits for its cool-down').toBeDisabled();
      // It stays focusable (aria-disabled) and says why it waits, next to it.
      await expect(resend).toHaveAttribute('aria-disabled', 'true');
      await expect(resend).not.toHaveAttribute('disabled');
      const waitHint = page.locator(
        `journey-widget #${await resend.getAttribute('aria-describedby')}`,
      );
      await expect(waitHint, 'the cool-down is explained beside the button').toBeVisible();
      await expect(waitHint).not.toBeEmpty();
      await expect(field(page, 'code'), 'nothing typed on the previous step shows here').toHaveValue(
        '',
      );
      await checkStep(page, vp, 'verify_email');
      const code = await readCode(request, email);
      await field(page, 'code').fill(code);
      await submitAndWait(page, () => action(page, 'submit').click());

      // 3. password: a common one is refused with a field error, then a good one is taken
      await waitForStep(page, 'password');
      await expectHeadingFocused(page, 'password');
      await expect(stepForm(page, 'password')).toHaveAttribute('data-jk-block', 'set_password');
      await checkStep(page, vp, 'password');

      const password = field(page, 'password');
      const toggle = page.locator('journey-widget [data-jk-reveal="password"]');
      await password.fill(COMMON_PASSWORD);
      const refused = await submitAndWait(page, () => action(page, 'submit').click());
      expect(refused.status(), 'a common password is refused').toBeGreaterThanOrEqual(400);
      expect(refused.status()).toBeLessThan(500);
      await waitForStep(page, 'password');
      await expect(fieldError(page, 'password'), 'says why the password was refused').toBeVisible();
      await expect(fieldError(page, 'password')).not.toBeEmpty();
      await expect(password).toHaveAttribute('aria-invalid', 'true');
      await expectNoAxeViolations(page, `${vp.name} password error`);
      await screenshot(page, vp.name, 'password-error');

      await password.fill(GOOD_PASSWORD);
      await expect(password).toHaveAttribute('type', 'password');
      // The label says what a press does ("Show password" / "Hide password"); no aria-pressed,
      // which would contradict it.
      await expect(toggle).not.toHaveAttribute('aria-pressed');
      const showLabel = (await toggle.innerText()).trim();
      await toggle.click();
      await expect(toggle).not.toHaveText(showLabel);
      await expect(toggle).not.toHaveAttribute('aria-pressed');
      await expect(password, 'the toggle shows the password').toHaveAttribute('type', 'text');
      await expect(password).toHaveValue(GOOD_PASSWORD);
      await expectNoAxeViolations(page, `${vp.name} password revealed`);
      await screenshot(page, vp.name, 'password-revealed');
      await toggle.click();
      await expect(toggle).toHaveText(showLabel);
      await expect(password, 'the toggle hides it again').toHaveAttribute('type', 'password');
      await expect(password).toHaveValue(GOOD_PASSWORD);
      await submitAndWait(page, () => action(page, 'submit').click());

      // 4. welcome
      await waitForStep(page, 'welcome');
      await expectHeadingFocused(page, 'welcome');
      await expect(stepForm(page, 'welcome')).toHaveAttribute('data-jk-block', 'show_information');
      await checkStep(page, vp, 'welcome');
      await submitAndWait(page, () => action(page, 'continue').click());

      // 5. complete: the host page got the ID token, and it verifies
      const reg = await expectSignedIn(page, request);
      expectFreshClaims(reg.claims, { notBefore: startedAt });
      await checkStep(page, vp, 'complete');

      // Log in later, in a fresh browser context, with the same email and password.
      const ctx = await freshContext(browser, vp);
      try {
        const login = await ctx.newPage();
        await openJourney(login, LOGIN_PAGE, 'login');
        await expect(stepForm(login, 'login')).toHaveAttribute('data-jk-block', 'password_login');
        await checkStep(login, vp, 'login');

        // A wrong password: an error message on the step, still at login.
        await field(login, 'email').fill(email);
        await field(login, 'password').fill(`${GOOD_PASSWORD} but wrong`);
        const wrong = await submitAndWait(login, () => action(login, 'submit').click());
        expect(wrong.status(), 'a wrong password answers 422').toBe(422);
        await waitForStep(login, 'login');
        const error = stepMessages(login, 'error');
        await expect(error, 'a wrong password shows an error message').toHaveCount(1);
        await expect(error).not.toBeEmpty();
        const wrongText = ((await error.textContent()) ?? '').trim();
        await expectNoAxeViolations(login, `${vp.name} login error`);
        await screenshot(login, vp.name, 'login-error');

        // An unknown account gets the very same answer (no account enumeration).
        await field(login, 'email').fill(uniqueEmail(`${vp.name}-nobody`));
        await field(login, 'password').fill(GOOD_PASSWORD);
        const unknown = await submitAndWait(login, () => action(login, 'submit').click());
        expect(unknown.status(), 'an unknown account answers like a wrong password').toBe(422);
        await waitForStep(login, 'login');
        await expect(stepMessages(login, 'error')).toHaveCount(1);
        await expect(stepMessages(login, 'error')).toHaveText(wrongText);

        // The right password signs the same person in.
        await field(login, 'email').fill(email);
        await field(login, 'password').fill(GOOD_PASSWORD);
        await submitAndWait(login, () => action(login, 'submit').click());
        const loggedIn = await expectSignedIn(login, request);
        expectFreshClaims(loggedIn.claims, { notBefore: startedAt, amrIncludes: ['pwd'] });
        expect(loggedIn.claims.sub, 'login signs in the registered subject').toBe(reg.claims.sub);
        expect(loggedIn.claims.aud).toEqual(reg.claims.aud);
        await expect(widgetRoot(login)).toHaveAttribute('data-jk-status', 'complete');
        await checkStep(login, vp, 'login-complete');
      } finally {
        await ctx.close();
      }

      expect(reg.claims.iss).toBe(ISSUER);
    });
  });
}
