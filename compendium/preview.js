// The live preview's page script (served by `compendium serve`, never written to build/):
// reloads the page after a rebuild, shows input problems over the page, and makes PDFs on demand.
(() => {
  "use strict";
  const script = document.currentScript;
  let generation = Number(script.dataset.generation);
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
    const count = problems.length === 1 ? "1 problem" : problems.length + " problems";
    document.body.append(element("div", { id: "compendium-preview-errors", role: "alert" },
      element("div", { class: "compendium-preview-box" },
        element("h2", {}, "The preview is out of date: " + count),
        element("ol", {}, ...items),
        element("p", {}, "Save a fix and this page updates by itself."))));
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
      const note = job.outdated ? job.message + "; older than the inputs" : job.message;
      parts.push(element("span", { class: "compendium-preview-note" }, " (" + note + ")"));
    }
    if (job.state === "failed") {
      parts.push(element("span", { class: "compendium-preview-failed", title: job.problems.map((p) => (p.where ? p.where + " " : "") + p.message).join("\n") }, label + " failed"));
    }
    const button = element("button", { type: "button", "data-document": name }, job.state === "done" ? "Remake" : "Make " + label);
    button.addEventListener("click", () => makePdf(name));
    parts.push(" ", button);
    return element("span", { class: "compendium-preview-pdf" }, ...parts);
  }

  function showBar(status) {
    const key = JSON.stringify([status.building, status.problems.length, status.warnings, status.pdf]);
    if (key === shown) return;
    shown = key;
    const parts = [element("strong", {}, "Live preview"), " "];
    if (status.building) parts.push("rebuilding …");
    else if (status.problems.length) parts.push(status.problems.length === 1 ? "1 problem in the inputs" : status.problems.length + " problems in the inputs");
    else parts.push("up to date");
    if (status.warnings.length) {
      const count = status.warnings.length === 1 ? "1 warning" : status.warnings.length + " warnings";
      parts.push(" · ", element("span", { class: "compendium-preview-note", title: status.warnings.join("\n") }, count));
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
      bar.replaceChildren(element("strong", {}, "Live preview"), " stopped: start compendium serve again");
      shown = "";
      delay = 2000;
    }
    timer = setTimeout(poll, delay);
  }
  poll();
})();
