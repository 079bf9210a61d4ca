// The frame page of the designer preview: one example step drawn by <journey-preview> in a
// brand's theme, at the width of the iframe that holds it (so the widget's media queries apply),
// with the language and writing direction of the examples. A static module: the page runs under
// the same strict Content-Security-Policy as the brand pages, and the theme's live changes are
// set with style.setProperty, which that policy allows.
//
// Framed by /preview/ (same origin only), it waits for the parent's messages:
//   {type: "show", theme, lang, dir, step, vars}   draw `step` in the stylesheet `theme`;
//   {type: "vars", vars}                            the live theme changes, {"--jk-…": value};
// and tells the parent {type: "height", height} whenever its content's height changes, so the
// iframe can fit it. Opened alone, as
//   /preview/frame.html?tenant=…&brand=…&locale=…&block=…&example=…
// it fetches that example and the brand's theme itself, so every example has an address of its
// own (for QA and screenshots).

import { themePath } from "./theme.js";

const preview = document.getElementById("preview");
const sent = document.getElementById("sent");
const sentJson = document.getElementById("sent-json");
const problem = document.getElementById("problem");
const root = document.documentElement;

/** A text of the page's markup, with {name} filled in. */
function t(key, args = {}) {
  const node = document.querySelector(`#texts [data-text="${key}"]`);
  const template = node ? node.textContent.replace(/\s+/g, " ").trim() : key;
  return template.replace(/\{(\w+)\}/g, (_, name) => String(args[name] ?? ""));
}

function showProblem(text) {
  problem.textContent = text;
  problem.hidden = false;
}

let themeLink = null;

/** Links the brand's stylesheet right after base.css, as a brand page does. */
function setTheme(href) {
  if (!href) return;
  if (!themeLink) {
    themeLink = document.createElement("link");
    themeLink.rel = "stylesheet";
    document.getElementById("base-css").after(themeLink);
  }
  if (themeLink.getAttribute("href") !== href) themeLink.setAttribute("href", href);
}

let applied = new Set();

/** Sets the live theme changes on :root, and drops the ones no longer changed. */
function setVars(vars) {
  const next = new Set();
  for (const [name, value] of Object.entries(vars || {})) {
    if (!/^--jk-[\w-]+$/.test(name) || typeof value !== "string") continue;
    root.style.setProperty(name, value);
    next.add(name);
  }
  for (const name of applied) {
    if (!next.has(name)) root.style.removeProperty(name);
  }
  applied = next;
}

function show({ theme, lang, dir, step, vars }) {
  setTheme(theme);
  if (lang) root.lang = lang;
  if (dir === "rtl" || dir === "ltr") root.dir = dir;
  setVars(vars);
  sent.hidden = true;
  problem.hidden = true;
  preview.step = step;
}

preview.addEventListener("journey-preview-action", (event) => {
  const { action, values } = event.detail || {};
  sentJson.textContent = JSON.stringify({ action, values });
  sent.hidden = false;
});

preview.addEventListener("journey-preview-error", (event) => {
  showProblem(t((event.detail || {}).code || "load_failed"));
});

// The content's height, for the parent to size the iframe (the frame has no scroll of its own
// downwards; sideways it scrolls, so a step too wide for the width shows).
function reportHeight() {
  const height = Math.ceil(document.querySelector(".frame").getBoundingClientRect().height);
  parent.postMessage({ type: "height", height }, location.origin);
}

if (window.parent !== window) {
  window.addEventListener("message", (event) => {
    if (event.origin !== location.origin || event.source !== window.parent) return;
    const message = event.data || {};
    if (message.type === "show") show(message);
    else if (message.type === "vars") setVars(message.vars);
  });
  new ResizeObserver(reportHeight).observe(document.querySelector(".frame"));
  parent.postMessage({ type: "ready" }, location.origin);
} else {
  standalone();
}

/** Opened alone: the example named in the address, fetched from the server. */
async function standalone() {
  const query = new URLSearchParams(location.search);
  const [tenant, brand, locale, block, example] = ["tenant", "brand", "locale", "block", "example"].map(
    (name) => query.get(name) || "",
  );
  if (!tenant || !block || !example) {
    showProblem(t("missing"));
    return;
  }
  try {
    const get = async (url) => {
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
      return response.json();
    };
    const info = await get(`/v1/${encodeURIComponent(tenant)}`);
    const examples = await get(
      `/dev/examples?${new URLSearchParams({ tenant, brand, locale })}`,
    );
    const chosen = (info.brands || []).find((b) => b.id === examples.brand) || {};
    const found = (examples.blocks || [])
      .find((b) => b.block === block)
      ?.examples.find((e) => e.name === example);
    if (!found) {
      showProblem(t("not-found", { block, example }));
      return;
    }
    show({
      theme: themePath(chosen),
      lang: examples.locale,
      dir: examples.dir,
      step: found.step,
      vars: Object.fromEntries([...query].filter(([name]) => name.startsWith("--jk-"))),
    });
  } catch (error) {
    showProblem(t("fetch-failed", { detail: error.message }));
  }
}
