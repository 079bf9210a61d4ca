// The <journey-preview> custom element: draws one step of the journey protocol with the real
// widget code and no server. The designer preview (demo-sites/preview/) draws every block's
// examples from GET /dev/examples with it.
//
// A static ES module rather than an inline script, so pages run under the same strict
// Content-Security-Policy as brand pages. It shares the widget's wasm: the brand loader
// (journey-widget.js) starts it once and exports the started glue as `ready`.
//
//   <link rel="stylesheet" href="/themes/base.css">
//   <link rel="stylesheet" href="/themes/roadhelp.css">
//   <link rel="stylesheet" href="/widget/bundle.css">
//   <script type="module" src="/widget/journey-preview.js"></script>
//   <journey-preview></journey-preview>
//
//   preview.step = example.step;   // the Step as the protocol sends it: an object or its JSON
//
// The `step` attribute (JSON text) works too. The step is drawn by the widget's own step form,
// inside the widget's root class. Actions are inert: pressing one sends nothing. Events
// (bubbling, composed): journey-preview-action {step, block, action, values} (what the widget
// would have submitted); journey-preview-error {code: "invalid_step"} when the JSON is not a
// step, {code: "load_failed"} when the widget cannot load.

import { ready } from "./journey-widget.js";

class JourneyPreview extends HTMLElement {
  static get observedAttributes() {
    return ["step"];
  }

  /** The step last given, as it was given (an object or JSON text). */
  get step() {
    return this.value === undefined ? null : this.value;
  }

  set step(value) {
    this.value = value;
    this.json = typeof value === "string" ? value : JSON.stringify(value);
    this.draw();
  }

  attributeChangedCallback(_name, _old, value) {
    if (value !== null) {
      this.step = value;
    }
  }

  connectedCallback() {
    // A `step` set before this element was defined is a plain property that hides the setter.
    if (Object.prototype.hasOwnProperty.call(this, "step")) {
      const value = this.step;
      delete this.step;
      this.step = value;
      return;
    }
    this.draw();
  }

  disconnectedCallback() {
    this.release();
  }

  release() {
    if (this.handle) {
      this.handle.free();
      this.handle = undefined;
    }
  }

  draw() {
    const json = this.json;
    if (json === undefined) return;
    ready.then(
      (glue) => {
        // A newer step arrived meanwhile, or the element left the page: nothing to draw.
        if (!this.isConnected || json !== this.json) return;
        this.release();
        this.handle = glue.preview(this, json);
        if (!this.handle) this.fail("invalid_step");
      },
      (error) => {
        console.error("journey-preview: the widget could not start", error);
        this.fail("load_failed");
      },
    );
  }

  fail(code) {
    this.dispatchEvent(
      new CustomEvent("journey-preview-error", { bubbles: true, composed: true, detail: { code } }),
    );
  }
}

if (!customElements.get("journey-preview")) {
  customElements.define("journey-preview", JourneyPreview);
}
