// The <journey-widget> custom element: the only script a brand page loads.
//
// A static ES module rather than Trunk's inline bootstrap, so pages can run under a strict
// Content-Security-Policy (script-src 'self' 'wasm-unsafe-eval', no 'unsafe-inline'). It imports
// the wasm-bindgen glue, which sits beside it with a fixed name, and mounts the Rust widget into
// each element's light DOM when the element is connected.
//
//   <link rel="stylesheet" href="/themes/base.css">
//   <link rel="stylesheet" href="/widget/bundle.css">
//   <script type="module" src="/widget/journey-widget.js"></script>
//   <journey-widget tenant="roadhelp" journey="registration"
//                   data-load-error="The form could not be loaded. Reload the page to try again.">
//   </journey-widget>
//
// Attributes: tenant, journey (required), brand (default: the tenant's default brand; also part
// of the sessionStorage key a reload resumes by, so two brands' pages on one origin never resume
// each other's flows), endpoint (default: this page's origin), locale
// (default: <html lang>), data-load-error (the text shown when the widget itself cannot load;
// the page's language, since the server's texts are out of reach then). Events (bubbling,
// composed): journey-step, journey-complete, journey-error (also {code: "load_failed"} when the
// glue or the wasm cannot be loaded or started).

// A dynamic import, so a glue that fails to load is caught like a wasm that fails. The started
// glue is exported for the other entry that shares this wasm (journey-preview.js), so the wasm
// is fetched and started once per page whichever elements the page uses.
export const ready = import("./journey-widgets.js").then((glue) =>
  glue
    .default({ module_or_path: new URL("journey-widgets_bg.wasm", import.meta.url) })
    .then(() => glue),
);

class JourneyWidget extends HTMLElement {
  connectedCallback() {
    ready
      .then((glue) => {
        if (this.isConnected && !this.handle) {
          this.handle = glue.mount(this);
        }
      })
      .catch((error) => {
        console.error("journey-widget: the widget could not start", error);
        if (this.failed) return;
        this.failed = true;
        // Plain DOM, no inline style: the page's CSP stays strict.
        const p = document.createElement("p");
        p.setAttribute("role", "alert");
        p.setAttribute("data-jk-load-error", "");
        p.textContent =
          this.getAttribute("data-load-error") ||
          "The form could not be loaded. Reload the page to try again.";
        this.replaceChildren(p);
        this.dispatchEvent(
          new CustomEvent("journey-error", {
            bubbles: true,
            composed: true,
            detail: { code: "load_failed", id: "widget-load-failed", text: p.textContent },
          }),
        );
      });
  }

  disconnectedCallback() {
    if (this.handle) {
      this.handle.free();
      this.handle = undefined;
    }
  }
}

if (!customElements.get("journey-widget")) {
  customElements.define("journey-widget", JourneyWidget);
}
