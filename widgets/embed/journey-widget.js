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
//   <journey-widget tenant="roadhelp" journey="registration"></journey-widget>
//
// Attributes: tenant, journey (required), endpoint (default: this page's origin), locale
// (default: <html lang>). Events (bubbling, composed): journey-step, journey-complete,
// journey-error.
import init, { mount } from "./journey-widgets.js";

const ready = init({ module_or_path: new URL("journey-widgets_bg.wasm", import.meta.url) });

class JourneyWidget extends HTMLElement {
  connectedCallback() {
    ready
      .then(() => {
        if (this.isConnected && !this.handle) {
          this.handle = mount(this);
        }
      })
      .catch((error) => {
        console.error("journey-widget: the widget could not start", error);
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
