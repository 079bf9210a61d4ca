// Fails fast, with a clear message, when no Journeykit server answers at BASE_URL.

const BASE_URL = (process.env.BASE_URL ?? 'http://127.0.0.1:8123').replace(/\/+$/, '');

export default async function globalSetup(): Promise<void> {
  const probe = `${BASE_URL}/v1/roadhelp/.well-known/jwks.json`;
  const deadline = Date.now() + 30_000;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(probe);
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (e) {
      last = String((e as Error).cause ?? e);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(
    `No Journeykit server at BASE_URL=${BASE_URL} (GET ${probe}: ${last}). ` +
      'Start one (cargo xtask ...) and set BASE_URL.',
  );
}
