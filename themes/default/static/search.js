/* charted search: results as you type, from search-index.js (generated at
   build time). The index is a script, not JSON, so search also works when the
   site is opened from disk, where browsers refuse fetch(). Links are made
   from this script's own URL, so they work under any sub-path. Without
   JavaScript the search box stays hidden and every page works as it is. */
(function () {
  "use strict";
  var script = document.currentScript;
  var box = document.querySelector("[data-search]");
  if (!script || !box) return;
  var root = script.src.replace(/search\.js(?:[?#].*)?$/, "");
  var input = box.querySelector("input");
  var panel = box.querySelector(".search-panel");
  var list = box.querySelector(".search-results");
  var status = box.querySelector(".search-status");
  var index = null;
  var loading = false;
  var MAX = 10;

  function norm(text) {
    return String(text || "").toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  function load() {
    if (index || loading) return;
    loading = true;
    var tag = document.createElement("script");
    tag.src = root + "search-index.js";
    tag.onload = function () {
      index = (window.chartedSearch || []).map(function (e) {
        return { e: e, title: norm(e.t), id: e.i, fields: norm(e.k + " " + e.s + " " + e.f), body: norm(e.b) };
      });
      update();
    };
    tag.onerror = function () {
      loading = false;
      show("Search is unavailable: search-index.js did not load.");
    };
    document.head.appendChild(tag);
  }

  /* Every word must match somewhere; a match in the title counts most. */
  function score(item, words) {
    var total = 0;
    for (var i = 0; i < words.length; i++) {
      var w = words[i];
      var at = item.title.indexOf(w);
      var s = at === 0 ? 12 : at > 0 && /\W/.test(item.title.charAt(at - 1)) ? 10 : at > 0 ? 7
        : item.id.indexOf(w) >= 0 ? 6 : item.fields.indexOf(w) >= 0 ? 3 : item.body.indexOf(w) >= 0 ? 1 : 0;
      if (!s) return 0;
      total += s;
    }
    return total;
  }

  function show(message) {
    status.textContent = message;
    panel.hidden = false;
  }

  function update() {
    var query = norm(input.value).trim();
    list.textContent = "";
    if (!query) {
      panel.hidden = true;
      status.textContent = "";
      return;
    }
    if (!index) {
      load();
      return;
    }
    var words = query.split(/\s+/);
    var hits = [];
    index.forEach(function (item) {
      var s = score(item, words);
      if (s) hits.push({ s: s, e: item.e });
    });
    hits.sort(function (a, b) {
      return b.s - a.s || (a.e.t < b.e.t ? -1 : a.e.t > b.e.t ? 1 : 0);
    });
    hits.slice(0, MAX).forEach(function (hit) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = root + hit.e.u;
      var title = document.createElement("span");
      title.className = "search-title";
      title.textContent = hit.e.t;
      var kind = document.createElement("span");
      kind.className = "search-kind";
      kind.textContent = hit.e.k;
      a.appendChild(title);
      a.appendChild(kind);
      if (hit.e.s) {
        var summary = document.createElement("span");
        summary.className = "search-summary";
        summary.textContent = hit.e.s;
        a.appendChild(summary);
      }
      li.appendChild(a);
      list.appendChild(li);
    });
    var n = hits.length;
    show(n === 0 ? "No items match." : n > MAX ? n + " items match; the first " + MAX + " are shown."
      : n + (n === 1 ? " item matches." : " items match."));
  }

  function links() {
    return Array.prototype.slice.call(list.querySelectorAll("a"));
  }

  function move(by) {
    var all = links();
    if (!all.length) return;
    var at = all.indexOf(document.activeElement);
    var next = at + by;
    if (next < 0) input.focus();
    else all[Math.min(next, all.length - 1)].focus();
  }

  box.hidden = false;
  input.addEventListener("focus", load);
  input.addEventListener("input", update);
  box.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown") {
      move(1);
      event.preventDefault();
    } else if (event.key === "ArrowUp") {
      move(-1);
      event.preventDefault();
    } else if (event.key === "Escape") {
      input.value = "";
      update();
      input.focus();
    } else if (event.key === "Enter" && event.target === input) {
      var first = links()[0];
      if (first) window.location.href = first.href;
    }
  });
  document.addEventListener("click", function (event) {
    if (!box.contains(event.target)) panel.hidden = true;
  });
  input.addEventListener("focus", function () {
    if (input.value.trim()) update();
  });
})();
