/* Clausier front-end helpers. Progressive enhancement only: every page works without script. */
(function () {
  "use strict";

  // CPV autocomplete: fills the <datalist> of inputs marked data-cpv-autocomplete from the API.
  function cpvAutocomplete(input) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list) { return; }
    var timer = null;
    var last = "";
    input.addEventListener("input", function () {
      var q = input.value.trim();
      if (q.length < 2 || q === last) { return; }
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        last = q;
        var lang = document.documentElement.lang || "fr";
        fetch("/api/v1/cpv?limit=15&q=" + encodeURIComponent(q), { headers: { "Accept": "application/json" } })
          .then(function (r) { return r.ok ? r.json() : { results: [] }; })
          .then(function (data) {
            list.textContent = "";
            (data.results || []).forEach(function (item) {
              var option = document.createElement("option");
              option.value = item.code;
              option.label = item.code + " " + (item.labels[lang] || item.labels.en);
              option.textContent = option.label;
              list.appendChild(option);
            });
          })
          .catch(function () { /* the plain form still works */ });
      }, 200);
    });
  }

  // Move the focus to an error summary so screen-reader users hear it first.
  function focusErrors() {
    var summary = document.querySelector(".error-summary");
    if (summary) { summary.focus(); }
  }

  // Ask before a destructive action: <form data-confirm="message">.
  function confirmForms() {
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-cpv-autocomplete]").forEach(cpvAutocomplete);
    focusErrors();
    confirmForms();
  });
})();

/* Clause editor (portal/clauses): show only the settings of the chosen parameter type. Without
   script every setting stays visible and the server checks them all the same. */
(function () {
  "use strict";

  function paramEditor(fieldset) {
    var select = fieldset.querySelector("select[name$='-type']");
    if (!select) { return; }
    function update() {
      fieldset.querySelectorAll("[data-param-types]").forEach(function (group) {
        var types = group.getAttribute("data-param-types").split(" ");
        group.hidden = types.indexOf(select.value) === -1;
      });
    }
    select.addEventListener("change", update);
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-param-editor]").forEach(paramEditor);
  });
})();

/* Tender builder (portal/tenders): on the clause page, the live total of the award weights and
   the justification of a mandatory criterion shown only while it is being removed. The page
   works the same without script: the server checks and reports both. */
(function () {
  "use strict";

  function liveTotal(form) {
    var output = document.getElementById("tb-live-total");
    var price = form.querySelector("#price_weight");
    if (!output || !price) { return; }
    function update() {
      var total = parseInt(price.value, 10) || 0;
      form.querySelectorAll(".tb-clause").forEach(function (clause) {
        var include = clause.querySelector(".tb-include input[type=checkbox]");
        var weight = clause.querySelector(".tb-weight input");
        if (include && weight && include.checked) { total += parseInt(weight.value, 10) || 0; }
      });
      var ok = total === 100;
      output.textContent = output.getAttribute(ok ? "data-ok" : "data-wrong").replace("{total}", String(total));
      output.className = "tb-live " + (ok ? "tb-live-ok" : "tb-live-wrong");
      output.hidden = false;
    }
    form.addEventListener("input", update);
    form.addEventListener("change", update);
    update();
  }

  function justifications(form) {
    form.querySelectorAll(".tb-clause.tb-mandatory").forEach(function (clause) {
      var include = clause.querySelector(".tb-include input[type=checkbox]");
      var box = clause.querySelector(".tb-justification");
      if (!include || !box || box.classList.contains("has-error")) { return; }
      function sync() { box.hidden = include.checked; }
      include.addEventListener("change", sync);
      sync();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("selection-form");
    if (!form) { return; }
    liveTotal(form);
    justifications(form);
  });
})();
