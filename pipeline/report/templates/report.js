// Optional niceties; the report reads the same without them: filter notes by language,
// and click a dot on the map to jump to its note.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var hints = document.querySelectorAll(".js-only");
  for (var i = 0; i < hints.length; i++) hints[i].hidden = false;

  function applyFilter(lang) {
    var items = document.querySelectorAll("[data-note-lang]");
    for (var i = 0; i < items.length; i++) {
      var el = items[i];
      el.classList.toggle("is-filtered", lang !== "*" && el.getAttribute("data-note-lang") !== lang);
    }
    var buttons = document.querySelectorAll("#lang-filter button[data-lang]");
    for (var j = 0; j < buttons.length; j++) {
      buttons[j].setAttribute("aria-pressed", String(buttons[j].getAttribute("data-lang") === lang));
    }
  }

  var bar = document.getElementById("lang-filter");
  if (bar) {
    bar.hidden = false;
    bar.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-lang]");
      if (button) applyFilter(button.getAttribute("data-lang"));
    });
  }

  // A link to a note hidden by the filter shows all languages again rather than going nowhere.
  function revealTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (target && target.classList.contains("is-filtered")) {
      applyFilter("*");
      target.scrollIntoView();
    }
  }
  window.addEventListener("hashchange", revealTarget);

  var map = document.querySelector("svg.notemap");
  if (map) {
    map.addEventListener("click", function (event) {
      var dot = event.target.closest("circle[data-target]");
      if (dot) location.hash = dot.getAttribute("data-target");
    });
  }
})();
