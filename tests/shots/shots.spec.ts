// `cargo xtask shots`: a screenshot of every tenant × brand × language × block × example ×
// width (320, 375, 768, 1024, 1440 px), each checked with axe-core and for reflow by the same
// code as the slice in `cargo xtask test` (tests/e2e/matrix.ts).
//
// The matrix is split into SHOTS_WORKERS shards (one test each, run side by side). Every shard
// asks the server for the whole matrix, so it can number its drawings in the one order of the
// whole run ("[120/1500] roadhelp/roadhelp ar 320 email_validation/locked"), walks the groups
// (a tenant, brand and language) that fall to it, writes each screenshot to
//   $SHOTS_DIR/<tenant>/<brand>/<locale>/<width>/<block>--<example>.png
// and what it found to $SHOTS_DIR/results-<shard>.json. xtask writes the contact sheet and the
// summary from those files. The shards never fail on a violation (every shot is wanted); they
// fail only when something cannot be drawn.
//
// Narrowing (comma-separated lists; empty means all): SHOTS_TENANT, SHOTS_BRAND, SHOTS_LOCALE,
// SHOTS_WIDTH, SHOTS_BLOCK.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { expect, test } from '@playwright/test';
import { BASE_URL } from '../e2e/support';
import {
  WIDTHS,
  combos,
  examples,
  groups,
  label,
  tenants,
  walk,
  type Examples,
  type Result,
} from '../e2e/matrix';
import { SHARDS } from './playwright.config';

const OUT = process.env.SHOTS_DIR ?? '';

function list(name: string): string[] {
  return (process.env[name] ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

const WIDTHS_CHOSEN: number[] = list('SHOTS_WIDTH').length
  ? list('SHOTS_WIDTH').map(Number)
  : [...WIDTHS];
const BLOCKS = list('SHOTS_BLOCK');

/** A path segment from a name: letters, digits, `-` and `_` only. */
const safe = (name: string) => name.replace(/[^A-Za-z0-9_-]+/g, '_');

for (let shard = 0; shard < SHARDS; shard++) {
  test(`shots, shard ${shard + 1} of ${SHARDS}`, async ({ page, request }) => {
    expect(OUT, 'SHOTS_DIR names the output folder').not.toBe('');
    const all = await tenants(request, BASE_URL);
    const chosen = groups(all, {
      tenants: list('SHOTS_TENANT'),
      brands: list('SHOTS_BRAND'),
      locales: list('SHOTS_LOCALE'),
    });
    expect(chosen.length, 'the narrowing leaves something to draw').toBeGreaterThan(0);
    for (const w of WIDTHS_CHOSEN) {
      expect(WIDTHS as readonly number[], `SHOTS_WIDTH: ${w} is one of the widths`).toContain(w);
    }
    // The whole matrix, in order, so every shard numbers its drawings alike.
    const sets: Examples[] = [];
    for (const g of chosen) sets.push(await examples(request, BASE_URL, g.tenant, g.brand, g.locale));
    const offsets: number[] = [];
    let total = 0;
    chosen.forEach((g, i) => {
      offsets.push(total);
      total += combos(g, sets[i], WIDTHS_CHOSEN, BLOCKS).length;
    });
    expect(total, 'SHOTS_BLOCK leaves something to draw').toBeGreaterThan(0);

    const results: (Result & { file: string })[] = [];
    for (let i = shard; i < chosen.length; i += SHARDS) {
      const group = chosen[i];
      let n = offsets[i];
      await walk(page, group, sets[i], WIDTHS_CHOSEN, {
        blocks: BLOCKS,
        each: async (r) => {
          n += 1;
          const c = r.combo;
          const parts = [c.tenant, c.brand, c.locale, String(c.width), `${c.block}--${c.example}`];
          const file = `${parts.map(safe).join('/')}.png`;
          await page.screenshot({ path: path.join(OUT, file), fullPage: true });
          results.push({ ...r, file });
          const found = r.violations.length + r.reflow.length;
          const mark = found ? `  ${r.violations.map((v) => v.id).concat(r.reflow.length ? ['reflow'] : []).join(' ')}` : '';
          console.log(`[${n}/${total}] ${label(c)}${mark}`);
        },
      });
    }
    fs.mkdirSync(OUT, { recursive: true });
    fs.writeFileSync(
      path.join(OUT, `results-${shard + 1}.json`),
      JSON.stringify({ total, results }, null, 1),
    );
  });
}
