// The browser tests' page script: shows the signed-in state when the journey widget completes,
// as a brand's page would (the contract the specs read: #jk-session, #jk-signed-in, #jk-id-token).
// A static file (no inline script), so the page runs under a strict Content-Security-Policy.
document.addEventListener("journey-complete", (event) => {
  const detail = event.detail || {};
  const session = detail.session || {};
  const subject = document.getElementById("jk-signed-in");
  subject.textContent = session.subject || "";
  subject.hidden = false;
  document.getElementById("jk-id-token").textContent = detail.id_token || "";
  document.getElementById("jk-session").hidden = false;
});
