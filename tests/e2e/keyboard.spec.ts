// The whole registration with the keyboard alone, at 375×812: no clicks, no fill().
// Also WCAG 3.3.8: the code can be pasted from the clipboard with Control+V.

import { expect, test } from '@playwright/test';
import {
  GOOD_PASSWORD,
  REGISTRATION_PAGE,
  expectFocused,
  expectFreshClaims,
  expectHeadingFocused,
  expectSignedIn,
  field,
  isFlowStart,
  readCode,
  stepForm,
  submitAndWait,
  tabTo,
  uniqueEmail,
  waitForStep,
} from './support';

test.use({
  viewport: { width: 375, height: 812 },
  permissions: ['clipboard-read', 'clipboard-write'],
});

const F = (name: string) => `journey-widget [data-jk-field="${name}"]`;
const A = (id: string) => `journey-widget [data-jk-action="${id}"]`;
const REVEAL = 'journey-widget [data-jk-reveal="password"]';

test('registration with the keyboard alone, pasting the code', async ({ page, request }) => {
  const startedAt = Math.floor(Date.now() / 1000);
  const email = uniqueEmail('keyboard');

  await Promise.all([
    page.waitForResponse((r) => isFlowStart(r, 'registration')),
    page.goto(REGISTRATION_PAGE),
  ]);
  await waitForStep(page, 'details');

  // Autofill and password managers need the right tokens (WCAG 3.3.8).
  await expect(field(page, 'email')).toHaveAttribute('autocomplete', 'email');

  // details: Tab in from the top of the page, type, Tab between fields, Enter submits.
  await tabTo(page, F('email'), { max: 40 });
  await page.keyboard.type(email);
  await page.keyboard.press('Tab');
  await expectFocused(page, F('given_name'));
  await page.keyboard.type('Kim');
  await page.keyboard.press('Tab');
  await expectFocused(page, F('family_name'));
  await page.keyboard.type('Keyboard');
  // Shift+Tab goes back and keeps what was typed.
  await page.keyboard.press('Shift+Tab');
  await expectFocused(page, F('given_name'));
  await expect(field(page, 'given_name')).toHaveValue('Kim');
  await page.keyboard.press('Tab');
  await expectFocused(page, F('family_name'));
  await submitAndWait(page, () => page.keyboard.press('Enter'));

  // verify_email: focus on the heading; paste the code with Control+V; Space on Submit.
  await waitForStep(page, 'verify_email');
  await expectHeadingFocused(page, 'verify_email');
  await expect(field(page, 'code')).toHaveAttribute('autocomplete', 'one-time-code');
  // A new step gets new inputs: nothing typed on the previous step (the email) shows here.
  await expect(field(page, 'code'), 'the code input starts empty').toHaveValue('');
  const code = await readCode(request, email);
  await tabTo(page, F('code'), { max: 5 });
  await page.evaluate((text) => navigator.clipboard.writeText(text), code);
  await page.keyboard.press('Control+V');
  await expect(field(page, 'code'), 'the pasted code lands in the field').toHaveValue(code);
  await tabTo(page, A('submit'), { max: 5 });
  await submitAndWait(page, () => page.keyboard.press('Space'));

  // password: type it, show it with Space on the toggle, hide it, Shift+Tab back, Enter.
  await waitForStep(page, 'password');
  await expectHeadingFocused(page, 'password');
  await expect(field(page, 'password')).toHaveAttribute('autocomplete', 'new-password');
  await tabTo(page, F('password'), { max: 5 });
  await page.keyboard.type(GOOD_PASSWORD);
  await tabTo(page, REVEAL, { max: 3 });
  await expect(page.locator(REVEAL)).not.toHaveAttribute('aria-pressed');
  const showLabel = (await page.locator(REVEAL).innerText()).trim();
  await page.keyboard.press('Space');
  await expect(page.locator(REVEAL), 'the label says what the next press does').not.toHaveText(
    showLabel,
  );
  await expect(field(page, 'password')).toHaveAttribute('type', 'text');
  await expectFocused(page, REVEAL);
  await page.keyboard.press('Space');
  await expect(page.locator(REVEAL)).toHaveText(showLabel);
  await expect(field(page, 'password')).toHaveAttribute('type', 'password');
  await tabTo(page, F('password'), { shift: true, max: 3 });
  await expect(field(page, 'password')).toHaveValue(GOOD_PASSWORD);
  await submitAndWait(page, () => page.keyboard.press('Enter'));

  // welcome: focus on the heading; Tab to Continue, Enter.
  await waitForStep(page, 'welcome');
  await expectHeadingFocused(page, 'welcome');
  await tabTo(page, A('continue'), { max: 5 });
  await submitAndWait(page, () => page.keyboard.press('Enter'));

  // complete
  const { claims } = await expectSignedIn(page, request);
  expectFreshClaims(claims, { notBefore: startedAt });
  await expect(stepForm(page, 'welcome')).toHaveCount(0);
});
