// InsurGroup brand page script: shows the signed-in state when the journey widget completes.
// A static file (no inline script), so the page runs under a strict Content-Security-Policy.
document.addEventListener("journey-complete", (event) => {
  const detail = event.detail || {};
  const session = detail.session || {};
  const box = document.getElementById("jk-session");
  const subject = document.getElementById("jk-signed-in");
  const token = document.getElementById("jk-id-token");
  if (subject) {
    subject.textContent = session.subject || "";
    subject.hidden = false;
  }
  if (token) {
    token.textContent = detail.id_token || "";
  }
  if (box) {
    box.hidden = false;
  }
});
