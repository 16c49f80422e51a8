// Shared helpers for the browser tests: a copy of the example site, a running
// `charted serve`, and headless Debian Chromium through playwright-core.
import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
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
