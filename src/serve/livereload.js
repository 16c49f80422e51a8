// charted serve: live reload and error overlay. Injected by `charted serve`
// only; built sites never contain it.
(function () {
  "use strict";
  var endpoint = new URL("/__charted/livereload", window.location.href);
  var overlay = null;
  var wasConnected = false;

  function hideProblems() {
    if (overlay) { overlay.remove(); overlay = null; }
  }

  function showProblems(text) {
    hideProblems();
    overlay = document.createElement("div");
    overlay.id = "charted-problems";
    overlay.setAttribute("role", "alert");
    overlay.style.cssText = "position:fixed;inset:auto 1rem 1rem 1rem;max-height:60vh;overflow:auto;z-index:2147483647;" +
      "background:#2b0b0e;color:#ffe9ea;border:2px solid #ff6b75;border-radius:8px;padding:1rem;" +
      "font:14px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;box-shadow:0 8px 30px rgba(0,0,0,.4)";
    var title = document.createElement("strong");
    title.textContent = "charted: the site has errors. The last good version is still shown.";
    var pre = document.createElement("pre");
    pre.style.cssText = "margin:.75rem 0 0;white-space:pre-wrap";
    pre.textContent = text;
    overlay.appendChild(title);
    overlay.appendChild(pre);
    document.body.appendChild(overlay);
  }

  function connect() {
    var source = new EventSource(endpoint);
    source.addEventListener("hello", function () {
      // Reconnected after the server restarted: the site may have changed meanwhile.
      if (wasConnected) { window.location.reload(); }
      wasConnected = true;
    });
    source.addEventListener("reload", function () { window.location.reload(); });
    source.addEventListener("css", function () {
      hideProblems();
      document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
        var url = new URL(link.href);
        url.searchParams.set("charted", String(Date.now()));
        link.href = url.href;
      });
    });
    source.addEventListener("problems", function (event) { showProblems(event.data); });
    source.onerror = function () {
      source.close();
      window.setTimeout(connect, 1000);
    };
  }

  connect();
})();
