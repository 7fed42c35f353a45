#!/usr/bin/env node
// Ranking parity: the sharded client (themes/default/static/js/search.js,
// grafting shards into empty elasticlunr.js indexes) against elasticlunr.js
// querying the whole index that elasticlunr-rs built.
//   node search-parity.cjs INDEX_DIR QUERIES_FILE
// INDEX_DIR holds the site's search/ files and full-entities.json,
// full-docs.json. QUERIES_FILE has one query a line. For each query and
// each index, the top 10 refs must be the same, in the same order. Also
// reports the bytes each query downloaded. Ends with "N passed, M failed".
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");

const [dir, queriesFile] = process.argv.slice(2);
const theme = path.join(__dirname, "../../themes/default/static/js");
const elasticlunr = require(path.join(theme, "elasticlunr.min.js"));
vm.runInThisContext(fs.readFileSync(path.join(theme, "search.js"), "utf8"));
const { Engine } = globalThis.PortalgenSearch;

let downloaded = 0;
const engine = new Engine(elasticlunr, (file, done) => {
  const text = fs.readFileSync(path.join(dir, file), "utf8");
  downloaded += text.length;
  vm.runInThisContext(text);
  done(true);
});
globalThis.PORTALGEN_SEARCH_LOAD = (name, data) => engine.received(name, data);

const full = {
  entities: elasticlunr.Index.load(JSON.parse(fs.readFileSync(path.join(dir, "full-entities.json"), "utf8"))),
  docs: elasticlunr.Index.load(JSON.parse(fs.readFileSync(path.join(dir, "full-docs.json"), "utf8"))),
};
const queries = fs.readFileSync(queriesFile, "utf8").split("\n").map((q) => q.trim()).filter(Boolean);

let passed = 0;
let failed = 0;
engine.ready(() => {
  const configs = {};
  for (const part of ["entities", "docs"]) {
    const fields = {};
    engine.manifest[part].fields.forEach((f) => { fields[f[0]] = { boost: f[1], bool: "OR", expand: true }; });
    configs[part] = { fields, bool: "OR", expand: true };
  }
  for (const q of queries) {
    const before = downloaded;
    engine.search(q, (res) => {
      for (const part of ["entities", "docs"]) {
        const want = full[part].search(q, configs[part]).slice(0, 10);
        const got = res[part].slice(0, 10);
        const same = want.length === got.length && want.every((w, i) => w.ref === got[i].ref &&
          Math.abs(w.score - got[i].score) <= 1e-9 * Math.max(1, Math.abs(w.score)));
        if (same) {
          passed += 1;
          console.log(`ok - ${part} "${q}": ${got.length} of ${res[part].length} hits`);
        } else {
          failed += 1;
          console.log(`not ok - ${part} "${q}"\n    full:    ${want.map((w) => w.ref + ":" + w.score.toFixed(6)).join(" ")}` +
            `\n    sharded: ${got.map((g) => g.ref + ":" + g.score.toFixed(6)).join(" ")}`);
        }
      }
      console.log(`# "${q}" downloaded ${downloaded - before} bytes (uncompressed)`);
    });
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
});
