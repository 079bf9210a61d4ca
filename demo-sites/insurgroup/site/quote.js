// InsurGroup brand page script: the quote form. It asks InsurGroup's quote service (its
// address in the form's data-quotes) for a quote, shows it, and when the form names a journey
// in data-save-journey, starts that journey with the quote as its context, so the journey can
// look the quote up (look_up_data) and save it to the person's account.
// A static file (no inline script), so the page runs under a strict Content-Security-Policy.
const form = document.getElementById("quote-form");
const result = document.getElementById("quote-result");

function fieldError(input, show) {
  const error = document.getElementById(`${input.id}-error`);
  input.setAttribute("aria-invalid", show ? "true" : "false");
  if (error) {
    error.hidden = !show;
  }
  return show;
}

function say(text) {
  result.replaceChildren();
  const p = document.createElement("p");
  p.textContent = text;
  result.append(p);
}

async function ask(event) {
  event.preventDefault();
  const make = form.elements.make;
  const model = form.elements.model;
  const missing = [make, model].filter((input) => fieldError(input, input.value.trim() === ""));
  if (missing.length > 0) {
    missing[0].focus();
    return;
  }
  const button = form.querySelector("button");
  button.disabled = true;
  try {
    const response = await fetch(`${form.dataset.quotes}/quotes`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        product: form.dataset.product,
        make: make.value.trim(),
        model: model.value.trim(),
      }),
    });
    if (!response.ok) {
      say("We could not make a quote for that car. Check the make and model and try again.");
      return;
    }
    const quote = await response.json();
    say(`Your quote ${quote.number}: ${quote.currency} ${quote.price} a year.`);
    document.dispatchEvent(new CustomEvent("quote-ready", { detail: quote }));
    const journey = form.dataset.saveJourney;
    if (journey) {
      const widget = document.createElement("journey-widget");
      widget.setAttribute("endpoint", form.dataset.endpoint);
      widget.setAttribute("tenant", form.dataset.tenant);
      widget.setAttribute("brand", form.dataset.brand);
      widget.setAttribute("journey", journey);
      widget.setAttribute("context", JSON.stringify({ product: quote.product, quote: quote.number }));
      result.append(widget);
    }
  } catch {
    say("The quote service cannot be reached right now. Try again in a moment.");
  } finally {
    button.disabled = false;
  }
}

if (form && result) {
  form.addEventListener("submit", ask);
}
