// `charted mv` as a reader of an old link sees it: the renamed item's old
// URL, with a #fragment, lands on the same heading of its new page.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { binary, browser, exampleSite } from "./lib.mjs";

test("a renamed item's old URL and anchor lead to its new page", { timeout: 60000 }, async () => {
  const site = exampleSite();
  const chrome = await browser();
  try {
    execFileSync(binary, ["mv", "slow-pr-builds", "slow-pull-request-builds", site.dir], { stdio: "pipe" });
    const out = join(site.dir, "public");
    execFileSync(binary, ["build", site.dir, "--out", out], { stdio: "pipe" });
    const page = await chrome.context.newPage();
    const old = pathToFileURL(join(out, "pain", "slow-pr-builds", "index.html")).href;
    await page.goto(`${old}#where-the-time-goes`);
    await page.waitForURL(/slow-pull-request-builds\/index\.html#where-the-time-goes$/, { timeout: 5000 });
    assert.equal(await page.locator("h1").innerText(), "Pull-request builds take 38 minutes at p95");
    assert.equal(await page.locator("#where-the-time-goes").count(), 1, "the anchor exists on the new page");
  } finally {
    await chrome.close();
    site.remove();
  }
});
