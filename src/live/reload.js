(function () {
  var overlay = null;
  function showError(text) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "gazette-error";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,0,0,.92);color:#fff;font:14px/1.5 monospace;padding:2rem;white-space:pre-wrap";
      document.body.appendChild(overlay);
    }
    overlay.textContent = "gazette: the last rebuild failed; the page below is the last good build.\n\n" + text;
  }
  var source = new EventSource("/__gazette/events?page=" + encodeURIComponent(location.pathname));
  source.addEventListener("reload", function () { location.reload(); });
  source.addEventListener("build-error", function (e) { showError(e.data); });
})();
