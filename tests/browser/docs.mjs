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
import { pathToFileURL } from "node:url";
import path from "node:path";
import { start } from "./harness.mjs";

const {
  siteDir, ORIGIN, SUB_PATH, VIEWPORTS, localErrors, browser,
  test, assert, sameList, newContext, assertNoForeign, axeCheck, shot, finish,
} = await start("docs.mjs", 180_000);


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
  await finish();
}
