// Runs axe-core over every page of a built site in headless Chromium, in light
// and dark mode, and fails on any serious or critical violation.
//
//   node tests/browser/axe.mjs <built-site-dir> [more dirs...]
//
// Chromium: $CHROMIUM, else /usr/bin/chromium.
import { relative } from "node:path";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";
import { visitViews } from "./lib.mjs";

const require = createRequire(import.meta.url);
const axeSource = require("axe-core").source;
const roots = process.argv.slice(2);
if (roots.length === 0) {
  console.error("usage: node axe.mjs <built-site-dir>...");
  process.exit(2);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
let failures = 0;
let pages = 0;
try {
  for (const scheme of ["light", "dark"]) {
    const context = await browser.newContext({ colorScheme: scheme, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await visitViews(page, roots, async (file) => {
      await page.addScriptTag({ content: axeSource });
      const result = await page.evaluate(async () =>
        // eslint-disable-next-line no-undef
        await axe.run(document, { resultTypes: ["violations"] }));
      pages += 1;
      for (const v of result.violations) {
        if (v.impact !== "serious" && v.impact !== "critical") continue;
        failures += 1;
        console.log(`${scheme} ${relative(process.cwd(), file)}: [${v.impact}] ${v.id}: ${v.help}`);
        for (const node of v.nodes.slice(0, 5)) {
          console.log(`    ${node.target.join(" ")}: ${node.failureSummary.replace(/\n/g, " ")}`);
        }
      }
    });
    await context.close();
  }
} finally {
  await browser.close();
}
console.log(`axe-core: ${pages} page views (light and dark), ${failures} serious or critical violation(s)`);
process.exit(failures === 0 ? 0 : 1);
