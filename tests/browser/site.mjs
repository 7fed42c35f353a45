#!/usr/bin/env node
// Browser tests of a built portalgen site, in headless Chromium:
//   node site.mjs SITE_DIR [--screenshots OUT_DIR]
// Serves SITE_DIR on 127.0.0.1 (random port, also under /sub/path/), then
// checks accessibility with axe-core, the catalog filters, the theme toggle,
// the pages without JavaScript, from file:// and under a sub-path, and that
// no page asks any other host for anything. Ends with "N passed, M failed".
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
const TOTAL_TIMEOUT_MS = 300_000; // the whole run
const STEP_TIMEOUT_MS = 15_000; // one navigation or wait
const SUB_PATH = "/sub/path/"; // the site is served here too

const PAGES = [
  ["home", "/"],
  ["catalog", "/catalog/"],
  ["kind", "/catalog/_kind/component/"],
  ["component", "/catalog/default/component/artist-lookup/"],
  ["group", "/catalog/default/group/team-a/"],
  ["user", "/catalog/default/user/breanna.davison/"],
  ["api", "/catalog/default/api/petstore/"],
  ["system", "/catalog/default/system/artist-engagement-portal/"],
  ["problems", "/problems/"],
  ["sources", "/sources/"],
];
const VIEWPORTS = {
  desktop: { width: 1366, height: 900 },
  phone: { width: 390, height: 844 },
};

// ---------------------------------------------------------------- arguments
const args = process.argv.slice(2);
let siteDir = null;
let shotsDir = null;
for (let i = 0; i < args.length; i += 1) {
  if (args[i] === "--screenshots") { shotsDir = args[i + 1]; i += 1; }
  else if (args[i] === "--help" || args[i] === "-h") { usage(0); }
  else if (!siteDir) { siteDir = args[i]; }
  else { usage(2); }
}
if (!siteDir || (args.includes("--screenshots") && !shotsDir)) { usage(2); }
function usage(code) {
  console.log("usage: node site.mjs SITE_DIR [--screenshots OUT_DIR]");
  process.exit(code);
}
siteDir = path.resolve(siteDir);
try {
  if (!(await stat(path.join(siteDir, "index.html"))).isFile()) { throw new Error("not a file"); }
} catch {
  console.error(`${siteDir}: no index.html here; build the site first (portalgen build)`);
  process.exit(2);
}
if (shotsDir) { await mkdir(shotsDir, { recursive: true }); }

// A hard stop, whatever happens.
const watchdog = setTimeout(() => {
  console.log(`not ok - the whole run took longer than ${TOTAL_TIMEOUT_MS / 1000}s`);
  console.log(`${passed} passed, ${failed + 1} failed`);
  process.exit(1);
}, TOTAL_TIMEOUT_MS);

// ------------------------------------------------------------------ server
const TYPES = {
  ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8", ".json": "application/json", ".svg": "image/svg+xml",
  ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif", ".webp": "image/webp",
  ".ico": "image/x-icon", ".txt": "text/plain; charset=utf-8", ".xml": "application/xml", ".woff2": "font/woff2",
  ".yaml": "text/plain; charset=utf-8", ".md": "text/plain; charset=utf-8",
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

const axeSummary = { serious: 0, critical: 0, moderate: 0, minor: 0 };
const lesser = new Map(); // moderate and minor findings (by rule, with pages), reported but not failed

// ------------------------------------------------------------------- tests
try {
  // (a) accessibility: every page at both widths, in both colour schemes.
  for (const scheme of ["light", "dark"]) {
    for (const [vpName, viewport] of Object.entries(VIEWPORTS)) {
      const context = await newContext({ viewport, colorScheme: scheme });
      const page = await context.newPage();
      for (const [name, url] of PAGES) {
        await test(`axe: ${name} (${vpName}, ${scheme})`, async () => {
          context.foreign.length = 0;
          await page.goto(ORIGIN + url, { waitUntil: "load" });
          if (name === "catalog" || name === "kind") { await page.waitForSelector("[data-catalog-filters]:not([hidden])"); }
          const violations = await axeCheck(page);
          for (const v of violations) {
            axeSummary[v.impact] = (axeSummary[v.impact] || 0) + v.count;
            if (v.impact !== "serious" && v.impact !== "critical") {
              const key = `${v.impact} ${v.id}: ${v.help}`;
              if (!lesser.has(key)) { lesser.set(key, new Set()); }
              lesser.get(key).add(name);
            }
          }
          const bad = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
          if (shotsDir) {
            await page.screenshot({ path: path.join(shotsDir, `${name}-${vpName}-${scheme}.png`), fullPage: true });
          }
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          assert(overflow <= 1, `the page is ${overflow}px wider than the ${viewport.width}px viewport`);
          assert(bad.length === 0, bad.map((v) => `[${v.impact}] ${v.id}: ${v.help} (${v.count} nodes)\n${v.nodes.map((n) => "  " + n).join("\n")}`).join("\n"));
          assertNoForeign(context, url);
        });
      }
      await context.close();
    }
  }

  // (b) catalog filters: kind + owner, state in the URL, restored on reload.
  await test("catalog filter: kind and owner, URL state, reload", async () => {
    const context = await newContext();
    const page = await context.newPage();
    await page.goto(ORIGIN + "/catalog/");
    await page.waitForSelector("[data-catalog-filters]:not([hidden])");
    assert(await page.evaluate(() => window.PORTALGEN_CATALOG === undefined), "the catalog data loaded before filtering started");
    await page.selectOption("#f-kind", "Component");
    await page.fill("#f-owner", "team-a");
    await page.waitForFunction(() => /owner=team-a/.test(window.location.search) && !document.querySelector("[data-catalog-results]").hidden);
    const rows = await visibleRows(page);
    const expected = await page.evaluate(() => window.PORTALGEN_CATALOG
      .filter((r) => r.kind === "Component" && r.owner && (r.owner.title + " " + r.owner.ref).toLowerCase().includes("team-a"))
      .map((r) => r.ref));
    assert(rows.length > 0, "no rows shown for kind=Component owner=team-a");
    assert(rows.every((r) => r.kind === "Component"), `a row of another kind: ${JSON.stringify(rows)}`);
    assert(rows.every((r) => /team-a/i.test(r.owner)), `a row of another owner: ${JSON.stringify(rows)}`);
    assert(sameList(rows.map((r) => r.ref), expected), `rows ${rows.map((r) => r.ref)} but expected ${expected}`);
    const query = new URL(page.url()).searchParams;
    assert(query.get("kind") === "Component" && query.get("owner") === "team-a", `URL query is "${new URL(page.url()).search}"`);
    const status = await page.textContent(".filter-status");
    assert(status.includes(String(expected.length)), `status says "${status}" for ${expected.length} rows`);
    await page.reload();
    await page.waitForFunction(() => !document.querySelector("[data-catalog-results]").hidden);
    assert(await page.inputValue("#f-kind") === "Component", "kind not restored from the URL");
    assert(await page.inputValue("#f-owner") === "team-a", "owner not restored from the URL");
    const again = await visibleRows(page);
    assert(sameList(again.map((r) => r.ref), rows.map((r) => r.ref)), "different rows after reload");
    // Clearing the filters brings the static table back and empties the query.
    await page.selectOption("#f-kind", "");
    await page.fill("#f-owner", "");
    await page.waitForFunction(() => document.querySelector("[data-catalog-results]").hidden);
    assert(new URL(page.url()).search === "", `query left after clearing: ${new URL(page.url()).search}`);
    assertNoForeign(context, "/catalog/");
    await context.close();
  });

  await test("catalog filter: type, lifecycle, tag, namespace and no match", async () => {
    const context = await newContext();
    const page = await context.newPage();
    await page.goto(ORIGIN + "/catalog/?type=service&lifecycle=production");
    await page.waitForFunction(() => !document.querySelector("[data-catalog-results]").hidden);
    let rows = await visibleRows(page);
    assert(rows.length > 0 && rows.every((r) => r.type === "service" && r.lifecycle === "production"), `rows ${JSON.stringify(rows)}`);
    await page.goto(ORIGIN + "/catalog/?tag=java&namespace=default");
    await page.waitForFunction(() => !document.querySelector("[data-catalog-results]").hidden);
    rows = await visibleRows(page);
    assert(rows.length > 0 && rows.every((r) => r.tags.includes("java")), `rows ${JSON.stringify(rows)}`);
    await page.fill("#f-q", "no-such-entity-anywhere");
    await page.waitForFunction(() => /q=no-such/.test(window.location.search));
    await page.waitForFunction(() => /No entity matches/.test(document.querySelector(".filter-status").textContent));
    assert((await visibleRows(page)).length === 0, "rows shown for a query that matches nothing");
    await context.close();
  });

  await test("kind page: filters start at its kind and keep the URL clean", async () => {
    const context = await newContext();
    const page = await context.newPage();
    await page.goto(ORIGIN + "/catalog/_kind/api/");
    await page.waitForSelector("[data-catalog-filters]:not([hidden])");
    assert(await page.inputValue("#f-kind") === "API", "kind select does not start at API");
    assert(new URL(page.url()).search === "", `query added on load: ${new URL(page.url()).search}`);
    await page.focus("#f-type"); // focusing the form loads the catalog data and fills the lists
    await page.waitForSelector("#f-type option[value='openapi']", { state: "attached" });
    await page.selectOption("#f-type", "openapi");
    await page.waitForFunction(() => !document.querySelector("[data-catalog-results]").hidden);
    const rows = await visibleRows(page);
    assert(rows.length > 0 && rows.every((r) => r.kind === "API" && r.type === "openapi"), `rows ${JSON.stringify(rows)}`);
    await context.close();
  });

  // (b) without JavaScript the header search box sends ?q= to the catalog,
  // which filters (with it, the box searches: tests/browser/search.mjs).
  await test("header search: ?q=artist shows only matching rows", async () => {
    const context = await newContext();
    const page = await context.newPage();
    await page.goto(ORIGIN + "/catalog/?q=artist");
    await page.waitForFunction(() => !document.querySelector("[data-catalog-results]").hidden);
    const rows = await visibleRows(page);
    const total = await page.evaluate(() => window.PORTALGEN_CATALOG.length);
    assert(rows.length > 0 && rows.length < total, `${rows.length} rows of ${total}`);
    for (const r of rows) {
      assert(/artist/i.test(`${r.ref} ${r.title} ${r.description}`), `row does not match "artist": ${JSON.stringify(r)}`);
    }
    assert(await page.inputValue("#f-q") === "artist", "text filter does not show the query");
    assert(await page.inputValue("#site-search") === "artist", "header search box does not show the query");
    assertNoForeign(context, "header search");
    await context.close();
  });

  // (c) theme toggle: sets data-theme and persists across a reload.
  await test("theme toggle sets data-theme and persists", async () => {
    const context = await newContext({ colorScheme: "light" });
    const page = await context.newPage();
    await page.goto(ORIGIN + "/catalog/default/component/artist-lookup/");
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const light = await background();
    assert(await page.getAttribute("html", "data-theme") === null, "data-theme set before any choice");
    await page.click(".theme-toggle");
    assert(await page.getAttribute("html", "data-theme") === "dark", "toggle did not set data-theme=dark");
    assert(await page.getAttribute(".theme-toggle", "aria-pressed") === "true", "toggle not aria-pressed");
    const dark = await background();
    assert(dark !== light, `background stayed ${light}`);
    await page.reload();
    assert(await page.getAttribute("html", "data-theme") === "dark", "dark theme lost on reload");
    assert(await background() === dark, "dark background lost on reload");
    await page.goto(ORIGIN + "/");
    assert(await page.getAttribute("html", "data-theme") === "dark", "dark theme lost on another page");
    await page.click(".theme-toggle");
    await page.reload();
    assert(await page.getAttribute("html", "data-theme") === "light", "light choice lost on reload");
    await context.close();
    // Following the system setting when nothing was chosen.
    const darkSystem = await newContext({ colorScheme: "dark" });
    const p2 = await darkSystem.newPage();
    await p2.goto(ORIGIN + "/");
    const systemDark = await p2.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert(systemDark !== light, "a dark system setting does not darken the page");
    assert(await p2.getAttribute(".theme-toggle", "aria-pressed") === "true", "toggle does not show the system's dark theme");
    await darkSystem.close();
  });

  await test("navigation: hamburger only on narrow screens, drawer opens, keyboard skip link", async () => {
    const context = await newContext();
    const page = await context.newPage();
    await page.goto(ORIGIN + "/");
    assert(!(await page.isVisible(".nav-toggle")), "menu button visible on a desktop screen");
    assert(await page.isVisible("#sidenav"), "side navigation hidden on a desktop screen");
    await page.keyboard.press("/");
    assert(await page.evaluate(() => document.activeElement.id === "site-search"), '"/" does not focus the search box');
    await page.evaluate(() => document.activeElement.blur());
    await page.reload();
    await page.keyboard.press("Tab");
    assert(await page.evaluate(() => document.activeElement.classList.contains("skip-link")), "first Tab does not reach the skip link");
    assert(await page.isVisible(".skip-link"), "focused skip link is not visible");
    await page.evaluate(() => document.activeElement.blur());
    await page.setViewportSize(VIEWPORTS.phone);
    assert(await page.isVisible(".nav-toggle"), "menu button hidden on a phone");
    assert(!(await page.isVisible("#sidenav")), "side navigation open on a phone before the button is pressed");
    await page.click(".nav-toggle");
    assert(await page.isVisible("#sidenav a[href*='catalog']"), "drawer did not open");
    assert(await page.getAttribute(".nav-toggle", "aria-expanded") === "true", "aria-expanded not updated");
    await page.keyboard.press("Escape");
    assert(!(await page.isVisible("#sidenav")), "Escape does not close the drawer");
    await context.close();
  });

  await test("without JavaScript: catalog table, navigation and links all there", async () => {
    const context = await newContext({ javaScriptEnabled: false, viewport: VIEWPORTS.phone });
    const page = await context.newPage();
    await page.goto(ORIGIN + "/catalog/");
    const rows = await page.locator("[data-catalog-static] table.entities tbody tr").count();
    assert(rows > 0, "no rows in the static catalog table");
    assert(await page.isVisible("[data-catalog-static] table.entities"), "static table not visible");
    assert(!(await page.isVisible("[data-catalog-filters]")), "filter form shown without JavaScript");
    assert(!(await page.isVisible(".nav-toggle")), "a menu button that cannot work is shown");
    assert(await page.isVisible("#sidenav a[href$='problems/']"), "navigation unreachable without JavaScript on a phone");
    await page.goto(ORIGIN + "/catalog/default/component/artist-lookup/");
    assert(await page.isVisible("h1"), "entity page has no visible heading");
    if (shotsDir) { await page.screenshot({ path: path.join(shotsDir, "nojs-catalog-phone.png"), fullPage: true }); }
    await context.close();
  });

  // Under a sub-path: relative links, styles and scripts still resolve.
  await test(`under a sub-path (${SUB_PATH})`, async () => {
    const context = await newContext();
    const page = await context.newPage();
    await page.goto(ORIGIN + SUB_PATH + "catalog/default/component/artist-lookup/");
    const styled = await page.evaluate(() => getComputedStyle(document.querySelector(".topbar")).position);
    assert(styled === "sticky", "stylesheet not applied under a sub-path");
    await page.click("#sidenav a[href$='catalog/']");
    await page.waitForURL(ORIGIN + SUB_PATH + "catalog/");
    await page.selectOption("#f-kind", "API");
    await page.waitForFunction(() => !document.querySelector("[data-catalog-results]").hidden);
    const first = page.locator("[data-catalog-results] tbody tr td.name a").first();
    await Promise.all([page.waitForURL(new RegExp("^" + ORIGIN + SUB_PATH + "catalog/default/api/")), first.click()]);
    assertNoForeign(context, SUB_PATH);
    await context.close();
  });

  // From file://: the stylesheet applies and the filters work (data is a script).
  await test("from file://", async () => {
    const context = await newContext();
    const page = await context.newPage();
    await page.goto(pathToFileURL(path.join(siteDir, "catalog/index.html")).href + "?kind=Group");
    assert(await page.evaluate(() => getComputedStyle(document.querySelector(".topbar")).position) === "sticky", "stylesheet not applied");
    await page.waitForFunction(() => !document.querySelector("[data-catalog-results]").hidden);
    const rows = await visibleRows(page);
    assert(rows.length > 0 && rows.every((r) => r.kind === "Group"), `rows ${JSON.stringify(rows)}`);
    assertNoForeign(context, "file://");
    await context.close();
  });

  // (d) no page asks another host for anything; local files all exist.
  await test("every page: no requests to other hosts, no missing local files", async () => {
    const context = await newContext();
    const page = await context.newPage();
    for (const [, url] of PAGES) {
      await page.goto(ORIGIN + url, { waitUntil: "load" });
    }
    context.expect404 = true;
    const res = await page.goto(ORIGIN + "/no/such/page/");
    assert(res.status() === 404, `status ${res.status()} for a missing page`);
    assert(await page.evaluate(() => getComputedStyle(document.querySelector(".topbar")).position) === "sticky", "404 page not styled");
    context.expect404 = false;
    assertNoForeign(context, "the pages");
    assert(localErrors.length === 0, `local requests failed:\n${[...new Set(localErrors)].join("\n")}`);
    await context.close();
  });
} finally {
  await browser.close().catch(() => {});
  server.close();
  clearTimeout(watchdog);
}

/** The rows of the filtered results table, as plain data. */
async function visibleRows(page) {
  return page.$$eval("[data-catalog-results] table.entities tbody tr", (trs) => trs.map((tr) => {
    const cell = (label) => {
      const td = tr.querySelector(`td[data-label="${label}"]`);
      return td ? td.textContent.trim() : "";
    };
    return {
      ref: tr.getAttribute("data-ref"),
      kind: cell("Kind"),
      type: cell("Type"),
      owner: cell("Owner"),
      lifecycle: cell("Lifecycle"),
      tags: Array.from(tr.querySelectorAll(".tag")).map((t) => t.textContent.trim()),
      title: cell("Name"),
      description: cell("Description"),
    };
  }));
}

for (const [rule, pages] of [...lesser].sort()) { console.log(`note - axe ${rule} (${[...pages].join(", ")})`); }
console.log(`axe: ${axeSummary.critical} critical, ${axeSummary.serious} serious, ${axeSummary.moderate} moderate, ${axeSummary.minor} minor findings (nodes)`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
