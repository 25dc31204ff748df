// Search over the compendium with Pagefind, offline: from file:// as from any static host, with no network.
//
// Each file of Pagefind's bundle is shipped as a classic script (search/<file>.js) that calls
// compendiumSearch.add(name, base64). Pagefind's own pagefind.js is an ES module that fetches its files,
// which Chromium refuses from file://; so it is imported from a blob made of its bytes, and its fetches
// of bundle files are answered from those scripts, each loaded when Pagefind first asks for it.
// Without JavaScript the search form stays hidden and the page reads whole.
"use strict";
(function () {
  const script = document.currentScript;
  const base = new URL(".", script.src).href; // the search/ folder
  const form = document.getElementById("search");
  if (!form) return;

  const files = new Map();
  const waiting = new Map();
  window.compendiumSearch = {
    add(name, encoded) {
      files.set(name, encoded);
      (waiting.get(name) || []).forEach((w) => w.resolve());
      waiting.delete(name);
    },
  };

  function load(name) {
    if (files.has(name)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const first = !waiting.has(name);
      if (first) waiting.set(name, []);
      waiting.get(name).push({ resolve, reject });
      if (!first) return;
      const tag = document.createElement("script");
      tag.src = base + name + ".js";
      tag.onerror = () => {
        (waiting.get(name) || []).forEach((w) => w.reject(new Error("search file missing: " + name)));
        waiting.delete(name);
      };
      document.head.appendChild(tag);
    });
  }

  function bytes(name) {
    const text = atob(files.get(name));
    const out = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
    return out;
  }

  // Answer Pagefind's fetches of its bundle from the scripts; anything else goes to the real fetch.
  const realFetch = window.fetch ? window.fetch.bind(window) : null;
  window.fetch = async function (input, init) {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const absolute = new URL(url, document.baseURI).href;
    if (absolute.startsWith(base)) {
      const name = absolute.slice(base.length).split(/[?#]/)[0];
      await load(name);
      const type = name.endsWith(".pagefind") ? "application/wasm" : "application/octet-stream";
      return new Response(bytes(name), { headers: { "Content-Type": type } });
    }
    if (!realFetch) throw new Error("no fetch");
    return realFetch(input, init);
  };

  let pagefind = null;
  async function start() {
    if (!pagefind) {
      pagefind = (async () => {
        await load("pagefind.js");
        const blob = new Blob([bytes("pagefind.js")], { type: "text/javascript" });
        const module = await import(URL.createObjectURL(blob));
        // No worker: a worker script cannot be started from file://, and the index is small enough.
        await module.options({ basePath: base, noWorker: true, excerptLength: 24 });
        await module.init();
        return module;
      })();
    }
    return pagefind;
  }

  const input = document.getElementById("search-input");
  const status = document.getElementById("search-status");
  const list = document.getElementById("search-results");
  const selects = [...form.querySelectorAll("select[data-filter]")];
  const say = (key, values) =>
    form.dataset[key].replace(/\{(\w+)\}/g, (_, k) => (k in values ? String(values[k]) : ""));

  // The excerpt Pagefind gives is HTML with <mark> around the words found: only those tags are kept.
  function excerpt(text) {
    const out = document.createElement("p");
    text.split(/(<mark>|<\/mark>)/).reduce((marked, part) => {
      if (part === "<mark>") return true;
      if (part === "</mark>") return false;
      const decoded = new DOMParser().parseFromString(part, "text/html").documentElement.textContent;
      const node = document.createTextNode(decoded);
      if (marked) {
        const mark = document.createElement("mark");
        mark.appendChild(node);
        out.appendChild(mark);
      } else {
        out.appendChild(node);
      }
      return marked;
    }, false);
    return out;
  }

  function entryLabel(value) {
    const option = form.querySelector(`select[data-filter="entry"] option[value="${CSS.escape(value)}"]`);
    return option ? option.textContent : value;
  }

  function show(results, query) {
    list.replaceChildren();
    for (const data of results) {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = "#" + data.url.split("#")[1];
      link.textContent = data.meta.title;
      const heading = document.createElement("p");
      heading.className = "search-title";
      heading.appendChild(link);
      const kinds = (data.filters.entry || []).map(entryLabel);
      if (kinds.length) {
        const kind = document.createElement("span");
        kind.className = "search-kind";
        kind.textContent = " · " + kinds.join(", ");
        heading.appendChild(kind);
      }
      item.append(heading, excerpt(data.excerpt));
      list.appendChild(item);
    }
    status.textContent = results.length ? say("found", { count: results.length, query }) : say("none", { query });
  }

  async function fillFilters(found) {
    const counts = await found.filters();
    for (const select of selects) {
      const values = Object.keys(counts[select.dataset.filter] || {}).sort((a, b) => a.localeCompare(b, document.documentElement.lang));
      const current = select.value;
      for (const value of values) {
        if (select.querySelector(`option[value="${CSS.escape(value)}"]`)) continue;
        const option = document.createElement("option");
        option.value = value;
        option.textContent = value;
        select.appendChild(option);
      }
      select.value = current;
    }
  }

  let asked = 0;
  async function search() {
    const turn = ++asked;
    const query = input.value.trim();
    const filters = {};
    for (const select of selects) if (select.value) filters[select.dataset.filter] = select.value;
    if (!query && !Object.keys(filters).length) {
      list.replaceChildren();
      status.textContent = "";
      return;
    }
    status.textContent = say("searching", {});
    try {
      const found = await start();
      const answer = await found.search(query || null, { filters });
      const shown = await Promise.all(answer.results.slice(0, 50).map((r) => r.data()));
      if (turn !== asked) return; // a later search has started
      show(shown, query);
      if (answer.results.length > shown.length) status.textContent += " " + say("more", { shown: shown.length });
    } catch (error) {
      if (turn === asked) status.textContent = say("failed", {});
      console.error(error);
    }
  }

  let timer = 0;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(search, 250);
  });
  selects.forEach((select) => select.addEventListener("change", search));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    search();
  });

  const style = document.createElement("link");
  style.rel = "stylesheet";
  style.href = base + "search.css";
  document.head.appendChild(style);
  form.hidden = false;
  start().then(fillFilters).catch((error) => {
    status.textContent = say("failed", {});
    console.error(error);
  });
})();
