/* charted search: results as you type, from the index charted writes in
   search/ (src/render/publish/search.rs describes it). A query loads only
   search/meta.js, the chunk files of its words and the fragment files of its
   first results. Every file is a script that hands its data to
   window.chartedSearch, not JSON, so search also works when the site is opened
   from disk, where browsers refuse fetch(). Links are made from this script's
   own URL, so they work under any sub-path. Without JavaScript the search box
   stays hidden and every page works as it is. */
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
  var MAX = 10;
  /* A word still being typed matches the terms it begins, in at most this many
     more chunk files after its own, and at most this many terms. */
  var PREFIX_FILES = 1;
  var PREFIX_TERMS = 100;
  var SNIPPET = 160;
  /* Files are loaded once typing pauses this long: a fast typist's
     half-words load nothing. Results from files already here show at once. */
  var PAUSE = 150;
  var typed = 0;
  var paused = 0;
  var meta = null;
  var chunks = {};
  var fragments = {};
  var requested = {};
  var decoded = {};
  var pending = false;
  var shown = null;

  /* The data files call these. */
  window.chartedSearch = {
    meta: function (m) { meta = m; later(); },
    chunk: function (name, terms) { chunks[name] = terms; later(); },
    fragments: function (n, items) { fragments[n] = items; later(); }
  };

  /* The same words as the index: src/render/publish/search/terms.rs. */
  function norm(text) {
    return String(text || "").toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }
  var WORD = /[\p{Alphabetic}\p{N}]+/gu;
  function words(text) {
    return norm(text).match(WORD) || [];
  }

  function need(path) {
    if (requested[path]) return;
    var wait = typed + PAUSE - Date.now();
    if (wait > 0) {
      clearTimeout(paused);
      paused = setTimeout(update, wait + 1);
      return;
    }
    requested[path] = true;
    var tag = document.createElement("script");
    tag.src = root + path;
    tag.onerror = function () {
      show("Search is unavailable: " + path + " did not load.");
    };
    document.head.appendChild(tag);
  }

  /* Many files arrive at once: one update for them all. */
  function later() {
    if (pending) return;
    pending = true;
    setTimeout(function () { pending = false; update(); }, 0);
  }

  /* The chunk a term is in: the last whose first term is not after it. */
  function chunkOf(term) {
    var lo = 0, hi = meta.first.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (meta.first[mid] <= term) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  var LAST = "0123456789abcdefghijklmnopqrstuv";
  var MORE = "ABCDEFGHIJKLMNOPQRSTUVWXYZ!#$%&*";
  /* Postings (src/render/publish/search/postings.rs): weight groups joined by
     commas, each its weight, then item numbers as steps in base-32 digits. */
  function decode(text) {
    var out = [];
    text.split(",").forEach(function (group) {
      var weight = LAST.indexOf(group.charAt(0));
      var item = 0, value = 0;
      for (var i = 1; i < group.length; i++) {
        var c = group.charAt(i), d = MORE.indexOf(c);
        if (d >= 0) value = value * 32 + d;
        else {
          item += value * 32 + LAST.indexOf(c);
          out.push(item, weight);
          value = 0;
        }
      }
    });
    return out;
  }

  function postings(file, term) {
    var key = file + " " + term;
    if (!decoded[key]) decoded[key] = decode(chunks[file][term]);
    return decoded[key];
  }

  /* Item -> score for one word: its own term, and, for the word being typed,
     the terms it begins (a little lower). Rare terms count more than common ones. */
  function scores(word, prefix, files) {
    var out = new Map();
    function add(file, term, factor) {
      var list = postings(file, term);
      var idf = Math.log(1 + meta.items / (list.length / 2)) * factor;
      for (var i = 0; i < list.length; i += 2) {
        var s = list[i + 1] * idf;
        if (!(out.get(list[i]) >= s)) out.set(list[i], s);
      }
    }
    var taken = 0;
    files.forEach(function (file) {
      var terms = chunks[file];
      if (Object.prototype.hasOwnProperty.call(terms, word)) add(file, word, 1);
      if (!prefix) return;
      for (var term in terms) {
        if (taken >= PREFIX_TERMS) break;
        if (term !== word && term.lastIndexOf(word, 0) === 0) {
          add(file, term, 0.8);
          taken++;
        }
      }
    });
    return out;
  }

  /* The chunk files each word needs, loading those not here yet; null until all are. */
  function filesFor(query, prefix) {
    var ready = true;
    var out = query.map(function (word, n) {
      var at = chunkOf(word);
      var files = [meta.files[at]];
      if (prefix && n === query.length - 1) {
        for (var k = at + 1; k <= at + PREFIX_FILES && k < meta.first.length; k++) {
          if (meta.first[k].lastIndexOf(word, 0) === 0) files.push(meta.files[k]);
        }
      }
      files.forEach(function (file) {
        if (!chunks[file]) { ready = false; need("search/t/" + file + ".js"); }
      });
      return files;
    });
    return ready ? out : null;
  }

  /* Every word must match; the items by score, then in the index's order. */
  function rank(query, prefix, files) {
    var maps = query.map(function (word, n) {
      return scores(word, prefix && n === query.length - 1, files[n]);
    });
    maps.sort(function (a, b) { return a.size - b.size; });
    var hits = [];
    maps[0].forEach(function (score, item) {
      for (var m = 1; m < maps.length; m++) {
        var s = maps[m].get(item);
        if (s === undefined) return;
        score += s;
      }
      hits.push({ item: item, score: score });
    });
    hits.sort(function (a, b) { return b.score - a.score || a.item - b.item; });
    return hits;
  }

  function update() {
    var text = input.value;
    var query = words(text);
    if (!query.length) {
      list.textContent = "";
      shown = null;
      panel.hidden = true;
      status.textContent = "";
      return;
    }
    if (!meta) { need("search/meta.js"); return; }
    // The last word is still being typed unless a space or a stop follows it.
    var prefix = /[\p{Alphabetic}\p{N}]$/u.test(text);
    var files = filesFor(query, prefix);
    if (!files) return;
    var hits = rank(query, prefix, files);
    var top = hits.slice(0, MAX);
    var ready = true;
    top.forEach(function (hit) {
      var n = Math.floor(hit.item / meta.group);
      if (!fragments[n]) { ready = false; need("search/f/" + n + ".js"); }
    });
    if (!ready) return;
    var key = text + "\n" + hits.length;
    if (shown === key) return;
    shown = key;
    render(top, query, hits.length);
  }

  /* Appends `text` to `parent`, each word that begins with a query word in <mark>. */
  function marked(parent, text, query) {
    var at = 0, match;
    WORD.lastIndex = 0;
    while ((match = WORD.exec(text))) {
      var w = norm(match[0]);
      var hit = query.some(function (q) { return w.lastIndexOf(q, 0) === 0; });
      if (!hit) continue;
      parent.appendChild(document.createTextNode(text.slice(at, match.index)));
      var mark = document.createElement("mark");
      mark.textContent = match[0];
      parent.appendChild(mark);
      at = match.index + match[0].length;
    }
    parent.appendChild(document.createTextNode(text.slice(at)));
  }

  function firstMatch(text, query) {
    var match;
    WORD.lastIndex = 0;
    while ((match = WORD.exec(text))) {
      var w = norm(match[0]);
      if (query.some(function (q) { return w.lastIndexOf(q, 0) === 0; })) return match.index;
    }
    return -1;
  }

  /* The summary when it holds a query word (or the body does not), else a
     window of the body around its first match. */
  function snippet(summary, body, query) {
    if (summary && (firstMatch(summary, query) >= 0 || firstMatch(body, query) < 0)) return summary;
    var at = Math.max(firstMatch(body, query), 0);
    var start = at > SNIPPET / 3 ? body.indexOf(" ", at - SNIPPET / 3) + 1 : 0;
    var end = start + SNIPPET < body.length ? body.lastIndexOf(" ", start + SNIPPET) : body.length;
    if (end <= at) end = Math.min(body.length, start + SNIPPET);
    return (start > 0 ? "…" : "") + body.slice(start, end) + (end < body.length ? "…" : "");
  }

  function render(top, query, count) {
    list.textContent = "";
    top.forEach(function (hit) {
      var e = fragments[Math.floor(hit.item / meta.group)][hit.item % meta.group];
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = root + e[1];
      var title = document.createElement("span");
      title.className = "search-title";
      marked(title, e[0], query);
      var kind = document.createElement("span");
      kind.className = "search-kind";
      kind.textContent = e[2];
      a.appendChild(title);
      a.appendChild(kind);
      var text = snippet(e[3], e[4], query);
      if (text) {
        var summary = document.createElement("span");
        summary.className = "search-summary";
        marked(summary, text, query);
        a.appendChild(summary);
      }
      li.appendChild(a);
      list.appendChild(li);
    });
    show(count === 0 ? "No items match." : count > MAX ? count + " items match; the first " + MAX + " are shown."
      : count + (count === 1 ? " item matches." : " items match."));
  }

  function show(message) {
    status.textContent = message;
    panel.hidden = false;
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

  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  box.hidden = false;
  input.setAttribute("aria-keyshortcuts", "/ Control+K");
  // The key hint only where there is a keyboard to press it on.
  if (window.matchMedia && window.matchMedia("(hover: hover) and (pointer: fine)").matches) {
    input.placeholder = "Search items… (/)";
  }
  input.addEventListener("focus", function () { if (!meta) need("search/meta.js"); });
  input.addEventListener("input", function () {
    typed = Date.now();
    update();
  });
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
  /* `/` or Ctrl+K (⌘K) from anywhere on the page, unless typing elsewhere. */
  document.addEventListener("keydown", function (event) {
    var slash = event.key === "/" && !event.ctrlKey && !event.metaKey && !event.altKey && !typing(event.target);
    var k = (event.ctrlKey || event.metaKey) && !event.altKey && (event.key === "k" || event.key === "K");
    if (!slash && !k) return;
    event.preventDefault();
    input.focus();
    input.select();
  });
  document.addEventListener("click", function (event) {
    if (!box.contains(event.target)) panel.hidden = true;
  });
  input.addEventListener("focus", function () {
    if (input.value.trim()) { shown = null; update(); }
  });
})();
