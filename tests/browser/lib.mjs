// Shared helpers for the browser tests: a copy of the example site, a running
// `charted serve`, and headless Debian Chromium through playwright-core.
import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { dirname, extname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const binary = process.env.CHARTED_BIN ?? join(repo, "target", "debug", "charted");

/** A fresh copy of example-site/ in a temporary folder. */
export function exampleSite() {
  const dir = mkdtempSync(join(tmpdir(), "charted-browser-"));
  cpSync(join(repo, "example-site"), dir, { recursive: true, filter: (src) => !src.includes("/public") });
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Starts `charted serve DIR --port 0` and resolves with its URL once it prints one. */
export function serve(dir) {
  const child = spawn(binary, ["serve", dir, "--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolveUrl, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`no URL printed:\n${out}`)), 20000);
    child.on("error", reject);
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const match = out.match(/http:\/\/127\.0\.0\.1:\d+\//);
      if (match) {
        clearTimeout(timer);
        resolveUrl({ url: match[0], stop: () => child.kill("SIGINT"), output: () => out });
      }
    });
  });
}

/** Launches Debian's Chromium headless with a fresh profile. */
export async function browser() {
  const profile = mkdtempSync(join(tmpdir(), "charted-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
  return {
    context,
    close: async () => { await context.close(); rmSync(profile, { recursive: true, force: true }); },
  };
}

/** Every .html file under `dir`, sorted. */
export function htmlFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...htmlFiles(path));
    else if (name.endsWith(".html")) out.push(path);
  }
  return out;
}

// Serves `root` over HTTP (404.html links from the site root, which file:// cannot resolve).
const TYPES = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".svg": "image/svg+xml", ".json": "application/json", ".xml": "application/xml" };
export function serveBuilt(root) {
  const server = createServer((req, res) => {
    let path = join(root, decodeURIComponent(new URL(req.url, "http://x").pathname));
    if (!path.startsWith(root)) path = join(root, "404.html");
    try {
      if (statSync(path).isDirectory()) path = join(path, "index.html");
      res.writeHead(200, { "content-type": TYPES[extname(path)] || "application/octet-stream" });
      res.end(readFileSync(path));
    } catch {
      res.writeHead(404, { "content-type": TYPES[".html"] });
      res.end(readFileSync(join(root, "404.html")));
    }
  });
  return new Promise((ok) => server.listen(0, "127.0.0.1", () => ok(server)));
}

/**
 * Opens in `page` every view of each built site in `roots`, served over
 * HTTP, and awaits `visit(file)` on each. Alias redirect pages move on at
 * once: they are not views.
 */
export async function visitViews(page, roots, visit) {
  for (const dir of roots) {
    const root = resolve(dir);
    const server = await serveBuilt(root);
    const base = `http://127.0.0.1:${server.address().port}/`;
    try {
      for (const file of htmlFiles(root)) {
        if (readFileSync(file, "utf8").includes('http-equiv="refresh"')) continue;
        await page.goto(base + relative(root, file).split(sep).join("/"));
        await visit(file);
      }
    } finally {
      server.close();
    }
  }
}
