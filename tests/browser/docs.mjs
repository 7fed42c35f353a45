#!/usr/bin/env node
// Browser tests of TechDocs pages in a built portalgen site, in headless
// Chromium:  node docs.mjs SITE_DIR [--screenshots OUT_DIR]
// Checks the docs' navigation (sections, current page), breadcrumbs,
// previous/next, the edit link and owner, mermaid drawn from the bundled
// script only where a diagram is, the entity page's docs link and the
// catalog's "has docs" filter, pages without JavaScript, from file:// and
// under a sub-path, accessibility with axe-core at desktop and phone widths
// in light and dark mode, and that nothing is asked of another host.
// Expects the demo organisation (site.toml). Ends with "N passed, M failed".
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
const TOTAL_TIMEOUT_MS = 180_000;
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
  console.log("usage: node docs.mjs SITE_DIR [--screenshots OUT_DIR]");
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


const DOCS = "/docs/default/component/ci-runners/";

try {
  await test("docs page: the docs' navigation, current page, TOC, breadcrumbs, previous/next, edit link, owner", async () => {
    const context = await newContext();
    const page = await context.newPage();
    await page.goto(ORIGIN + DOCS + "usage/choosing/");
    const current = await page.textContent(".docs-nav a[aria-current=page]");
    assert(current.trim() === "Choosing a runner", `current page in the nav: ${current}`);
    assert(await page.getAttribute(".docs-nav details:has(a[aria-current=page])", "open") !== null, "the current section is not open");
    const closed = await page.$$eval(".docs-nav details:not([open]) > summary", (s) => s.map((x) => x.textContent.trim()));
    assert(closed.includes("Operations"), `other sections are closed: ${JSON.stringify(closed)}`);
    const crumbs = await page.$$eval(".docs-header .breadcrumbs li", (l) => l.map((x) => x.textContent.trim()));
    assert(sameList(crumbs, ["CI runners", "Docs", "Using the runners", "Choosing a runner"]), `breadcrumbs ${JSON.stringify(crumbs)}`);
    assert(/owned by\s+Site reliability/.test(await page.textContent(".docs-entity")), "owner not shown");
    assert(/github\.com\/acme\/ci-runners\/edit\/main\/docs\/usage\/choosing\.md$/.test(await page.getAttribute("a:has-text('Edit this page')", "href")), "edit link");
    await page.click(".docs-next");
    assert(new URL(page.url()).pathname === DOCS + "usage/caching/", `next goes to ${page.url()}`);
    await page.click(".docs-nav summary:has-text('Operations')");
    await page.click(".docs-nav a:has-text('Runbook')");
    assert(new URL(page.url()).pathname === DOCS + "operations/runbook/", `nav goes to ${page.url()}`);
    assertNoForeign(context, "docs pages");
    await context.close();
  });

  await test("mermaid: drawn from the bundled script, loaded only where a diagram is", async () => {
    const context = await newContext();
    const page = await context.newPage();
    const scripts = [];
    page.on("request", (r) => { if (/mermaid/.test(r.url())) { scripts.push(r.url()); } });
    await page.goto(ORIGIN + DOCS + "usage/caching/");
    await page.waitForLoadState("load");
    assert(scripts.length === 0, `a page without diagrams loaded ${scripts.join(", ")}`);
    await page.goto(ORIGIN + DOCS + "operations/architecture/");
    await page.waitForSelector(".docs-content .mermaid svg", { timeout: 20_000 });
    assert(scripts.some((s) => /static\/js\/mermaid\.min\.js$/.test(s)), "mermaid not loaded from the theme");
    assertNoForeign(context, "mermaid page");
    await context.close();
  });

  await test("entity page links to its docs; the catalog filters to entities with docs", async () => {
    const context = await newContext();
    const page = await context.newPage();
    await page.goto(ORIGIN + "/catalog/default/component/ci-runners/");
    await page.click("a.action-docs");
    assert(new URL(page.url()).pathname === DOCS, `docs link goes to ${page.url()}`);
    await page.goto(ORIGIN + "/catalog/?docs=yes");
    await page.waitForFunction(() => document.querySelector("[data-catalog-results]") && !document.querySelector("[data-catalog-results]").hidden);
    const names = await page.$$eval("[data-catalog-results] td.name a", (a) => a.map((x) => x.textContent.trim()));
    assert(names.length >= 3 && names.length < 10, `has-docs filter shows ${JSON.stringify(names)}`);
    assert(names.some((n) => /CI runners/.test(n)), `CI runners missing from ${JSON.stringify(names)}`);
    await context.close();
  });

  await test("docs without JavaScript, from file:// and under a sub-path", async () => {
    const noJs = await newContext({ javaScriptEnabled: false });
    let page = await noJs.newPage();
    await page.goto(ORIGIN + DOCS);
    await page.click(".docs-nav summary:has-text('Operations')");
    await page.click(".docs-nav a:has-text('Architecture')");
    assert(new URL(page.url()).pathname === DOCS + "operations/architecture/", "nav without JavaScript");
    assert((await page.textContent(".docs-content .mermaid")).includes("Job queue"), "diagram source readable without JavaScript");
    await noJs.close();
    const context = await newContext();
    page = await context.newPage();
    await page.goto(pathToFileURL(path.join(siteDir, "docs/default/component/ci-runners/index.html")).href);
    const css = await page.evaluate(() => getComputedStyle(document.querySelector(".docs-layout")).display);
    assert(css === "grid", `docs.css not applied from file:// (${css})`);
    await page.click(".docs-nav summary:has-text('Using the runners')");
    const href = await page.getAttribute(".docs-nav a:has-text('Choosing a runner')", "href");
    // With url_style = "directory" links end in a folder; "file" adds index.html.
    assert(/^usage\/choosing\/(index\.html)?$/.test(href), `file:// link is ${href}`);
    await page.goto(ORIGIN + SUB_PATH + DOCS.slice(1) + "operations/architecture/");
    await page.waitForSelector(".docs-content .mermaid svg", { timeout: 20_000 });
    assertNoForeign(context, "file:// and sub-path");
    await context.close();
  });

  for (const scheme of ["light", "dark"]) {
    for (const [vpName, viewport] of Object.entries(VIEWPORTS)) {
      await test(`axe and layout: docs page (${vpName}, ${scheme})`, async () => {
        const context = await newContext({ viewport, colorScheme: scheme });
        const page = await context.newPage();
        await page.goto(ORIGIN + DOCS + "usage/choosing/");
        await shot(page, `docs-${vpName}-${scheme}`);
        const violations = await axeCheck(page);
        const bad = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
        assert(bad.length === 0, bad.map((v) => `[${v.impact}] ${v.id}: ${v.help}\n${v.nodes.join("\n")}`).join("\n"));
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert(overflow <= 1, `the page is ${overflow}px wider than the viewport`);
        if (vpName === "phone") {
          assert(await page.isVisible(".docs-menu-link a"), "no menu link on phones");
        } else {
          assert(await page.isVisible(".docs-nav"), "docs nav hidden on desktop");
        }
        await context.close();
      });
    }
  }
  await test("every local request succeeded", async () => {
    assert(localErrors.length === 0, `requests failed:\n${[...new Set(localErrors)].join("\n")}`);
  });
} finally {
  await browser.close().catch(() => {});
  server.close();
  clearTimeout(watchdog);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
