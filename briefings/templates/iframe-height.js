/* The iframe page's messages to the page around it (README, "Embedding", has the host's listener):
   - {type: "briefing:height", height: <CSS pixels>} whenever this document's height changes, so
     that the host can size the iframe to fit;
   - {type: "briefing:quick-exit", url, label} where the page has a quick exit: in a frame as tall
     as its page the page's own sticky bar scrolls away with the frame, so the host shows the same
     link, kept in view, on its own page.
   Nothing is read from the parent, and the page reads the same without this script. */
(function () {
  if (window.parent === window) { return; }
  var last = 0;
  function send() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last) { return; }
    last = height;
    window.parent.postMessage({ type: "briefing:height", height: height }, "*");
  }
  var exit = document.getElementById("quick-exit-link");
  function sendExit() {
    if (exit) { window.parent.postMessage({ type: "briefing:quick-exit", url: exit.href, label: exit.textContent }, "*"); }
  }
  window.addEventListener("load", send);
  window.addEventListener("load", sendExit);
  window.addEventListener("resize", send);
  if (window.ResizeObserver) { new window.ResizeObserver(send).observe(document.body); }
  send();
  sendExit();
})();
