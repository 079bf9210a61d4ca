// A registration through the load balancer while the replica that answered the details step is
// killed with SIGKILL (issue 7): three journey-server processes on one PostgreSQL database
// behind Debian's HAProxy (round robin, no stickiness), which `cargo xtask test` starts on free
// ports beside the single server the other specs use (xtask/src/test.rs, xtask/src/replicas.rs).
//
// The journey must finish on another replica with no error shown to the person at any point,
// exactly one code sent to the address, exactly one account (the new password logs in, and a
// second registration of the address makes no second one: its owner gets a notice, no code),
// and an ID token that verifies against the JWKS fetched through the load balancer.
//
//   REPLICAS_URL       the load balancer, every replica's public URL
//   REPLICAS_SITE_URL  the tests' pages (tests/e2e/site) calling the load balancer
//   REPLICA_PIDS       r1=PID,r2=PID,r3=PID: each replica's name (as the response header
//                      X-Journeykit-Replica gives it) and process id

import { expect, test, type Page, type Response } from '@playwright/test';
import {
  GOOD_PASSWORD,
  TENANT,
  action,
  expectFreshClaims,
  expectSignedIn,
  extractCode,
  field,
  openJourney,
  readCode,
  readOutbox,
  submitAndWait,
  uniqueEmail,
  waitForMessage,
  waitForStep,
} from './support';

const LB = (process.env.REPLICAS_URL ?? '').replace(/\/+$/, '');
const SITE = (process.env.REPLICAS_SITE_URL ?? '').replace(/\/+$/, '');
const PIDS: Map<string, number> = new Map(
  (process.env.REPLICA_PIDS ?? '')
    .split(',')
    .filter((pair) => pair.includes('='))
    .map((pair) => {
      const [name, pid] = pair.split('=');
      return [name, Number(pid)] as [string, number];
    }),
);
const HEADER = 'x-journeykit-replica';

test.use({ viewport: { width: 1024, height: 900 } });

/** Every answer the browser got from the load balancer, with the replica that gave it. */
interface Seen {
  url: string;
  method: string;
  status: number;
  replica: string | undefined;
}

function watch(page: Page): Seen[] {
  const seen: Seen[] = [];
  page.on('response', (r: Response) => {
    if (!r.url().startsWith(LB)) return;
    seen.push({
      url: r.url(),
      method: r.request().method(),
      status: r.status(),
      replica: r.headers()[HEADER],
    });
  });
  return seen;
}

/** Nothing on the page says something went wrong: no error region, message or field error. */
async function expectNoErrorShown(page: Page, when: string): Promise<void> {
  for (const selector of [
    'journey-widget [data-jk-error]',
    'journey-widget [data-jk-network-error]',
    'journey-widget [data-jk-message="error"]',
    'journey-widget [data-jk-field-error]:not(:empty)',
    'journey-widget [role="alert"]:not(:empty)',
    'journey-widget [data-jk-status="error"]',
  ]) {
    await expect(page.locator(selector), `${when}: ${selector}`).toHaveCount(0);
  }
  const events = await page.evaluate(() => (window as any).__journeyErrors ?? []);
  expect(events, `${when}: journey-error events`).toEqual([]);
}

test('a registration through the load balancer survives the kill -9 of the replica it was on', async ({
  page,
  request,
  browser,
}) => {
  test.skip(
    !LB || !SITE || PIDS.size < 2,
    'needs REPLICAS_URL, REPLICAS_SITE_URL and REPLICA_PIDS (cargo xtask test sets them)',
  );
  const startedAt = Math.floor(Date.now() / 1000);
  const email = uniqueEmail('replicas');
  await page.addInitScript(() => {
    (window as any).__journeyErrors = [];
    document.addEventListener('journey-error', (e) =>
      (window as any).__journeyErrors.push((e as CustomEvent).detail),
    );
  });
  const seen = watch(page);

  // 1. details, answered by some replica
  await openJourney(page, `${SITE}/`, 'details');
  await expectNoErrorShown(page, 'the first step');
  await field(page, 'email').fill(email);
  await field(page, 'given_name').fill('Kim');
  await field(page, 'family_name').fill('Failover');
  const details = await submitAndWait(page, () => action(page, 'submit').click());
  expect(details.status(), 'the details step').toBe(200);
  const victim = (await details.allHeaders())[HEADER];
  expect(victim, `the answer names its replica in ${HEADER}`).toBeTruthy();
  await waitForStep(page, 'verify_email');
  await expectNoErrorShown(page, 'the code step');
  const before = new Set(seen.map((s) => s.replica).filter(Boolean));
  expect(before.size, `round robin without stickiness: answers so far came from ${[...before]}`)
    .toBeGreaterThan(1);

  // 2. the replica that answered the last step dies without a word
  const pid = PIDS.get(victim!);
  expect(pid, `the pid of ${victim} in REPLICA_PIDS`).toBeTruthy();
  process.kill(pid!, 'SIGKILL');
  const killedAt = seen.length;
  // Before HAProxy's health check notices (a second or two), round robin still sends every
  // third request to the dead replica: its connection is refused, and HAProxy tries another.
  for (let i = 0; i < 6; i++) {
    const res = await request.get(`${LB}/v1/${TENANT}`);
    expect(res.status(), `request ${i} right after the kill`).toBe(200);
    expect(res.headers()[HEADER], `request ${i} right after the kill`).not.toBe(victim);
  }

  // 3. the code from the outbox (through the load balancer), then the rest of the journey
  const code = await readCode(request, email, { base: LB });
  await field(page, 'code').fill(code);
  const verified = await submitAndWait(page, () => action(page, 'submit').click());
  expect(verified.status(), 'the code step, on a surviving replica').toBe(200);
  await waitForStep(page, 'password');
  await expectNoErrorShown(page, 'the password step');
  await field(page, 'password').fill(GOOD_PASSWORD);
  await submitAndWait(page, () => action(page, 'submit').click());
  await waitForStep(page, 'welcome');
  await expectNoErrorShown(page, 'the welcome step');
  await submitAndWait(page, () => action(page, 'continue').click());
  const signedIn = await expectSignedIn(page, request, TENANT, LB);
  expectFreshClaims(signedIn.claims, { notBefore: startedAt });
  await expectNoErrorShown(page, 'the end');

  // Every answer the person's browser got was a success, and none after the kill came from
  // the killed replica.
  const failed = seen.filter((s) => s.status >= 400);
  expect(failed, 'no answer through the load balancer failed').toEqual([]);
  const after = seen.slice(killedAt);
  expect(after.length).toBeGreaterThan(0);
  expect(
    after.filter((s) => s.replica === victim),
    `no answer from ${victim} after its kill`,
  ).toEqual([]);

  // Exactly one code was sent to the address.
  const messages = await readOutbox(request, email, LB);
  const codes = messages.filter((m) => extractCode(m.body) !== null);
  expect(codes.length, 'one code message to the address').toBe(1);

  // Exactly one account: its password logs in, in a fresh browser through the load balancer ...
  const ctx = await browser.newContext({ baseURL: LB });
  try {
    const login = await ctx.newPage();
    await openJourney(login, `${SITE}/login/`, 'login', 'login');
    await field(login, 'email').fill(email);
    await field(login, 'password').fill(GOOD_PASSWORD);
    await submitAndWait(login, () => action(login, 'submit').click());
    const again = await expectSignedIn(login, request, TENANT, LB);
    expect(again.claims.sub, 'the login finds the account the journey made').toBe(
      signedIn.claims.sub,
    );

    // ... and a second registration of the address makes no second account: it looks like a
    // new one, and the owner gets a notice without a code.
    const second = await ctx.newPage();
    await openJourney(second, `${SITE}/`, 'details');
    await field(second, 'email').fill(email);
    await field(second, 'given_name').fill('Kim');
    await field(second, 'family_name').fill('Twice');
    await submitAndWait(second, () => action(second, 'submit').click());
    await waitForStep(second, 'verify_email');
    const notice = await waitForMessage(request, email, {
      base: LB,
      exclude: messages.map((m) => m.id),
    });
    expect(extractCode(notice.body), 'the owner is told, without a code').toBeNull();
  } finally {
    await ctx.close();
  }
});
