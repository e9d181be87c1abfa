// The query page: SPARQL highlighting, examples, running a query, a sortable results table
// (100 rows a page, with the total) linking to entity pages, downloads in every format (whole
// results), errors shown inline, and the URL kept in step (history.pushState) so a query can
// be shared and Back works. Without this script the page is a plain form the server answers.
(function () {
  "use strict";
  const editor = document.getElementById("query");
  const shadow = document.getElementById("highlight");
  const results = document.getElementById("results");
  const status = document.getElementById("status");
  const downloads = document.getElementById("downloads");
  const form = document.getElementById("query-form");
  const PUBLIC = "https://w3id.org/jtkg/";
  const PAGE_ROWS = 100;  // as server/query_results.py
  const KEYWORDS = new Set(("SELECT CONSTRUCT DESCRIBE ASK WHERE FROM NAMED PREFIX BASE OPTIONAL FILTER UNION " +
    "MINUS GRAPH SERVICE BIND VALUES AS ORDER BY GROUP HAVING LIMIT OFFSET DISTINCT REDUCED NOT EXISTS IN " +
    "ASC DESC COUNT SUM MIN MAX AVG SAMPLE GROUP_CONCAT SEPARATOR STR LANG LANGMATCHES DATATYPE BOUND IRI " +
    "URI BNODE STRLEN SUBSTR UCASE LCASE CONTAINS STRSTARTS STRENDS REGEX REPLACE YEAR MONTH DAY IF " +
    "COALESCE ISIRI ISURI ISBLANK ISLITERAL SAMETERM TRUE FALSE A").split(" "));
  const TOKEN = /(#[^\n]*)|("""[\s\S]*?"""|'''[\s\S]*?'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')|(<[^<>"{}|^`\\\s]*>)|([?$]\w+)|([A-Za-z_][\w.-]*:[\w.:%-]*|:[\w.:%-]*)|(\b\d+(?:\.\d+)?\b)|([A-Za-z_]\w*)/g;
  // An update's first keyword after the prologue (as server/query_results.py).
  const UPDATE = /^(?:\s+|#[^\n]*(?:\n|$)|PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>)*(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b/i;
  const UPDATE_MESSAGE = "400: this is a SPARQL update: the query page only reads; send updates to /update (POST, with a write token)";
  // Only http(s) IRIs become links: a javascript: or data: IRI in a result is shown as text.
  const linkable = (iri) => /^https?:\/\//i.test(iri);
  const escapeHtml = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  let shown = null;  // the SELECT result on screen: {data, page}

  let errorAt = null;  // where the server said the query stops parsing: marked until the next edit
  function highlight(text) {
    if (errorAt === null || errorAt > text.length) return tokens(text) + "\n";
    const end = Math.min(text.length, errorAt + 1);
    const bad = text.slice(errorAt, end).replace("\n", " \n") || " ";
    return tokens(text.slice(0, errorAt)) + `<span class="tok-error" id="error-mark">${escapeHtml(bad)}</span>` +
      tokens(text.slice(end)) + "\n";
  }
  function tokens(text) {
    let out = "", last = 0;
    text.replace(TOKEN, (match, comment, string, iri, variable, pname, number, word, offset) => {
      out += escapeHtml(text.slice(last, offset));
      last = offset + match.length;
      const cls = comment ? "comment" : string ? "str" : iri ? "iri" : variable ? "var" : pname ? "pname"
        : number ? "num" : KEYWORDS.has(word.toUpperCase()) ? "kw" : "";
      out += cls ? `<span class="tok-${cls}">${escapeHtml(match)}</span>` : escapeHtml(match);
      return match;
    });
    return out + escapeHtml(text.slice(last));
  }
  const refresh = () => { shadow.innerHTML = highlight(editor.value); };
  // "error at LINE:COLUMN" in the server's answer: the character it names, as an offset.
  function markError(message) {
    const found = /\bat (\d+):(\d+)/.exec(message);
    if (!found) return "";
    const lines = editor.value.split("\n");
    const line = Math.min(Number(found[1]), lines.length), column = Number(found[2]);
    let at = 0;
    for (let i = 0; i < line - 1; i++) at += lines[i].length + 1;
    errorAt = Math.min(at + Math.max(0, column - 1), editor.value.length);
    editor.setSelectionRange(errorAt, errorAt);
    refresh();
    return ` (marked in the editor: line ${line}, column ${column})`;
  }
  document.getElementById("editor").classList.add("js");  // the highlighted view over the text
  editor.addEventListener("input", () => { errorAt = null; refresh(); });
  // Ctrl+Space: the prefixes and ontology terms that continue the word before the caret; a
  // chosen term gets its PREFIX declaration added at the top when the query lacks it.
  const vocabulary = JSON.parse(document.getElementById("completion-data").textContent);
  const list = document.getElementById("completions");
  let choices = [], chosen = 0, wordStart = 0;
  function complete() {
    const before = editor.value.slice(0, editor.selectionStart);
    const word = /[A-Za-z_][\w.-]*:?[\w.-]*$/.exec(before)?.[0] || "";
    wordStart = editor.selectionStart - word.length;
    const lower = word.toLowerCase();
    choices = word.includes(":")
      ? vocabulary.terms.filter((t) => t.toLowerCase().startsWith(lower))
      : [...Object.keys(vocabulary.prefixes).map((p) => p + ":"), ...vocabulary.terms]
          .filter((t) => t.toLowerCase().startsWith(lower) || t.toLowerCase().includes(":" + lower));
    choices = choices.slice(0, 30);
    if (choices.length === 1) { accept(choices[0]); return; }
    chosen = 0;
    show();
  }
  function show() {
    list.replaceChildren(...choices.map((c, i) => {
      const li = document.createElement("li");
      li.setAttribute("role", "option");
      li.id = `completion-${i}`;
      li.textContent = c;
      li.setAttribute("aria-selected", String(i === chosen));
      li.addEventListener("mousedown", (event) => { event.preventDefault(); accept(c); });
      return li;
    }));
    list.hidden = choices.length === 0;
    if (!list.hidden) editor.setAttribute("aria-activedescendant", `completion-${chosen}`);
  }
  function close() { choices = []; show(); editor.removeAttribute("aria-activedescendant"); }
  function accept(term) {
    const end = editor.selectionStart;
    editor.setRangeText(term, wordStart, end, "end");
    const prefix = term.split(":")[0];
    const namespace = vocabulary.prefixes[prefix];
    if (namespace && !new RegExp(`PREFIX\\s+${prefix}:`, "i").test(editor.value)) {
      const line = `PREFIX ${prefix}: <${namespace}>\n`;
      const at = editor.selectionStart + line.length;
      editor.value = line + editor.value;
      editor.setSelectionRange(at, at);
    }
    close();
    errorAt = null;
    refresh();
  }
  editor.addEventListener("blur", close);
  // Tab indents, but never traps the keyboard: Escape, then Tab, moves on; Shift+Tab moves back.
  let leaving = false;
  editor.addEventListener("keydown", (event) => {
    if (event.key === " " && event.ctrlKey) { event.preventDefault(); complete(); return; }
    if (!list.hidden) {
      const keys = { ArrowDown: 1, ArrowUp: -1 };
      if (event.key in keys) {
        event.preventDefault();
        chosen = (chosen + keys[event.key] + choices.length) % choices.length;
        show();
        return;
      }
      if (event.key === "Enter" && !event.ctrlKey) { event.preventDefault(); accept(choices[chosen]); return; }
      if (event.key === "Escape") { event.preventDefault(); close(); return; }  // a second Escape: leave
    }
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); run(true); }
    if (event.key === "Tab" && !event.shiftKey && !leaving && !event.ctrlKey && !event.altKey && !event.metaKey) {
      event.preventDefault();
      editor.setRangeText("  ", editor.selectionStart, editor.selectionEnd, "end");
      refresh();
    }
    leaving = event.key === "Escape";
  });
  const examples = JSON.parse(document.getElementById("examples-data").textContent);
  document.querySelectorAll("[data-example]").forEach((link) => link.addEventListener("click", (event) => {
    event.preventDefault();
    editor.value = examples[Number(link.dataset.example)].trim();
    refresh();
    run(true);
  }));
  form.addEventListener("submit", (event) => { event.preventDefault(); run(true); });

  function cell(term) {
    const td = document.createElement("td");
    if (!term) return td;
    if (term.type === "uri" && !linkable(term.value)) {
      const span = document.createElement("span");
      span.className = "iri-text";
      span.textContent = term.value;
      td.appendChild(span);
    } else if (term.type === "uri") {
      const a = document.createElement("a");
      const local = term.value.startsWith(PUBLIC) ? term.value.slice(PUBLIC.length) : null;
      // "//host" or "/\\host" after the base would be a link to another site: keep the IRI.
      a.href = local !== null && !/^[\/\\]/.test(local) ? "/" + local : term.value;
      a.textContent = term.value.startsWith(PUBLIC + "id/") ? term.value.slice(PUBLIC.length + 3) : term.value;
      a.title = term.value;
      td.appendChild(a);
    } else {
      td.textContent = term.value;
      if (term["xml:lang"]) td.insertAdjacentHTML("beforeend", ` <span class="tag">@${escapeHtml(term["xml:lang"])}</span>`);
    }
    return td;
  }

  // The shown page of the result: a header of sort buttons (keyboard-operable), its rows,
  // and a pager above and below when there is more than one page. Sorting and paging
  // refill the rows and pagers only, so the header (and the focus on it) stays.
  function render() {
    const { data, page, column, ascending } = shown;
    const total = data.results.bindings.length;
    const pages = Math.max(1, Math.ceil(total / PAGE_ROWS));
    if (!shown.table) {
      results.innerHTML = "";
      const wrap = document.createElement("div");
      wrap.className = "table-wrap";
      const t = shown.table = document.createElement("table");
      t.id = "result-table";
      const head = t.createTHead().insertRow();
      data.head.vars.forEach((name, index) => {
        const th = document.createElement("th");
        th.scope = "col";
        const button = document.createElement("button");
        button.type = "button";
        button.className = "sort";
        button.textContent = "?" + name;
        button.addEventListener("click", () => sort(index));
        th.appendChild(button);
        head.appendChild(th);
      });
      t.createTBody();
      wrap.appendChild(t);
      shown.pagers = [document.createElement("div"), document.createElement("div")];
      results.append(shown.pagers[0], wrap, shown.pagers[1]);
    }
    shown.table.querySelectorAll("th").forEach((th, index) => {
      if (column === index) th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      else th.removeAttribute("aria-sort");
    });
    const body = document.createElement("tbody");
    for (const binding of data.results.bindings.slice((page - 1) * PAGE_ROWS, page * PAGE_ROWS)) {
      const row = body.insertRow();
      data.head.vars.forEach((name) => row.appendChild(cell(binding[name])));
    }
    shown.table.replaceChild(body, shown.table.tBodies[0]);
    for (const slot of shown.pagers) slot.replaceChildren(...(pages > 1 ? [pager(page, pages, total)] : []));
  }

  function pager(page, pages, total) {
    const nav = document.createElement("nav");
    nav.className = "pager small";
    nav.setAttribute("aria-label", "Result pages");
    const go = (label, to, rel) => {
      const b = document.createElement("button");
      b.type = "button";
      b.className = "secondary";
      b.textContent = label;
      b.dataset.rel = rel;
      b.addEventListener("click", () => { shown.page = to; render(); results.querySelector(`[data-rel=${rel}]`)?.focus(); });
      nav.appendChild(b);
    };
    if (page > 1) go("Previous", page - 1, "prev");
    const span = document.createElement("span");
    span.textContent = `Rows ${(page - 1) * PAGE_ROWS + 1}–${Math.min(page * PAGE_ROWS, total)} of ${total.toLocaleString("en")}`;
    nav.appendChild(span);
    if (page < pages) go("Next", page + 1, "next");
    return nav;
  }

  function sort(column) {
    const ascending = !(shown.column === column && shown.ascending);
    const name = shown.data.head.vars[column];
    const key = (binding) => (binding[name] ? binding[name].value : "");
    const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });
    shown.data.results.bindings.sort((a, b) => (ascending ? 1 : -1) * collator.compare(key(a), key(b)));
    Object.assign(shown, { column, ascending, page: 1 });
    render();
  }

  // A graph result as Turtle written with the query's own prefixes, a subject at a time.
  function turtle(ntriples, query) {
    const prefixes = [];
    for (const m of query.matchAll(/PREFIX\s+([A-Za-z][\w.-]*|):\s*<([^<>"{}|^`\\\s]*)>/gi)) prefixes.push([m[1], m[2]]);
    prefixes.sort((a, b) => b[1].length - a[1].length);
    const LOCAL = /^(?:[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?)?$/;
    const short = (term) => term.replace(/^<([^>]*)>$|\^\^<([^>]*)>$/, (m, iri, datatype) => {
      const value = iri ?? datatype;
      for (const [p, ns] of prefixes) {
        if (value.startsWith(ns) && LOCAL.test(value.slice(ns.length))) return (iri ? "" : "^^") + p + ":" + value.slice(ns.length);
      }
      return m;
    });
    const TERM = /<[^>]*>|_:[^\s]+|"(?:[^"\\]|\\.)*"(?:@[A-Za-z0-9-]+|\^\^<[^>]*>)?/g;
    const lines = [...new Set(prefixes.map(([p, ns]) => `@prefix ${p}: <${ns}> .`))];
    let subject = null;
    for (const line of ntriples.split("\n")) {
      const terms = line.match(TERM);
      if (!terms || terms.length < 3) continue;
      const [s, p, o] = terms.map(short);
      const verb = p === "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>" ? "a" : p;
      if (s === subject) lines[lines.length - 1] += " ;";
      else { if (subject !== null) lines[lines.length - 1] += " ."; lines.push(""); lines.push(s); subject = s; }
      lines.push(`    ${verb} ${o}`);
    }
    if (subject !== null) lines[lines.length - 1] += " .";
    return lines.join("\n").trim() + "\n";
  }

  function showDownloads(query, kind) {
    const formats = kind === "graph"
      ? [["turtle", "Turtle"], ["ntriples", "N-Triples"], ["jsonld", "JSON-LD"], ["rdfxml", "RDF/XML"], ["trig", "TriG"], ["nquads", "N-Quads"]]
      : [["json", "JSON"], ["xml", "XML"], ["csv", "CSV"], ["tsv", "TSV"]];
    downloads.innerHTML = "Download: ";
    for (const [format, name] of formats) {
      const a = document.createElement("a");
      a.href = "/sparql?" + new URLSearchParams({ query, format });
      a.textContent = name;
      a.setAttribute("download", `results.${format}`);
      downloads.append(a, " ");
    }
  }

  function fail(text) {
    status.textContent = "";
    results.innerHTML = `<div class="error" role="alert">${escapeHtml(text)}</div>`;
  }

  async function run(push, page) {
    const query = editor.value;
    if (push) {  // the URL names the query: shareable, and Back returns to the one before
      const url = "/query?" + new URLSearchParams({ query, run: "1" });
      if (location.pathname + location.search !== url) history.pushState({ query }, "", url);
    }
    status.textContent = "Running…";
    results.innerHTML = "";
    downloads.innerHTML = "";
    shown = null;
    if (errorAt !== null) { errorAt = null; refresh(); }
    if (UPDATE.test(query)) { fail(UPDATE_MESSAGE); return; }
    const started = performance.now();
    let response;
    try {
      response = await fetch("/sparql", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded",
                   Accept: "application/sparql-results+json, application/n-triples;q=0.9" },
        body: new URLSearchParams({ query }),
      });
    } catch (error) {
      fail(`The server could not be reached: ${String(error)}`);
      return;
    }
    const elapsed = Math.round(performance.now() - started);
    const type = response.headers.get("Content-Type") || "";
    if (!response.ok) {
      const message = (await response.text()).trim();
      fail(`${response.status}: ${message}`);
      if (response.status === 400) results.firstChild.textContent += markError(message);
      return;
    }
    if (type.startsWith("application/sparql-results+json")) {
      const data = await response.json();
      if ("boolean" in data) {
        status.textContent = `Answer: ${data.boolean} (${elapsed} ms)`;
      } else {
        const total = data.results.bindings.length;
        status.textContent = `${total.toLocaleString("en")} row${total === 1 ? "" : "s"} (${elapsed} ms)`;
        const pages = Math.max(1, Math.ceil(total / PAGE_ROWS));
        shown = { data, page: Math.min(Math.max(1, page || 1), pages), column: null, ascending: true };
        render();
      }
      showDownloads(query, "results");
    } else {
      const text = await response.text();
      const count = text.split("\n").filter((line) => line.trim()).length;
      status.textContent = `Graph result: ${count.toLocaleString("en")} triple${count === 1 ? "" : "s"} (${elapsed} ms)`;
      const pre = document.createElement("pre");
      pre.className = "turtle";
      pre.textContent = turtle(text, query);
      results.appendChild(pre);
      showDownloads(query, "graph");
    }
  }

  function fromLocation() {
    const params = new URLSearchParams(location.search);
    if (params.has("query")) { editor.value = params.get("query"); refresh(); }
    if (params.has("run")) run(false, Number(params.get("page")) || 1);
    else { results.innerHTML = ""; status.textContent = ""; downloads.innerHTML = ""; }
  }
  // A shared link the server has already answered: its page is kept (the query is not run
  // twice); the first sort fetches the whole result and sorts it here.
  function enhance(table) {
    table.querySelectorAll("th").forEach((th, index) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      button.textContent = th.textContent;
      button.addEventListener("click", async () => {
        await run(false, 1);
        if (shown) { sort(index); results.querySelectorAll("th button")[index].focus(); }
      });
      th.replaceChildren(button);
    });
  }
  window.addEventListener("popstate", fromLocation);
  refresh();
  const params = new URLSearchParams(location.search);
  const answered = document.getElementById("result-table");
  if (params.has("run") && results.children.length) { if (answered) enhance(answered); }
  else if (params.has("run")) run(false, Number(params.get("page")) || 1);
})();
