#!/usr/bin/env node
// `portalgen serve` in headless Chromium:
//   node serve.mjs PAGE_URL CATALOG_FILE
// Opens an entity page served by `portalgen serve`, edits the entity's
// description in CATALOG_FILE on disk and waits for the page to show it
// without a manual reload (keeping the scroll position); then breaks the
// file and waits for the error overlay, fixes it and waits for the overlay
// to go. Ends with "N passed, M failed".
import { readFile, writeFile } from "node:fs/promises";
import { chromium } from "playwright-core";

const [pageUrl, catalogFile] = process.argv.slice(2);
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--hide-scrollbars",
];
const WAIT_MS = 30_000;

let passed = 0;
let failed = 0;
async function check(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok - ${name}`);
  } catch (e) {
    failed++;
    console.log(`not ok - ${name}: ${e.message.split("\n")[0]}`);
  }
}

const original = await readFile(catalogFile, "utf8");
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
const killer = setTimeout(() => { console.log("timed out"); process.exit(1); }, 120_000);
try {
  const page = await browser.newPage({ viewport: { width: 1000, height: 500 } });
  await page.goto(pageUrl, { waitUntil: "load" });
  // The event stream is open once the page has loaded its script.
  await page.waitForTimeout(500);

  await check("an edited description shows without a manual reload, at the same scroll position", async () => {
    if (!(await page.textContent("body")).includes("First description")) throw new Error("page does not show the entity");
    await page.evaluate(() => window.scrollTo(0, 200));
    const y = await page.evaluate(() => window.scrollY);
    await writeFile(catalogFile, original.replace("First description", "Second description"));
    await page.waitForFunction(() => document.body.innerText.includes("Second description"), null, { timeout: WAIT_MS });
    await page.waitForLoadState("load");
    await page.waitForFunction((y) => Math.abs(window.scrollY - y) < 5, y, { timeout: 5_000 });
  });

  await check("a broken file shows the overlay with file and line, and fixing it clears it", async () => {
    await writeFile(catalogFile, original.replace("First description", "[broken"));
    const overlay = await page.waitForSelector("#portalgen-serve-overlay", { timeout: WAIT_MS });
    const text = await overlay.innerText();
    if (!/catalog-info\.yaml:\d+/.test(text)) throw new Error(`overlay without file and line: ${text}`);
    if (!text.includes("not valid YAML")) throw new Error(`overlay without the message: ${text}`);
    await writeFile(catalogFile, original.replace("First description", "Third description"));
    await page.waitForFunction(
      () => !document.getElementById("portalgen-serve-overlay") && document.body.innerText.includes("Third description"),
      null,
      { timeout: WAIT_MS },
    );
  });
} finally {
  clearTimeout(killer);
  await browser.close();
  await writeFile(catalogFile, original);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
