// Loads every page of built sites in headless Chromium at a phone's, a
// tablet's and a laptop's width, light and dark, and fails when a page is wider
// than the window (it scrolls sideways), naming the page, width, scheme and the
// elements that stick out furthest. Wide content belongs in its own scrolling
// box (the coverage matrix), or must wrap (file paths, ids, URLs).
//
//   node tests/browser/width.mjs <built-site-dir> [more dirs...]
//
// Chromium: $CHROMIUM, else /usr/bin/chromium.
import { relative } from "node:path";
import { chromium } from "playwright-core";
import { visitViews } from "./lib.mjs";

const WIDTHS = [390, 768, 1280];
const roots = process.argv.slice(2);
if (roots.length === 0) {
  console.error("usage: node width.mjs <built-site-dir>...");
  process.exit(2);
}

// Runs in the page: how far it overflows, and the innermost elements that
// reach past the window's right edge, furthest first.
function overflow() {
  const width = window.innerWidth;
  const scroll = document.documentElement.scrollWidth;
  if (scroll <= width) return null;
  const name = (el) => {
    let text = el.tagName.toLowerCase();
    if (el.id) text += `#${el.id}`;
    for (const c of el.classList) text += `.${c}`;
    const words = (el.textContent || "").trim().replace(/\s+/g, " ").slice(0, 60);
    return words ? `${text} "${words}"` : text;
  };
  // Whether a box that scrolls or clips (its containing block's chain, so an
  // absolutely positioned element escapes a box that is not positioned) hides
  // the element's overflow: then it does not widen the page.
  const clipped = (el) => {
    const position = getComputedStyle(el).position;
    if (position === "fixed") return false;
    let escaping = position === "absolute";
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const style = getComputedStyle(a);
      if (escaping && style.position === "static") continue;
      if (style.overflowX !== "visible") return true;
      if (style.position === "fixed") return false;
      escaping = style.position === "absolute";
    }
    return false;
  };
  const sticking = [...document.body.querySelectorAll("*")]
    .map((el) => ({ el, right: el.getBoundingClientRect().right }))
    .filter(({ el, right }) => right > width + 0.5 && !clipped(el));
  const innermost = sticking.filter(({ el }) => !sticking.some((o) => o.el !== el && el.contains(o.el)));
  innermost.sort((a, b) => b.right - a.right);
  const culprits = [...new Set(innermost.map(({ el, right }) => `${name(el)} (right edge ${Math.round(right)} px)`))];
  return { scroll, width, culprits: culprits.slice(0, 3) };
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--hide-scrollbars"],
});
let failures = 0;
let views = 0;
try {
  for (const scheme of ["light", "dark"]) {
    for (const width of WIDTHS) {
      const context = await browser.newContext({ colorScheme: scheme, viewport: { width, height: 900 } });
      const page = await context.newPage();
      await visitViews(page, roots, async (file) => {
        const found = await page.evaluate(overflow);
        views += 1;
        if (!found) return;
        failures += 1;
        console.log(`${relative(process.cwd(), file)} at ${width} px, ${scheme}: ${found.scroll} px wide, ${found.scroll - found.width} px too wide`);
        for (const culprit of found.culprits) console.log(`    ${culprit}`);
      });
      await context.close();
    }
  }
} finally {
  await browser.close();
}
console.log(`width: ${views} page views (${WIDTHS.join(", ")} px, light and dark), ${failures} wider than the window`);
process.exit(failures === 0 ? 0 : 1);
