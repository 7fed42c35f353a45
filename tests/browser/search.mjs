#!/usr/bin/env node
// Browser tests of search in a built portalgen site, in headless Chromium:
//   node search.mjs SITE_DIR [--screenshots OUT_DIR]
// Serves SITE_DIR on 127.0.0.1 (also under /sub/path/) and checks the
// header search box (results as you type, keyboard, Enter), the results
// page (hits, facet counts, OR within / AND across facets, URL state),
// file://, a sub-path, the page without JavaScript, accessibility with
// axe-core and that nothing is asked of another host. Expects the demo
// organisation (site.toml). Ends with "N passed, M failed".
import { createServer } from "node:http";
import { readFile, stat, mkdir } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const AXE_SOURCE = await readFile(require.resolve("axe-core/axe.min.js"), "utf8");

const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--hide-scrollbars",
];
const TOTAL_TIMEOUT_MS = 240_000;
const STEP_TIMEOUT_MS = 15_000;
const SUB_PATH = "/sub/path/";
const VIEWPORTS = {
  desktop: { width: 1366, height: 900 },
  phone: { width: 390, height: 844 },
};

const args = process.argv.slice(2);
let siteDir = null;
let shotsDir = null;
for (let i = 0; i < args.length; i += 1) {
  if (args[i] === "--screenshots") { shotsDir = args[i + 1]; i += 1; }
  else if (!siteDir) { siteDir = args[i]; }
}
if (!siteDir) {
  console.log("usage: node search.mjs SITE_DIR [--screenshots OUT_DIR]");
  process.exit(2);
}
siteDir = path.resolve(siteDir);
if (shotsDir) { await mkdir(shotsDir, { recursive: true }); }
const watchdog = setTimeout(() => {
  console.log(`not ok - the whole run took longer than ${TOTAL_TIMEOUT_MS / 1000}s`);
  console.log(`${passed} passed, ${failed + 1} failed`);
  process.exit(1);
}, TOTAL_TIMEOUT_MS);

const TYPES = {
  ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
  ".json": "application/json", ".svg": "image/svg+xml", ".txt": "text/plain; charset=utf-8", ".xml": "application/xml",
};
const localErrors = []; // responses >= 400 that a page did not expect

const server = createServer(async (req, res) => {
  try {
    let urlPath = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (urlPath.startsWith(SUB_PATH)) { urlPath = "/" + urlPath.slice(SUB_PATH.length); }
    let file = path.join(siteDir, path.normalize(urlPath));
    if (file !== siteDir && !file.startsWith(siteDir + path.sep)) { throw Object.assign(new Error("outside"), { code: "ENOENT" }); }
    let info = await stat(file);
    if (info.isDirectory()) {
      if (!urlPath.endsWith("/")) {
        res.writeHead(301, { location: req.url.replace(/(\?|$)/, "/$1") });
        res.end();
        return;
      }
      file = path.join(file, "index.html");
      info = await stat(file);
    }
    const body = await readFile(file);
    res.writeHead(200, { "content-type": TYPES[path.extname(file).toLowerCase()] || "application/octet-stream" });
    res.end(req.method === "HEAD" ? undefined : body);
  } catch (err) {
    const notFound = err && (err.code === "ENOENT" || err.code === "ENOTDIR");
    let body = "not found";
    try { body = await readFile(path.join(siteDir, "404.html")); } catch { /* plain text then */ }
    res.writeHead(notFound ? 404 : 500, { "content-type": "text/html; charset=utf-8" });
    res.end(body);
  }
});
await new Promise((resolve, reject) => {
  server.once("error", reject);
  server.listen(0, "127.0.0.1", resolve);
});
const ORIGIN = `http://127.0.0.1:${server.address().port}`;

// ------------------------------------------------------------------ harness
let passed = 0;
let failed = 0;
async function test(name, fn) {
  let timer;
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => { timer = setTimeout(() => reject(new Error("timed out after 60s")), 60_000); }),
    ]);
    passed += 1;
    console.log(`ok - ${name}`);
  } catch (err) {
    failed += 1;
    console.log(`not ok - ${name}\n${indent(String(err && err.message ? err.message : err))}`);
  } finally {
    clearTimeout(timer);
  }
}
function indent(text) { return text.split("\n").map((l) => "    " + l).join("\n"); }
function assert(condition, message) { if (!condition) { throw new Error(message); } }
function sameList(a, b) { return a.length === b.length && a.every((x, i) => x === b[i]); }

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: CHROMIUM_ARGS,
  headless: true,
  timeout: 30_000,
});

/** A fresh context that records (and refuses) every request to another host. */
async function newContext(options = {}) {
  const context = await browser.newContext({ viewport: VIEWPORTS.desktop, ...options });
  context.setDefaultTimeout(STEP_TIMEOUT_MS);
  context.setDefaultNavigationTimeout(STEP_TIMEOUT_MS);
  context.foreign = [];
  context.on("request", (request) => {
    const url = request.url();
    if (!isLocal(url)) { context.foreign.push(url); }
  });
  context.on("response", (response) => {
    const url = response.url();
    if (url.startsWith(ORIGIN) && response.status() >= 400 && !context.expect404) {
      localErrors.push(`${response.status()} ${url}`);
    }
  });
  await context.route("**/*", (route) => (isLocal(route.request().url()) ? route.continue() : route.abort()));
  return context;
}
function isLocal(url) {
  return url.startsWith(ORIGIN + "/") || url.startsWith("file:") || url.startsWith("data:") ||
    url.startsWith("about:") || url.startsWith("blob:");
}
function assertNoForeign(context, where) {
  assert(context.foreign.length === 0, `${where} requested other hosts:\n${[...new Set(context.foreign)].join("\n")}`);
}

async function axeCheck(page) {
  await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(" ")}: ${n.failureSummary.split("\n").slice(1, 2).join(" ").trim()}`),
      count: v.nodes.length,
    }));
  });
  return result;
}

const shot = async (page, name) => { if (shotsDir) { await page.screenshot({ path: path.join(shotsDir, `${name}.png`) }); } };

/** The header box's options: [{group, title, href}]. */
async function popupHits(page) {
  return page.$$eval("#site-search-popup [role=option]", (opts) => opts.map((o) => ({
    group: (o.closest("[role=group]") || { getAttribute: () => "" }).getAttribute("aria-labelledby"),
    title: (o.querySelector(".hit-title") || o).textContent.trim(),
    href: o.getAttribute("href"),
    marked: Array.from(o.querySelectorAll("mark")).map((m) => m.textContent),
  })));
}
/** The results page: hit titles by list, facet values with counts. */
async function pageState(page) {
  return page.evaluate(() => {
    const hits = (which) => Array.from(document.querySelectorAll(`[data-list=${which}] .hit-title`)).map((t) => t.textContent.trim());
    const counts = (which) => { const c = document.querySelector(`#hits-${which} .count`); return c ? +c.textContent : 0; };
    const facets = {};
    for (const box of document.querySelectorAll("[data-facet]")) {
      const key = box.getAttribute("data-facet");
      facets[key] = facets[key] || {};
      facets[key][box.value] = { count: +box.closest("li").querySelector(".count").textContent, checked: box.checked };
    }
    return { entities: hits("entities"), docs: hits("docs"), entityCount: counts("entities"), facets,
      status: document.querySelector("[data-search-status]").textContent, search: window.location.search };
  });
}
async function waitResults(page) {
  await page.waitForFunction(() => {
    const s = document.querySelector("[data-search-status]");
    return s && s.textContent && !/Searching/.test(s.textContent) && (document.querySelector("[data-facets] fieldset") || /No results|Type/.test(s.textContent));
  });
}

try {
  await test("header box: '/' focuses it, results as you type, grouped, highlighted, keyboard", async () => {
    const context = await newContext();
    const page = await context.newPage();
    await page.goto(ORIGIN + "/catalog/default/group/team-a/");
    assert(await page.getAttribute("#site-search", "role") === "combobox", "the box is not a combobox");
    await page.keyboard.press("/");
    assert(await page.evaluate(() => document.activeElement.id) === "site-search", "'/' did not focus the box");
    await page.keyboard.type("wayb");
    await page.waitForSelector("#site-search-popup [role=option]");
    const hits = await popupHits(page);
    const entities = hits.filter((h) => h.group === "ssp-catalog");
    assert(entities.length >= 4, `prefix "wayb" found ${JSON.stringify(hits)}`);
    assert(entities.every((h) => /wayback/i.test(h.title)), `a hit without "wayback": ${JSON.stringify(entities)}`);
    assert(entities.some((h) => h.marked.some((m) => /^wayback/i.test(m))), "matched words are not highlighted");
    assert(entities.every((h) => h.href.startsWith("../../../../catalog/")), `hrefs are not relative: ${entities.map((h) => h.href)}`);
    assert(await page.getAttribute("#site-search", "aria-expanded") === "true", "aria-expanded not set");
    await shot(page, "popup-desktop-light");
    await page.keyboard.press("ArrowDown");
    const activeId = await page.getAttribute("#site-search", "aria-activedescendant");
    assert(activeId && await page.getAttribute("#" + activeId, "aria-selected") === "true", "ArrowDown selects no option");
    await Promise.all([page.waitForURL(/\/catalog\/default\/component\/wayback/), page.keyboard.press("Enter")]);
    // Escape closes; Enter without a chosen option opens the results page.
    await page.fill("#site-search", "artist");
    await page.waitForSelector("#site-search-popup:not([hidden]) [role=option]");
    await page.keyboard.press("Escape");
    assert(await page.isHidden("#site-search-popup"), "Escape did not close the results");
    await Promise.all([page.waitForURL(/\/search\/\?q=artist$/), page.keyboard.press("Enter")]);
    assertNoForeign(context, "header box");
    assert(localErrors.length === 0, `local requests failed:\n${localErrors.join("\n")}`);
    await context.close();
  });

  await test("results page: hits, facet counts, OR within and AND across facets, URL state", async () => {
    const context = await newContext();
    const page = await context.newPage();
    await page.goto(ORIGIN + "/search/?q=wayback");
    await waitResults(page);
    let s = await pageState(page);
    assert(await page.inputValue("#search-q") === "wayback", "query not restored from the URL");
    assert(s.entityCount >= 4 && s.entities.every((t) => /wayback/i.test(t)), `hits ${JSON.stringify(s.entities)}`);
    const kinds = s.facets.kind || {};
    assert(kinds.Component && kinds.Component.count >= 4, `kind counts ${JSON.stringify(kinds)}`);
    const owners = s.facets.owner || {};
    assert(owners["group:default/team-a"] && owners["group:default/team-d"], `owner facet ${JSON.stringify(owners)}`);
    // The owner facet rolls sub-groups up into their parent groups.
    const teamA = owners["group:default/team-a"].count;
    const teamD = owners["group:default/team-d"].count;
    await shot(page, "results-desktop-light");
    await page.check("input[data-facet=owner][value='group:default/team-a']");
    await page.waitForFunction(() => /owner=group/.test(window.location.search));
    s = await pageState(page);
    assert(s.entityCount === teamA, `team-a filter shows ${s.entityCount}, its count said ${teamA}`);
    assert(/owner=group%3Adefault%2Fteam-a/.test(s.search) && /q=wayback/.test(s.search), `URL ${s.search}`);
    // OR within a facet.
    await page.check("input[data-facet=owner][value='group:default/team-d']");
    await page.waitForFunction(() => (window.location.search.match(/owner=/g) || []).length === 2);
    s = await pageState(page);
    assert(s.entityCount === teamA + teamD, `team-a OR team-d shows ${s.entityCount}, expected ${teamA + teamD}`);
    // AND across facets: a kind no wayback entity of these owners has.
    await page.reload();
    await waitResults(page);
    s = await pageState(page);
    assert(s.facets.owner["group:default/team-d"].checked && s.entityCount === teamA + teamD, "state not restored on reload");
    await page.goto(ORIGIN + "/search/?q=wayback&owner=group%3Adefault%2Fteam-a&kind=API");
    await waitResults(page);
    s = await pageState(page);
    assert(s.entityCount === 0 && /No results/.test(s.status), `AND across facets: ${JSON.stringify(s)}`);
    assert(await page.isVisible("[data-drop=kind]"), "no suggestion to drop a filter");
    await page.click("[data-drop=kind]");
    await page.waitForFunction(() => !/kind=/.test(window.location.search) && document.querySelector("#hits-entities"));
    s = await pageState(page);
    assert(s.entityCount === teamA, `after dropping kind: ${s.entityCount}`);
    await context.close();
  });

  await test("results page: owner includes sub-groups, type-ahead, filters without words", async () => {
    const context = await newContext();
    const page = await context.newPage();
    // acme-corp owns little itself; its sub-groups own most of the catalog.
    await page.goto(ORIGIN + "/search/?owner=group%3Adefault%2Facme-corp&kind=Component");
    await waitResults(page);
    const s = await pageState(page);
    assert(s.entityCount > 5, `acme-corp and its sub-groups own ${s.entityCount} components`);
    await page.goto(ORIGIN + "/search/?q=service");
    await waitResults(page);
    const before = await page.$$eval("input[data-facet=owner]", (b) => b.length);
    if (await page.isVisible("#find-owner")) {
      await page.fill("#find-owner", "team-c");
      await page.waitForFunction(() => Array.from(document.querySelectorAll("input[data-facet=owner]")).every((b) => /team-c/i.test(b.closest("li").textContent)));
      assert(await page.evaluate(() => document.activeElement.id) === "find-owner", "type-ahead lost focus");
    } else {
      assert(before > 0, "no owner facet");
    }
    await context.close();
  });

  await test("from file:// and under a sub-path", async () => {
    const context = await newContext();
    const page = await context.newPage();
    await page.goto(pathToFileURL(path.join(siteDir, "index.html")).href);
    await page.fill("#site-search", "petstore");
    await page.waitForSelector("#site-search-popup [role=option]");
    let hits = await popupHits(page);
    assert(hits.some((h) => /petstore/i.test(h.title)), `file:// hits ${JSON.stringify(hits)}`);
    await page.goto(ORIGIN + SUB_PATH + "catalog/");
    await page.fill("#site-search", "petstore");
    await page.waitForSelector("#site-search-popup [role=option]");
    hits = await popupHits(page);
    const link = hits.find((h) => /petstore/i.test(h.title));
    assert(link, `sub-path hits ${JSON.stringify(hits)}`);
    const resolved = new URL(link.href, page.url()).pathname;
    assert(resolved.startsWith(SUB_PATH + "catalog/default/"), `hit resolves to ${resolved}`);
    await page.goto(ORIGIN + SUB_PATH + "search/?q=petstore");
    await waitResults(page);
    assert((await pageState(page)).entityCount >= 2, "no hits under the sub-path");
    assertNoForeign(context, "file:// and sub-path");
    await context.close();
  });

  await test("without JavaScript the box goes to the catalog, the page says why", async () => {
    const context = await newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(ORIGIN + "/search/");
    assert(await page.isVisible(".js-none-note a"), "no link to the catalog without JavaScript");
    const action = await page.getAttribute("header form.search", "action");
    assert(/catalog\/$/.test(action), `header form goes to ${action}`);
    await context.close();
  });

  for (const scheme of ["light", "dark"]) {
    for (const [vpName, viewport] of Object.entries(VIEWPORTS)) {
      await test(`axe: results page and open header box (${vpName}, ${scheme})`, async () => {
        const context = await newContext({ viewport, colorScheme: scheme });
        const page = await context.newPage();
        await page.goto(ORIGIN + "/search/?q=java&kind=Component");
        await waitResults(page);
        await page.fill("#site-search", "play");
        await page.waitForSelector("#site-search-popup [role=option]");
        await shot(page, `search-${vpName}-${scheme}`);
        const violations = await axeCheck(page);
        const bad = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
        assert(bad.length === 0, bad.map((v) => `[${v.impact}] ${v.id}: ${v.help}\n${v.nodes.join("\n")}`).join("\n"));
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert(overflow <= 1, `the page is ${overflow}px wider than the viewport`);
        await context.close();
      });
    }
  }
} finally {
  await browser.close().catch(() => {});
  server.close();
  clearTimeout(watchdog);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
