/* portalgen default theme: theme toggle, navigation drawer, catalog filters.
   Every page works without this script; it only adds to the static pages.
   No dependencies; the catalog data is a script (catalog/_data/entities.js)
   so that filtering also works from file://. */
(function () {
  "use strict";
  var doc = document.documentElement;
  var KEY = "portalgen-theme";
  var darkQuery = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;

  // Theme toggle: follows the system setting until the reader picks one.
  var toggle = document.querySelector(".theme-toggle");
  function isDark() {
    var chosen = doc.getAttribute("data-theme");
    return chosen ? chosen === "dark" : !!(darkQuery && darkQuery.matches);
  }
  function showTheme() {
    if (toggle) { toggle.setAttribute("aria-pressed", String(isDark())); }
  }
  if (toggle) {
    toggle.hidden = false;
    showTheme();
    toggle.addEventListener("click", function () {
      var next = isDark() ? "light" : "dark";
      doc.setAttribute("data-theme", next);
      try { localStorage.setItem(KEY, next); } catch (e) { /* storage refused: this page only */ }
      showTheme();
    });
    if (darkQuery && darkQuery.addEventListener) { darkQuery.addEventListener("change", showTheme); }
  }

  // Navigation drawer on small screens (CSS shows the button only there).
  var navToggle = document.querySelector(".nav-toggle");
  var nav = document.getElementById("sidenav");
  function setNav(open) {
    navToggle.setAttribute("aria-expanded", String(open));
    nav.classList.toggle("open", open);
  }
  if (navToggle && nav) {
    navToggle.hidden = false;
    navToggle.addEventListener("click", function () {
      var open = navToggle.getAttribute("aria-expanded") !== "true";
      setNav(open);
      if (open) { var first = nav.querySelector("a"); if (first) { first.focus(); } }
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && nav.classList.contains("open")) { setNav(false); navToggle.focus(); }
    });
  }

  // "/" focuses the search box.
  var searchBox = document.getElementById("site-search");
  document.addEventListener("keydown", function (event) {
    var t = event.target;
    var typing = t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable);
    if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey && searchBox) {
      event.preventDefault();
      searchBox.focus();
      searchBox.select();
    }
  });

  // ----------------------------------------------------------- catalog
  var form = document.querySelector("[data-catalog-filters]");
  if (!form) { return; }
  var root = document.body.getAttribute("data-root") || "./";
  var staticView = document.querySelector("[data-catalog-static]");
  var results = document.querySelector("[data-catalog-results]");
  var status = form.querySelector(".filter-status");
  var fields = Array.prototype.filter.call(form.elements, function (el) { return el.name; });
  var PAGE = 200;
  var shown = PAGE;
  var defaults = {};

  // The catalog data (every entity) is large in big organisations, so it is
  // loaded only when the reader starts filtering or opens a filtered URL; a
  // script element (not fetch) so that it also loads from file://.
  var waiting = [];
  var requested = false;
  function whenData(callback) {
    if (window.PORTALGEN_CATALOG) { callback(window.PORTALGEN_CATALOG); return; }
    waiting.push(callback);
    if (requested) { return; }
    requested = true;
    status.textContent = "Loading the catalog…";
    var script = document.createElement("script");
    script.src = root + "catalog/_data/entities.js";
    script.onload = function () {
      status.textContent = "";
      var data = window.PORTALGEN_CATALOG || [];
      waiting.splice(0).forEach(function (cb) { cb(data); });
    };
    script.onerror = function () {
      requested = false;
      status.textContent = "The catalog data could not be loaded; the table below lists every entity.";
    };
    document.head.appendChild(script);
  }

  var ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" };
  function esc(text) {
    return String(text == null ? "" : text).replace(/[&<>"']/g, function (c) { return ESCAPES[c]; });
  }
  function link(item) {
    if (!item) { return ""; }
    if (item.url == null) {
      return "<span class=\"missing\" title=\"" + esc(item.ref) + " is not in the catalog\">" + esc(item.title) +
        " <span class=\"badge badge-missing\">not in catalog</span></span>";
    }
    return "<a href=\"" + esc(root + item.url) + "\" title=\"" + esc(item.ref) + "\">" + esc(item.title) + "</a>";
  }
  function cell(cls, label, html) {
    return "<td class=\"" + cls + "\" data-label=\"" + label + "\">" + html + "</td>";
  }
  // The same markup as the entity_table macro of macros.html.
  function rowHtml(r) {
    return "<tr data-ref=\"" + esc(r.ref) + "\">" +
      cell("name", "Name", link(r) + (r.namespace && r.namespace !== "default" ? " <span class=\"ns\">" + esc(r.namespace) + "</span>" : "") +
        (r.description ? "<span class=\"row-desc\">" + esc(r.description) + "</span>" : "")) +
      cell("kind-cell", "Kind", "<span class=\"badge kind kind-" + esc(r.kind.toLowerCase()) + "\">" + esc(r.kind) + "</span>") +
      cell("type", "Type", esc(r.type || "")) +
      cell("owner", "Owner", link(r.owner)) +
      cell("lifecycle-cell", "Lifecycle", r.lifecycle ? "<span class=\"lifecycle lifecycle-" + esc(r.lifecycle.toLowerCase()) + "\">" + esc(r.lifecycle) + "</span>" : "") +
      cell("system", "System", link(r.system)) +
      cell("tags", "Tags", (r.tags || []).map(function (t) { return "<span class=\"tag\">" + esc(t) + "</span>"; }).join(" ")) +
      cell("description", "Description", esc(r.description)) + "</tr>";
  }

  function unique(values) {
    var seen = {};
    var out = [];
    for (var i = 0; i < values.length; i += 1) {
      var v = values[i];
      if (v && !Object.prototype.hasOwnProperty.call(seen, v)) { seen[v] = true; out.push(v); }
    }
    return out.sort(function (a, b) { return a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0; });
  }
  function fillSelect(select, list) {
    var value = select.value;
    Array.prototype.slice.call(select.querySelectorAll("option[data-query]")).forEach(function (o) { o.remove(); });
    var frag = document.createDocumentFragment();
    var have = {};
    Array.prototype.forEach.call(select.options, function (o) { have[o.value] = true; });
    list.forEach(function (v) { if (have[v]) { return; } var o = document.createElement("option"); o.value = v; o.textContent = v; frag.appendChild(o); });
    select.appendChild(frag);
    setSelect(select, value);
  }
  // Selects a value, adding it when this catalog does not have it (an old link).
  function setSelect(select, value) {
    if (value && !Array.prototype.some.call(select.options, function (o) { return o.value === value; })) {
      var o = document.createElement("option"); o.value = value; o.textContent = value; o.setAttribute("data-query", "");
      select.appendChild(o);
    }
    select.value = value;
  }
  function fillList(datalist, list) {
    var frag = document.createDocumentFragment();
    list.forEach(function (v) { var o = document.createElement("option"); o.value = v; frag.appendChild(o); });
    datalist.appendChild(frag);
  }

  function values() {
    var v = {};
    fields.forEach(function (el) { v[el.name] = el.value.trim(); });
    return v;
  }
  function readQuery() {
    var params = new URLSearchParams(window.location.search);
    fields.forEach(function (el) {
      if (!params.has(el.name)) { return; }
      var value = params.get(el.name);
      if (el.tagName === "SELECT") { setSelect(el, value); } else { el.value = value; }
    });
    if (searchBox && params.has("q")) { searchBox.value = params.get("q"); }
  }
  // Only what differs from the page's defaults goes into the address.
  function writeQuery(v) {
    var params = new URLSearchParams();
    fields.forEach(function (el) { if (v[el.name] !== (defaults[el.name] || "")) { params.set(el.name, v[el.name]); } });
    var query = params.toString();
    var url = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
    if (url !== window.location.pathname + window.location.search + window.location.hash) {
      try { window.history.replaceState(null, "", url); } catch (e) { /* some file:// setups refuse */ }
    }
  }

  function haystack(r) {
    if (r._hay === undefined) {
      r._hay = [r.name, r.title, r.description, r.ref, r.type, r.owner && r.owner.title, r.system && r.system.title]
        .concat(r.tags || []).join(" ").toLowerCase();
    }
    return r._hay;
  }
  function matches(r, v, words) {
    if (v.kind && r.kind !== v.kind) { return false; }
    if (v.type && r.type !== v.type) { return false; }
    if (v.lifecycle && r.lifecycle !== v.lifecycle) { return false; }
    if (v.namespace && r.namespace !== v.namespace) { return false; }
    if (v.docs && !r.docs) { return false; }
    if (v.owner) {
      var o = r.owner ? (r.owner.title + " " + r.owner.ref).toLowerCase() : "";
      if (o.indexOf(v.owner.toLowerCase()) < 0) { return false; }
    }
    if (v.tag) {
      var tag = v.tag.toLowerCase();
      if (!(r.tags || []).some(function (t) { return t.toLowerCase() === tag; })) { return false; }
    }
    for (var i = 0; i < words.length; i += 1) { if (haystack(r).indexOf(words[i]) < 0) { return false; } }
    return true;
  }

  function render(data) {
    var v = values();
    writeQuery(v);
    var active = fields.some(function (el) { return v[el.name] !== (defaults[el.name] || ""); });
    if (!active) {
      staticView.hidden = false;
      results.hidden = true;
      results.innerHTML = "";
      status.textContent = "";
      return;
    }
    var words = v.q ? v.q.toLowerCase().split(/\s+/).filter(Boolean) : [];
    var rows = [];
    for (var i = 0; i < data.length; i += 1) { if (matches(data[i], v, words)) { rows.push(data[i]); } }
    var html = ["<div class=\"table-wrap entities-wrap\"><table class=\"entities\"><caption class=\"visually-hidden\">Catalog entities matching the filters</caption>" +
      "<thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Kind</th><th scope=\"col\">Type</th><th scope=\"col\">Owner</th>" +
      "<th scope=\"col\">Lifecycle</th><th scope=\"col\">System</th><th scope=\"col\">Tags</th><th scope=\"col\" class=\"col-description\">Description</th></tr></thead><tbody>"];
    var visible = Math.min(rows.length, shown);
    for (var j = 0; j < visible; j += 1) { html.push(rowHtml(rows[j])); }
    html.push("</tbody></table></div>");
    if (rows.length > shown) {
      html.push("<p class=\"more\"><button type=\"button\" class=\"button button-quiet\" data-more>Show " +
        Math.min(PAGE, rows.length - shown) + " more (" + visible + " of " + rows.length + " shown)</button></p>");
    }
    results.innerHTML = rows.length ? html.join("") : "";
    staticView.hidden = true;
    results.hidden = false;
    status.textContent = rows.length === 0
      ? "No entity matches these filters. Try removing one."
      : rows.length + (rows.length === 1 ? " entity matches." : " entities match.");
    var more = results.querySelector("[data-more]");
    if (more) {
      more.addEventListener("click", function () {
        var before = shown;
        shown += PAGE;
        render(data);
        var next = results.querySelectorAll("tbody tr")[before];
        var a = next && next.querySelector("a");
        if (a) { a.focus(); }
      });
    }
  }

  var ready = false;
  function setup(data) {
    if (ready) { return; }
    ready = true;
    var column = function (key) { return data.map(function (r) { return r[key]; }); };
    fillSelect(form.elements.type, unique(column("type")));
    fillSelect(form.elements.lifecycle, unique(column("lifecycle")));
    fillSelect(form.elements.namespace, unique(column("namespace")));
    fillList(document.getElementById("f-owner-list"), unique(data.map(function (r) { return r.owner && r.owner.title; })));
    var tags = [];
    data.forEach(function (r) { if (r.tags) { Array.prototype.push.apply(tags, r.tags); } });
    fillList(document.getElementById("f-tag-list"), unique(tags));
  }
  function update() {
    whenData(function (data) { setup(data); render(data); });
  }

  var pageKind = form.getAttribute("data-kind");
  if (pageKind) { defaults.kind = pageKind; form.elements.kind.value = pageKind; }
  readQuery();
  form.hidden = false;

  var timer = null;
  form.addEventListener("focusin", function () { whenData(setup); }, { once: true });
  form.addEventListener("input", function (event) {
    shown = PAGE;
    clearTimeout(timer);
    // Typing waits a moment; lists and selects apply at once.
    if (event.target.tagName === "INPUT") { timer = setTimeout(update, 120); } else { update(); }
  });
  form.addEventListener("change", function () { shown = PAGE; clearTimeout(timer); update(); });
  form.addEventListener("submit", function (event) { event.preventDefault(); clearTimeout(timer); update(); });
  form.addEventListener("reset", function (event) {
    event.preventDefault();
    fields.forEach(function (el) { el.value = defaults[el.name] || ""; });
    if (searchBox) { searchBox.value = ""; }
    shown = PAGE;
    update();
  });
  // A filtered URL (shared, or reloaded) shows its rows at once.
  if (fields.some(function (el) { return el.value !== (defaults[el.name] || ""); })) { update(); }
})();
