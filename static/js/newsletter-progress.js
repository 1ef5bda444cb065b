// The issue page's progress panel while an issue sends: fetched again every few seconds and
// swapped in. The numbers alone change in place (a focused button keeps its focus); when the
// status changes (sent, paused, cancelled) the whole panel is replaced and the change is read
// out once. Without JavaScript the panel's "Refresh" link does the same.
(function () {
  "use strict";

  var EVERY_MS = 3000;

  function freshPanel(html) {
    return new DOMParser().parseFromString(html, "text/html").getElementById("issue-progress");
  }

  function apply(panel, fresh) {
    if (fresh.dataset.status !== panel.dataset.status) {
      panel.replaceWith(document.importNode(fresh, true));
      var announce = document.getElementById("issue-progress-announce");
      if (announce) {
        announce.textContent = "Status: " + fresh.dataset.status;
      }
      return;
    }
    var live = panel.querySelector(".nl-progress-live");
    var freshLive = fresh.querySelector(".nl-progress-live");
    if (live && freshLive) {
      live.replaceWith(document.importNode(freshLive, true));
    }
    panel.dataset.done = fresh.dataset.done;
  }

  function refresh() {
    var panel = document.getElementById("issue-progress");
    if (!panel || panel.dataset.done === "true") {
      return;
    }
    fetch(panel.dataset.url, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("progress " + response.status);
        }
        return response.text();
      })
      .then(function (html) {
        var fresh = freshPanel(html);
        if (fresh) {
          apply(panel, fresh);
        }
      })
      .catch(function () {
        // A missed refresh is retried at the next tick; the Refresh link is always there.
      })
      .then(function () {
        window.setTimeout(refresh, EVERY_MS);
      });
  }

  window.setTimeout(refresh, EVERY_MS);
})();
