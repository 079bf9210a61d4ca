// The demo's smoke test in the browser: RoadHelp's own pages on the journey server, at phone
// width. A new person registers on /roadhelp/ through every step the demo journey has (codes
// from the dev outbox), axe passes on each step, the page shows a verified ID token, and the
// same person then logs in on /roadhelp/login/.
//
// The behaviour specs run on a tenant of their own (tests/e2e/tenants/e2eco); this one is here
// so the demo keeps working. It walks by what each step asks for (the fields present and the
// step's primary button), not by step ids, so an edited demo journey only fails it when a
// person could no longer finish it.

import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import {
  GOOD_PASSWORD,
  expectNoAxeViolations,
  expectNoHorizontalScroll,
  expectSignedIn,
  extractCode,
  freshContext,
  submitAndWait,
  uniqueEmail,
  waitForIdle,
  waitForMessage,
  widgetRoot,
  type Viewport,
} from './support';

const DEMO_TENANT = 'roadhelp';
const VP: Viewport = { name: '375x812', width: 375, height: 812 };
/** More steps than any sensible journey: a walk that goes round in circles stops here. */
const MAX_STEPS = 12;

test.use({ viewport: { width: VP.width, height: VP.height } });

interface Person {
  email: string;
  password: string;
  /** Outbox messages whose codes were used already. */
  used: Array<string | number>;
}

/** The value a person would give a field, from its shape alone. */
async function answer(
  request: APIRequestContext,
  who: Person,
  input: { name: string; type: string; autocomplete: string },
): Promise<string> {
  if (input.autocomplete === 'one-time-code') {
    const message = await waitForMessage(request, who.email, { exclude: who.used });
    who.used.push(message.id);
    const code = extractCode(message.body);
    expect(code, `the message to ${who.email} carries a code:\n${message.body}`).not.toBeNull();
    return code!;
  }
  if (input.type === 'email' || input.autocomplete === 'email') return who.email;
  if (input.type === 'password') return who.password;
  if (input.type === 'tel') return '+31201234567';
  return `Demo ${input.name.replace(/_/g, ' ')}`;
}

/**
 * Opens `path` and answers every step the widget shows, by the fields it has, until the flow is
 * complete; runs axe and the reflow check on each step. Returns the step ids it went through.
 */
async function walk(page: Page, request: APIRequestContext, path: string, who: Person) {
  const [start] = await Promise.all([
    page.waitForResponse(
      (r) =>
        r.request().method() === 'POST' &&
        new RegExp(`/v1/${DEMO_TENANT}/journeys/[^/?#]+$`).test(r.url()),
    ),
    page.goto(path),
  ]);
  expect(start.status(), `starting the journey of ${path}`).toBeLessThan(300);
  let flow = await start.json();
  const seen: string[] = [];
  for (;;) {
    await waitForIdle(page);
    if (flow.status === 'complete') return seen;
    expect(flow.status, `${path}: after ${seen.join(' → ') || 'the start'}`).toBe('active');
    expect(seen.length, `${path} takes more than ${MAX_STEPS} steps: ${seen.join(' → ')}`).toBeLessThan(
      MAX_STEPS,
    );
    const stepId: string = flow.step.id;
    seen.push(stepId);
    const form = page.locator(`journey-widget form[data-jk-step="${stepId}"]`);
    await expect(form, `${path} shows the step "${stepId}"`).toBeVisible();
    await expect(form.locator('h2')).not.toBeEmpty();
    await expectNoAxeViolations(page, `${path} ${stepId}`);
    await expectNoHorizontalScroll(page);

    for (const input of await form.locator('input[data-jk-field]').all()) {
      const shape = await input.evaluate((el) => ({
        name: el.getAttribute('data-jk-field') ?? '',
        type: (el as HTMLInputElement).type,
        autocomplete: el.getAttribute('autocomplete') ?? '',
      }));
      if (shape.type === 'checkbox' || shape.type === 'radio') {
        await input.check();
      } else {
        await input.fill(await answer(request, who, shape));
      }
    }
    const primary = form.locator('button[type="submit"][data-jk-action]:not([aria-disabled="true"])');
    await expect(primary.first(), `the step "${stepId}" offers a way on`).toBeVisible();
    const response = await submitAndWait(page, () => primary.first().click());
    const body = await response.json();
    expect(
      response.status(),
      `${path}: the step "${stepId}" refused what a person would give it: ${JSON.stringify(body)}`,
    ).toBeLessThan(300);
    flow = body;
  }
}

test('RoadHelp: a new person registers through every step, then logs in', async ({
  page,
  request,
  browser,
}) => {
  const who: Person = { email: uniqueEmail('demo-roadhelp'), password: GOOD_PASSWORD, used: [] };
  const steps = await walk(page, request, `/${DEMO_TENANT}/`, who);
  expect(steps.length, `registration went through ${steps.join(' → ')}`).toBeGreaterThan(1);
  const registered = await expectSignedIn(page, request, DEMO_TENANT);
  await expect(widgetRoot(page)).toHaveAttribute('data-jk-status', 'complete');
  await expectNoAxeViolations(page, 'registration complete');

  const ctx = await freshContext(browser, VP);
  try {
    const login = await ctx.newPage();
    await walk(login, request, `/${DEMO_TENANT}/login/`, who);
    const loggedIn = await expectSignedIn(login, request, DEMO_TENANT);
    expect(loggedIn.claims.sub, 'login signs in the registered person').toBe(registered.claims.sub);
  } finally {
    await ctx.close();
  }
});
