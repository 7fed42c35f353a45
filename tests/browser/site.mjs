// Browser tests of a built portal, in headless Chromium:
//   node site.mjs SITE_DIR [--screenshots OUT_DIR]
// - axe-core finds no serious or critical accessibility violation on the
//   main page types, at desktop and phone widths, in light and dark mode;
// - the catalog filters work and keep their state in the URL;
// - the theme toggle sets and remembers the theme;
// - no page requests anything from another host.
// Prints "N passed, M failed" last and exits 1 when anything failed.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const [siteArg, ...rest] = process.argv.slice(2);
if (!siteArg) {
  console.error('usage: node site.mjs SITE_DIR [--screenshots OUT_DIR]');
  process.exit(2);
}
const siteDir = path.resolve(siteArg);
const shotsAt = rest.indexOf('--screenshots');
const shotsDir = shotsAt >= 0 ? rest[shotsAt + 1] : null;
if (shotsDir) fs.mkdirSync(shotsDir, { recursive: true });

const TYPES = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.xml': 'application/xml', '.txt': 'text/plain' };
const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  let file = path.join(siteDir, decodeURIComponent(url.pathname));
  if (!file.startsWith(siteDir)) { res.writeHead(403); res.end(); return; }
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
  if (!fs.existsSync(file)) { res.writeHead(404, { 'content-type': TYPES['.html'] }); res.end(fs.readFileSync(path.join(siteDir, '404.html'))); return; }
  res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
  res.end(fs.readFileSync(file));
});
await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${server.address().port}`;

let passed = 0;
let failed = 0;
function check(name, ok, detail = '') {
  if (ok) { passed += 1; console.log(`ok   ${name}`); }
  else { failed += 1; console.log(`FAIL ${name}${detail ? `\n     ${detail}` : ''}`); }
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  timeout: 30000,
});
const deadline = setTimeout(() => { console.log('FAIL the browser tests took longer than 3 minutes'); process.exit(1); }, 180000);

const foreign = [];
async function newPage(width, height, scheme = 'light') {
  const context = await browser.newContext({ viewport: { width, height }, colorScheme: scheme });
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  page.on('request', req => {
    const u = req.url();
    if (!u.startsWith(origin) && !u.startsWith('data:')) foreign.push(u);
  });
  return page;
}

const PAGES = [
  ['home', '/'],
  ['catalog', '/catalog/'],
  ['component', '/catalog/default/component/portal-builder/'],
  ['group', '/catalog/default/group/platform-team/'],
  ['user', '/catalog/default/user/grace.hopper/'],
  ['api', '/catalog/default/api/portal-search-api/'],
  ['system', '/catalog/default/system/developer-platform/'],
  ['problems', '/problems/'],
];
const SIZES = [['desktop', 1366, 900], ['phone', 390, 844]];

try {
  for (const scheme of ['light', 'dark']) {
    for (const [sizeName, width, height] of SIZES) {
      const page = await newPage(width, height, scheme);
      for (const [name, url] of PAGES) {
        await page.goto(origin + url, { waitUntil: 'load' });
        await page.addScriptTag({ content: axeSource });
        const result = await page.evaluate(async () => window.axe.run(document, { resultTypes: ['violations'] }));
        const bad = result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical');
        check(`axe ${name} ${sizeName} ${scheme}: no serious violations`, bad.length === 0,
          bad.map(v => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')}`).join('\n     '));
        if (shotsDir) await page.screenshot({ path: path.join(shotsDir, `${name}-${sizeName}-${scheme}.png`), fullPage: name !== 'catalog' });
      }
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      check(`no horizontal page overflow at ${sizeName} ${scheme}`, overflow <= 1, `${overflow}px wider than the viewport`);
      await page.context().close();
    }
  }

  // Catalog filters: kind + owner, state in the URL, restored on reload.
  const page = await newPage(1366, 900);
  await page.goto(origin + '/catalog/');
  await page.waitForSelector('[data-catalog-filters]:not([hidden])');
  const eager = await page.evaluate(() => window.PORTALGEN_CATALOG !== undefined);
  check('the catalog data is not loaded before filtering starts', !eager);
  await page.selectOption('#f-kind', 'Component');
  await page.fill('#f-owner', 'platform-team');
  await page.waitForFunction(() => !document.querySelector('[data-catalog-results]').hidden);
  const rows = async () => page.$$eval('[data-catalog-results] tbody tr', trs => trs.map(tr => tr.innerText));
  const filtered = await rows();
  check('filter by kind and owner shows matching rows', filtered.length > 0 && filtered.every(t => t.includes('Component')), JSON.stringify(filtered));
  const query = new URL(page.url()).searchParams;
  check('filter state is in the URL', query.get('kind') === 'Component' && query.get('owner') === 'platform-team', page.url());
  await page.reload();
  await page.waitForFunction(() => !document.querySelector('[data-catalog-results]').hidden);
  const again = await rows();
  check('reloading the shared URL restores the filtered rows', JSON.stringify(again) === JSON.stringify(filtered));

  // The header search box submits to the catalog, which filters by text.
  await page.goto(origin + '/');
  await page.fill('#site-search', 'artist');
  await page.press('#site-search', 'Enter');
  await page.waitForURL(/catalog\/\?q=artist/);
  await page.waitForFunction(() => !document.querySelector('[data-catalog-results]').hidden);
  const found = await rows();
  check('header search shows catalog matches', found.length > 0 && found.every(t => /artist/i.test(t)), JSON.stringify(found));

  // Theme toggle: sets data-theme and remembers it.
  await page.goto(origin + '/');
  const before = await page.evaluate(() => document.documentElement.getAttribute('data-theme'));
  await page.click('.theme-toggle');
  const after = await page.evaluate(() => document.documentElement.getAttribute('data-theme'));
  await page.reload();
  const kept = await page.evaluate(() => document.documentElement.getAttribute('data-theme'));
  check('theme toggle switches and persists', after && after !== before && kept === after, `${before} -> ${after} -> ${kept}`);

  // Keyboard: "/" focuses the search box; the skip link is the first stop.
  await page.keyboard.press('/');
  const focused = await page.evaluate(() => document.activeElement && document.activeElement.id);
  check('"/" focuses the search box', focused === 'site-search', focused);
  await page.goto(origin + '/');
  await page.keyboard.press('Tab');
  const first = await page.evaluate(() => document.activeElement && document.activeElement.className);
  check('first Tab stop is the skip link', first.includes('skip-link'), first);

  check('no request left the local server', foreign.length === 0, foreign.slice(0, 5).join(', '));
} catch (error) {
  check('browser tests ran to the end', false, String(error && error.stack || error));
} finally {
  clearTimeout(deadline);
  await browser.close();
  server.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
