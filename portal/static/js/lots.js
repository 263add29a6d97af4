/* Lot editor: re-run the legal checks after each change, without reloading the page.
   Progressive enhancement: without this script the "Check the lots" button does the same. */
(function () {
  "use strict";

  function init(form) {
    var url = form.getAttribute("data-assess-url");
    var body = document.getElementById("lots-editor-body");
    var live = document.getElementById("lots-live");
    if (!url || !body || !window.fetch || !window.FormData) { return; }
    var pending = null;

    function say(text) {
      if (live) { live.textContent = text; }
    }

    function restoreFocus(control, renumbered) {
      // After a merge, go to the lot that took the items (lots are numbered again).
      if (control.name.indexOf("merge-") === 0) {
        var number = (renumbered || {})[control.value] || control.value;
        var target = document.getElementById("lot-" + number + "-title");
        if (target) { target.focus(); return; }
      }
      var same = form.querySelector("[name='" + control.name + "']");
      if (same) { same.focus(); }
    }

    form.addEventListener("change", function (event) {
      var control = event.target;
      if (!control || !control.hasAttribute || !control.hasAttribute("data-lots-live")) { return; }
      if (pending) { pending.abort(); }
      pending = window.AbortController ? new AbortController() : null;
      var data = new FormData(form);
      data.delete("action");
      say(form.getAttribute("data-checking") || "…");
      fetch(url, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "Accept": "application/json", "X-CSRFToken": data.get("csrf_token") || "" },
        signal: pending ? pending.signal : undefined
      })
        .then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.json();
        })
        .then(function (result) {
          body.innerHTML = result.html;
          restoreFocus(control, result.renumbered);
          say(result.summary);
        })
        .catch(function (error) {
          if (error && error.name === "AbortError") { return; }
          say(form.getAttribute("data-failed") || "");
        });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("lots-editor");
    if (form) { init(form); }
  });
})();
