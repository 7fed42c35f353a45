/* portalgen default theme: theme toggle, mobile navigation, catalog filters.
   Everything works without this script; it only adds to the static pages. */
(function () {
  "use strict";
  var doc = document.documentElement;

  // Theme toggle: follows the system setting until the reader picks one.
  var toggle = document.querySelector(".theme-toggle");
  if (toggle) {
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var dark = doc.getAttribute("data-theme") === "dark" ||
        (!doc.getAttribute("data-theme") && window.matchMedia("(prefers-color-scheme: dark)").matches);
      var next = dark ? "light" : "dark";
      doc.setAttribute("data-theme", next);
      try { localStorage.setItem("portalgen-theme", next); } catch (e) { /* private mode */ }
    });
  }

  // Navigation drawer on small screens.
  var navToggle = document.querySelector(".nav-toggle");
  var nav = document.getElementById("sidenav");
  if (navToggle && nav) {
    navToggle.hidden = false;
    navToggle.addEventListener("click", function () {
      var open = navToggle.getAttribute("aria-expanded") === "true";
      navToggle.setAttribute("aria-expanded", String(!open));
      nav.classList.toggle("open", !open);
    });
  }

  // "/" focuses the search box.
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.tagName === "SELECT" || target.isContentEditable);
    if (event.key === "/" && !typing) {
      var box = document.getElementById("site-search");
      if (box) { event.preventDefault(); box.focus(); }
    }
  });

  // Catalog filters over the catalog data (catalog/_data/entities.js).
  var form = document.querySelector("[data-catalog-filters]");
  if (!form) { return; }
  var root = document.body.getAttribute("data-root") || "./";
  var staticView = document.querySelector("[data-catalog-static]");
  var results = document.querySelector("[data-catalog-results]");
  var status = form.querySelector(".filter-status");
  var PAGE = 200;
  var shown = PAGE;

  // The catalog data (every entity) is large in big organisations, so it is
  // loaded only when the reader starts filtering or opens a filtered URL.
  // A script element (not fetch) so it also loads from file://.
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
    script.onerror = function () { status.textContent = "The catalog data could not be loaded; the table below lists every entity."; };
    document.head.appendChild(script);
  }

  function escapeHtml(text) {
    return String(text == null ? "" : text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function link(item) {
    if (!item) { return ""; }
    if (item.url === null || item.url === undefined) {
      return '<span class="missing">' + escapeHtml(item.title) + "</span>";
    }
    return '<a href="' + escapeHtml(root + item.url) + '">' + escapeHtml(item.title) + "</a>";
  }

  function fill(select, values) {
    values.forEach(function (v) {
      var option = document.createElement("option");
      option.value = v;
      option.textContent = v;
      select.appendChild(option);
    });
  }

  function unique(list) {
    var seen = {};
    var out = [];
    list.forEach(function (v) { if (v && !seen[v]) { seen[v] = true; out.push(v); } });
    return out.sort();
  }

  function readQuery() {
    var params = new URLSearchParams(window.location.search);
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.name && params.has(el.name)) { el.value = params.get(el.name); }
    });
  }

  function writeQuery() {
    var params = new URLSearchParams();
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.name && el.value) { params.set(el.name, el.value); }
    });
    var query = params.toString();
    var url = window.location.pathname + (query ? "?" + query : "");
    window.history.replaceState(null, "", url);
  }

  function values() {
    var v = {};
    Array.prototype.forEach.call(form.elements, function (el) { if (el.name) { v[el.name] = el.value.trim(); } });
    return v;
  }

  function matches(row, v) {
    if (v.kind && row.kind !== v.kind) { return false; }
    if (v.type && row.type !== v.type) { return false; }
    if (v.lifecycle && row.lifecycle !== v.lifecycle) { return false; }
    if (v.namespace && row.namespace !== v.namespace) { return false; }
    if (v.owner) {
      var o = row.owner ? (row.owner.title + " " + row.owner.ref).toLowerCase() : "";
      if (o.indexOf(v.owner.toLowerCase()) < 0) { return false; }
    }
    if (v.tag && row.tags.indexOf(v.tag) < 0) { return false; }
    if (v.q) {
      var hay = (row.name + " " + row.title + " " + row.description + " " + row.ref).toLowerCase();
      var words = v.q.toLowerCase().split(/\s+/);
      for (var i = 0; i < words.length; i += 1) { if (hay.indexOf(words[i]) < 0) { return false; } }
    }
    return true;
  }

  function render(data) {
    var v = values();
    var active = Object.keys(v).some(function (k) { return v[k]; });
    writeQuery();
    if (!active) {
      staticView.hidden = false;
      results.hidden = true;
      status.textContent = "";
      return;
    }
    var rows = data.filter(function (r) { return matches(r, v); });
    var html = ['<div class="table-wrap"><table class="entities"><caption class="visually-hidden">Filtered catalog</caption><thead><tr><th scope="col">Name</th><th scope="col">Kind</th><th scope="col">Type</th><th scope="col">Owner</th><th scope="col">Lifecycle</th><th scope="col">System</th><th scope="col">Tags</th><th scope="col">Description</th></tr></thead><tbody>'];
    rows.slice(0, shown).forEach(function (r) {
      html.push("<tr><td class=\"name\">" + link(r) + "</td><td><span class=\"badge kind kind-" + escapeHtml(r.kind.toLowerCase()) + "\">" + escapeHtml(r.kind) + "</span></td><td>" + escapeHtml(r.type) + "</td><td>" + link(r.owner) + "</td><td>" + (r.lifecycle ? '<span class="lifecycle lifecycle-' + escapeHtml(r.lifecycle.toLowerCase()) + '">' + escapeHtml(r.lifecycle) + "</span>" : "") + "</td><td>" + link(r.system) + "</td><td>" + r.tags.map(function (t) { return '<span class="tag">' + escapeHtml(t) + "</span>"; }).join(" ") + "</td><td class=\"description\">" + escapeHtml(r.description) + "</td></tr>");
    });
    html.push("</tbody></table></div>");
    if (rows.length > shown) { html.push('<p><button type="button" class="button" data-more>Show more</button></p>'); }
    results.innerHTML = html.join("");
    staticView.hidden = true;
    results.hidden = false;
    status.textContent = rows.length === 0
      ? "No entity matches these filters. Try removing one."
      : rows.length + (rows.length === 1 ? " entity matches." : " entities match.");
    var more = results.querySelector("[data-more]");
    if (more) { more.addEventListener("click", function () { shown += PAGE; render(data); }); }
  }

  var ready = false;
  function setup(data) {
    if (ready) { return; }
    ready = true;
    var kindSelect = form.querySelector("[name=kind]");
    fill(form.querySelector("[name=type]"), unique(data.map(function (r) { return r.type; })));
    fill(form.querySelector("[name=lifecycle]"), unique(data.map(function (r) { return r.lifecycle; })));
    fill(form.querySelector("[name=namespace]"), unique(data.map(function (r) { return r.namespace; })));
    var owners = document.getElementById("f-owner-list");
    unique(data.map(function (r) { return r.owner && r.owner.title; })).forEach(function (o) {
      var option = document.createElement("option"); option.value = o; owners.appendChild(option);
    });
    var tags = document.getElementById("f-tag-list");
    var allTags = [];
    data.forEach(function (r) { allTags = allTags.concat(r.tags); });
    unique(allTags).forEach(function (t) {
      var option = document.createElement("option"); option.value = t; tags.appendChild(option);
    });
    var pageKind = form.getAttribute("data-kind");
    if (pageKind && !kindSelect.value) { kindSelect.value = pageKind; }
    readQuery();
  }

  function update() {
    whenData(function (data) { setup(data); shown = PAGE; render(data); });
  }

  form.hidden = false;
  var header = document.getElementById("site-search");
  var params = new URLSearchParams(window.location.search);
  if (header && params.has("q")) { header.value = params.get("q"); }
  form.addEventListener("focusin", function () { whenData(setup); }, { once: true });
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  if (window.location.search) {
    readQuery();
    update();
  }
})();
