// Reflow at the narrowest and widest sizes the issue names (WCAG 2.2 1.4.10): at 320 px and
// 1920 px every registration step fits without horizontal scrolling and passes axe, also with a
// long address (an unbroken domain) and with an error beside a field.

import { expect, test } from '@playwright/test';
import {
  REGISTRATION_PAGE,
  action,
  checkStep,
  field,
  fieldError,
  openJourney,
  readCode,
  submitAndWait,
  waitForStep,
} from './support';

const EDGES = [
  { name: '320x568', width: 320, height: 568 },
  { name: '1920x1080', width: 1920, height: 1080 },
];

for (const vp of EDGES) {
  test.describe(`reflow at ${vp.name}`, () => {
    test.use({ viewport: { width: vp.width, height: vp.height } });

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
