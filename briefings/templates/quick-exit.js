/* Quick exit (the GOV.UK "Exit this page" pattern). The link works without JavaScript; with it,
   pressing Shift on its own three times within five seconds leaves too. Inside an iframe it
   replaces the top window, and replace() keeps this page out of the Back button where the
   browser allows. */
(function () {
  var link = document.getElementById("quick-exit-link");
  var status = document.getElementById("quick-exit-status");
  var hint = document.getElementById("quick-exit-hint");
  if (!link || !status) { return; }
  if (hint) { hint.hidden = false; }
  var presses = 0;
  var timer = null;
  function leave(event) {
    if (event) { event.preventDefault(); }
    status.textContent = status.getAttribute("data-leaving") || "Leaving this page.";  // in the page's language
    document.documentElement.className += " quick-exit-leaving";
    try {
      window.top.location.replace(link.href);
    } catch (err) {
      window.location.replace(link.href);
    }
  }
  link.addEventListener("click", leave);
  // Count a Shift pressed and released on its own, as GOV.UK's "Exit this page" does: Shift used
  // as a modifier (Shift+Tab to go back, Shift+Arrow to select, a capital letter, Shift+click)
  // is not a press, and any other key starts the count again.
  var alone = false;
  function reset() {
    alone = false;
    presses = 0;
    window.clearTimeout(timer);
  }
  document.addEventListener("keydown", function (event) {
    if (event.key === "Shift") {
      if (!event.repeat) { alone = !(event.ctrlKey || event.altKey || event.metaKey); }
    } else {
      reset();
    }
  });
  document.addEventListener("keyup", function (event) {
    if (event.key !== "Shift" || !alone) { return; }
    alone = false;
    presses += 1;
    window.clearTimeout(timer);
    timer = window.setTimeout(function () { presses = 0; }, 5000);
    if (presses >= 3) { presses = 0; leave(); }
  });
  document.addEventListener("pointerdown", function () { alone = false; });
  window.addEventListener("blur", reset);
})();
