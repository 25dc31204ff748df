// Runs axe-core (WCAG 2.1 A and AA rules) on built HTML pages in Debian's Chromium, at each given width.
// Usage: node tools/a11y/axe.cjs WIDTH[,WIDTH...] FILE.html...   Prints one JSON list of violations.
"use strict";
const path = require("path");
const { chromium } = require("playwright-core");

const AXE = require.resolve("axe-core/axe.min.js");
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const MIN_TEXT_PX = 10;
const BROWSER = process.env.CHROMIUM || "/usr/bin/chromium";

async function check(context, file, width) {
  const page = await context.newPage({ viewport: { width, height: 800 } });
  await page.setViewportSize({ width, height: 800 });
  await page.goto("file://" + path.resolve(file), { waitUntil: "load" });
  await page.evaluate(() => document.fonts.ready);
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(
    (tags) => axe.run(document, {
      runOnly: { type: "tag", values: tags },
      // WCAG 2.2's target size (2.5.8, AA) too: links of at least 24 px, or spaced so.
      rules: { "target-size": { enabled: true } },
      resultTypes: ["violations"],
    }),
    TAGS,
  );
  // Text drawn smaller than MIN_TEXT_PX on the screen, SVG text with its scaling (which axe does not look at).
  const small = await page.evaluate((min) => {
    const found = [];
    for (const el of document.querySelectorAll("body *")) {
      const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
      if (!own || el.getClientRects().length === 0) continue;
      const scale = el instanceof SVGElement && el.getScreenCTM() ? el.getScreenCTM().a : 1;
      const px = parseFloat(getComputedStyle(el).fontSize) * scale;
      if (px < min) found.push({ html: el.outerHTML.slice(0, 120), px: Math.round(px * 10) / 10 });
    }
    return found;
  }, MIN_TEXT_PX);
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
  for (const { html, px } of small) {
    found.push({ page: file, width, rule: "legible-text", impact: "serious", help: `text ${px} px, under ${MIN_TEXT_PX} px`, target: html.split(">")[0] + ">", html });
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
