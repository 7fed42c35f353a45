#!/usr/bin/env node
// Browser tests of search in a built portalgen site, in headless Chromium:
//   node search.mjs SITE_DIR [--screenshots OUT_DIR]
// Serves SITE_DIR on 127.0.0.1 (also under /sub/path/) and checks the
// header search box (results as you type, keyboard, Enter), the results
// page (hits, facet counts, OR within / AND across facets, URL state),
// file://, a sub-path, the page without JavaScript, accessibility with
// axe-core and that nothing is asked of another host. Expects the demo
// organisation (site.toml). Ends with "N passed, M failed".
import { pathToFileURL } from "node:url";
import path from "node:path";
import { start } from "./harness.mjs";

const {
  siteDir, ORIGIN, SUB_PATH, VIEWPORTS, localErrors, browser,
  test, assert, sameList, newContext, assertNoForeign, axeCheck, shot, finish,
} = await start("search.mjs", 240_000);

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
  await finish();
}
