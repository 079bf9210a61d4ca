// The consent steps in Chromium with the keyboard alone, at 320 px and at 1440 px, on the test
// tenant's consent page (tests/e2e/site/consents/, journey `consents`): sign in, tick a purpose
// with Space, read a document in its own scrolling region with the keyboard, accept the
// documents, refuse-free; then come back, see the purpose ticked and withdraw it as easily.
// Every step passes axe. The records themselves are the HTTP tests' (tests/http/consents.rs).

import { expect, test } from '@playwright/test';
import {
  E2E_SITE_URL,
  GOOD_PASSWORD,
  expectHeadingFocused,
  expectNoAxeViolations,
  expectNoHorizontalScroll,
  expectSignedIn,
  field,
  fieldError,
  openJourney,
  registerViaApi,
  submitAndWait,
  tabTo,
  uniqueEmail,
  waitForStep,
} from './support';

const PAGE = `${E2E_SITE_URL}/consents/`;
const F = (name: string) => `journey-widget [data-jk-field="${name}"]`;
const A = (id: string) => `journey-widget [data-jk-action="${id}"]`;
const TEXT = (id: string) => `journey-widget [data-jk-document="${id}"] [data-jk-document-text]`;

for (const width of [320, 1440]) {
  test.describe(`consents at ${width} px`, () => {
    test.use({ viewport: { width, height: 800 } });

    test('purposes and documents with the keyboard alone, and a withdrawal as easy as the grant', async ({
      page,
      request,
    }) => {
      const email = uniqueEmail(`consents${width}`);
      await registerViaApi(request, email, GOOD_PASSWORD);

      const signIn = async () => {
        await openJourney(page, PAGE, 'login', 'consents');
        await tabTo(page, F('email'), { max: 40 });
        await page.keyboard.type(email);
        await tabTo(page, F('password'), { max: 3 });
        await page.keyboard.type(GOOD_PASSWORD);
        await submitAndWait(page, () => page.keyboard.press('Enter'));
        await waitForStep(page, 'choices');
        await expectHeadingFocused(page, 'choices');
      };

      // The purposes: nothing pre-ticked; Space ticks the email one.
      await signIn();
      await expect(field(page, 'marketing_email')).toHaveAttribute('type', 'checkbox');
      await expect(field(page, 'marketing_email')).not.toBeChecked();
      await expect(field(page, 'marketing_sms')).not.toBeChecked();
      await expectNoAxeViolations(page, 'choices');
      await expectNoHorizontalScroll(page);
      await tabTo(page, F('marketing_email'), { max: 5 });
      await page.keyboard.press('Space');
      await expect(field(page, 'marketing_email')).toBeChecked();
      await tabTo(page, A('submit'), { max: 5 });
      await submitAndWait(page, () => page.keyboard.press('Space'));

      // The documents: read one in its region (it takes the focus and scrolls with the keys).
      await waitForStep(page, 'documents');
      await expectHeadingFocused(page, 'documents');
      await expectNoAxeViolations(page, 'documents');
      await expectNoHorizontalScroll(page);
      await tabTo(page, TEXT('terms'), { max: 10 });
      const region = page.locator(TEXT('terms'));
      await page.keyboard.press('PageDown');
      await expect
        .poll(() => region.evaluate((el) => el.scrollTop), 'the text scrolls with the keyboard')
        .toBeGreaterThan(0);
      // Accepting with a box left unticked: the error is beside that box.
      await tabTo(page, F('terms'), { max: 10 });
      await page.keyboard.press('Space');
      await tabTo(page, A('accept'), { max: 10 });
      await submitAndWait(page, () => page.keyboard.press('Space'));
      await waitForStep(page, 'documents');
      await expect(fieldError(page, 'privacy')).toBeVisible();
      await expect(field(page, 'privacy')).toHaveAttribute('aria-invalid', 'true');
      await expectNoAxeViolations(page, 'documents with an error');
      await expect(field(page, 'terms'), 'the box ticked before stays ticked').toBeChecked();
      await tabTo(page, F('privacy'), { max: 15 });
      await page.keyboard.press('Space');
      await tabTo(page, A('accept'), { max: 10 });
      await submitAndWait(page, () => page.keyboard.press('Space'));
      await expectSignedIn(page, request);

      // Later: the granted purpose shows ticked; Space unticks it, and the documents, accepted
      // now, are not asked again.
      await signIn();
      await expect(field(page, 'marketing_email')).toBeChecked();
      await tabTo(page, F('marketing_email'), { max: 5 });
      await page.keyboard.press('Space');
      await expect(field(page, 'marketing_email')).not.toBeChecked();
      await tabTo(page, A('submit'), { max: 5 });
      await submitAndWait(page, () => page.keyboard.press('Space'));
      await expectSignedIn(page, request);
    });
  });
}
