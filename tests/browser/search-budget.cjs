#!/usr/bin/env node
// What a search costs the browser, on a built index (see examples/searchbench.rs):
//   node search-budget.cjs DIR [QUERY…]
// For each query: the gzipped bytes of a first query from the header box
// (search.js, elasticlunr.min.js, manifest, shards, records of the shown
// hits) and from the results page (plus the facet file and 20 + 20
// records); the bytes of the same query after others (warm); and the time
// to graft and rank (files already read), the "query compute", as CPU time.
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");
const zlib = require("zlib");

const [dir, ...rest] = process.argv.slice(2);
const theme = path.join(__dirname, "../../themes/default/static/js");
const elasticlunr = require(path.join(theme, "elasticlunr.min.js"));
vm.runInThisContext(fs.readFileSync(path.join(theme, "search.js"), "utf8"));
const { Engine } = globalThis.PortalgenSearch;

// CPU time (user + system) of this process, in ms: the machine may be busy.
function cpu() { const u = process.cpuUsage(); return (u.user + u.system) / 1000; }
const gz = new Map();
function gzSize(file) {
  if (!gz.has(file)) { gz.set(file, zlib.gzipSync(fs.readFileSync(path.join(dir, file)), { level: 6 }).length); }
  return gz.get(file);
}
function engine() {
  const e = new Engine(elasticlunr, (file, done) => {
    // Reading and parsing a file is the network's and parser's time, not
    // the query's: it is kept out of "compute".
    const t0 = cpu();
    e.bytes += gzSize(file);
    let got = null;
    globalThis.PORTALGEN_SEARCH_LOAD = (name, data) => { got = [name, data]; };
    vm.runInThisContext(fs.readFileSync(path.join(dir, file), "utf8"));
    e.loading += cpu() - t0;
    if (got) { e.received(got[0], got[1]); }
    done(true);
  });
  e.bytes = gzSize("static/js/search.js") + gzSize("static/js/elasticlunr.min.js");
  e.loading = 0;
  e.fresh = true; // the first query counts the scripts and the manifest too
  globalThis.PORTALGEN_SEARCH_LOAD = (name, data) => e.received(name, data);
  return e;
}
function query(e, q, entities, docs, facets) {
  const before = e.fresh ? 0 : e.bytes;
  e.fresh = false;
  const loadBefore = e.loading;
  const t0 = cpu();
  let out = null;
  e.search(q, (res) => { out = res; });
  const ms = cpu() - t0 - (e.loading - loadBefore);
  e.records(e.entities, out.entities.slice(0, entities).map((h) => +h.ref), () => {});
  e.records(e.docs, out.docs.slice(0, docs).map((h) => +h.ref), () => {});
  if (facets) { e.facets(() => {}); }
  return { kb: (e.bytes - before) / 1024, ms, hits: out.entities.length + out.docs.length };
}

const queries = rest.length ? rest : [
  "pa", "pay", "payment", "payments service", "kafka", "kafka consumer", "deploy", "rollback", "install",
  "database migration", "retry timeout", "on-call", "grpc", "team", "billing", "search", "se", "ca",
  "monitoring alerts", "how to configure the cache",
];
const rows = [];
const warm = engine();
warm.ready(() => {});
for (const q of ["service", "team", "deploy"]) { query(warm, q, 6, 4, false); }
const facetsKb = () => gzSize("search/" + warm.manifest.facets + ".js") / 1024;
for (const q of queries) {
  const header = engine();
  header.ready(() => {});
  const h = query(header, q, 6, 4, false);
  const page = engine();
  page.ready(() => {});
  const p = query(page, q, 10, 10, false);
  const w = query(warm, q, 6, 4, false);
  rows.push({ q, header: h.kb, page: p.kb, warm: w.kb, ms: Math.max(h.ms, p.ms), hits: h.hits });
}
const e0 = engine();
e0.ready(() => {});
const manifestKb = gzSize("search/manifest.js") / 1024;
const scriptKb = (gzSize("static/js/search.js") + gzSize("static/js/elasticlunr.min.js")) / 1024;
console.log(`scripts ${scriptKb.toFixed(1)} KB, manifest ${manifestKb.toFixed(1)} KB, facets ${facetsKb().toFixed(1)} KB (gzip -6)`);
console.log("header-first: scripts, manifest, shards, records of 6 entities + 4 sections;");
console.log("page-first: the same with 10 + 10 records (the facet file follows the results);");
console.log("later: the same query from the header box after other queries.");
console.log("query                          hits   header-first  page-first  later   compute");
for (const r of rows) {
  console.log(`${JSON.stringify(r.q).padEnd(30)} ${String(r.hits).padStart(6)} ${r.header.toFixed(1).padStart(10)} KB ${r.page.toFixed(1).padStart(8)} KB ${r.warm.toFixed(1).padStart(6)} KB ${r.ms.toFixed(1).padStart(6)} ms`);
}
const max = (k) => Math.max(...rows.map((r) => r[k]));
const median = (k) => { const v = rows.map((r) => r[k]).sort((a, b) => a - b); return v[Math.floor(v.length / 2)]; };
console.log(`max: header-first ${max("header").toFixed(1)} KB, page-first ${max("page").toFixed(1)} KB, later ${max("warm").toFixed(1)} KB, compute ${max("ms").toFixed(1)} ms`);
console.log(`median: header-first ${median("header").toFixed(1)} KB, page-first ${median("page").toFixed(1)} KB, later ${median("warm").toFixed(1)} KB, compute ${median("ms").toFixed(1)} ms`);
