// The live preview's page script (served by `compendium serve`, never written to build/):
// reloads the page after a rebuild, shows input problems over the page, and makes PDFs on demand.
(() => {
  "use strict";
  const script = document.currentScript;
  let generation = Number(script.dataset.generation);
  // The texts in the messages' language (serve's page_texts); a count's are [one, other] with {n} for the number.
  const texts = JSON.parse(script.dataset.texts || "{}");
  const say = (key, values) => Object.entries(values || {}).reduce((t, [k, v]) => t.split("{" + k + "}").join(v), texts[key]);
  const count = (key, n) => texts[key][n === 1 ? 0 : 1].split("{n}").join(String(n));
  const scrollKey = "compendium-preview-scroll:" + location.pathname;

  // Keep the reader's place across reloads.
  const saved = sessionStorage.getItem(scrollKey);
  if (saved !== null) {
    sessionStorage.removeItem(scrollKey);
    window.scrollTo(0, Number(saved));
    window.addEventListener("load", () => window.scrollTo(0, Number(saved)));  // again once images have their size
  }

  function element(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes || {})) node.setAttribute(key, value);
    for (const child of children) node.append(child);  // strings become text nodes: never parsed as HTML
    return node;
  }

  function showProblems(problems) {
    const old = document.getElementById("compendium-preview-errors");
    if (old) old.remove();
    if (!problems.length) return;
    const items = problems.map((p) => element("li", {}, ...(p.where ? [element("code", {}, p.where), " "] : []), p.message));
    document.body.append(element("div", { id: "compendium-preview-errors", role: "alert" },
      element("div", { class: "compendium-preview-box" },
        element("h2", {}, count("outOfDate", problems.length)),
        element("ol", {}, ...items),
        element("p", {}, say("saveFix")))));
  }

  const bar = element("div", { id: "compendium-preview", role: "status" });
  document.body.append(bar);
  let shown = "";

  function pdfControl(name, job) {
    const label = name + ".pdf";
    if (job.state === "running") return element("span", { class: "compendium-preview-progress" }, job.message + " …");
    const parts = [];
    if (job.state === "done") {
      parts.push(element("a", { href: job.url, target: "_blank", "data-document": name }, label));
      const note = job.outdated ? say("older", { message: job.message }) : job.message;
      parts.push(element("span", { class: "compendium-preview-note" }, " (" + note + ")"));
    }
    if (job.state === "failed") {
      parts.push(element("span", { class: "compendium-preview-failed", title: job.problems.map((p) => (p.where ? p.where + " " : "") + p.message).join("\n") }, say("failed", { file: label })));
    }
    const button = element("button", { type: "button", "data-document": name }, job.state === "done" ? say("remake") : say("make", { file: label }));
    button.addEventListener("click", () => makePdf(name));
    parts.push(" ", button);
    return element("span", { class: "compendium-preview-pdf" }, ...parts);
  }

  function showBar(status) {
    const key = JSON.stringify([status.building, status.problems.length, status.warnings, status.pdf]);
    if (key === shown) return;
    shown = key;
    const parts = [element("strong", {}, say("live")), " "];
    if (status.building) parts.push(say("rebuilding"));
    else if (status.problems.length) parts.push(count("inputProblems", status.problems.length));
    else parts.push(say("upToDate"));
    if (status.warnings.length) {
      const warnings = count("warnings", status.warnings.length);
      parts.push(" · ", element("span", { class: "compendium-preview-note", title: status.warnings.join("\n") }, warnings));
    }
    for (const [name, job] of Object.entries(status.pdf)) parts.push(" · ", pdfControl(name, job));
    bar.replaceChildren(...parts);
  }

  async function makePdf(name) {
    await fetch("/_pdf/" + encodeURIComponent(name), { method: "POST" });
    poll();
  }

  let timer = null;
  async function poll() {
    clearTimeout(timer);
    let delay = 300;
    try {
      const status = await (await fetch("/_status", { cache: "no-store" })).json();
      if (status.generation !== generation) {
        generation = status.generation;
        if (!status.problems.length) {
          sessionStorage.setItem(scrollKey, String(window.scrollY));
          location.reload();
          return;
        }
      }
      showProblems(status.problems);
      showBar(status);
      bar.classList.remove("compendium-preview-offline");
    } catch (error) {
      bar.classList.add("compendium-preview-offline");
      bar.replaceChildren(element("strong", {}, say("live")), " " + say("stopped"));
      shown = "";
      delay = 2000;
    }
    timer = setTimeout(poll, delay);
  }
  poll();
})();
