// Fails fast, with a clear message, when no Journeykit server answers at BASE_URL with the
// browser tests' tenant, or the tests' own pages do not answer at E2E_SITE_URL.

import { BASE_URL, E2E_SITE_URL, TENANT } from './support';

/** Polls `url` until it answers 2xx; fails after 30 s with what went wrong and `hint`. */
async function probe(url: string, hint: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (e) {
      last = String((e as Error).cause ?? e);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`GET ${url}: ${last}. ${hint}`);
}

export default async function globalSetup(): Promise<void> {
  await probe(
    `${BASE_URL}/v1/${TENANT}/.well-known/jwks.json`,
    `No Journeykit server with the tenant ${TENANT} at BASE_URL=${BASE_URL}: start one with ` +
      'the demo tenants and tests/e2e/tenants (cargo xtask test does) and set BASE_URL.',
  );
  await probe(
    `${E2E_SITE_URL}/`,
    `The browser tests' pages (tests/e2e/site) are not served at E2E_SITE_URL=${E2E_SITE_URL} ` +
      '(cargo xtask test serves them).',
  );
}
