// The designer preview: every block in each of its example states, for a tenant, a brand (its
// theme), a language and a screen width, drawn by the real widget in frames of that width.
//
// Data: `GET /dev/tenants` (every tenant the server has, for the tenant picker),
// `GET /v1/{tenant}` (brands with their theme stylesheets, languages, the default one) and
// `GET /dev/examples?tenant=…&brand=…&locale=…` (development mode: every block's named sample
// states, rendered by the server as a flow would get them). Each example is drawn by
// frame.html in an <iframe> as wide as the chosen screen, so media queries apply; this page
// hands each frame its step, theme, language and direction by postMessage (same origin only).
//
// Every choice lives in the address (view, tenant, brand, locale, width, block, and each changed
// theme variable as `--jk-…=value`), so a designer can send a link to exactly what they see.
// The theme editor lists the variables of base.css and the brand's file, sends each change to
// the frames of that brand (they set it with style.setProperty: no inline style, so the strict
// Content-Security-Policy holds), recomputes the contrast report, and writes the brand's file.
// The page's words are in index.html (#texts), not here.

import { contrast, formatRatio, hex, parseColour, parseTheme, resolve, themePath } from "./theme.js";

const WIDTHS = [320, 375, 768, 1024, 1440];
const VIEWS = ["blocks", "brands", "widths"];
const DEFAULT_WIDTH = 375;

const $ = (id) => document.getElementById(id);
const pick = {
  view: $("pick-view"),
  tenant: $("pick-tenant"),
  brand: $("pick-brand"),
  locale: $("pick-locale"),
  width: $("pick-width"),
  block: $("pick-block"),
};

/** A text of the page's markup, with {name} filled in. */
function t(key, args = {}) {
  const node = document.querySelector(`#texts [data-text="${key}"]`);
  const template = node ? node.textContent.replace(/\s+/g, " ").trim() : key;
  return template.replace(/\{(\w+)\}/g, (_, name) => String(args[name] ?? ""));
}

/** `document.createElement` with attributes and text. */
function el(tag, attrs = {}, text = "") {
  const e = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) e.setAttribute(name, value);
  if (text) e.textContent = text;
  return e;
}

// ---- The address ----------------------------------------------------------------------------

/** What the page shows, as the address says it. */
function readState() {
  const q = new URLSearchParams(location.search);
  const width = Number(q.get("width"));
  const vars = {};
  for (const [name, value] of q) {
    if (/^--jk-[\w-]+$/.test(name)) vars[name] = value;
  }
  return {
    view: VIEWS.includes(q.get("view")) ? q.get("view") : "blocks",
    tenant: q.get("tenant") || pick.tenant.options[0]?.value || "",
    brand: q.get("brand") || "",
    locale: q.get("locale") || "",
    width: WIDTHS.includes(width) ? width : DEFAULT_WIDTH,
    block: q.get("block") || "",
    vars,
  };
}

function address(state) {
  const q = new URLSearchParams({
    view: state.view,
    tenant: state.tenant,
    brand: state.brand,
    locale: state.locale,
    width: String(state.width),
  });
  if (state.block) q.set("block", state.block);
  for (const [name, value] of Object.entries(state.vars)) q.set(name, value);
  return `${location.pathname}?${q}`;
}

/** Puts `state` in the address: a new history entry for a new view, the same one for edits. */
function writeState(state, { replace = false } = {}) {
  const url = address(state);
  if (url !== `${location.pathname}${location.search}`) {
    history[replace ? "replaceState" : "pushState"](null, "", url);
  }
  const link = $("link-href");
  link.href = url;
  link.textContent = new URL(url, location.href).href;
}

// ---- Loading --------------------------------------------------------------------------------

const cache = new Map();

/** A JSON answer, fetched once per URL. */
function json(url) {
  if (!cache.has(url)) {
    const answer = fetch(url, { headers: { Accept: "application/json" } }).then((r) => {
      if (!r.ok) throw new Error(`${r.status} ${r.statusText}`.trim());
      return r.json();
    });
    answer.catch(() => cache.delete(url));
    cache.set(url, answer);
  }
  return cache.get(url);
}

/** A theme file's variables, fetched once per URL. */
function themeVars(url) {
  const key = `theme ${url}`;
  if (!cache.has(key)) {
    const vars = fetch(url).then((r) => {
      if (!r.ok) throw new Error(`${r.status} ${url}`);
      return r.text().then(parseTheme);
    });
    vars.catch(() => cache.delete(key));
    cache.set(key, vars);
  }
  return cache.get(key);
}

const tenantList = () => json("/dev/tenants");
const tenantInfo = (tenant) => json(`/v1/${encodeURIComponent(tenant)}`);
const examplesOf = (tenant, brand, locale) =>
  json(`/dev/examples?${new URLSearchParams({ tenant, brand, locale })}`);

// ---- Pickers --------------------------------------------------------------------------------

function fill(select, options, value) {
  select.replaceChildren(...options.map(([v, label]) => el("option", { value: v }, label)));
  select.value = value;
}

/** Sets the pickers from `state`, with the tenant's brands and languages. */
function showPickers(state, info, blocks) {
  pick.view.value = state.view;
  if (![...pick.tenant.options].some((o) => o.value === state.tenant)) {
    pick.tenant.append(el("option", { value: state.tenant }, state.tenant));
  }
  pick.tenant.value = state.tenant;
  fill(pick.brand, info.brands.map((b) => [b.id, b.name]), state.brand);
  fill(pick.locale, info.locales.map((l) => [l, l]), state.locale);
  pick.width.value = String(state.width);
  pick.width.disabled = state.view === "widths";
  const every = state.view === "blocks" ? [["", pick.block.dataset.every]] : [];
  fill(pick.block, [...every, ...blocks.map((b) => [b, b])], state.block);
}

// ---- Frames ---------------------------------------------------------------------------------

/** The frames on the page: their iframe, what they show, and the brand whose theme they use. */
let frames = [];
let context = null;

function frame({ brand, width, block, example, examples }) {
  const params = new URLSearchParams({
    tenant: context.state.tenant,
    brand: brand.id,
    locale: examples.locale,
    block,
    example: example.name,
  });
  const src = `/preview/frame.html?${params}`;
  const iframe = el("iframe", {
    src,
    width: String(width),
    title: t("frame-title", { block, example: example.name, brand: brand.name, width }),
    class: "example-frame",
  });
  const record = {
    iframe,
    brand: brand.id,
    show: {
      type: "show",
      theme: themePath(brand),
      lang: examples.locale,
      dir: examples.dir,
      step: example.step,
    },
  };
  frames.push(record);
  const figure = el("figure", { class: "example", "data-block": block, "data-example": example.name });
  const caption = el("figcaption");
  const view = context.state.view;
  const label =
    view === "brands"
      ? t("figure-brand", { brand: brand.name })
      : view === "widths"
        ? t("figure-width", { width })
        : t("figure", { block, example: example.name });
  caption.append(el("span", {}, label), " ");
  const alone = new URLSearchParams(params);
  if (brand.id === context.state.brand) {
    for (const [name, value] of Object.entries(context.state.vars)) alone.set(name, value);
  }
  caption.append(el("a", { href: `/preview/frame.html?${alone}`, target: "_blank" }, t("open-alone")));
  figure.append(caption, iframe);
  return figure;
}

/** The changes a frame of `brand` gets: the page's edits apply to the picked brand only. */
function varsFor(brand) {
  return brand === context.state.brand ? context.state.vars : {};
}

window.addEventListener("message", (event) => {
  if (event.origin !== location.origin) return;
  const record = frames.find((f) => f.iframe.contentWindow === event.source);
  if (!record) return;
  const message = event.data || {};
  if (message.type === "ready") {
    event.source.postMessage({ ...record.show, vars: varsFor(record.brand) }, location.origin);
  } else if (message.type === "height" && Number.isFinite(message.height)) {
    record.iframe.style.setProperty("height", `${Math.max(message.height, 40)}px`);
  }
});

function sendVars() {
  for (const record of frames) {
    if (record.brand === context.state.brand) {
      record.iframe.contentWindow?.postMessage(
        { type: "vars", vars: context.state.vars },
        location.origin,
      );
    }
  }
}

/** Draws the grid of the current view. `sets` are `{brand, examples}` of every brand shown. */
function drawGrid(state, sets) {
  frames = [];
  const grid = $("grid");
  grid.replaceChildren();
  const main = sets.find((s) => s.brand.id === state.brand) || sets[0];
  const examplesOfBlock = (set, block) =>
    (set.examples.blocks.find((b) => b.block === block) || { examples: [] }).examples;
  const blocks = state.block ? [state.block] : main.examples.blocks.map((b) => b.block);
  let count = 0;
  for (const block of blocks) {
    const section = el("section", { class: "block", "aria-labelledby": `block-${block}` });
    section.append(el("h2", { id: `block-${block}` }, t("block-heading", { block })));
    if (state.view === "blocks") {
      const row = el("div", { class: "row" });
      for (const example of examplesOfBlock(main, block)) {
        row.append(frame({ ...main, brand: main.brand, width: state.width, block, example }));
        count++;
      }
      section.append(row);
    } else {
      for (const example of examplesOfBlock(main, block)) {
        section.append(el("h3", {}, example.name));
        const row = el("div", { class: "row" });
        if (state.view === "brands") {
          for (const set of sets) {
            const same = examplesOfBlock(set, block).find((e) => e.name === example.name);
            if (same) {
              row.append(frame({ ...set, width: state.width, block, example: same }));
              count++;
            }
          }
        } else {
          for (const width of WIDTHS) {
            row.append(frame({ ...main, width, block, example }));
            count++;
          }
        }
        section.append(row);
      }
    }
    grid.append(section);
  }
  status(count ? t("ready", { count }) : t("no-examples"));
}

function status(text) {
  $("status").textContent = text;
}

// ---- The theme editor -----------------------------------------------------------------------

/** The variables as the frames of the picked brand draw them: base, brand file, page edits. */
function currentVars() {
  const vars = new Map(context.base);
  for (const [name, value] of context.brandVars) vars.set(name, value);
  for (const [name, value] of Object.entries(context.state.vars)) vars.set(name, value);
  return vars;
}

function original(name) {
  return context.brandVars.get(name) ?? context.base.get(name) ?? "";
}

function drawEditor() {
  const tbody = $("vars");
  tbody.replaceChildren();
  const names = [...new Set([...context.base.keys(), ...context.brandVars.keys()])];
  for (const name of names) {
    const row = el("tr", { "data-var": name });
    const value = el("div", { class: "value" });
    row.append(el("th", { scope: "row" }), el("td"));
    row.cells[1].append(value);
    row.cells[0].append(el("code", {}, name), el("span", { class: "origin" }));
    const textInput = el("input", {
      type: "text",
      "aria-label": t("value-label", { name }),
      spellcheck: "false",
      "data-var": name,
    });
    if (name.startsWith("--jk-color-")) {
      const colourInput = el("input", { type: "color", "aria-label": t("colour-label", { name }) });
      colourInput.addEventListener("input", () => {
        textInput.value = colourInput.value;
        edit(name, colourInput.value);
      });
      value.append(colourInput);
    }
    textInput.addEventListener("input", () => edit(name, textInput.value.trim()));
    value.append(textInput);
    tbody.append(row);
  }
  showValues();
}

/** Puts every variable's current value into its inputs and says where it is set. */
function showValues() {
  const vars = currentVars();
  for (const row of $("vars").rows) {
    const name = row.dataset.var;
    const value = vars.get(name) ?? "";
    const inputs = row.cells[1].querySelectorAll("input");
    const textInput = inputs[inputs.length - 1];
    const colourInput = inputs.length === 2 ? inputs[0] : null;
    if (document.activeElement !== textInput) textInput.value = value;
    if (colourInput) {
      const rgb = parseColour(resolve(vars, name) ?? "");
      if (rgb) colourInput.value = hex(rgb);
    }
    const origin = name in context.state.vars
      ? "set-changed"
      : context.brandVars.has(name)
        ? "set-brand"
        : "set-base";
    row.cells[0].querySelector(".origin").textContent = t(origin);
    row.classList.toggle("changed", origin === "set-changed");
  }
}

function edit(name, value) {
  if (value === "" || value === original(name)) delete context.state.vars[name];
  else context.state.vars[name] = value;
  writeState(context.state, { replace: true });
  sendVars();
  showValues();
  drawContrast();
  drawCss();
}

/** The brand's file with the page's changes: its own variables, then the base ones changed. */
function brandCss() {
  const { brand, brandVars, base, state } = context;
  const lines = [];
  const names = [...brandVars.keys(), ...[...base.keys()].filter((n) => !brandVars.has(n))];
  for (const name of names) {
    if (name in state.vars) lines.push(`  ${name}: ${state.vars[name]};`);
    else if (brandVars.has(name)) lines.push(`  ${name}: ${brandVars.get(name)};`);
  }
  const header = t("css-header", { brand: brand.name, theme: brand.theme || brand.id });
  return `/*\n * ${header}\n */\n:root {\n${lines.join("\n")}\n}\n`;
}

function drawCss() {
  $("css-out").value = brandCss();
}

// ---- The contrast report --------------------------------------------------------------------

function swatch(rgb) {
  const span = el("span", { class: "swatch", "aria-hidden": "true" });
  if (rgb) span.style.setProperty("background-color", hex(rgb));
  return span;
}

function drawContrast() {
  const results = contrast(currentVars());
  const tbody = $("pairs");
  tbody.replaceChildren();
  for (const { pair, fg, bg, ratio, passes } of results) {
    const row = el("tr", { class: passes ? "pass" : "fail" });
    const name = el("th", { scope: "row" });
    const colours = el("span", { class: "colours" });
    colours.append(swatch(fg), fg ? hex(fg) : t("unreadable"), " / ", swatch(bg), bg ? hex(bg) : t("unreadable"));
    name.append(el("code", {}, `${pair.fg} on ${pair.bg}`), colours, el("span", { class: "used" }, pair.usedFor));
    row.append(
      name,
      el("td", { class: "ratio" }, ratio === null ? "–" : formatRatio(ratio)),
      el("td", {}, `${pair.kind.minimum}:1 (${pair.kind.criterion})`),
      el("td", { class: "result" }, t(passes ? "pass" : "fail")),
    );
    tbody.append(row);
  }
  const failed = results.filter((r) => !r.passes).length;
  const summary = $("contrast-summary");
  summary.textContent = failed
    ? t("summary-fail", { failed, total: results.length })
    : t("summary-pass", { total: results.length });
  summary.classList.toggle("fail", failed > 0);
}

// ---- Putting it together --------------------------------------------------------------------

let drawing = 0;

/** Loads what `state` needs and draws it; a newer call wins over an older one still loading. */
async function draw(state, { push = false } = {}) {
  const mine = ++drawing;
  status(t("loading"));
  let info;
  try {
    info = await tenantInfo(state.tenant);
  } catch (error) {
    if (mine === drawing) status(t("tenant-failed", { tenant: state.tenant, detail: error.message }));
    return;
  }
  if (!info.brands.some((b) => b.id === state.brand)) state.brand = info.brands[0]?.id || "";
  if (!info.locales.includes(state.locale)) state.locale = info.default_locale;
  const brand = info.brands.find((b) => b.id === state.brand);
  const shown = state.view === "brands" ? info.brands : [brand];
  let sets;
  try {
    sets = await Promise.all(
      shown.map(async (b) => ({ brand: b, examples: await examplesOf(state.tenant, b.id, state.locale) })),
    );
  } catch (error) {
    if (mine === drawing) {
      status(t("examples-failed", { brand: brand.name, locale: state.locale, detail: error.message }));
    }
    return;
  }
  const [base, brandVars] = await Promise.all([
    themeVars("/themes/base.css").catch(() => new Map()),
    themeVars(themePath(brand)).catch(() => new Map()),
  ]);
  if (mine !== drawing) return;
  const blocks = sets.find((s) => s.brand.id === state.brand).examples.blocks.map((b) => b.block);
  if (state.block && !blocks.includes(state.block)) state.block = "";
  if (!state.block && state.view !== "blocks") state.block = blocks[0] || "";
  context = { state, info, brand, base, brandVars };
  showPickers(state, info, blocks);
  writeState(state, { replace: !push });
  $("theme-name").textContent = `(${brand.name}: ${themePath(brand)})`;
  drawGrid(state, sets);
  drawEditor();
  drawContrast();
  drawCss();
}

/** A picker changed: the new view gets its own address. */
function picked(event) {
  const state = {
    ...(context ? context.state : readState()),
    view: pick.view.value,
    tenant: pick.tenant.value,
    brand: pick.brand.value,
    locale: pick.locale.value,
    width: Number(pick.width.value),
    block: pick.block.value,
  };
  if (event.target === pick.tenant) {
    state.brand = "";
    state.locale = "";
    state.block = "";
  }
  // Changes to one brand's theme do not carry over to another brand.
  if (context && state.brand !== context.state.brand) state.vars = {};
  draw(state, { push: true });
}

pick.block.dataset.every = pick.block.options[0].textContent;
for (const select of Object.values(pick)) select.addEventListener("change", picked);
$("controls").addEventListener("submit", (event) => {
  event.preventDefault();
  picked(event);
});

$("reset-theme").addEventListener("click", () => {
  context.state.vars = {};
  writeState(context.state, { replace: true });
  sendVars();
  showValues();
  drawContrast();
  drawCss();
});

$("copy-css").addEventListener("click", async () => {
  const text = brandCss();
  const out = $("copy-status");
  try {
    await navigator.clipboard.writeText(text);
    out.textContent = t("copied");
  } catch {
    $("css-out").select();
    out.textContent = t("copy-failed");
  }
});

window.addEventListener("popstate", () => draw(readState()));

/** Fills the tenant picker with every tenant the server has, then draws what the address says. */
async function start() {
  status(t("loading"));
  try {
    const tenants = await tenantList();
    fill(pick.tenant, tenants.map((tenant) => [tenant.id, tenant.name]), "");
  } catch (error) {
    status(t("tenants-failed", { detail: error.message }));
    return;
  }
  draw(readState());
}

start();
