// The representative slice of the screenshot matrix (issue 6, section 4): every block and
// example, every brand of every demo tenant the server has (not the browser tests' own), at 320 and 1440 px, in English and in
// Arabic (right to left), drawn by the real widget in the preview's frame page. Fails on any axe
// violation (WCAG 2.2 AA tags and target-size) and on any horizontal scrolling, naming each
// combination. `cargo xtask shots` walks the whole matrix with the same code (matrix.ts).

import { expect, test } from '@playwright/test';
import { BASE_URL } from './support';
import {
  axe,
  demoTenants,
  examples,
  formatViolations,
  groups,
  label,
  openFrame,
  reflow,
  tenants,
  walk,
  type Result,
} from './matrix';

const SLICE_WIDTHS = [320, 1440];
const SLICE_LOCALES = ['en', 'ar'];

for (const locale of SLICE_LOCALES) {
  for (const width of SLICE_WIDTHS) {
    test(`every block's examples in every brand pass axe and fit at ${width} px in ${locale}`, async ({
      page,
      request,
    }) => {
      // Every brand's 30-odd examples with an axe run each: minutes, not the default two.
      test.setTimeout(10 * 60_000);
      const all = demoTenants(await tenants(request, BASE_URL));
      expect(all.length, 'GET /dev/tenants lists the demo tenants').toBeGreaterThan(0);
      const chosen = groups(all, { locales: [locale] });
      const offered = all.filter((t) => t.locales.includes(locale)).map((t) => t.id);
      expect(offered.length, `some tenant speaks ${locale}`).toBeGreaterThan(0);
      const results: Result[] = [];
      for (const group of chosen) {
        const ex = await examples(request, BASE_URL, group.tenant, group.brand, group.locale);
        expect(ex.dir, `${group.tenant}/${group.brand} ${locale}: writing direction`).toBe(
          locale === 'ar' ? 'rtl' : 'ltr',
        );
        results.push(...(await walk(page, group, ex, [width])));
      }
      const brands = all.reduce((n, t) => n + (t.locales.includes(locale) ? t.brands.length : 0), 0);
      expect(new Set(results.map((r) => `${r.combo.tenant}/${r.combo.brand}`)).size, 'every brand drawn').toBe(
        brands,
      );
      const failures = results
        .filter((r) => r.violations.length > 0 || r.reflow.length > 0)
        .map((r) => {
          const parts = [`${label(r.combo)}:`];
          if (r.reflow.length > 0) parts.push(`  reflow:\n    ${r.reflow.join('\n    ')}`);
          if (r.violations.length > 0) parts.push(formatViolations(r.violations).replace(/^/gm, '  '));
          return parts.join('\n');
        });
      expect(
        failures,
        `${failures.length} of ${results.length} drawings at ${width} px in ${locale} fail:\n\n${failures.join('\n\n')}`,
      ).toEqual([]);
    });
  }
}

// The checks above can fail: drawn into the same frame page, an unlabelled field, text that
// cannot be read on its background, two tiny buttons side by side and a box wider than the phone are caught.
test('the checks of the slice see what they are there to catch', async ({ page }) => {
  await openFrame(page, {
    tenant: 'roadhelp',
    brand: 'roadhelp',
    locale: 'en',
    width: 320,
    block: 'collect_user_data',
    example: 'empty',
  });
  expect(await axe(page), 'the real example is clean').toEqual([]);
  expect(await reflow(page), 'the real example fits').toEqual([]);
  // Styles set through the CSSOM: the page's CSP refuses inline style attributes.
  await page.evaluate(() => {
    const add = (tag: string, style: Partial<CSSStyleDeclaration>, attrs: Record<string, string> = {}) => {
      const el = document.createElement(tag);
      Object.assign(el.style, style);
      for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
      document.querySelector('journey-preview')!.append(el);
      return el;
    };
    add('input', {}, { type: 'text' });
    add('p', { color: '#999999', background: '#aaaaaa' }).textContent = 'faint';
    const tiny = { width: '8px', height: '8px', padding: '0', margin: '0', border: '0' };
    add('button', tiny, { 'aria-label': 'one' });
    add('button', tiny, { 'aria-label': 'two' });
    add('div', { width: '900px', height: '4px' });
  });
  const found = (await axe(page)).map((v) => v.id);
  for (const rule of ['label', 'color-contrast', 'target-size']) expect(found).toContain(rule);
  expect((await reflow(page)).length, 'the wide box is reported').toBeGreaterThan(0);
});
