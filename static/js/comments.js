// Comments, made nicer with JavaScript: every feature here also works without it.
(() => {
  "use strict";

  const section = document.getElementById("comments");
  if (!section) return;

  // A link to a comment not on this page (on another page of the thread, or no longer
  // public): the server finds its page, or brings the reader to the discussion with a note.
  // An old WordPress link (redirected here with ?from=wordpress) names WordPress's comment ids,
  // which the server translates; the marker is then dropped from the address bar.
  const search = new URLSearchParams(window.location.search);
  const fromWordPress = search.get("from") === "wordpress";
  if (fromWordPress) {
    search.delete("from");
    const query = search.toString();
    window.history.replaceState(null, "", `${window.location.pathname}${query ? `?${query}` : ""}${window.location.hash}`);
  }
  const leaveFor = (hash, old = false) => {
    const match = /^#comment-(\d+)$/.exec(hash);
    if (old && match) {
      window.location.replace(`/wordpress/comment/${match[1]}/?article=${section.dataset.article}`);
      return true;
    }
    if (!match || document.getElementById(`comment-${match[1]}`)) return false;
    const query = new URLSearchParams({ article: section.dataset.article });
    if (new URLSearchParams(window.location.search).get("order") === "newest") query.set("order", "newest");
    window.location.replace(`/comments/${match[1]}/?${query}`);
    return true;
  };
  if (leaveFor(window.location.hash, fromWordPress)) return;
  window.addEventListener("hashchange", () => leaveFor(window.location.hash));
  const target = /^#comment-(\d+)$/.exec(window.location.hash);

  // The confirmation of the reader's own comment: beside it when the page lands on it.
  const notices = document.getElementById("comment-notices");
  const landed = target && document.getElementById(`comment-${target[1]}`);
  if (notices && landed) landed.after(notices);

  const respond = document.getElementById("respond");
  const form = respond && respond.querySelector("form");

  // Reply in place: move the form under the comment being answered.
  if (form) {
    const home = document.createElement("div");
    home.hidden = true;
    respond.before(home);
    const parentInput = form.querySelector("input[name=parent]");
    const heading = document.getElementById("respond-heading");
    const note = document.getElementById("replying-to");
    const noteLink = document.getElementById("replying-to-link");
    const cancel = document.getElementById("cancel-reply");
    const text = form.querySelector("textarea");

    const replyTo = (link) => {
      const comment = link.closest("article");
      comment.after(respond);
      parentInput.value = link.dataset.replyTo;
      heading.textContent = `Reply to ${link.dataset.replyName}`;
      noteLink.textContent = link.dataset.replyName;
      noteLink.href = `#${comment.id}`;
      note.hidden = false;
      respond.classList.add("respond--inline");
      text.focus();
    };

    const cancelReply = () => {
      home.after(respond);
      parentInput.value = "";
      heading.textContent = "Leave a comment";
      note.hidden = true;
      respond.classList.remove("respond--inline");
    };

    // "Leave a comment" (top of the discussion, the community panel): the form in its own
    // place, not under the comment last replied to; the link itself does the jump.
    document.addEventListener("click", (event) => {
      if (event.target.closest('a[href="#respond"]') && respond.classList.contains("respond--inline")) {
        cancelReply();
      }
    });

    section.addEventListener("click", (event) => {
      const link = event.target.closest("a.comment__reply");
      if (link) {
        event.preventDefault();
        replyTo(link);
      } else if (event.target.closest("#cancel-reply")) {
        event.preventDefault();
        const from = parentInput.value;
        cancelReply();
        const back = from && document.querySelector(`#comment-${from} .comment__reply`);
        (back || text).focus();
      }
    });
    if (cancel && parentInput.value && !note.hidden) {
      const link = document.querySelector(`#comment-${parentInput.value} .comment__reply`);
      if (link) replyTo(link);
    }

    // A refused comment: show the form and focus the message above it, or else the first
    // field in error.
    const error = form.querySelector("#respond-errors, [aria-invalid=true]");
    if (error) {
      if (!respond.classList.contains("respond--inline")) respond.scrollIntoView({ behavior: "instant" });
      error.focus();
    }

    // A second click while the first post is on its way sends nothing more.
    form.addEventListener("submit", (event) => {
      if (form.dataset.sending) {
        event.preventDefault();
        return;
      }
      form.dataset.sending = "yes";
      // The action's #respond lands a refused comment at the form without JavaScript; here
      // the script does it, and focuses the error, which landing on a fragment would undo.
      form.action = form.action.replace(/#.*$/, "");
      form.querySelector("button[type=submit]").setAttribute("aria-disabled", "true");
    });
  }

  // "Show more comments": fetch the next page of threads and add it to the list.
  const more = document.getElementById("show-more");
  const list = document.getElementById("comment-list");
  if (more && list) {
    more.addEventListener("click", async (event) => {
      event.preventDefault();
      if (more.getAttribute("aria-busy")) return;
      more.setAttribute("aria-busy", "true");
      more.textContent = "Loading comments…";
      try {
        const response = await fetch(more.dataset.moreUrl, { headers: { Accept: "application/json" } });
        if (!response.ok) throw new Error(response.statusText);
        const page = await response.json();
        const count = list.children.length;
        list.insertAdjacentHTML("beforeend", page.html);
        const first = list.children[count] && list.children[count].querySelector("article");
        if (first) {
          first.tabIndex = -1;
          first.focus();
        }
        if (page.next) {
          more.dataset.moreUrl = page.next;
          const link = new URL(more.href);
          link.search = new URL(page.next, window.location.href).search;
          more.href = link.toString();
          more.textContent = "Show more comments";
          more.removeAttribute("aria-busy");
        } else {
          more.closest("p").remove();
        }
      } catch {
        // Fall back to the plain link: the next page, loaded whole.
        window.location.href = more.href;
      }
    });
  }

  // "Show N more replies": fetch the whole thread and put it in place of the shortened one,
  // then take the reader to the first reply they had not seen.
  if (list) {
    list.addEventListener("click", async (event) => {
      const link = event.target.closest(".more-replies a");
      if (!link) return;
      event.preventDefault();
      if (link.getAttribute("aria-busy")) return;
      link.setAttribute("aria-busy", "true");
      link.textContent = "Loading replies…";
      try {
        const response = await fetch(link.dataset.threadUrl, { headers: { Accept: "application/json" } });
        if (!response.ok) throw new Error(response.statusText);
        const thread = await response.json();
        link.closest("li.comment-item").outerHTML = thread.html;
        const first = document.getElementById(`comment-${link.dataset.first}`);
        if (first) {
          first.tabIndex = -1;
          first.focus();
        }
      } catch {
        // Fall back to the plain link: the page again, with this thread in full.
        window.location.href = link.href;
      }
    });
  }
})();
