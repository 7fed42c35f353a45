/* Graph explorer: draws a chosen part of the catalog from the static data in
   graph/_data/graph.js (window.PORTALGEN_GRAPH), with filters for kinds and
   relation types, and pan/zoom. The page shows a drawing made at build time
   without JavaScript; this script only replaces it when the reader asks for
   another view. The layout is the build's, simplified: layers by longest
   path, median sweeps against crossings, rows pulled towards neighbours. */
(function () {
  "use strict";
  var root = document.querySelector("[data-explorer]");
  var data = window.PORTALGEN_GRAPH;
  if (!root || !data) { return; }
  var form = root.querySelector("form");
  var figure = root.querySelector(".graph-scroll");
  var status = root.querySelector("[data-explorer-status]");
  var siteRoot = document.body.getAttribute("data-root") || "";
  var NS = "http://www.w3.org/2000/svg";
  var LIMIT = 250;
  var REL = data.relations; // [[slug, label], ...]
  var KINDS = data.kinds;
  var nodes = data.nodes; // [kind, title, url, system, owner, lifecycle, ref]
  var edges = data.edges; // [from, to, relation]
  var adj = nodes.map(function () { return []; });
  edges.forEach(function (e, i) { adj[e[0]].push(i); adj[e[1]].push(i); });
  var byRef = {};
  nodes.forEach(function (n, i) { byRef[n[6]] = i; });

  // ------------------------------------------------------------ controls
  var scope = form.elements.scope;
  var groups = { System: [], Domain: [], Group: [] };
  nodes.forEach(function (n, i) { var k = KINDS[n[0]]; if (groups[k]) { groups[k].push(i); } });
  ["Domain", "System", "Group"].forEach(function (k) {
    if (!groups[k].length) { return; }
    var og = document.createElement("optgroup");
    og.label = k === "Group" ? "Owned by group" : k;
    groups[k].sort(function (a, b) { return nodes[a][1].localeCompare(nodes[b][1]); }).forEach(function (i) {
      var o = document.createElement("option");
      o.value = nodes[i][6];
      o.textContent = nodes[i][1];
      og.appendChild(o);
    });
    scope.appendChild(og);
  });
  function checked(name) {
    return Array.prototype.filter.call(form.querySelectorAll("input[name=" + name + "]"), function (c) { return c.checked; })
      .map(function (c) { return c.value; });
  }
  function readQuery() {
    var p = new URLSearchParams(window.location.search);
    if (p.has("scope")) { scope.value = p.get("scope"); }
    ["kind", "rel"].forEach(function (name) {
      if (!p.has(name)) { return; }
      var wanted = p.get(name).split(",");
      form.querySelectorAll("input[name=" + name + "]").forEach(function (c) { c.checked = wanted.indexOf(c.value) >= 0; });
    });
  }
  function writeQuery() {
    var p = new URLSearchParams();
    if (scope.value) { p.set("scope", scope.value); }
    p.set("kind", checked("kind").join(","));
    p.set("rel", checked("rel").join(","));
    try { window.history.replaceState(null, "", window.location.pathname + "?" + p.toString()); } catch (e) { /* file:// */ }
  }

  // ------------------------------------------------------------- selection
  function select() {
    var kinds = checked("kind");
    var rels = checked("rel");
    var kindOk = {};
    kinds.forEach(function (k) { kindOk[KINDS.indexOf(k)] = true; });
    var relOk = {};
    rels.forEach(function (r) { REL.forEach(function (x, i) { if (x[0] === r) { relOk[i] = true; } }); });
    var inScope;
    var s = scope.value ? byRef[scope.value] : undefined;
    if (s === undefined) {
      inScope = function () { return true; };
    } else {
      var members = {};
      members[s] = true;
      var sk = KINDS[nodes[s][0]];
      var partOf = REL.findIndex(function (x) { return x[0] === "part-of"; });
      var ownedBy = REL.findIndex(function (x) { return x[0] === "owned-by"; });
      var frontier = [s];
      while (frontier.length) {
        var next = [];
        frontier.forEach(function (v) {
          adj[v].forEach(function (ei) {
            var e = edges[ei];
            var rel = sk === "Group" ? ownedBy : partOf;
            if (e[2] === rel && e[1] === v && !members[e[0]]) { members[e[0]] = true; if (sk !== "Group") { next.push(e[0]); } }
          });
        });
        frontier = next;
      }
      inScope = function (i) { return members[i]; };
    }
    var chosen = [];
    for (var i = 0; i < nodes.length; i += 1) { if (kindOk[nodes[i][0]] && inScope(i)) { chosen.push(i); } }
    var total = chosen.length;
    if (chosen.length > LIMIT) {
      // The most connected first, so the picture shows the backbone.
      var degree = function (v) { return adj[v].filter(function (ei) { return relOk[edges[ei][2]]; }).length; };
      chosen.sort(function (a, b) { return degree(b) - degree(a) || a - b; });
      chosen = chosen.slice(0, LIMIT).sort(function (a, b) { return a - b; });
    }
    var slot = {};
    chosen.forEach(function (v, k) { slot[v] = k; });
    var es = [];
    chosen.forEach(function (v) {
      adj[v].forEach(function (ei) {
        var e = edges[ei];
        if (e[0] === v && relOk[e[2]] && slot[e[1]] !== undefined && e[0] !== e[1]) { es.push([slot[e[0]], slot[e[1]], e[2]]); }
      });
    });
    return { nodes: chosen, edges: es, total: total };
  }

  // ---------------------------------------------------------------- layout
  function sub(v) {
    var t = KINDS[nodes[v][0]] + (nodes[v][5] ? " · " + nodes[v][5] : "");
    return t.length > 30 ? t.slice(0, 29) + "…" : t;
  }
  function textWidth(t, size) { return t.length * size * 0.66; }
  function layout(g) {
    var n = g.nodes.length;
    var w = g.nodes.map(function (v) {
      var name = nodes[v][1].length > 26 ? nodes[v][1].slice(0, 25) + "…" : nodes[v][1];
      return Math.max(92, Math.min(196, Math.ceil(Math.max(textWidth(name, 13.5), textWidth(sub(v), 11)) + 22)));
    });
    var succ = [], state = [], layer = [], i;
    for (i = 0; i < n; i += 1) { succ.push([]); state.push(0); layer.push(0); }
    var flipped = g.edges.map(function () { return false; });
    var out = g.nodes.map(function () { return []; });
    g.edges.forEach(function (e, k) { out[e[0]].push(k); });
    for (i = 0; i < n; i += 1) {
      if (state[i]) { continue; }
      var stack = [[i, 0]];
      state[i] = 1;
      while (stack.length) {
        var top = stack[stack.length - 1];
        if (top[1] < out[top[0]].length) {
          var k = out[top[0]][top[1]];
          top[1] += 1;
          var t = g.edges[k][1];
          if (state[t] === 0) { state[t] = 1; stack.push([t, 0]); } else if (state[t] === 1) { flipped[k] = true; }
        } else { state[top[0]] = 2; stack.pop(); }
      }
    }
    var indeg = layer.slice();
    g.edges.forEach(function (e, k) {
      var u = flipped[k] ? e[1] : e[0], v = flipped[k] ? e[0] : e[1];
      succ[u].push(v); indeg[v] += 1;
    });
    var order = [], ready = [], rem = indeg.slice();
    for (i = n - 1; i >= 0; i -= 1) { if (!indeg[i]) { ready.push(i); } }
    while (ready.length) {
      var u = ready.pop();
      order.push(u);
      succ[u].forEach(function (v) { layer[v] = Math.max(layer[v], layer[u] + 1); rem[v] -= 1; if (!rem[v]) { ready.push(v); } });
    }
    for (i = order.length - 1; i >= 0; i -= 1) {
      var s = order[i];
      if (!indeg[s] && succ[s].length) { layer[s] = Math.max(layer[s], Math.min.apply(null, succ[s].map(function (v) { return layer[v]; })) - 1); }
    }
    // Isolated nodes wrap into columns of their own instead of one tall one.
    var isolated = [];
    for (i = 0; i < n; i += 1) { if (!indeg[i] && !succ[i].length) { isolated.push(i); } }
    var maxLayer = 0;
    for (i = 0; i < n; i += 1) { if (indeg[i] || succ[i].length) { maxLayer = Math.max(maxLayer, layer[i]); } }
    var perColumn = Math.max(8, Math.ceil(Math.sqrt(isolated.length * 2)));
    isolated.forEach(function (v, k) { layer[v] = (n > isolated.length ? maxLayer + 1 : 0) + Math.floor(k / perColumn); });
    // Slots with dummies on long edges.
    var slotLayer = layer.slice(), height = g.nodes.map(function () { return 44; }), real = g.nodes.map(function (_, k) { return k; });
    var chains = [], up = [], down = [];
    for (i = 0; i < n; i += 1) { up.push([]); down.push([]); }
    g.edges.forEach(function (e, k) {
      var a = flipped[k] ? e[1] : e[0], b = flipped[k] ? e[0] : e[1];
      var chain = [a];
      for (var l = layer[a] + 1; l < layer[b]; l += 1) {
        slotLayer.push(l); height.push(2); real.push(-1); up.push([]); down.push([]);
        chain.push(slotLayer.length - 1);
      }
      chain.push(b);
      for (var c = 0; c + 1 < chain.length; c += 1) { down[chain[c]].push(chain[c + 1]); up[chain[c + 1]].push(chain[c]); }
      chains.push(chain);
    });
    var L = Math.max.apply(null, slotLayer.concat([0])) + 1;
    var rows = [];
    for (i = 0; i < L; i += 1) { rows.push([]); }
    slotLayer.forEach(function (l, s) { rows[l].push(s); });
    var pos = [];
    function setPos() { rows.forEach(function (r) { r.forEach(function (s, k) { pos[s] = k; }); }); }
    setPos();
    for (var sweep = 0; sweep < 8; sweep += 1) {
      var downward = sweep % 2 === 0;
      for (var li = 0; li < L; li += 1) {
        var l2 = downward ? li : L - 1 - li;
        var nb = downward ? up : down;
        var keyed = rows[l2].map(function (s, k) {
          var ps = nb[s].map(function (t) { return pos[t]; }).sort(function (a, b) { return a - b; });
          var m = ps.length ? (ps.length % 2 ? ps[(ps.length - 1) / 2] : (ps[ps.length / 2 - 1] + ps[ps.length / 2]) / 2) : k;
          return [m, k, s];
        });
        keyed.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
        rows[l2] = keyed.map(function (x) { return x[2]; });
        rows[l2].forEach(function (s, k) { pos[s] = k; });
      }
    }
    var colW = [], colX = [];
    for (i = 0; i < L; i += 1) { colW.push(0); }
    for (i = 0; i < n; i += 1) { colW[layer[i]] = Math.max(colW[layer[i]], w[i]); }
    var x = 8;
    for (i = 0; i < L; i += 1) { colX.push(x); x += colW[i] + 96; }
    var y = [];
    rows.forEach(function (r) { var t = 0; r.forEach(function (s) { y[s] = t; t += height[s] + (real[s] >= 0 ? 14 : 6); }); });
    for (var pass = 0; pass < 6; pass += 1) {
      rows.forEach(function (r) {
        var want = r.map(function (s) {
          var nbs = up[s].concat(down[s]);
          if (!nbs.length) { return y[s]; }
          var c = 0;
          nbs.forEach(function (t) { c += y[t] + height[t] / 2; });
          return c / nbs.length - height[s] / 2;
        });
        // Top down: no overlap; bottom up: move back towards the wish.
        for (var k = 0; k < r.length; k += 1) {
          var min = k ? y[r[k - 1]] + height[r[k - 1]] + (real[r[k]] >= 0 && real[r[k - 1]] >= 0 ? 14 : 6) : -1e9;
          y[r[k]] = Math.max(want[k], min);
        }
        for (k = r.length - 2; k >= 0; k -= 1) {
          var max = y[r[k + 1]] - height[r[k]] - (real[r[k]] >= 0 && real[r[k + 1]] >= 0 ? 14 : 6);
          y[r[k]] = Math.min(y[r[k]], Math.max(max, want[k] > max ? max : y[r[k]]));
        }
      });
    }
    var minY = y.length ? Math.min.apply(null, y) : 0;
    y = y.map(function (v) { return Math.round(v - minY + 8); });
    var rects = g.nodes.map(function (_, k) {
      return { x: Math.round(colX[layer[k]] + (colW[layer[k]] - w[k]) / 2), y: y[k], w: w[k], h: 44 };
    });
    var routes = chains.map(function (chain, k) {
      var pts = [];
      chain.forEach(function (s, c) {
        var cy = y[s] + height[s] / 2;
        if (real[s] >= 0) { pts.push([c === 0 ? rects[s].x + rects[s].w : rects[s].x, cy]); }
        else { pts.push([colX[slotLayer[s]], cy]); pts.push([colX[slotLayer[s]] + colW[slotLayer[s]], cy]); }
      });
      return flipped[k] ? pts.reverse() : pts;
    });
    var width = x - 96 + 8, hMax = 0;
    y.forEach(function (v, s) { hMax = Math.max(hMax, v + height[s]); });
    return { rects: rects, routes: routes, width: Math.max(width, 200), height: hMax + 8 };
  }

  // ---------------------------------------------------------------- drawing
  function el(name, attrs, text) {
    var e = document.createElementNS(NS, name);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) { e.textContent = text; }
    return e;
  }
  function shape(kind, r) {
    if (kind === "api") {
      return el("polygon", { "class": "gb", points: [r.x + 10, r.y, r.x + r.w - 10, r.y, r.x + r.w, r.y + r.h / 2, r.x + r.w - 10, r.y + r.h, r.x + 10, r.y + r.h, r.x, r.y + r.h / 2].join(" ") });
    }
    var rx = kind === "group" || kind === "user" ? r.h / 2 : kind === "domain" ? 14 : kind === "system" ? 3 : 7;
    return el("rect", { "class": "gb", x: r.x, y: r.y, width: r.w, height: r.h, rx: rx });
  }
  function pathData(p) {
    var d = "M" + Math.round(p[0][0]) + " " + Math.round(p[0][1]);
    for (var i = 1; i < p.length; i += 1) {
      var a = p[i - 1], b = p[i];
      if (Math.abs(a[1] - b[1]) < 0.5) { d += "L" + Math.round(b[0]) + " " + Math.round(b[1]); }
      else { var dx = (b[0] - a[0]) / 2; d += "C" + Math.round(a[0] + dx) + " " + Math.round(a[1]) + " " + Math.round(b[0] - dx) + " " + Math.round(b[1]) + " " + Math.round(b[0]) + " " + Math.round(b[1]); }
    }
    return d;
  }
  var view = null;
  function draw() {
    writeQuery();
    var g = select();
    var lay = layout(g);
    var svg = el("svg", { "class": "graph-svg", viewBox: "0 0 " + lay.width + " " + lay.height, width: lay.width, height: lay.height, role: "group", "aria-label": "Catalog graph" });
    var defs = el("defs", {});
    REL.forEach(function (r) {
      var m = el("marker", { id: "x-a-" + r[0], viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto" });
      m.appendChild(el("path", { "class": "gm e-" + r[0], d: "M0 1L10 5L0 9z" }));
      defs.appendChild(m);
    });
    svg.appendChild(defs);
    var ges = el("g", { "class": "ges" });
    g.edges.forEach(function (e, k) {
      var r = REL[e[2]];
      var p = el("path", { "class": "ge e-" + r[0], d: pathData(lay.routes[k]), "marker-end": "url(#x-a-" + r[0] + ")" });
      p.appendChild(el("title", {}, nodes[g.nodes[e[0]]][1] + " " + r[1] + " " + nodes[g.nodes[e[1]]][1]));
      ges.appendChild(p);
    });
    svg.appendChild(ges);
    g.nodes.forEach(function (v, k) {
      var n = nodes[v], r = lay.rects[k], kind = KINDS[n[0]].toLowerCase();
      var a = el("a", { href: siteRoot + n[2], "class": "gn k-" + kind + (n[5] === "deprecated" ? " deprecated" : "") + (scope.value === n[6] ? " center" : "") });
      a.appendChild(el("title", {}, n[1] + " (" + KINDS[n[0]] + ")\n" + n[6]));
      a.appendChild(shape(kind, r));
      var name = n[1].length > 26 ? n[1].slice(0, 25) + "…" : n[1];
      a.appendChild(el("text", { "class": "gt", x: r.x + r.w / 2, y: r.y + 19 }, name));
      a.appendChild(el("text", { "class": "gs", x: r.x + r.w / 2, y: r.y + 34 }, sub(v)));
      svg.appendChild(a);
    });
    figure.innerHTML = "";
    figure.appendChild(svg);
    legend(g);
    view = { x: 0, y: 0, w: lay.width, h: lay.height, full: [lay.width, lay.height], svg: svg };
    root.classList.add("zoomable");
    status.textContent = g.total > g.nodes.length
      ? g.total + " entities match; showing the " + g.nodes.length + " most connected. Choose a scope or fewer kinds to see the rest."
      : g.nodes.length + " entities, " + g.edges.length + " relations.";
  }

  // The legend of what is drawn now, in the build's markup.
  function legend(g) {
    var cap = root.querySelector(".graph-legend ul");
    if (!cap) { return; }
    cap.innerHTML = "";
    var kinds = {}, rels = {};
    g.nodes.forEach(function (v) { kinds[nodes[v][0]] = true; });
    g.edges.forEach(function (e) { rels[e[2]] = true; });
    function item(swatch, label) {
      var li = document.createElement("li");
      var s = el("svg", { "class": "lg-swatch", viewBox: "0 0 28 16", width: 28, height: 16, "aria-hidden": "true" });
      s.appendChild(swatch);
      li.appendChild(s);
      li.appendChild(document.createTextNode(label));
      cap.appendChild(li);
    }
    KINDS.forEach(function (k, i) {
      if (!kinds[i]) { return; }
      var gEl = el("g", { "class": "gn k-" + k.toLowerCase() });
      gEl.appendChild(shape(k.toLowerCase(), { x: 1, y: 1, w: 26, h: 14 }));
      item(gEl, k);
    });
    REL.forEach(function (r, i) {
      if (!rels[i]) { return; }
      var gEl = el("g", {});
      gEl.appendChild(el("path", { "class": "ge e-" + r[0], d: "M1 8H22" }));
      gEl.appendChild(el("path", { "class": "gm e-" + r[0], d: "M21 4L27 8L21 12z" }));
      item(gEl, r[1]);
    });
  }

  // -------------------------------------------------------------- pan/zoom
  function apply() { view.svg.setAttribute("viewBox", [view.x, view.y, view.w, view.h].map(Math.round).join(" ")); }
  function zoom(f, cx, cy) {
    if (!view) { return; }
    cx = cx === undefined ? view.x + view.w / 2 : cx;
    cy = cy === undefined ? view.y + view.h / 2 : cy;
    var nw = Math.min(Math.max(view.w * f, 80), view.full[0] * 4);
    var s = nw / view.w;
    view.x = cx - (cx - view.x) * s; view.y = cy - (cy - view.y) * s; view.w = nw; view.h *= s;
    apply();
  }
  root.querySelectorAll("[data-zoom]").forEach(function (b) {
    b.hidden = false;
    b.addEventListener("click", function () {
      var z = b.getAttribute("data-zoom");
      if (!view) { draw(); }
      if (z === "in") { zoom(0.8); } else if (z === "out") { zoom(1.25); } else { view.x = 0; view.y = 0; view.w = view.full[0]; view.h = view.full[1]; apply(); }
    });
  });
  figure.addEventListener("wheel", function (ev) {
    if (!view || !(ev.ctrlKey || ev.metaKey)) { return; }
    ev.preventDefault();
    var box = view.svg.getBoundingClientRect();
    zoom(ev.deltaY > 0 ? 1.15 : 0.87, view.x + (ev.clientX - box.left) / box.width * view.w, view.y + (ev.clientY - box.top) / box.height * view.h);
  }, { passive: false });
  var drag = null;
  figure.addEventListener("pointerdown", function (ev) {
    if (!view || ev.target.closest("a")) { return; }
    drag = { x: ev.clientX, y: ev.clientY, vx: view.x, vy: view.y };
    figure.setPointerCapture(ev.pointerId);
  });
  figure.addEventListener("pointermove", function (ev) {
    if (!drag) { return; }
    var box = view.svg.getBoundingClientRect();
    view.x = drag.vx - (ev.clientX - drag.x) / box.width * view.w;
    view.y = drag.vy - (ev.clientY - drag.y) / box.height * view.h;
    apply();
  });
  figure.addEventListener("pointerup", function () { drag = null; });

  form.hidden = false;
  readQuery();
  form.addEventListener("change", draw);
  form.addEventListener("submit", function (ev) { ev.preventDefault(); draw(); });
  if (window.location.search) { draw(); }
})();
