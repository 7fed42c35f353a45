// The shared part of the browser test scripts: argument parsing, a static
// server for the built site (also under a sub-path), the test runner, a
// Chromium context that refuses other hosts, and axe-core.
import { createServer } from "node:http";
import { readFile, stat, mkdir } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

/** Starts the server and Chromium for `script` (its name, for the usage line). */
export async function start(script, TOTAL_TIMEOUT_MS) {

  const require = createRequire(import.meta.url);
  const AXE_SOURCE = await readFile(require.resolve("axe-core/axe.min.js"), "utf8");

  const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
  const CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--hide-scrollbars",
  ];
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
    console.log(`usage: node ${script} SITE_DIR [--screenshots OUT_DIR]`);
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

  /** Closes everything and exits with the summary line the Rust side reads. */
  async function finish() {
    await browser.close().catch(() => {});
    server.close();
    clearTimeout(watchdog);
    console.log(`${passed} passed, ${failed} failed`);
    process.exit(failed > 0 ? 1 : 0);
  }
  return {
    siteDir, ORIGIN, SUB_PATH, VIEWPORTS, localErrors, browser,
    test, assert, sameList, newContext, assertNoForeign, axeCheck, shot, finish,
  };
}
