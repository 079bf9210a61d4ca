// The block matrix: every tenant × brand × language × block × example × width, drawn by the
// real widget in the designer preview's frame page, and the checks run on each drawing (axe-core
// and reflow). One module for both users: the representative slice in `cargo xtask test`
// (examples.spec.ts, in this folder) and `cargo xtask shots` (tests/shots/shots.spec.ts).
//
// What to draw comes from the server alone: `GET /dev/tenants` (every tenant with its brands and
// languages, development mode) and `GET /dev/examples?tenant=…&brand=…&locale=…` (every block's
// examples rendered for that brand and language). No list of tenants, brands or blocks lives here.
//
// A drawing is `/preview/frame.html?tenant=…&brand=…&locale=…&block=…&example=…`, the page the
// preview frames and whose address a designer can send. To stay fast, a page is opened once per
// tenant, brand and language at the first example, and every further example of that set is
// drawn into the same page by handing the frame's <journey-preview> the next step (what the
// preview page itself does over postMessage); the viewport is resized for each width.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AxeResults } from 'axe-core';
import type { APIRequestContext, Page } from '@playwright/test';

/** The screen widths of the issue (and of the preview's width picker), in CSS pixels. */
export const WIDTHS = [320, 375, 768, 1024, 1440] as const;

/** The height of the viewport a frame is drawn in; screenshots take the full page anyway. */
export const FRAME_HEIGHT = 800;

/** WCAG 2.0, 2.1 and 2.2 at levels A and AA; `target-size` (2.5.8) is switched on as well. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

export interface BrandInfo {
  id: string;
  name: string;
  theme: string;
  stylesheet: string;
}

export interface TenantInfo {
  id: string;
  name: string;
  brands: BrandInfo[];
  locales: string[];
  default_locale: string;
}

export interface Example {
  name: string;
  step: { id: string; block: string; [k: string]: unknown };
}

export interface Examples {
  tenant: string;
  brand: string;
  locale: string;
  dir: string;
  blocks: { block: string; examples: Example[] }[];
}

/** One drawing of the matrix. */
export interface Combo {
  tenant: string;
  brand: string;
  locale: string;
  width: number;
  block: string;
  example: string;
}

/** `roadhelp/roadhelp ar 320 email_validation/locked`: how progress and failures name a drawing. */
export function label(c: Combo): string {
  return `${c.tenant}/${c.brand} ${c.locale} ${c.width} ${c.block}/${c.example}`;
}

async function getJson<T>(request: APIRequestContext, base: string, path: string): Promise<T> {
  const res = await request.get(`${base}${path}`, { headers: { accept: 'application/json' } });
  if (!res.ok()) {
    throw new Error(
      `GET ${path} answered ${res.status()}: ${await res.text()} (the server must run with --dev)`,
    );
  }
  return (await res.json()) as T;
}

/** Every tenant the server has, with its brands and languages (`GET /dev/tenants`). */
export function tenants(request: APIRequestContext, base: string): Promise<TenantInfo[]> {
  return getJson(request, base, '/dev/tenants');
}

/**
 * The demo's tenants among `all`: those with a folder of their own in demo-sites/. The server of
 * the end-to-end step also has the browser tests' tenant (tests/e2e/tenants/), which is no demo
 * and borrows RoadHelp's journeys and theme: drawing it again would cost minutes and show nothing
 * new. The slice (examples.spec.ts) and the preview spec test the demo, so they walk only these.
 */
export function demoTenants(all: TenantInfo[]): TenantInfo[] {
  const demo = path.join(__dirname, '..', '..', 'demo-sites');
  return all.filter((t) => fs.existsSync(path.join(demo, t.id, 'tenant.toml')));
}

/** Every block's examples for one brand and language (`GET /dev/examples`). */
export function examples(
  request: APIRequestContext,
  base: string,
  tenant: string,
  brand: string,
  locale: string,
): Promise<Examples> {
  const q = new URLSearchParams({ tenant, brand, locale });
  return getJson(request, base, `/dev/examples?${q}`);
}

/** The frame page that draws one example alone. */
export function frameUrl(c: Omit<Combo, 'width'>): string {
  const q = new URLSearchParams({
    tenant: c.tenant,
    brand: c.brand,
    locale: c.locale,
    block: c.block,
    example: c.example,
  });
  return `/preview/frame.html?${q}`;
}

/**
 * Waits until the frame shows a fresh drawing with every stylesheet loaded (the brand's theme
 * is linked by frame.js, so the load event does not cover it), and fails with the frame's own
 * problem text if it reports one.
 */
async function drawn(page: Page, what: string): Promise<void> {
  const handle = await page.waitForFunction(
    () => {
      const problem = document.getElementById('problem');
      if (problem && !problem.hidden) return `problem: ${problem.textContent}`;
      const root = document.querySelector('journey-preview [data-jk-preview]:not([data-jk-stale])');
      if (!root || !root.querySelector('[data-jk-step]')) return false;
      const sheets = [...document.querySelectorAll<HTMLLinkElement>('link[rel="stylesheet"]')];
      if (sheets.length < 4 || !sheets.every((link) => link.sheet)) return false;
      return 'ok';
    },
    undefined,
    { timeout: 15_000 },
  );
  const result = await handle.jsonValue();
  if (result !== 'ok') throw new Error(`the frame could not draw ${what}: ${result}`);
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
}

/** Opens the frame page at `c`'s example, in a viewport of `c.width`. */
export async function openFrame(page: Page, c: Combo): Promise<void> {
  await page.setViewportSize({ width: c.width, height: FRAME_HEIGHT });
  await page.goto(frameUrl(c));
  await drawn(page, label(c));
}

/** Draws another example of the same tenant, brand and language into the open frame page. */
export async function redraw(page: Page, c: Combo, step: Example['step']): Promise<void> {
  await page.evaluate((step) => {
    const preview = document.getElementById('preview') as (HTMLElement & { step: unknown }) | null;
    if (!preview) throw new Error('no <journey-preview id="preview"> on the page');
    preview.querySelector('[data-jk-preview]')?.setAttribute('data-jk-stale', '');
    preview.step = step;
  }, step);
  await drawn(page, label(c));
}

/** Sets the viewport to another width (the frame page's media queries follow). */
export async function resize(page: Page, width: number): Promise<void> {
  await page.setViewportSize({ width, height: FRAME_HEIGHT });
  // One frame so layout and the widget's resize observers have caught up.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(undefined))));
}

// ---------------------------------------------------------------------------------------------
// Checks

export interface Violation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: { target: string; html: string; summary: string }[];
}

/** axe-core's own script, read once: a page gets it once, not at every check. */
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core on the page with the WCAG 2.2 AA tags and `target-size`. The script is put into the
 * page once (by the debugging protocol, as @axe-core/playwright does, so the page's CSP does not
 * block it) and stays there while the walk swaps examples in, which makes each check cheap.
 */
export async function axe(page: Page): Promise<Violation[]> {
  const loaded = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== 'undefined');
  if (!loaded) await page.evaluate(AXE_SOURCE);
  const results: AxeResults = await page.evaluate(
    (values) =>
      (window as unknown as { axe: { run: (context: Document, options: object) => Promise<AxeResults> } }).axe.run(
        document,
        {
          runOnly: { type: 'tag', values },
          rules: { 'target-size': { enabled: true } },
          resultTypes: ['violations'],
        },
      ),
    AXE_TAGS,
  );
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact ?? null,
    help: v.help,
    helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({
      target: JSON.stringify(n.target),
      html: n.html,
      summary: n.failureSummary ?? '',
    })),
  }));
}

/**
 * Reflow (WCAG 1.4.10): the document must not scroll sideways, and no element may reach past
 * either edge of the viewport (which in a right-to-left page would scroll out of sight to the
 * left, where scrollWidth does not see it). Returns what is wrong, empty when all fits.
 */
export async function reflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const doc = document.documentElement;
    const width = doc.clientWidth;
    const problems: string[] = [];
    if (doc.scrollWidth > width) {
      problems.push(`the page scrolls sideways: scrollWidth ${doc.scrollWidth} > clientWidth ${width}`);
    }
    const name = (el: Element) => {
      const attrs = ['data-jk-field', 'data-jk-action', 'data-jk-step', 'id', 'class']
        .filter((a) => el.hasAttribute(a))
        .map((a) => `[${a}="${el.getAttribute(a)}"]`)
        .join('');
      return `<${el.tagName.toLowerCase()}${attrs}>`;
    };
    for (const el of document.body.querySelectorAll('*')) {
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      // Visually hidden text (clipped to a pixel) may sit anywhere.
      if (box.width <= 1 && box.height <= 1) continue;
      if (box.right > width + 0.5 || box.left < -0.5) {
        problems.push(
          `${name(el)} spans ${Math.round(box.left)}..${Math.round(box.right)} px, outside 0..${width}`,
        );
      }
    }
    return problems.slice(0, 12);
  });
}

/** Axe violations as text a person can read, one block per rule and node. */
export function formatViolations(violations: Violation[]): string {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .map((n) => `    - ${n.target}\n      ${n.html}\n        ${n.summary.replace(/\n/g, '\n        ')}`)
        .join('\n');
      return `[${v.impact ?? 'n/a'}] ${v.id}: ${v.help}\n  ${v.helpUrl}\n${nodes}`;
    })
    .join('\n\n');
}

// ---------------------------------------------------------------------------------------------
// Walking the matrix

/** What the walk found at one drawing. */
export interface Result {
  combo: Combo;
  violations: Violation[];
  reflow: string[];
}

export interface Narrowing {
  tenants?: string[];
  brands?: string[];
  locales?: string[];
  widths?: number[];
  blocks?: string[];
}

/** One page's worth of the matrix: a tenant, a brand and a language, at every chosen width. */
export interface Group {
  tenant: string;
  brand: string;
  locale: string;
}

/** The groups to walk: every tenant's brands and languages, narrowed. */
export function groups(all: TenantInfo[], only: Narrowing = {}): Group[] {
  const keep = <T>(list: T[] | undefined, value: T) => !list || list.length === 0 || list.includes(value);
  const out: Group[] = [];
  for (const t of all) {
    if (!keep(only.tenants, t.id)) continue;
    for (const b of t.brands) {
      if (!keep(only.brands, b.id)) continue;
      for (const locale of t.locales) {
        if (keep(only.locales, locale)) out.push({ tenant: t.id, brand: b.id, locale });
      }
    }
  }
  return out;
}

/** The drawings of one group, in order: width by width, block by block, example by example. */
export function combos(set: Group, ex: Examples, widths: readonly number[], blocks?: string[]): Combo[] {
  const out: Combo[] = [];
  for (const width of widths) {
    for (const b of ex.blocks) {
      if (blocks && blocks.length > 0 && !blocks.includes(b.block)) continue;
      for (const e of b.examples) out.push({ ...set, width, block: b.block, example: e.name });
    }
  }
  return out;
}

/**
 * Draws every example of the group `set` at every width of `widths` in one page, runs axe and the reflow
 * check on each, and calls `each` after every drawing (for a screenshot or progress).
 */
export async function walk(
  page: Page,
  set: Group,
  ex: Examples,
  widths: readonly number[],
  opts: { blocks?: string[]; each?: (r: Result) => Promise<void> } = {},
): Promise<Result[]> {
  const list = combos(set, ex, widths, opts.blocks);
  const steps = new Map<string, Example['step']>();
  for (const b of ex.blocks) for (const e of b.examples) steps.set(`${b.block}/${e.name}`, e.step);
  const results: Result[] = [];
  let opened = false;
  let width = 0;
  for (const combo of list) {
    if (!opened) {
      await openFrame(page, combo);
      opened = true;
      width = combo.width;
    } else {
      if (combo.width !== width) {
        await resize(page, combo.width);
        width = combo.width;
      }
      await redraw(page, combo, steps.get(`${combo.block}/${combo.example}`)!);
    }
    const result = { combo, violations: await axe(page), reflow: await reflow(page) };
    results.push(result);
    if (opts.each) await opts.each(result);
  }
  return results;
}
