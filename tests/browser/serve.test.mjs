// `charted serve` in a real browser: an edit shows up by itself, a broken edit
// shows an overlay naming the file and line, and fixing it reloads the page.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { browser, exampleSite, serve } from "./lib.mjs";

test("live reload, error overlay and recovery", { timeout: 60000 }, async () => {
  const site = exampleSite();
  const server = await serve(site.dir);
  const chrome = await browser();
  try {
    const page = await chrome.context.newPage();
    await page.goto(`${server.url}pain/slow-pr-builds/`);
    await page.waitForFunction(() => document.querySelector("main") !== null);
    // Give the page a moment to open its event stream.
    await page.waitForTimeout(300);

    const file = join(site.dir, "content", "pain", "slow-pr-builds.md");
    const original = readFileSync(file, "utf8");
    const edited = original.replace("most of an hour", "nearly an hour, says the browser test");
    assert.notEqual(edited, original, "the example text to edit is there");
    writeFileSync(file, edited);
    await page.waitForFunction(
      () => document.body.innerText.includes("nearly an hour, says the browser test"),
      null,
      { timeout: 2000 },
    );

    const broken = edited.replace(/^title: .*$/m, "title: [unclosed");
    writeFileSync(file, broken);
    const overlay = page.locator("#charted-problems");
    await overlay.waitFor({ state: "visible", timeout: 2000 });
    const text = await overlay.innerText();
    assert.match(text, /content\/pain\/slow-pr-builds\.md:\d+:\d+/);
    // The last good page is still shown under the overlay.
    assert.ok((await page.locator("main").innerText()).includes("nearly an hour, says the browser test"));

    const reloaded = page.waitForEvent("load", { timeout: 3000 });
    writeFileSync(file, edited.replace("says the browser test", "fixed again"));
    await reloaded;
    await overlay.waitFor({ state: "detached", timeout: 2000 });
    assert.ok((await page.locator("main").innerText()).includes("fixed again"));
  } finally {
    await chrome.close();
    server.stop();
    site.remove();
  }
});
