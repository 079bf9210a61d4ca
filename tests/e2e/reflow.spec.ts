// Reflow at the narrowest and widest sizes the issue names (WCAG 2.2 1.4.10): at 320 px and
// 1920 px the first step of every page of the test tenant (tests/e2e/site/) and every
// registration step fit without horizontal scrolling and pass axe, also with a long address (an
// unbroken domain) and with an error beside a field. At 320 px the signed-in state fits too: the
// host page then shows the account id and the ID token, long unbroken strings that must wrap.

import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import {
  GOOD_PASSWORD,
  LOGIN_PAGE,
  RECOVERY_PAGE,
  REGISTRATION_PAGE,
  action,
  checkStep,
  expectNoAxeViolations,
  expectNoHorizontalScroll,
  expectSignedIn,
  field,
  fieldError,
  openJourney,
  readCode,
  registerViaApi,
  submitAndWait,
  uniqueEmail,
  waitForStep,
} from './support';

const EDGES = [
  { name: '320x568', width: 320, height: 568 },
  { name: '1920x1080', width: 1920, height: 1080 },
];

/** Every page of the test tenant with a widget, and the step it opens at. */
const PAGES = [
  { name: 'registration', url: REGISTRATION_PAGE, firstStep: 'details' },
  { name: 'login', url: LOGIN_PAGE, firstStep: 'login' },
  { name: 'recovery', url: RECOVERY_PAGE, firstStep: 'email' },
];

/** The host page's signed-in section is shown, and the page still fits the width. */
async function expectSignedInFits(
  page: Page,
  request: APIRequestContext,
  label: string,
): Promise<void> {
  await expectSignedIn(page, request);
  await expect(page.locator('#jk-session')).toBeVisible();
  await expectNoHorizontalScroll(page);
  await expectNoAxeViolations(page, label);
}

for (const vp of EDGES) {
  test.describe(`reflow at ${vp.name}`, () => {
    test.use({ viewport: { width: vp.width, height: vp.height } });

    for (const p of PAGES) {
      test(`the ${p.name} page opens at a step that fits the width`, async ({ page }) => {
        await openJourney(page, p.url, p.firstStep);
        await expectNoHorizontalScroll(page);
        await expectNoAxeViolations(page, `${vp.name} ${p.name} page`);
      });
    }

    test('every step fits the width, with long values and errors', async ({ page, request }) => {
      // No hyphen or dot for a long stretch: text holding it only fits with `overflow-wrap`.
      const email = `reflow-${vp.width}-${Date.now()}-a-rather-long-local-part@averyveryverylongdomainnamewithoutanyhyphensatall.com`;
      await openJourney(page, REGISTRATION_PAGE, 'details');
      await checkStep(page, vp, 'details');

      // An error beside a field, then the real details.
      await field(page, 'email').fill('not an address');
      await submitAndWait(page, () => action(page, 'submit').click());
      await expect(fieldError(page, 'email')).toBeVisible();
      await checkStep(page, vp, 'details-error');
      await field(page, 'email').fill(email);
      await field(page, 'given_name').fill('Maximiliaan-Alexander');
      await field(page, 'family_name').fill('van Oosterhout-Wijnbergen');
      await submitAndWait(page, () => action(page, 'submit').click());

      await waitForStep(page, 'verify_email');
      await checkStep(page, vp, 'verify_email');
      await field(page, 'code').fill(await readCode(request, email));
      await submitAndWait(page, () => action(page, 'submit').click());

      await waitForStep(page, 'password');
      await field(page, 'password').fill('too short');
      await submitAndWait(page, () => action(page, 'submit').click());
      await expect(fieldError(page, 'password')).toBeVisible();
      await checkStep(page, vp, 'password-error');
    });
  });
}

test.describe('reflow at 320x568 once signed in', () => {
  test.use({ viewport: { width: 320, height: 568 } });

  test('the registration page fits after registering', async ({ page, request }) => {
    const email = uniqueEmail('reflow-signed-in-registration');
    await openJourney(page, REGISTRATION_PAGE, 'details');
    await field(page, 'email').fill(email);
    await field(page, 'given_name').fill('Reflow');
    await field(page, 'family_name').fill('Narrow');
    await submitAndWait(page, () => action(page, 'submit').click());
    await waitForStep(page, 'verify_email');
    await field(page, 'code').fill(await readCode(request, email));
    await submitAndWait(page, () => action(page, 'submit').click());
    await waitForStep(page, 'password');
    await field(page, 'password').fill(GOOD_PASSWORD);
    await submitAndWait(page, () => action(page, 'submit').click());
    await waitForStep(page, 'welcome');
    await submitAndWait(page, () => action(page, 'continue').click());
    await expectSignedInFits(page, request, '320x568 registration signed in');
  });

  test('the login page fits after logging in', async ({ page, request }) => {
    const email = uniqueEmail('reflow-signed-in-login');
    await registerViaApi(request, email, GOOD_PASSWORD);
    await openJourney(page, LOGIN_PAGE, 'login');
    await field(page, 'email').fill(email);
    await field(page, 'password').fill(GOOD_PASSWORD);
    await submitAndWait(page, () => action(page, 'submit').click());
    await expectSignedInFits(page, request, '320x568 login signed in');
  });
});
