#!/usr/bin/env node
// Relation graphs in headless Chromium, with the browser's own font metrics:
//   node graph.mjs SITE_DIR
// On every entity page: the graph is there, accessible (title, desc, links),
// no two nodes overlap, every label fits inside its node, edge labels keep
// off the nodes, and at phone width the text stays readable. The explorer
// draws a chosen scope with its script, and zooms. Ends with "N passed, M failed".
import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--hide-scrollbars"];
const siteDir = path.resolve(process.argv[2] || "");
let passed = 0;
let failed = 0;
const watchdog = setTimeout(() => { console.log("not ok - took longer than 120s"); console.log(`${passed} passed, ${failed + 1} failed`); process.exit(1); }, 120_000);

async function test(name, fn) {
  try { await fn(); passed += 1; console.log(`ok - ${name}`); }
  catch (err) { failed += 1; console.log(`not ok - ${name}\n    ${String(err && err.message ? err.message : err).split("\n").join("\n    ")}`); }
}
function assert(condition, message) { if (!condition) { throw new Error(message); } }

async function entityPages() {
  const out = [];
  const base = path.join(siteDir, "catalog");
  for (const ns of await readdir(base)) {
    if (ns.startsWith("_") || !(await stat(path.join(base, ns))).isDirectory()) { continue; }
    for (const kind of await readdir(path.join(base, ns))) {
      for (const name of await readdir(path.join(base, ns, kind))) {
        out.push(path.join(base, ns, kind, name, "index.html"));
      }
    }
  }
  return out.sort();
}

// Geometry of one page's graph, measured in SVG units.
function measure() {
  const svg = document.querySelector(".card-graph svg.graph-svg");
  if (!svg) { return null; }
  const box = (el) => { const b = el.getBBox(); return { x: b.x, y: b.y, w: b.width, h: b.height }; };
  const nodes = Array.from(svg.querySelectorAll(".gn")).map((g) => {
    const shape = box(g.querySelector(".gb"));
    const texts = Array.from(g.querySelectorAll("text")).map((t) => ({ text: t.textContent, ...box(t) }));
    return { shape, texts, link: g.tagName.toLowerCase() === "a" ? g.getAttribute("href") : null, title: g.querySelector("title") && g.querySelector("title").textContent };
  });
  const labels = Array.from(svg.querySelectorAll("text.gl")).map((t) => ({ text: t.textContent, ...box(t) }));
  const view = svg.viewBox.baseVal;
  return {
    title: svg.querySelector("title") && svg.querySelector("title").textContent,
    desc: svg.querySelector("desc") && svg.querySelector("desc").textContent,
    labelledby: svg.getAttribute("aria-labelledby"),
    nodes, labels,
    scale: svg.getBoundingClientRect().width / view.width,
    legend: document.querySelectorAll(".card-graph .graph-legend li").length,
  };
}

const overlap = (a, b, pad = 0) => a.x < b.x + b.w - pad && b.x < a.x + a.w - pad && a.y < b.y + b.h - pad && b.y < a.y + a.h - pad;

const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
try {
  const pages = await entityPages();
  const desktop = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const page = await desktop.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await test(`every entity page (${pages.length}) has a readable graph: no overlaps, labels fit, links`, async () => {
    const problems = [];
    for (const file of pages) {
      await page.goto(pathToFileURL(file).href);
      const g = await page.evaluate(measure);
      const where = path.relative(siteDir, file);
      if (!g) { problems.push(`${where}: no graph`); continue; }
      if (!g.title || !g.desc || !g.labelledby) { problems.push(`${where}: SVG without title/desc`); }
      if (g.nodes.length === 0 || g.legend === 0) { problems.push(`${where}: empty graph or legend`); }
      g.nodes.forEach((n, i) => {
        if (!n.title) { problems.push(`${where}: node ${i} without tooltip`); }
        n.texts.forEach((t) => {
          if (t.x < n.shape.x + 1 || t.x + t.w > n.shape.x + n.shape.w - 1) { problems.push(`${where}: "${t.text}" (${t.w.toFixed(0)}px) spills out of its node (${n.shape.w}px)`); }
        });
        g.nodes.slice(i + 1).forEach((m) => { if (overlap(n.shape, m.shape)) { problems.push(`${where}: nodes overlap: ${n.texts[0].text} / ${m.texts[0].text}`); } });
        g.labels.forEach((l) => { if (overlap(n.shape, l, 1)) { problems.push(`${where}: edge label "${l.text}" over node ${n.texts[0].text}`); } });
      });
      g.labels.forEach((l, i) => g.labels.slice(i + 1).forEach((m) => { if (overlap(l, m, 1)) { problems.push(`${where}: edge labels overlap: ${l.text} / ${m.text}`); } }));
      const center = g.nodes.filter((n) => n.link === null || n.link).length;
      if (center === 0) { problems.push(`${where}: no node is a link`); }
    }
    assert(problems.length === 0, problems.slice(0, 20).join("\n"));
    assert(errors.length === 0, errors.join("\n"));
  });

  await test("node links lead to entity pages", async () => {
    const file = pages.find((p) => p.includes(`${path.sep}group${path.sep}team-a${path.sep}`)) || pages[0];
    await page.goto(pathToFileURL(file).href);
    const hrefs = await page.$$eval(".card-graph a.gn", (as) => as.map((a) => new URL(a.getAttribute("href"), window.location.href).href));
    assert(hrefs.length > 3, `only ${hrefs.length} links`);
    for (const href of hrefs) {
      const target = decodeURIComponent(new URL(href).pathname);
      const f = target.endsWith("/") ? target + "index.html" : target;
      assert((await stat(f).catch(() => null)) !== null, `${href} does not exist`);
    }
  });

  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, colorScheme: "dark" });
  const phonePage = await phone.newPage();
  await test("phone width: graph text stays at least 9px, the figure scrolls instead of the page", async () => {
    const problems = [];
    for (const file of pages.filter((_, i) => i % 3 === 0)) {
      await phonePage.goto(pathToFileURL(file).href);
      const g = await phonePage.evaluate(measure);
      if (g && g.scale * 13 < 9) { problems.push(`${path.relative(siteDir, file)}: names drawn at ${(g.scale * 13).toFixed(1)}px`); }
      const wide = await phonePage.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
      if (wide) { problems.push(`${path.relative(siteDir, file)}: the page scrolls sideways`); }
    }
    assert(problems.length === 0, problems.join("\n"));
  });

  await test("explorer: a static overview without script; with it, a chosen scope is drawn and zooms", async () => {
    const url = pathToFileURL(path.join(siteDir, "graph", "index.html")).href;
    const noJs = await browser.newContext({ javaScriptEnabled: false });
    const p0 = await noJs.newPage();
    await p0.goto(url);
    assert(await p0.$$eval(".explorer svg .gn", (n) => n.length) > 5, "no overview without JavaScript");
    await noJs.close();
    await page.goto(url);
    await page.waitForSelector(".explorer-controls:not([hidden])");
    const system = await page.$eval("#x-scope optgroup[label=System] option", (o) => o.value);
    await page.selectOption("#x-scope", system);
    await page.waitForFunction(() => document.querySelector("[data-explorer-status]").textContent.includes("entities"));
    const drawn = await page.$$eval(".explorer svg .gn", (n) => n.length);
    assert(drawn >= 2, `scope ${system}: ${drawn} nodes`);
    assert(page.url().includes("scope="), "the address keeps the scope");
    const before = await page.$eval(".explorer svg", (s) => s.getAttribute("viewBox"));
    await page.click("[data-zoom=in]");
    const after = await page.$eval(".explorer svg", (s) => s.getAttribute("viewBox"));
    assert(before !== after, "zoom did not change the view");
    await page.uncheck("input[name=rel][value=part-of]");
    await page.waitForTimeout(50);
    const edges = await page.$$eval(".explorer svg path.ge.e-part-of", (e) => e.length);
    assert(edges === 0, "part-of edges still drawn after unchecking");
    assert(errors.length === 0, errors.join("\n"));
  });
} finally {
  await browser.close();
  clearTimeout(watchdog);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
