// The reading meter's "Not now": send the same form the page posts without JavaScript, then
// hide the invitation in place instead of reloading the article. The site answers a request
// that asks for JSON with 204 and the cookie that keeps it hidden this month.
(() => {
  const invitation = document.querySelector("[data-reading-meter]");
  const form = invitation?.querySelector("form");
  if (!form) return;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    let response;
    try {
      response = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
    } catch {
      form.submit();
      return;
    }
    if (!response.ok) {
      form.submit();
      return;
    }
    // Focus goes on to what followed the invitation, not back to the top of the page.
    const next = invitation.nextElementSibling?.querySelector("h2") ?? document.querySelector("main");
    invitation.remove();
    if (next) {
      next.setAttribute("tabindex", "-1");
      next.focus();
    }
  });
})();
