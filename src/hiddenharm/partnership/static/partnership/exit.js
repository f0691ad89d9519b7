// "Exit this page" on the public pages: the button, the skip link and three presses of
// Shift or Escape (within five seconds) blank the page and replace it with the exit address,
// which ends any session and goes on to a neutral site. location.replace() takes the page
// off the history, so Back does not return to it. Without JavaScript the button is a link.
(function () {
  "use strict";
  var body = document.body;
  body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");

  var button = document.querySelector(".hh-exit-button");
  if (!button) { return; }
  var exitUrl = button.getAttribute("href");
  var indicator = document.querySelector(".govuk-exit-this-page__indicator");
  var lights = indicator ? indicator.querySelectorAll(".govuk-exit-this-page__indicator-light") : [];

  function leave(event) {
    if (event) { event.preventDefault(); }
    body.classList.add("govuk-exit-this-page-hide-content");
    var overlay = document.createElement("div");
    overlay.className = "govuk-exit-this-page-overlay";
    overlay.setAttribute("role", "alert");
    overlay.textContent = "Loading.";
    body.appendChild(overlay);
    window.location.replace(exitUrl);
  }

  var links = document.querySelectorAll(".hh-exit-button, .hh-exit-skiplink");
  for (var i = 0; i < links.length; i++) { links[i].addEventListener("click", leave); }

  var presses = { Shift: 0, Escape: 0 };
  var timer = null;

  function show(count) {
    if (!indicator) { return; }
    indicator.classList.toggle("govuk-exit-this-page__indicator--visible", count > 0);
    for (var j = 0; j < lights.length; j++) {
      lights[j].classList.toggle("govuk-exit-this-page__indicator-light--on", j < count);
    }
  }

  function reset() { presses.Shift = 0; presses.Escape = 0; show(0); }

  document.addEventListener("keyup", function (event) {
    var key = event.key;
    if (key !== "Shift" && key !== "Escape") { reset(); return; }
    var other = key === "Shift" ? "Escape" : "Shift";
    presses[other] = 0;
    presses[key] += 1;
    show(presses[key]);
    clearTimeout(timer);
    if (presses[key] >= 3) { leave(); return; }
    timer = setTimeout(reset, 5000);
  }, true);
})();
