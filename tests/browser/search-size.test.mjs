// Search on a 10,000-item corpus site opened from disk (file://, no server):
// `/` opens the box, a typed query shows ranked results with the match marked,
// ArrowDown and Enter open one, and the query loaded only a few small files of
// the index (under 300 KB in all), never the whole of it. Typed at 60 ms a key:
// search.js loads files once typing pauses (150 ms), as a fast typist's would.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { binary, browser, repo } from "./lib.mjs";

const corpus = process.env.CHARTED_CORPUS_BIN ?? join(repo, "target", "debug", "examples", "corpus");
const ITEMS = 10000;
const BUDGET = 300 * 1024;

function bytesUnder(dir) {
  let total = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    total += statSync(path).isDirectory() ? bytesUnder(path) : statSync(path).size;
  }
  return total;
}

test("a query on a 10,000-item site loads under 300 KB of the index", { timeout: 240000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "charted-search-size-"));
  const chrome = await browser();
  try {
    const src = join(dir, "site");
    const out = join(dir, "public");
    execFileSync(corpus, [String(ITEMS), src], { stdio: "pipe" });
    execFileSync(binary, ["build", src, "--out", out], { stdio: "pipe" });
    const page = await chrome.context.newPage();
    const loaded = new Set();
    page.on("requestfinished", (request) => loaded.add(request.url()));
    await page.goto(pathToFileURL(join(out, "index.html")).href);
    await page.waitForSelector("[data-search]:not([hidden])");

    // `/` from anywhere on the page puts the cursor in the search box.
    await page.keyboard.press("/");
    assert.equal(await page.evaluate(() => document.activeElement.id), "search-input");
    await page.keyboard.type("rollback cach", { delay: 60 });
    await page.waitForFunction(() => /match/.test(document.querySelector(".search-status").textContent));
    const results = await page.$$eval(".search-results a", (links) =>
      links.map((a) => ({ title: a.querySelector(".search-title").textContent, marks: a.querySelectorAll("mark").length })));
    assert.equal(results.length, 10, JSON.stringify(results));
    assert.ok(results.every((r) => r.marks > 0), `every result marks a match: ${JSON.stringify(results)}`);
    // Titles outrank bodies: the corpus's titles are "<word> <id>", so the first results name the words typed.
    assert.match(results[0].title, /^(rollback|cache) /, JSON.stringify(results));

    const index = join(out, "search");
    const files = [...loaded].filter((url) => url.startsWith("file:")).map((url) => fileURLToPath(url))
      .filter((path) => path.startsWith(index) || path === join(out, "search.js"));
    const bytes = files.reduce((sum, path) => sum + statSync(path).size, 0);
    const whole = bytesUnder(index);
    console.log(`search on ${ITEMS} items: ${files.length} files, ${(bytes / 1024).toFixed(1)} KB loaded `
      + `of an index of ${(whole / 1024 / 1024).toFixed(1)} MB`);
    assert.ok(bytes < BUDGET, `the query loaded ${bytes} bytes: ${files.join(", ")}`);
    assert.ok(files.some((f) => f.endsWith("meta.js")), files.join(", "));

    // ArrowDown moves to the first result; Enter opens it.
    const first = await page.$eval(".search-results a", (a) => a.href);
    await page.keyboard.press("ArrowDown");
    await Promise.all([page.waitForURL(first), page.keyboard.press("Enter")]);
  } finally {
    await chrome.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
