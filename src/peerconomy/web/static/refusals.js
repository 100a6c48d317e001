/* peerconomy: a refused htmx action says so where it was clicked.

   htmx swaps nothing in for an answer of 4xx or 5xx, and nothing at all when the server
   cannot be reached: without this, a refused Confirm looked like a button that did nothing.
   The server answers a refusal to htmx with a piece of a page (templates/_refusal.html): an
   alert, [data-refusal], with the reason. Here that alert goes at the end of the element
   that sent the request (the form, beside its button), in place of an earlier one there; an
   answer with no such alert (a proxy's error page) and a request that got no answer show
   the page's own words for that (the body's data-refusal attribute). The next request from
   the same element takes the alert away. A file of the site's own, as the
   Content-Security-Policy wants: no inline script, no eval. */
(function () {
  "use strict";

  function home(elt) {
    return elt.closest("form") || elt;
  }

  function clear(elt) {
    home(elt).querySelectorAll(":scope > [data-refusal]").forEach(function (old) {
      old.remove();
    });
  }

  function said(text) {
    if (!text) {
      return null;
    }
    const found = new DOMParser().parseFromString(text, "text/html")
      .querySelector("[data-refusal]");
    return found ? document.importNode(found, true) : null;
  }

  function unanswered() {
    const alert = document.createElement("span");
    alert.className = "refusal";
    alert.setAttribute("role", "alert");
    alert.setAttribute("data-refusal", "");
    alert.textContent = document.body.getAttribute("data-refusal") || "That did not work.";
    return alert;
  }

  function show(elt, alert) {
    clear(elt);
    home(elt).append(alert);
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    clear(event.detail.elt);
  });
  document.addEventListener("htmx:responseError", function (event) {
    show(event.detail.elt, said(event.detail.xhr.responseText) || unanswered());
  });
  ["htmx:sendError", "htmx:timeout"].forEach(function (name) {
    document.addEventListener(name, function (event) {
      show(event.detail.elt, unanswered());
    });
  });
}());
