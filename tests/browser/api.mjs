#!/usr/bin/env node
// Browser tests of the API definition views in a built portalgen site, in
// headless Chromium, from file:// (the offline case):
//   node api.mjs SITE_DIR [--screenshots OUT_DIR]
// Checks every example API page at desktop and phone widths in light and
// dark mode (axe-core, no sideways scrolling), outline deep links, the raw
// definition toggle and download, the views without JavaScript, and that
// nothing is asked of another host. Expects the demo organisation
// (site.toml). Ends with "N passed, M failed".
import { readFile, stat, mkdir } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL, fileURLToPath } from "node:url";
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
const VIEWPORTS = {
  desktop: { width: 1366, height: 900 },
  phone: { width: 390, height: 844 },
};
// Every API of Backstage's example catalog that has a definition.
const APIS = ["petstore", "petstore-webhook", "streetlights", "starwars-graphql", "hello-world", "hello-world-trpc"];
// Also checked in the other widths and schemes: one page per kind of view,
// spread so each combination runs two (axe is slow on a loaded machine).
const ELSEWHERE = {
  "phone light": ["petstore", "starwars-graphql"],
  "desktop dark": ["streetlights", "hello-world"],
  "phone dark": ["streetlights", "petstore"],
};

const args = process.argv.slice(2);
let siteDir = null;
let shotsDir = null;
for (let i = 0; i < args.length; i += 1) {
  if (args[i] === "--screenshots") { shotsDir = args[i + 1]; i += 1; }
  else if (!siteDir) { siteDir = args[i]; }
}
if (!siteDir) {
  console.log("usage: node api.mjs SITE_DIR [--screenshots OUT_DIR]");
  process.exit(2);
}
siteDir = path.resolve(siteDir);
try {
  if (!(await stat(path.join(siteDir, "index.html"))).isFile()) { throw new Error("not a file"); }
} catch {
  console.error(`${siteDir}: no index.html here; build the site first (portalgen build)`);
  process.exit(2);
}
if (shotsDir) { await mkdir(shotsDir, { recursive: true }); }
const pageUrl = (name) => pathToFileURL(path.join(siteDir, "catalog/default/api", name, "index.html")).href;

let passed = 0;
let failed = 0;
const watchdog = setTimeout(() => {
  console.log(`not ok - the whole run took longer than ${TOTAL_TIMEOUT_MS / 1000}s`);
  console.log(`${passed} passed, ${failed + 1} failed`);
  process.exit(1);
}, TOTAL_TIMEOUT_MS);

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
    console.log(`not ok - ${name}\n${String(err && err.message ? err.message : err).split("\n").map((l) => "    " + l).join("\n")}`);
  } finally {
    clearTimeout(timer);
  }
}
function assert(condition, message) { if (!condition) { throw new Error(message); } }

const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true, timeout: 30_000 });

async function newContext(options = {}) {
  const context = await browser.newContext({ viewport: VIEWPORTS.desktop, ...options });
  context.setDefaultTimeout(STEP_TIMEOUT_MS);
  context.setDefaultNavigationTimeout(STEP_TIMEOUT_MS);
  context.foreign = [];
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith("file:") || url.startsWith("data:") || url.startsWith("about:")) { return route.continue(); }
    context.foreign.push(url);
    return route.abort();
  });
  return context;
}

async function axeViolations(page) {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ["violations"] });
    return r.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `[${v.impact}] ${v.id}: ${v.help}\n  ${v.nodes.slice(0, 4).map((n) => n.target.join(" ")).join("\n  ")}`);
  });
}

try {
  for (const scheme of ["light", "dark"]) {
    for (const [vpName, viewport] of Object.entries(VIEWPORTS)) {
      const context = await newContext({ viewport, colorScheme: scheme });
      const page = await context.newPage();
      const names = scheme === "light" && vpName === "desktop" ? APIS : ELSEWHERE[`${vpName} ${scheme}`];
      for (const name of names) {
        await test(`api page ${name} (${vpName}, ${scheme}): accessible, no sideways scrolling`, async () => {
          await page.goto(pageUrl(name));
          const card = page.locator(".api-card");
          assert(await card.count() === 1, "no definition card");
          const problem = await page.locator(".api-problem").count();
          assert(problem === 0, "the definition is shown as raw text with a problem");
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
          assert(overflow <= 1, `the page scrolls sideways by ${overflow}px`);
          const violations = await axeViolations(page);
          assert(violations.length === 0, violations.join("\n"));
          if (shotsDir) {
            await card.screenshot({ path: path.join(shotsDir, `${name}-${vpName}-${scheme}.png`) });
          }
        });
      }
      assert(context.foreign.length === 0, `requests to other hosts: ${context.foreign.join(", ")}`);
      await context.close();
    }
  }

  const context = await newContext();
  const page = await context.newPage();
  await test("outline links scroll to the operation (deep links)", async () => {
    await page.goto(pageUrl("petstore"));
    await page.click(".api-outline a[href='#api-op-showPetById']");
    await page.waitForFunction(() => location.hash === "#api-op-showPetById");
    const top = await page.evaluate(() => document.getElementById("api-op-showPetById").getBoundingClientRect().top);
    assert(top >= 0 && top < 400, `operation is at ${top}px after following its link`);
  });
  await test("GraphQL: a type use links to its definition", async () => {
    await page.goto(pageUrl("starwars-graphql"));
    const link = page.locator("pre.api-source a[href='#api-type-Planet']").first();
    await link.click();
    const top = await page.evaluate(() => document.getElementById("api-type-Planet").getBoundingClientRect().top);
    assert(top >= 0 && top < 400, `type definition is at ${top}px`);
  });
  await test("raw definition opens and its download is the full file", async () => {
    await page.goto(pageUrl("petstore"));
    const raw = page.locator("details#api-raw");
    assert(!(await raw.evaluate((d) => d.open)), "raw definition starts closed under the reference");
    await raw.locator("summary").click();
    assert(await raw.locator("pre").isVisible(), "raw definition visible after opening");
    const href = await page.locator(".api-actions a[download]").getAttribute("href");
    const file = fileURLToPath(new URL(href, page.url()));
    const text = await readFile(file, "utf8");
    assert(text.startsWith("openapi:") && text.includes("/pets/{petId}"), `download ${file} is not the definition`);
  });
  await context.close();

  const noJs = await newContext({ javaScriptEnabled: false });
  const plain = await noJs.newPage();
  await test("the views work without JavaScript", async () => {
    await plain.goto(pageUrl("streetlights"));
    assert(await plain.locator("#api-reference").isVisible(), "reference hidden");
    assert(await plain.locator(".api-outline a").first().isVisible(), "outline hidden");
    await plain.goto(pageUrl("hello-world"));
    assert(await plain.locator("pre.api-source").isVisible(), "proto source hidden");
  });
  await noJs.close();
} finally {
  clearTimeout(watchdog);
  await browser.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
