// Theme files and contrast for the designer preview: reading a theme's variables, resolving a
// colour through var() references, the WCAG contrast ratio, and the table of colour pairs the
// widgets draw.
//
// The pairs and their minimums are one file, themes/contrast-pairs.json, which this page and
// `cargo xtask contrast` (xtask/src/contrast.rs, and the test that fails when a shipped theme
// falls short) both read, so the report and the test cannot drift: text on its background needs
// 4.5:1 (WCAG 1.4.3), a control's border and the focus ring on the surface around them 3:1
// (1.4.11); ratios are compared unrounded and shown rounded down.

const table = await fetch(new URL("/themes/contrast-pairs.json", import.meta.url)).then((r) => {
  if (!r.ok) throw new Error(`themes/contrast-pairs.json: HTTP ${r.status}`);
  return r.json();
});

/** Text on its background (1.4.3) or a control's edge on the surface around it (1.4.11). */
export const TEXT = table.kinds["text"];
export const NON_TEXT = table.kinds["non-text"];

/**
 * Every colour pair the widgets draw, by variable name without the `--jk-color-` prefix
 * (`{fg, bg, kind: {minimum, criterion}, usedFor}`). Steps, fields and inputs sit on `surface`;
 * messages and the widget's notices on `surface-raised`.
 */
export const PAIRS = table.pairs.map((p) => ({
  fg: p.fg,
  bg: p.bg,
  kind: table.kinds[p.kind],
  usedFor: p.used_for,
}));

/**
 * The custom properties of a theme file, in file order: `:root { --name: value; }` blocks and
 * comments (a theme sets variables only). Anything else is skipped.
 */
export function parseTheme(css) {
  const vars = new Map();
  const plain = css.replace(/\/\*[\s\S]*?\*\//g, "");
  for (const block of plain.matchAll(/:root\s*\{([^}]*)\}/g)) {
    for (const declaration of block[1].split(";")) {
      const colon = declaration.indexOf(":");
      if (colon < 0) continue;
      const name = declaration.slice(0, colon).trim();
      const value = declaration.slice(colon + 1).trim();
      if (name.startsWith("--") && value) vars.set(name, value);
    }
  }
  return vars;
}

/** An opaque sRGB colour from `#rgb`, `#rrggbb` or `rgb(r g b)` / `rgb(r, g, b)`; else null. */
export function parseColour(value) {
  const v = value.trim().toLowerCase();
  let m = /^#([0-9a-f]{3})$/.exec(v);
  if (m) return [...m[1]].map((d) => parseInt(d, 16) * 17);
  m = /^#([0-9a-f]{6})$/.exec(v);
  if (m) return [0, 2, 4].map((i) => parseInt(m[1].slice(i, i + 2), 16));
  m = /^rgb\(([^)/]*)\)$/.exec(v);
  if (m) {
    const channels = m[1].split(/[\s,]+/).filter(Boolean);
    if (channels.length === 3 && channels.every((c) => /^\d{1,3}$/.test(c) && Number(c) <= 255)) {
      return channels.map(Number);
    }
  }
  return null;
}

/** The value of `name` in `vars`, following var() references (at most 8 deep); else null. */
export function resolve(vars, name, depth = 0) {
  if (depth > 8) return null;
  const value = vars.get(name);
  if (value === undefined) return null;
  const m = /^var\(\s*(--[\w-]+)\s*(?:,[^)]*)?\)$/.exec(value.trim());
  return m ? resolve(vars, m[1], depth + 1) : value;
}

/** The colour of `--jk-color-<short>` in `vars`; null when unset or not a colour. */
export function colour(vars, short) {
  const value = resolve(vars, `--jk-color-${short}`);
  return value === null ? null : parseColour(value);
}

/** `#rrggbb` of a colour. */
export function hex(rgb) {
  return `#${rgb.map((c) => c.toString(16).padStart(2, "0")).join("")}`;
}

/** The relative luminance (WCAG 2.2), from 0 (black) to 1 (white). */
export function luminance(rgb) {
  const [r, g, b] = rgb.map((c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** The contrast ratio of two colours, from 1 to 21, in either order. */
export function ratio(a, b) {
  const [la, lb] = [luminance(a), luminance(b)];
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/** A ratio as WCAG states them: two decimals, rounded down, so 4.499 never shows as 4.50. */
export function formatRatio(r) {
  return `${(Math.floor(r * 100) / 100).toFixed(2)}:1`;
}

/**
 * Every pair measured in `vars` (the theme over base.css, with the page's changes): `{pair, fg,
 * bg, ratio, passes}`; `fg` or `bg` is null (and the pair fails) when a variable is not a
 * colour this check can read.
 */
export function contrast(vars) {
  return PAIRS.map((pair) => {
    const fg = colour(vars, pair.fg);
    const bg = colour(vars, pair.bg);
    const r = fg && bg ? ratio(fg, bg) : null;
    return { pair, fg, bg, ratio: r, passes: r !== null && r >= pair.kind.minimum };
  });
}

/**
 * The brand's stylesheet (`{id, theme, stylesheet}` of the tenant description) on this origin.
 * The description gives its absolute URL under the server's public URL; the preview is served
 * by that same server, perhaps under another name for it (localhost and 127.0.0.1), and the
 * Content-Security-Policy allows only this origin, so another origin's URL is taken by its path.
 */
export function themePath(brand) {
  if (!brand) return "";
  if (!brand.stylesheet) return brand.theme ? `/themes/${brand.theme}.css` : "";
  const url = new URL(brand.stylesheet, location.href);
  return url.origin === location.origin ? url.href : url.pathname;
}
