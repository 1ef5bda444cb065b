// "Follow this discussion" for a member: the article page links to the follow page (it costs
// the page no query); here that link becomes the page's own button, Follow or Stop following.
(() => {
  "use strict";

  const box = document.getElementById("follow");
  if (!box || !box.dataset.stateUrl) return;

  const swap = async () => {
    try {
      const response = await fetch(box.dataset.stateUrl, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!response.ok) return;
      const { html } = await response.json();
      box.innerHTML = html;
    } catch {
      // Offline or refused: the link to the follow page still works.
    }
  };
  swap();
})();
