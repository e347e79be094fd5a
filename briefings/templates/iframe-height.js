/* Auto-height for the iframe page: post this document's height to the parent page whenever it
   changes, as {type: "briefing:height", height: <CSS pixels>}, so that the host can size the
   iframe to fit (README, "Embedding", has the listener). Nothing is read from the parent, and the
   page reads the same without this script. */
(function () {
  if (window.parent === window) { return; }
  var last = 0;
  function send() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last) { return; }
    last = height;
    window.parent.postMessage({ type: "briefing:height", height: height }, "*");
  }
  window.addEventListener("load", send);
  window.addEventListener("resize", send);
  if (window.ResizeObserver) { new window.ResizeObserver(send).observe(document.body); }
  send();
})();
