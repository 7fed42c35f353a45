/* portalgen search: the header box (results as you type) and the results
   page (/search/, facets, state in the URL).

   The index is prebuilt (see search/manifest.js): term shards are grafted
   into empty elasticlunr.js indexes as queries need them, so the client
   ranks exactly as elasticlunr.js does on the whole index, while
   downloading only a few small files. Every file is a script calling
   PORTALGEN_SEARCH_LOAD, so that search also works from file://.
   Exposes window.PortalgenSearch for the tests (and Node, see engine()). */
(function (global) {
  "use strict";

  // ------------------------------------------------------------ engine
  // Pure search logic: no DOM. `loadScript(path, done)` fetches a file of
  // the index relative to the site root.
  function Engine(lunr, loadScript) {
    this.lunr = lunr;
    this.loadScript = loadScript;
    this.files = {};
    this.waiting = {};
    this.manifest = null;
  }

  Engine.prototype.received = function (name, data) {
    this.files[name] = data;
    var callbacks = this.waiting[name] || [];
    delete this.waiting[name];
    callbacks.forEach(function (cb) { cb(data); });
  };

  // Loads search/<name>.js once; `done(data)` (null when it failed).
  Engine.prototype.file = function (name, done) {
    var self = this;
    if (Object.prototype.hasOwnProperty.call(this.files, name)) { done(this.files[name]); return; }
    if (this.waiting[name]) { this.waiting[name].push(done); return; }
    this.waiting[name] = [done];
    this.loadScript("search/" + name + ".js", function (ok) {
      if (!ok && self.waiting[name]) { self.received(name, null); delete self.files[name]; }
    });
  };

  Engine.prototype.files_ = function (names, done) {
    var left = names.length;
    var out = [];
    if (!left) { done(out); return; }
    names.forEach(function (name, i) {
      this.file(name, function (data) { out[i] = data; left -= 1; if (!left) { done(out); } });
    }, this);
  };

  Engine.prototype.ready = function (done) {
    var self = this;
    if (this.manifest) { done(this); return; }
    this.file("manifest", function (m) {
      if (!m) { done(null); return; }
      if (!self.manifest) {
        self.manifest = m;
        self.entities = self.part(m.entities, "e");
        self.docs = self.part(m.docs, "d");
      }
      done(self);
    });
  };

  Engine.prototype.part = function (spec, dir) {
    var lunr = this.lunr;
    var idx = lunr(function () {
      var index = this;
      spec.fields.forEach(function (f) { index.addField(f[0]); });
      this.setRef("id");
      this.saveDocument(false);
    });
    // Norms are baked into the shards' frequencies; idf needs only N.
    idx.documentStore.length = spec.n;
    var fields = {};
    spec.fields.forEach(function (f) { fields[f[0]] = { boost: f[1], bool: "OR", expand: true }; });
    var config = new lunr.Configuration(JSON.stringify({ fields: fields, bool: "OR", expand: true }), idx.getFields()).get();
    // elasticlunr.js looks each posting's term up from the root again;
    // remembering the last term's node gives the same answers, faster.
    spec.fields.forEach(function (f) {
      var inverted = idx.index[f[0]];
      var lastToken = null;
      var lastNode = null;
      inverted.forget = function () { lastToken = null; lastNode = null; };
      inverted.getTermFrequency = function (token, docRef) {
        if (token !== lastToken) { lastToken = token; lastNode = this.getNode(token); }
        if (lastNode == null || !(docRef in lastNode.docs)) { return 0; }
        return lastNode.docs[docRef].tf;
      };
    });
    return { spec: spec, dir: dir, idx: idx, config: config, keys: Object.keys(spec.shards), grafted: {}, capped: {} };
  };

  // Query terms as elasticlunr.js makes them, without too-short ones.
  Engine.prototype.tokens = function (query) {
    var min = this.manifest ? this.manifest.min : 2;
    var seen = {};
    return this.lunr.stemmer && this.entities ? this.entities.idx.pipeline.run(this.lunr.tokenizer(query)).filter(function (t) {
      if (t.length < min || seen[t]) { return false; }
      seen[t] = true;
      return true;
    }) : [];
  };

  function shardKeys(part, tokens) {
    return part.keys.filter(function (k) {
      return tokens.some(function (t) { return t.indexOf(k) === 0 || k.indexOf(t) === 0; });
    });
  }

  // Children in sorted order, as in elasticlunr's own trie: prefix
  // expansion sums scores in child order, and so must agree with it.
  function sortChildren(node) {
    var keys = Object.keys(node).filter(function (k) { return k !== "docs" && k !== "df"; }).sort();
    keys.forEach(function (k) { var child = node[k]; delete node[k]; node[k] = child; });
  }

  function graft(part, key, shard) {
    if (part.grafted[key]) { return; }
    part.grafted[key] = true;
    var names = part.spec.fields.map(function (f) { return f[0]; });
    var values = shard.v;
    shard.t.forEach(function (entry) {
      var term = entry[0];
      for (var i = 1; i < entry.length; i += 2) {
        // [field, document frequency]: only the best postings are shipped.
        var capped = typeof entry[i] !== "number";
        var field = capped ? entry[i][0] : entry[i];
        if (capped) { part.capped[term] = true; }
        var node = part.idx.index[names[field]].root;
        for (var c = 0; c < term.length; c += 1) {
          var ch = term.charAt(c);
          if (!node[ch]) { node[ch] = { docs: {}, df: 0 }; }
          node = node[ch];
        }
        var list = entry[i + 1];
        var docs = {};
        var id = 0;
        for (var k = 0; k < list.length; k += 2) {
          id += list[k];
          docs[id] = { tf: values[list[k + 1]] };
        }
        node.docs = docs;
        node.df = capped ? entry[i][1] : list.length / 2;
      }
    });
    names.forEach(function (name) {
      var node = part.idx.index[name].root;
      sortChildren(node);
      for (var c = 0; c < key.length && node; c += 1) {
        node = node[key.charAt(c)];
        if (node) { sortChildren(node); }
      }
    });
    part.idx._idfCache = {};
    names.forEach(function (name) { part.idx.index[name].forget(); });
  }

  // Loads the shards `tokens` need in `part`, then calls done().
  Engine.prototype.prepare = function (part, tokens, done) {
    var keys = shardKeys(part, tokens).filter(function (k) { return !part.grafted[k]; });
    var names = keys.map(function (k) { return part.dir + "/" + part.spec.shards[k]; });
    this.files_(names, function (shards) {
      // Sorted, so the trie is the same whatever order files arrived in.
      var order = keys.map(function (k, i) { return i; }).sort(function (a, b) { return keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : 0; });
      order.forEach(function (i) { if (shards[i]) { graft(part, keys[i], shards[i]); } });
      done();
    });
  };

  // elasticlunr's Index.search, for tokens already through the pipeline.
  function rank(part, tokens) {
    if (!tokens.length) { return []; }
    var idx = part.idx;
    var results = {};
    for (var field in part.config) {
      var scores = idx.fieldSearch(tokens, field, part.config);
      var boost = part.config[field].boost;
      for (var ref in scores) { scores[ref] = scores[ref] * boost; }
      for (ref in scores) {
        if (ref in results) { results[ref] += scores[ref]; } else { results[ref] = scores[ref]; }
      }
    }
    var list = [];
    for (ref in results) { list.push({ ref: ref, score: results[ref] }); }
    list.sort(function (a, b) { return b.score - a.score; });
    return list;
  }

  function partial(part, tokens) {
    for (var term in part.capped) {
      if (tokens.some(function (t) { return term.indexOf(t) === 0; })) { return true; }
    }
    return false;
  }

  // Every hit of `query` in entities and docs: done({tokens, entities, docs}).
  Engine.prototype.search = function (query, done) {
    var self = this;
    this.ready(function (engine) {
      if (!engine) { done(null); return; }
      var tokens = self.tokens(query);
      var left = 2;
      var finish = function () {
        left -= 1;
        if (left) { return; }
        done({
          tokens: tokens,
          entities: rank(self.entities, tokens),
          docs: rank(self.docs, tokens),
          // Some matching docs were left out of the shards: counts are "at least".
          partial: { entities: partial(self.entities, tokens), docs: partial(self.docs, tokens) }
        });
      };
      self.prepare(self.entities, tokens, finish);
      self.prepare(self.docs, tokens, finish);
    });
  };

  // Display records of document ids in `part`: done([record…]).
  Engine.prototype.records = function (part, ids, done) {
    var size = this.manifest.bucket;
    var group = this.manifest.group;
    var buckets = [];
    ids.forEach(function (id) { var b = Math.floor(id / size); if (buckets.indexOf(b) < 0) { buckets.push(b); } });
    var names = buckets.map(function (b) { return "r/" + part.spec.records[Math.floor(b / group)] + "-" + b; });
    this.files_(names, function (files) {
      done(ids.map(function (id) {
        var file = files[buckets.indexOf(Math.floor(id / size))];
        return file ? file[id % size] : null;
      }));
    });
  };

  Engine.prototype.facets = function (done) {
    this.file(this.manifest.facets, done);
  };

  // ------------------------------------------------------------ text
  var ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" };
  function esc(text) {
    return String(text == null ? "" : text).replace(/[&<>"']/g, function (c) { return ESCAPES[c]; });
  }

  // `text` with the words that match a query term (by prefix, after
  // stemming, as the index matches them) in <mark>.
  function highlight(engine, text, tokens) {
    if (!tokens.length) { return esc(text); }
    var pipeline = engine.entities.idx.pipeline;
    return String(text).split(/([\s\-]+)/).map(function (word, i) {
      if (i % 2 === 1 || !word) { return esc(word); }
      var term = pipeline.run([word.toLowerCase()])[0];
      var hit = term && tokens.some(function (t) { return term.indexOf(t) === 0; });
      return hit ? "<mark>" + esc(word) + "</mark>" : esc(word);
    }).join("");
  }

  global.PortalgenSearch = { Engine: Engine, rank: rank, highlight: highlight };

  // ------------------------------------------------------------ browser
  if (typeof document === "undefined") { return; }
  var body = document.body;
  var root = body.getAttribute("data-root") || "./";

  function loadScript(src, done) {
    var s = document.createElement("script");
    s.src = src;
    s.async = true;
    s.onload = function () { done(true); };
    s.onerror = function () { done(false); };
    document.head.appendChild(s);
  }
  var engine = null;
  var starting = null; // callbacks waiting for elasticlunr.js
  function withEngine(done) {
    if (engine) { engine.ready(done); return; }
    if (starting) { starting.push(done); return; }
    starting = [done];
    var start = function () {
      engine = new Engine(global.elasticlunr, function (path, cb) { loadScript(root + path, cb); });
      global.PORTALGEN_SEARCH_LOAD = function (name, data) { engine.received(name, data); };
      starting.splice(0).forEach(function (cb) { engine.ready(cb); });
    };
    if (global.elasticlunr) { start(); return; }
    loadScript(root + "static/js/elasticlunr.min.js", function (ok) {
      if (ok && global.elasticlunr) { start(); return; }
      var waiting = starting;
      starting = null;
      waiting.forEach(function (cb) { cb(null); });
    });
  }

  function catalogUrl() {
    var form = document.getElementById("site-search");
    return (form && form.form && form.form.getAttribute("action")) || root + "catalog/";
  }
  function pageUrl(query) {
    var form = document.getElementById("site-search");
    var page = form && form.form && form.form.getAttribute("data-search-url");
    return (page || root + "search/") + (query ? "?q=" + encodeURIComponent(query) : "");
  }

  function badges(kind, type, owner) {
    return (kind ? "<span class=\"badge kind\">" + esc(kind) + "</span> " : "") +
      (type ? "<span class=\"hit-meta\">" + esc(type) + "</span> " : "") +
      (owner ? "<span class=\"hit-meta\">owner: " + esc(owner) + "</span>" : "");
  }
  // [url, title, kind, type, owner, description, ref, tags]
  function entityHit(e, r, tokens, attrs) {
    var tags = (r[7] || []).map(function (t) { return "<span class=\"tag\">" + highlight(e, t, tokens) + "</span>"; }).join(" ");
    return "<a class=\"hit\" href=\"" + esc(root + r[0]) + "\"" + (attrs || "") + ">" +
      "<span class=\"hit-title\">" + highlight(e, r[1], tokens) + "</span> " + badges(r[2], r[3], r[4]) + tags +
      (r[5] ? "<span class=\"hit-snippet\">" + highlight(e, r[5], tokens) + "</span>" : "") + "</a>";
  }
  // [url, page title, heading, entity title, kind, type, owner, snippet]
  function docsHit(e, r, tokens, attrs) {
    var title = r[2] && r[2] !== r[1] ? r[1] + " › " + r[2] : r[1];
    return "<a class=\"hit\" href=\"" + esc(root + r[0]) + "\"" + (attrs || "") + ">" +
      "<span class=\"hit-title\">" + highlight(e, title, tokens) + "</span> " +
      "<span class=\"hit-meta\">" + esc(r[3]) + "</span> " + badges(r[4], r[5], r[6]) +
      (r[7] ? "<span class=\"hit-snippet\">" + highlight(e, r[7], tokens) + "</span>" : "") + "</a>";
  }

  // --------------------------------------------------------- header box
  var box = document.getElementById("site-search");
  if (box && box.form) {
    var form = box.form;
    var popup = document.createElement("div");
    popup.id = "site-search-popup";
    popup.className = "search-popup";
    popup.setAttribute("role", "listbox");
    popup.setAttribute("aria-label", "Search results");
    popup.hidden = true;
    form.appendChild(popup);
    var live = document.createElement("p");
    live.className = "visually-hidden";
    live.setAttribute("role", "status");
    live.setAttribute("aria-live", "polite");
    form.appendChild(live);
    box.setAttribute("role", "combobox");
    box.setAttribute("aria-autocomplete", "list");
    box.setAttribute("aria-expanded", "false");
    box.setAttribute("aria-controls", popup.id);
    box.setAttribute("placeholder", "Search the catalog and docs");
    var label = form.querySelector("label[for=site-search]");
    if (label) { label.textContent = "Search the catalog and docs"; }

    var serial = 0;
    var active = -1;
    var options = function () { return popup.querySelectorAll("[role=option]"); };
    var setActive = function (n) {
      var list = options();
      if (!list.length) { active = -1; return; }
      active = (n + list.length) % list.length;
      Array.prototype.forEach.call(list, function (o, i) { o.setAttribute("aria-selected", String(i === active)); });
      box.setAttribute("aria-activedescendant", list[active].id);
      list[active].scrollIntoView({ block: "nearest" });
    };
    var close = function () {
      popup.hidden = true;
      box.setAttribute("aria-expanded", "false");
      box.removeAttribute("aria-activedescendant");
      active = -1;
    };
    var show = function (html) {
      popup.innerHTML = html;
      popup.hidden = false;
      box.setAttribute("aria-expanded", "true");
      box.removeAttribute("aria-activedescendant");
      active = -1;
    };
    var update = function () {
      var query = box.value.trim();
      var mine = ++serial;
      if (!query) { close(); live.textContent = ""; return; }
      withEngine(function (e) {
        if (mine !== serial) { return; }
        if (!e) { show("<p class=\"search-note\">The search index could not be loaded.</p>"); return; }
        e.search(query, function (res) {
          if (mine !== serial || !res) { return; }
          var ents = res.entities.slice(0, 6).map(function (h) { return +h.ref; });
          var docs = res.docs.slice(0, 4).map(function (h) { return +h.ref; });
          e.records(e.entities, ents, function (er) {
            e.records(e.docs, docs, function (dr) {
              if (mine !== serial) { return; }
              var n = 0;
              var opt = function () { n += 1; return " role=\"option\" id=\"ssp-" + n + "\" aria-selected=\"false\""; };
              var html = [];
              if (!res.tokens.length) {
                html.push("<p class=\"search-note\">Type at least two letters of a word.</p>");
              } else if (!ents.length && !docs.length) {
                html.push("<p class=\"search-note\">Nothing matches “" + esc(query) + "”. Try fewer or shorter words.</p>");
              }
              if (ents.length) {
                html.push("<div role=\"group\" aria-labelledby=\"ssp-catalog\"><p class=\"search-group\" id=\"ssp-catalog\" role=\"presentation\">Catalog <span class=\"count\">" + res.entities.length + "</span></p>");
                er.forEach(function (r) { if (r) { html.push(entityHit(e, r, res.tokens, opt())); } });
                html.push("</div>");
              }
              if (docs.length) {
                html.push("<div role=\"group\" aria-labelledby=\"ssp-docs\"><p class=\"search-group\" id=\"ssp-docs\" role=\"presentation\">Docs <span class=\"count\">" + res.docs.length + (res.partial.docs ? "+" : "") + "</span></p>");
                dr.forEach(function (r) { if (r) { html.push(docsHit(e, r, res.tokens, opt())); } });
                html.push("</div>");
              }
              html.push("<a class=\"hit hit-all\" href=\"" + esc(pageUrl(query)) + "\"" + opt() + ">All results for “" + esc(query) + "” <span class=\"hit-meta\">Enter</span></a>");
              show(html.join(""));
              live.textContent = res.entities.length + " catalog and " + res.docs.length + " docs results.";
            });
          });
        });
      });
    };
    var timer = null;
    box.addEventListener("focus", function () { withEngine(function () {}); });
    box.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(update, 60); });
    box.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (popup.hidden) { update(); return; }
        event.preventDefault();
        setActive(active + (event.key === "ArrowDown" ? 1 : -1));
      } else if (event.key === "Escape") {
        if (!popup.hidden) { event.preventDefault(); close(); } else { box.value = ""; }
      }
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var list = options();
      if (active >= 0 && list[active]) { window.location.href = list[active].href; return; }
      window.location.href = pageUrl(box.value.trim());
    });
    popup.addEventListener("mousedown", function (event) { event.preventDefault(); });
    box.addEventListener("blur", function () { setTimeout(close, 0); });
  }

  // -------------------------------------------------------- results page
  var page = document.querySelector("[data-search-page]");
  if (!page) { return; }
  var pageForm = page.querySelector("form");
  var input = document.getElementById("search-q");
  var layout = page.querySelector("[data-search-layout]");
  var facetsBox = page.querySelector("[data-facets]");
  var statusEl = page.querySelector("[data-search-status]");
  var resultsEl = page.querySelector("[data-search-results]");
  var FACETS = [
    { key: "kind", label: "Kind" },
    { key: "type", label: "Type" },
    { key: "owner", label: "Owner", titled: true, typeahead: true },
    { key: "lifecycle", label: "Lifecycle" },
    { key: "tag", label: "Tags", typeahead: true },
    { key: "system", label: "System", titled: true, typeahead: true }
  ];
  var PAGE = 10;
  var state = { q: "", filters: {}, shown: { entities: PAGE, docs: PAGE }, find: {} };
  layout.hidden = false;

  function readUrl() {
    var params = new URLSearchParams(window.location.search);
    state.q = params.get("q") || "";
    state.filters = {};
    FACETS.forEach(function (f) { var v = params.getAll(f.key); if (v.length) { state.filters[f.key] = v; } });
    input.value = state.q;
  }
  function writeUrl() {
    var params = new URLSearchParams();
    if (state.q) { params.set("q", state.q); }
    FACETS.forEach(function (f) { (state.filters[f.key] || []).forEach(function (v) { params.append(f.key, v); }); });
    var query = params.toString();
    var url = window.location.pathname + (query ? "?" + query : "");
    try { window.history.replaceState(null, "", url); } catch (e) { /* file:// may refuse */ }
  }

  var facetData = null;
  var sectionEntity = null;
  function prepareFacets(f) {
    facetData = f;
    var n = engine.manifest.docs.n;
    sectionEntity = new Int32Array(n);
    var at = 0;
    var entity = 0;
    f.sections.forEach(function (run) {
      var e = run[0] < 0 ? -1 : (entity += run[0]);
      for (var i = 0; i < run[1]; i += 1) { sectionEntity[at++] = e; }
    });
  }
  function valueName(f, i) {
    var v = facetData.values[f.key][i];
    return f.titled ? v[0] : v;
  }
  function valueLabel(f, i) {
    var v = facetData.values[f.key][i];
    return f.titled ? (v[1] || v[0].slice(v[0].lastIndexOf("/") + 1)) : v;
  }
  // The values of entity `id` for facet `f` (owners with their parent groups).
  function entityValues(f, id) {
    if (id < 0) { return []; }
    var col = facetData.entity[f.key];
    if (f.key === "tag") { return col[id]; }
    var v = col[id];
    if (v < 0) { return []; }
    if (f.key !== "owner") { return [v]; }
    var out = [];
    for (var depth = 0; v >= 0 && depth < 32 && out.indexOf(v) < 0; depth += 1) { out.push(v); v = facetData.owner_parent[v]; }
    return out;
  }
  function selectedSets() {
    var sets = {};
    FACETS.forEach(function (f) {
      var chosen = state.filters[f.key];
      if (!chosen || !chosen.length) { return; }
      var set = {};
      facetData.values[f.key].forEach(function (v, i) { if (chosen.indexOf(f.titled ? v[0] : v) >= 0) { set[i] = true; } });
      sets[f.key] = set;
    });
    return sets;
  }
  function passes(sets, id, except) {
    for (var i = 0; i < FACETS.length; i += 1) {
      var f = FACETS[i];
      if (f.key === except || !sets[f.key]) { continue; }
      if (!entityValues(f, id).some(function (v) { return sets[f.key][v]; })) { return false; }
    }
    return true;
  }

  function render(res) {
    if (!facetData) { renderPlain(res); return; }
    var sets = selectedSets();
    var filtered = Object.keys(sets).length > 0;
    var entityIds = res.entities.map(function (h) { return +h.ref; });
    var docIds = res.docs.map(function (h) { return +h.ref; });
    var ents = entityIds.filter(function (id) { return passes(sets, id, null); });
    var docs = docIds.filter(function (id) { return passes(sets, sectionEntity[id], null); });
    // Counts for each facet over the results filtered by the other facets.
    var counts = {};
    FACETS.forEach(function (f) {
      var c = {};
      var add = function (entity) { entityValues(f, entity).forEach(function (v) { c[v] = (c[v] || 0) + 1; }); };
      entityIds.forEach(function (id) { if (passes(sets, id, f.key)) { add(id); } });
      docIds.forEach(function (id) { var e = sectionEntity[id]; if (passes(sets, e, f.key)) { add(e); } });
      counts[f.key] = c;
    });
    renderFacets(counts, sets);
    var total = ents.length + docs.length;
    var msg;
    if (!state.q && !filtered) {
      msg = "Type words to search the catalog and its docs, or pick filters to list entities.";
    } else if (state.q && !res.tokens.length) {
      msg = "Type at least two letters of a word.";
    } else if (!total) {
      msg = "No results for “" + state.q + "”" + (filtered ? " with these filters." : ".");
    } else {
      msg = ents.length + (ents.length === 1 ? " catalog entity" : " catalog entities") + " and " +
        docs.length + (res.partial && res.partial.docs ? "+" : "") + (docs.length === 1 ? " docs section" : " docs sections") + " match" + (state.q ? " “" + state.q + "”" : "") + ".";
    }
    statusEl.textContent = msg;
    var html = [];
    if (!total && filtered) {
      var unfiltered = entityIds.length + docIds.length;
      html.push("<div class=\"card search-help\"><p>" + (unfiltered ? unfiltered + " results without the filters." : "Nothing matches even without the filters.") + "</p><ul class=\"actions\">");
      FACETS.forEach(function (f) {
        if (!sets[f.key]) { return; }
        var n = entityIds.filter(function (id) { return passes(sets, id, f.key); }).length +
          docIds.filter(function (id) { return passes(sets, sectionEntity[id], f.key); }).length;
        html.push("<li><button type=\"button\" class=\"action\" data-drop=\"" + esc(f.key) + "\">Drop the " + esc(f.label.toLowerCase()) + " filter (" + n + ")</button></li>");
      });
      html.push("<li><button type=\"button\" class=\"action\" data-drop=\"*\">Clear all filters</button></li></ul></div>");
    } else if (!total && state.q && res.tokens.length) {
      html.push("<div class=\"card search-help\"><p>Try fewer or shorter words (“pay” also finds “payments”), or <a href=\"" + esc(catalogUrl()) + "\">browse the catalog</a>.</p></div>");
    }
    html.push("<div data-list=\"entities\"></div><div data-list=\"docs\"></div>");
    resultsEl.innerHTML = html.join("");
    list("entities", "Catalog", ents, engine.entities, entityHit, res.tokens);
    list("docs", "Docs", docs, engine.docs, docsHit, res.tokens, res.partial && res.partial.docs);
  }

  // Results before the facet file has arrived (it is the largest file).
  function renderPlain(res) {
    var ents = res.entities.map(function (h) { return +h.ref; });
    var docs = res.docs.map(function (h) { return +h.ref; });
    statusEl.textContent = !res.tokens.length ? "Type at least two letters of a word." :
      ents.length + docs.length ? ents.length + " catalog entities and " + docs.length + (res.partial.docs ? "+" : "") + " docs sections match “" + state.q + "”." :
      "No results for “" + state.q + "”.";
    resultsEl.innerHTML = "<div data-list=\"entities\"></div><div data-list=\"docs\"></div>";
    list("entities", "Catalog", ents, engine.entities, entityHit, res.tokens);
    list("docs", "Docs", docs, engine.docs, docsHit, res.tokens, res.partial.docs);
  }

  function list(which, title, ids, part, hit, tokens, more) {
    var el = resultsEl.querySelector("[data-list=" + which + "]");
    if (!ids.length) { el.innerHTML = ""; return; }
    var shown = ids.slice(0, state.shown[which]);
    engine.records(part, shown, function (records) {
      var html = ["<section class=\"hits\" aria-labelledby=\"hits-" + which + "\"><h2 id=\"hits-" + which + "\">" + title +
        " <span class=\"count\">" + ids.length + (more ? "+" : "") + "</span></h2><ol class=\"hit-list\">"];
      records.forEach(function (r) { if (r) { html.push("<li>" + hit(engine, r, tokens) + "</li>"); } });
      html.push("</ol>");
      if (ids.length > shown.length) {
        html.push("<p class=\"more\"><button type=\"button\" class=\"button button-quiet\" data-more=\"" + which + "\">Show " +
          Math.min(PAGE, ids.length - shown.length) + " more (" + shown.length + " of " + ids.length + " shown)</button></p>");
      }
      html.push("</section>");
      el.innerHTML = html.join("");
    });
  }

  function renderFacets(counts, sets) {
    var focused = document.activeElement && facetsBox.contains(document.activeElement) ? document.activeElement.id : null;
    var html = ["<h2 class=\"visually-hidden\" id=\"facets-title\">Filters</h2>"];
    FACETS.forEach(function (f) {
      var c = counts[f.key];
      var chosen = sets[f.key] || {};
      var values = facetData.values[f.key].map(function (v, i) { return i; })
        .filter(function (i) { return c[i] || chosen[i]; })
        .sort(function (a, b) { return (c[b] || 0) - (c[a] || 0) || (valueLabel(f, a) < valueLabel(f, b) ? -1 : 1); });
      if (!values.length) { return; }
      var find = (state.find[f.key] || "").toLowerCase();
      var limit = f.typeahead ? 8 : 50;
      var matching = values.filter(function (i) { return chosen[i] || !find || valueLabel(f, i).toLowerCase().indexOf(find) >= 0 || valueName(f, i).toLowerCase().indexOf(find) >= 0; });
      var visible = matching.filter(function (i, n) { return chosen[i] || n < limit; });
      html.push("<fieldset class=\"facet\"><legend>" + esc(f.label) + "</legend>");
      if (f.typeahead && values.length > limit) {
        html.push("<label class=\"visually-hidden\" for=\"find-" + f.key + "\">Find a " + esc(f.label.toLowerCase()) + "</label>" +
          "<input class=\"facet-find\" id=\"find-" + f.key + "\" type=\"search\" autocomplete=\"off\" data-find=\"" + f.key + "\" placeholder=\"Find among " + values.length + "…\" value=\"" + esc(state.find[f.key] || "") + "\">");
      }
      html.push("<ul>");
      visible.forEach(function (i) {
        var id = "facet-" + f.key + "-" + i;
        html.push("<li><input type=\"checkbox\" id=\"" + id + "\" data-facet=\"" + f.key + "\" value=\"" + esc(valueName(f, i)) + "\"" + (chosen[i] ? " checked" : "") + ">" +
          "<label for=\"" + id + "\"" + (f.titled ? " title=\"" + esc(valueName(f, i)) + "\"" : "") + ">" + esc(valueLabel(f, i)) + "</label> <span class=\"count\">" + (c[i] || 0) + "</span></li>");
      });
      html.push("</ul>");
      if (matching.length > visible.length) { html.push("<p class=\"facet-more muted\">" + (matching.length - visible.length) + " more: type to find them.</p>"); }
      html.push("</fieldset>");
    });
    facetsBox.innerHTML = html.join("");
    if (focused) {
      var again = document.getElementById(focused);
      if (again) {
        again.focus();
        if (again.type === "search") { var end = again.value.length; again.setSelectionRange(end, end); }
      }
    }
  }

  var last = null;
  var serialPage = 0;
  function run() {
    var mine = ++serialPage;
    writeUrl();
    statusEl.textContent = "Searching…";
    withEngine(function (e) {
      if (!e) { statusEl.textContent = "The search index could not be loaded."; return; }
      var browse = function () {
        // Filters without words list entities, in catalog order.
        var all = [];
        for (var i = 0; i < e.manifest.entities.n; i += 1) { all.push({ ref: String(i), score: 0 }); }
        return { tokens: [], entities: Object.keys(selectedSets()).length ? all : [], docs: [], partial: {} };
      };
      var go = function () {
        if (!state.q.trim()) { last = browse(); render(last); return; }
        e.search(state.q, function (res) {
          if (mine !== serialPage || !res) { return; }
          last = res;
          render(res);
        });
      };
      // Words alone show their results at once; the facets follow.
      var needFacets = !facetData && (Object.keys(state.filters).length > 0 || !state.q.trim());
      if (!facetData) {
        e.facets(function (f) {
          if (!f) { if (needFacets) { statusEl.textContent = "The search index could not be loaded."; } return; }
          if (!facetData) { prepareFacets(f); }
          if (needFacets) { go(); } else if (last && mine === serialPage) { render(last); }
        });
      }
      if (!needFacets) { go(); }
    });
  }

  pageForm.addEventListener("submit", function (event) {
    event.preventDefault();
    state.q = input.value.trim();
    state.shown = { entities: PAGE, docs: PAGE };
    run();
  });
  var typing = null;
  input.addEventListener("input", function () {
    clearTimeout(typing);
    typing = setTimeout(function () { state.q = input.value.trim(); state.shown = { entities: PAGE, docs: PAGE }; run(); }, 150);
  });
  facetsBox.addEventListener("change", function (event) {
    var t = event.target;
    if (!t.getAttribute("data-facet")) { return; }
    var key = t.getAttribute("data-facet");
    var chosen = state.filters[key] || [];
    chosen = chosen.filter(function (v) { return v !== t.value; });
    if (t.checked) { chosen.push(t.value); }
    if (chosen.length) { state.filters[key] = chosen; } else { delete state.filters[key]; }
    state.shown = { entities: PAGE, docs: PAGE };
    if (last && state.q) { writeUrl(); render(last); } else { run(); }
  });
  facetsBox.addEventListener("input", function (event) {
    var key = event.target.getAttribute("data-find");
    if (!key) { return; }
    state.find[key] = event.target.value;
    if (last) { render(last); }
  });
  resultsEl.addEventListener("click", function (event) {
    var t = event.target.closest ? event.target.closest("button") : null;
    if (!t) { return; }
    var more = t.getAttribute("data-more");
    var drop = t.getAttribute("data-drop");
    if (more) {
      var before = state.shown[more];
      state.shown[more] += PAGE;
      var ids = null;
      render(last);
      setTimeout(function () {
        var items = resultsEl.querySelectorAll("[data-list=" + more + "] li a");
        if (items[before]) { items[before].focus(); }
      }, 50);
      return ids;
    }
    if (drop) {
      if (drop === "*") { state.filters = {}; } else { delete state.filters[drop]; }
      writeUrl();
      if (state.q) { render(last); } else { run(); }
    }
  });

  readUrl();
  run();
})(typeof window !== "undefined" ? window : globalThis);
