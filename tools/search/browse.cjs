// Drives the compendium's search in Debian's Chromium via playwright-core, from file:// or any URL.
// Usage: node tools/search/browse.cjs URL WIDTH STEPS_JSON
// STEPS_JSON is a list of {"query": "...", "filters": {"theme": "..."}}; for each, prints what the page shows.
// Every request the page makes is listed, so a test can assert that none left the machine.
"use strict";
const { chromium } = require("playwright-core");

const BROWSER = process.env.CHROMIUM || "/usr/bin/chromium";

async function step(page, { query, filters }) {
  await page.selectOption("#search-entry", "");
  for (const id of ["theme", "place", "year", "kind"]) await page.selectOption(`#search-${id}`, "");
  for (const [name, value] of Object.entries(filters || {})) await page.selectOption(`#search-${name}`, { label: value });
  await page.fill("#search-input", query || "");
  await page.press("#search-input", "Enter");
  await page.waitForFunction(() => {
    const s = document.getElementById("search-status").textContent;
    return s && !s.includes("…");
  });
  return page.evaluate(() => ({
    status: document.getElementById("search-status").textContent,
    links: [...document.querySelectorAll("#search-results a")].map((a) => a.getAttribute("href")),
    marks: [...document.querySelectorAll("#search-results mark")].map((m) => m.textContent),
  }));
}

(async () => {
  const [url, width, stepsJson] = process.argv.slice(2);
  const browser = await chromium.launch({ executablePath: BROWSER, args: ["--no-sandbox"] });
  const requests = [];
  const errors = [];
  try {
    const context = await browser.newContext({ viewport: { width: Number(width), height: 800 } });
    const page = await context.newPage();
    page.on("request", (r) => requests.push(r.url()));
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
    await page.goto(url, { waitUntil: "load" });
    await page.waitForFunction(() => document.querySelectorAll("#search-theme option").length > 1, null, { timeout: 20000 });
    const form = await page.evaluate(() => ({
      hidden: document.getElementById("search").hidden,
      options: Object.fromEntries([...document.querySelectorAll("#search select")].map((s) => [s.dataset.filter, [...s.options].map((o) => o.textContent)])),
      scrollWidth: document.documentElement.scrollWidth,
      clientWidth: document.documentElement.clientWidth,
    }));
    const results = [];
    for (const s of JSON.parse(stepsJson)) results.push(await step(page, s));
    process.stdout.write(JSON.stringify({ form, results, requests, errors }));
  } finally {
    await browser.close();
  }
})().catch((e) => { console.error(e); process.exit(1); });
