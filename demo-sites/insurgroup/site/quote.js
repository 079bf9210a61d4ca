// InsurGroup brand page script: the quote form. It asks InsurGroup's quote service (its
// address in the form's data-quotes) for a quote, shows it, and when the form names a journey
// in data-save-journey, starts that journey with the quote as its context, so the journey can
// look the quote up (look_up_data) and save it to the person's account.
// A static file (no inline script), so the page runs under a strict Content-Security-Policy.
const form = document.getElementById("quote-form");
const result = document.getElementById("quote-result");
// Where the saving journey's widget goes: beside the live region that announces the quote, not
// inside it, so a screen reader does not read the whole form out at each step.
const save = document.getElementById("quote-save");

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

// The quote service's request for the form's product: a car's make and model, or a life
// quote's age and cover (whole numbers, checked against the inputs' own min and max).
function request() {
  const inputs = Array.from(form.querySelectorAll("input[required]"));
  const wrong = inputs.filter((input) => {
    const value = input.value.trim();
    const bad = input.type === "number"
      ? !/^[0-9]+$/.test(value) || Number(value) < Number(input.min) || Number(value) > Number(input.max)
      : value === "";
    return fieldError(input, bad);
  });
  if (wrong.length > 0) {
    wrong[0].focus();
    return null;
  }
  const body = { product: form.dataset.product };
  for (const input of inputs) {
    body[input.name] = input.type === "number" ? Number(input.value.trim()) : input.value.trim();
  }
  return body;
}

async function ask(event) {
  event.preventDefault();
  const body = request();
  if (!body) {
    return;
  }
  const button = form.querySelector("button");
  button.disabled = true;
  try {
    const response = await fetch(`${form.dataset.quotes}/quotes`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    if (!response.ok) {
      say(form.dataset.refused);
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
      save.replaceChildren(widget);
    }
  } catch {
    say(form.dataset.unreachable);
  } finally {
    button.disabled = false;
  }
}

if (form && result && save) {
  form.addEventListener("submit", ask);
}
