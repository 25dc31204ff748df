// Runs axe-core (WCAG 2.1 A and AA rules) on built HTML pages in Debian's Chromium, at each given width.
// Usage: node tools/a11y/axe.cjs WIDTH[,WIDTH...] FILE.html...   Prints one JSON list of violations.
"use strict";
const path = require("path");
const { chromium } = require("playwright-core");

const AXE = require.resolve("axe-core/axe.min.js");
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const BROWSER = process.env.CHROMIUM || "/usr/bin/chromium";

async function check(context, file, width) {
  const page = await context.newPage({ viewport: { width, height: 800 } });
  await page.setViewportSize({ width, height: 800 });
  await page.goto("file://" + path.resolve(file), { waitUntil: "load" });
  await page.evaluate(() => document.fonts.ready);
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(
    (tags) => axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] }),
    TAGS,
  );
  await page.close();
  const found = [];
  for (const v of result.violations) {
    for (const node of v.nodes) {
      found.push({
        page: file, width, rule: v.id, impact: v.impact, help: v.help,
        target: node.target.join(" "), html: node.html.slice(0, 200),
      });
    }
  }
  return found;
}

async function main() {
  const [widths, ...files] = process.argv.slice(2);
  const browser = await chromium.launch({ executablePath: BROWSER, args: ["--no-sandbox", "--disable-gpu"] });
  const context = await browser.newContext();
  const found = [];
  try {
    for (const file of files) {
      for (const width of widths.split(",").map(Number)) found.push(...(await check(context, file, width)));
    }
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify(found) + "\n");
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack || error) + "\n");
  process.exit(2);
});
