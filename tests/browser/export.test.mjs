// Drives a real browser (Debian's Chromium, through playwright-core) over the site that
// `nsi export --format html` wrote, as a person would: keyboard, search, filters, sorting, the
// address bar, reload, an entry page, a phone, paper. Run by tests/cli_export_html.rs, and by
// bench/export.sh with --big alone:
//
//   node tests/browser/export.test.mjs [--site DIR --expect FILE [--hostile DIR]
//        [--screenshot PNG [--screenshot-site DIR]]] [--big DIR [--timings JSON]]
//
// --expect is a JSON file the Rust test writes: {"entries": N, "audience": "...",
//   "queries": [{"q": "...", "ids": ["…", …]}]} with `nsi search` results, which the page's
//   ranking must reproduce.
// --hostile is a site exported from entries full of markup and script: nothing may run.
// --screenshot-site is the site to photograph (default: --site), e.g. the public edition.
// --big is a site of 10,000 entries: every search or filter must take under 100 ms.
//
// Prints one line per check ("ok - …") and exits 1 at the first failure with what went wrong.
// A missing Chromium or node_modules is a failure, not a skip: .ci/run installs both.

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const CHROMIUM = process.env.NSI_CHROMIUM || "/usr/bin/chromium";
const HERE = path.dirname(fileURLToPath(import.meta.url));
const BUDGET_MS = 100;

function fail(message) {
  console.error(`not ok - ${message}`);
  process.exit(1);
}

function arg(name) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

let chromium;
let axeSource;
try {
  ({ chromium } = await import("playwright-core"));
  axeSource = fs.readFileSync(path.join(HERE, "node_modules/axe-core/axe.min.js"), "utf8");
} catch (error) {
  fail(
    `playwright-core is not installed in ${HERE}/node_modules (${error.message}); ` +
      "or axe-core is missing; run `npm ci --prefix tests/browser` (.ci/run does)",
  );
}
if (!fs.existsSync(CHROMIUM)) {
  fail(`no Chromium at ${CHROMIUM}; install it with \`apt-get install -y chromium\` (.ci/run does)`);
}

const site = arg("site");
const expectFile = arg("expect");
const big = arg("big");
if (!(site && expectFile) && !big) {
  fail("usage: export.test.mjs [--site DIR --expect FILE [--hostile DIR] [--screenshot PNG]] [--big DIR [--timings JSON]]");
}
const expected = site ? JSON.parse(fs.readFileSync(expectFile, "utf8")) : null;
const screenshot = arg("screenshot");
const timingsFile = arg("timings");

class Failure extends Error {}
function assert(condition, message) {
  if (!condition) throw new Failure(message);
}
function ok(message) {
  console.log(`ok - ${message}`);
}
function url(dir, file = "index.html", hash = "") {
  return pathToFileURL(path.join(dir, file)).href + hash;
}

const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "nsi-chromium-"));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: CHROMIUM,
  headless: true,
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
  viewport: { width: 1280, height: 900 },
});

// Everything the pages ask for, and everything they complain about.
const requests = [];
const problems = [];
context.on("request", (request) => requests.push(request.url()));
function watch(page) {
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning") {
      problems.push(`console ${message.type()}: ${message.text()}`);
    }
  });
  page.on("pageerror", (error) => problems.push(`script error: ${error.message}`));
  page.on("dialog", (dialog) => {
    problems.push(`a dialog opened: ${dialog.message()}`);
    dialog.dismiss().catch(() => {});
  });
  return page;
}
function noProblems(where) {
  assert(problems.length === 0, `${where}: ${problems.join("; ")}`);
}

// An automated WCAG 2.2 A and AA audit (axe-core) of what the page shows now. axe is
// evaluated through the debugging protocol, which the page's Content-Security-Policy does
// not govern; the page itself never loads it.
async function audit(page, what) {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, {
      // Fetching stylesheets again is what connect-src forbids; the computed styles suffice.
      preload: false,
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] },
    });
    return result.violations.map((v) => ({
      id: v.id,
      help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ") + ": " + n.failureSummary),
    }));
  });
  assert(violations.length === 0, `${what}: accessibility violations ${JSON.stringify(violations, null, 1)}`);
}

async function open(page, dir, hash = "") {
  await page.goto(url(dir, "index.html", hash));
  await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
}
async function results(page) {
  return Number(await page.getAttribute("body", "data-results"));
}
async function rowIds(page) {
  return page.$$eval("#results tbody td.solution a", (links) =>
    links.map((a) => decodeURIComponent(a.getAttribute("href").replace(/^entries\/|\.html$/g, ""))),
  );
}
async function search(page, query) {
  await page.fill("#q", query);
  await page.waitForFunction((q) => document.getElementById("q").value === q, query);
}

try {
  const page = watch(await context.newPage());

  if (site) {
    // --- The page loads, from disk, and lists everything --------------------------------
    await open(page, site);
    const total = await results(page);
    assert(total === expected.entries, `the page lists ${total} solutions, expected ${expected.entries}`);
    const firstRows = (await rowIds(page)).length;
    assert(firstRows === Math.min(50, total), `${firstRows} rows shown on the first page`);
    assert(
      (await page.title()).includes("National Solutions Index"),
      `the page title is ${await page.title()}`,
    );
    noProblems("loading index.html");
    ok(`index.html opened from file:// lists ${total} solutions`);

    // --- Keyboard: the skip link first, then the search box -------------------------------
    await page.keyboard.press("Tab");
    assert(
      await page.evaluate(() => document.activeElement.classList.contains("skip-link")),
      "the first Tab reaches the skip link",
    );
    const skipVisible = await page.evaluate(() => {
      const box = document.activeElement.getBoundingClientRect();
      return box.top >= 0 && box.height > 0;
    });
    assert(skipVisible, "the skip link shows when focused");
    let presses = 1;
    while (presses < 6 && !(await page.evaluate(() => document.activeElement.id === "q"))) {
      await page.keyboard.press("Tab");
      presses += 1;
    }
    assert(await page.evaluate(() => document.activeElement.id === "q"), "Tab reaches the search box");
    const focusRing = await page.evaluate(() => {
      const style = getComputedStyle(document.activeElement);
      return style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
    });
    assert(focusRing, "the focused search box has a visible outline");
    ok(`keyboard: the skip link, then the search box after ${presses} Tab presses, focus visible`);

    // --- Typing narrows the table, ranked as `nsi search` ranks -------------------------
    await page.keyboard.type(expected.queries[0].q);
    await page.waitForFunction(
      (n) => Number(document.body.getAttribute("data-results")) !== n,
      total,
    );
    const narrowed = await results(page);
    assert(narrowed > 0 && narrowed < total, `typing narrowed ${total} to ${narrowed}`);
    ok(`typing "${expected.queries[0].q}" narrows the table to ${narrowed}`);
    for (const { q, ids } of expected.queries) {
      await search(page, q);
      const shown = await rowIds(page);
      const want = ids.slice(0, 50);
      assert(
        JSON.stringify(shown) === JSON.stringify(want) && (await results(page)) === ids.length,
        `query ${JSON.stringify(q)}: the page shows ${JSON.stringify(shown)} ` +
          `(${await results(page)} in all), nsi search gives ${JSON.stringify(want)} (${ids.length})`,
      );
    }
    ok(`${expected.queries.length} queries rank exactly as nsi search does`);

    // --- A filter; the address keeps the state; reload and a shared link restore it -----
    await search(page, "");
    const option = page.locator("#facet-category input[type=checkbox]").first();
    const value = await option.getAttribute("value");
    const label = (await page.locator(`label[for="${await option.getAttribute("id")}"]`).textContent())
      .replace(/\s*\(\d[\d,]*\)\s*$/, "")
      .trim();
    await option.check();
    const filtered = await results(page);
    assert(filtered > 0 && filtered < total, `the category filter leaves ${filtered} of ${total}`);
    const categories = await page.$$eval('#results tbody td[data-label="Categories"]', (cells) =>
      cells.map((c) => c.textContent),
    );
    assert(
      categories.every((c) => c.includes(label)),
      `every row is in the category "${label}": ${JSON.stringify(categories)}`,
    );
    await search(page, expected.queries[0].q);
    const both = await results(page);
    const hash = await page.evaluate(() => location.hash);
    const params = new URLSearchParams(hash.slice(1));
    assert(
      params.get("category") === value && params.get("q") === expected.queries[0].q,
      `the address carries the search and the filter: ${hash}`,
    );
    await audit(page, "index.html with a search and a filter");
    const before = await rowIds(page);
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    assert((await page.inputValue("#q")) === expected.queries[0].q, "reload restores the search box");
    assert(await option.isChecked(), "reload restores the filter");
    assert((await results(page)) === both, "reload restores the results");
    assert(JSON.stringify(await rowIds(page)) === JSON.stringify(before), "reload restores the order");
    const shared = watch(await context.newPage());
    await shared.goto(page.url());
    await shared.waitForSelector('body[data-ready="true"]');
    assert((await results(shared)) === both, "a shared link shows the same results");
    await shared.close();
    ok(`a filter (${label}) narrows to ${filtered}; axe finds no WCAG 2.2 AA problem; the address (${hash}) restores it on reload and when shared`);

    // --- Sorting by a column ------------------------------------------------------------
    await page.locator("#clear").click();
    await page.locator('th button[data-sort="reviewed"]').click();
    assert(
      (await page.getAttribute('th:has(button[data-sort="reviewed"])', "aria-sort")) === "ascending",
      "the sorted column says so (aria-sort)",
    );
    const dates = await page.$$eval('#results tbody td[data-label="Last reviewed"]', (cells) =>
      cells.map((c) => c.getAttribute("data-value")),
    );
    assert(
      dates.every((d, i) => i === 0 || dates[i - 1] <= d),
      `rows in order of last review: ${JSON.stringify(dates)}`,
    );
    await page.locator('th button[data-sort="reviewed"]').click();
    assert(
      (await page.getAttribute('th:has(button[data-sort="reviewed"])', "aria-sort")) === "descending",
      "a second click sorts the other way",
    );
    assert(new URLSearchParams((await page.evaluate(() => location.hash)).slice(1)).get("sort") === "-reviewed", "the sort is in the address");
    ok("sorting by a column header, both ways, kept in the address");

    // --- Back and Forward step through searches ------------------------------------------
    await open(page, site);
    const first = expected.queries[0].q;
    await page.fill("#q", first); // one input event: a step of its own
    await page.waitForTimeout(1100); // the typing pauses
    await page.locator("#q").pressSequentially(" x", { delay: 50 }); // two keystrokes, one step
    await page.locator("#facet-category input[type=checkbox]").first().check(); // a step
    const state = async () => ({
      q: await page.inputValue("#q"),
      filtered: await page.locator("#facet-category input[type=checkbox]").first().isChecked(),
    });
    const expectState = async (want, what) => {
      await page.waitForFunction((q) => document.getElementById("q").value === q, want.q);
      const got = await state();
      assert(JSON.stringify(got) === JSON.stringify(want), `${what}: ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
    };
    await page.goBack();
    await expectState({ q: first + " x", filtered: false }, "Back undoes the filter");
    await page.goBack();
    await expectState({ q: first, filtered: false }, "Back undoes a burst of typing as one step");
    await page.goBack();
    await expectState({ q: "", filtered: false }, "Back returns to the page as it opened");
    await page.goForward();
    await expectState({ q: first, filtered: false }, "Forward redoes the search");
    ok("Back and Forward step through searches: a filter, a burst of typing, the page as opened");

    // --- An entry page ------------------------------------------------------------------
    await page.locator("#clear").click();
    await search(page, expected.queries[0].q);
    const link = page.locator("#results tbody td.solution a").first();
    const title = (await link.textContent()).trim();
    await link.click();
    await page.waitForLoadState("load");
    assert(page.url().includes("/entries/"), `the link opens an entry page: ${page.url()}`);
    assert((await page.locator("h1").textContent()).trim() === title, "the entry page is titled by the entry");
    const headings = await page.$$eval("h2", (hs) => hs.map((h) => h.textContent.trim()));
    for (const section of ["The problem it solves", "Technology", "Skills needed to deploy it", "Documents and how to get them", "Contacts", "Aftercare"]) {
      assert(headings.includes(section), `the entry page has "${section}": ${JSON.stringify(headings)}`);
    }
    const levels = await page.$$eval("h1, h2, h3, h4, h5, h6", (hs) => hs.map((h) => Number(h.tagName[1])));
    assert(
      levels[0] === 1 && levels.every((l, i) => i === 0 || l <= levels[i - 1] + 1),
      `headings never skip a level: ${JSON.stringify(levels)}`,
    );
    const mailto = await page.locator('a[href^="mailto:"]').count();
    if (expected.audience === "policing") assert(mailto > 0, "a policing entry page names its contacts");
    else assert(mailto === 0, "a public entry page names no contact");
    await audit(page, "an entry page");
    await page.goto(url(site, "entries/index.html"));
    await audit(page, "entries/index.html");
    await page.goBack();
    await page.locator(".breadcrumbs a").first().click();
    await page.waitForSelector('body[data-ready="true"]');
    noProblems("the entry page");
    ok(`the first result opens its page ("${title}") with every section, headings in order; axe finds no WCAG 2.2 AA problem in it or in the A to Z`);

    // --- The portfolio pages: categories by region, a category, the overlaps, the feeds ---
    await open(page, site);
    await page.locator(".site-nav a", { hasText: "Categories and regions" }).click();
    await page.waitForLoadState("load");
    assert(page.url().endsWith("/coverage.html"), `the header leads to the coverage page: ${page.url()}`);
    const rowHeaders = await page.$$eval("table.coverage tbody th[scope=row]", (ths) => ths.length);
    assert(rowHeaders === expected.categories, `${rowHeaders} category rows, expected ${expected.categories}`);
    const emptyCells = await page.$$eval("table.coverage td.none", (tds) =>
      tds.every((td) => td.querySelector(".visually-hidden")?.textContent.startsWith("none in ")),
    );
    assert(emptyCells, "every empty cell says so to a screen reader");
    await audit(page, "coverage.html");
    // On a phone the table scrolls inside a region a keyboard can reach.
    await page.setViewportSize({ width: 320, height: 740 });
    await page.reload();
    assert(
      (await page.getAttribute("div.scroll", "tabindex")) === "0",
      "the coverage table's scrolling region takes focus",
    );
    await audit(page, "coverage.html on a phone");
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.locator("table.coverage tbody th a", { hasText: expected.category_name }).click();
    await page.waitForLoadState("load");
    assert(
      (await page.locator("h1").textContent()).trim() === expected.category_name,
      "a category's link opens its page",
    );
    const categoryFeed = await page.getAttribute('head link[rel="alternate"][type="application/atom+xml"]', "href");
    assert(categoryFeed && categoryFeed.endsWith(".atom"), `the category page announces its feed: ${categoryFeed}`);
    const categoryPage = page.url();
    await audit(page, "a category page");
    // A feed reader fetches the file the link names; the browser parses it as XML.
    const feedXml = fs.readFileSync(fileURLToPath(new URL(categoryFeed, categoryPage)), "utf8");
    const feedRoot = await page.evaluate((xml) => {
      const doc = new DOMParser().parseFromString(xml, "application/xml");
      return doc.querySelector("parsererror") ? "parsererror" : `${doc.documentElement.namespaceURI} ${doc.documentElement.nodeName}`;
    }, feedXml);
    assert(feedRoot === "http://www.w3.org/2005/Atom feed", `the category's feed is an Atom document: ${feedRoot}`);
    await page.locator("main table tbody th a").first().click();
    await page.waitForLoadState("load");
    const entryFeed = await page.getAttribute('head link[rel="alternate"][type="application/atom+xml"]', "href");
    assert(entryFeed && entryFeed.endsWith(".atom"), `an entry page announces its feed: ${entryFeed}`);
    await page.goto(url(site, "overlaps.html"));
    const groups = await page.locator("section.overlap").count();
    assert(groups === expected.overlaps, `${groups} overlaps shown, expected ${expected.overlaps}`);
    await audit(page, "overlaps.html");
    await page.locator("section.overlap p a").first().click();
    await page.waitForLoadState("load");
    assert(page.url().includes("/entries/"), `an overlap's lead opens its entry page: ${page.url()}`);
    noProblems("the portfolio pages");
    ok(`coverage, category and overlaps pages: ${rowHeaders} categories, ${groups} overlaps, feeds announced and readable, links followed; axe finds no WCAG 2.2 AA problem`);

    // --- The screenshot for the README ------------------------------------------------
    if (screenshot) {
      await page.setViewportSize({ width: 1280, height: 1000 });
      await open(page, arg("screenshot-site") || site, "#q=" + encodeURIComponent(expected.queries[0].q));
      await page.screenshot({ path: screenshot });
      await page.setViewportSize({ width: 1280, height: 900 });
      ok(`screenshot written to ${screenshot}`);
    }

    // --- A phone: no sideways scrolling ------------------------------------------------
    await page.setViewportSize({ width: 375, height: 740 });
    await open(page, site);
    const overflow = async () =>
      page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert((await overflow()) <= 0, `the index scrolls sideways on a phone by ${await overflow()}px`);
    await audit(page, "index.html on a phone");
    await page.locator("#results tbody td.solution a").first().click();
    await page.waitForLoadState("load");
    assert((await overflow()) <= 0, `an entry page scrolls sideways on a phone by ${await overflow()}px`);
    await page.setViewportSize({ width: 1280, height: 900 });
    ok("on a 375px-wide phone neither page scrolls sideways; axe finds no problem there either");

    // --- Paper ---------------------------------------------------------------------------
    await open(page, site);
    await page.emulateMedia({ media: "print" });
    const hidden = await page.evaluate(() =>
      ["search-form", "facets", "pager"].every((id) => {
        const node = document.getElementById(id);
        return !node || node.offsetParent === null;
      }),
    );
    assert(hidden, "printing hides the search form, the filters and the pager");
    await page.emulateMedia({ media: "screen" });
    ok("print styles hide the controls");

    // --- Hostile entries: nothing runs ---------------------------------------------------
    const hostile = arg("hostile");
    if (hostile) {
      const evil = watch(await context.newPage());
      await open(evil, hostile);
      await search(evil, "hostile");
      assert((await results(evil)) > 0, "the hostile entry is found");
      await evil.locator("#results tbody td.solution a").first().click();
      await evil.waitForLoadState("load");
      await evil.waitForTimeout(200);
      const pwned = await evil.evaluate(() => window.pwned);
      assert(pwned === undefined, "a script in an entry ran (window.pwned is set)");
      const injected = await evil.$$eval("main script, main img, main iframe, main [onmouseover], main [onerror], main a[href^='javascript']", (nodes) => nodes.length);
      assert(injected === 0, `the entry page holds ${injected} elements made from entry text`);
      noProblems("the hostile entry's pages");
      await evil.close();
      ok("entry text full of markup and script stays inert in the table and on its page");
    }
  }

  // --- 10,000 entries: every update under the budget ---------------------------------
  const timings = {};
  if (big) {
    const started = Date.now();
    await open(page, big);
    timings.load_ms = Date.now() - started;
    const n = await results(page);
    assert(n >= 10_000, `the big site lists ${n} solutions`);
    // Each step runs inside the page and is timed from the event to the table laid out
    // again (style and layout included, painting not), as well as by the script's own clock.
    const measure = async (name, step) => {
      const ms = await page.evaluate((step) => {
        const started = performance.now();
        if (step.query !== undefined) {
          const input = document.getElementById("q");
          input.value = step.query;
          input.dispatchEvent(new Event("input", { bubbles: true }));
        } else {
          document.querySelector(step.click).click();
        }
        document.getElementById("results").getBoundingClientRect();
        void document.body.offsetHeight;
        return performance.now() - started;
      }, step);
      const script = Number(await page.getAttribute("body", "data-update-ms"));
      timings[name] = Math.round(ms * 10) / 10;
      assert(ms < BUDGET_MS, `${name} took ${ms.toFixed(1)} ms with ${n} entries (script ${script} ms; budget ${BUDGET_MS} ms)`);
    };
    for (const q of ["re", "redaction", "redcation", "call handling", '"call handling"', "domestic abuse police"]) {
      await measure(`search ${q}`, { query: q });
    }
    await measure("clear the search", { query: "" });
    await measure("next page", { click: "#pager .next" });
    await measure("sort by last reviewed", { click: 'th button[data-sort="reviewed"]' });
    await measure("filter category", { click: "#facet-category input[type=checkbox]" });
    await measure("filter phase", { click: "#facet-phase input[type=checkbox]" });
    await measure("search and filters", { query: "video" });
    await measure("clear everything", { click: "#clear" });
    const worst = Math.max(...Object.entries(timings).filter(([k]) => k !== "load_ms").map(([, v]) => v));
    noProblems("the 10,000-entry site");
    ok(`10,000 entries: loaded in ${timings.load_ms} ms; every search, filter and sort under ${BUDGET_MS} ms (worst ${worst} ms)`);
    console.log(`timings ${JSON.stringify(timings)}`);
    if (timingsFile) fs.writeFileSync(timingsFile, JSON.stringify(timings, null, 2) + "\n");
  }

  // --- Nothing left file:// ------------------------------------------------------------
  const outside = requests.filter((r) => !r.startsWith("file://"));
  assert(outside.length === 0, `requests left file://: ${JSON.stringify(outside.slice(0, 10))}`);
  ok(`all ${requests.length} requests stayed on file://`);
  noProblems("the whole run");
} catch (error) {
  console.error(`not ok - ${error instanceof Failure ? error.message : error.stack || error}`);
  process.exitCode = 1;
} finally {
  await context.close().catch(() => {});
  fs.rmSync(userDataDir, { recursive: true, force: true });
}
if (!process.exitCode) console.log("all browser checks passed");
