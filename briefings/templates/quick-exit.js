/* Quick exit (the GOV.UK "Exit this page" pattern). The link works without JavaScript; with it,
   pressing Shift three times within five seconds leaves too. Inside an iframe it replaces the
   top window, and replace() keeps this page out of the Back button where the browser allows. */
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
    status.textContent = "Leaving this page.";
    document.documentElement.className += " quick-exit-leaving";
    try {
      window.top.location.replace(link.href);
    } catch (err) {
      window.location.replace(link.href);
    }
  }
  link.addEventListener("click", leave);
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Shift" || event.repeat) { return; }
    presses += 1;
    window.clearTimeout(timer);
    timer = window.setTimeout(function () { presses = 0; }, 5000);
    if (presses >= 3) { presses = 0; leave(); }
  });
})();
