// The query page: SPARQL highlighting, examples, running a query, a sortable results table
// with links to entity pages, downloads in every format, and errors shown inline.
(function () {
  "use strict";
  const editor = document.getElementById("query");
  const shadow = document.getElementById("highlight");
  const results = document.getElementById("results");
  const status = document.getElementById("status");
  const downloads = document.getElementById("downloads");
  const PUBLIC = "https://w3id.org/jtkg/";
  const KEYWORDS = new Set(("SELECT CONSTRUCT DESCRIBE ASK WHERE FROM NAMED PREFIX BASE OPTIONAL FILTER UNION " +
    "MINUS GRAPH SERVICE BIND VALUES AS ORDER BY GROUP HAVING LIMIT OFFSET DISTINCT REDUCED NOT EXISTS IN " +
    "ASC DESC COUNT SUM MIN MAX AVG SAMPLE GROUP_CONCAT SEPARATOR STR LANG LANGMATCHES DATATYPE BOUND IRI " +
    "URI BNODE STRLEN SUBSTR UCASE LCASE CONTAINS STRSTARTS STRENDS REGEX REPLACE YEAR MONTH DAY IF " +
    "COALESCE ISIRI ISURI ISBLANK ISLITERAL SAMETERM TRUE FALSE A").split(" "));
  const TOKEN = /(#[^\n]*)|("""[\s\S]*?"""|'''[\s\S]*?'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')|(<[^<>"{}|^`\\\s]*>)|([?$]\w+)|([A-Za-z_][\w.-]*:[\w.:%-]*|:[\w.:%-]*)|(\b\d+(?:\.\d+)?\b)|([A-Za-z_]\w*)/g;
  // Only http(s) IRIs become links: a javascript: or data: IRI in a result is shown as text.
  const linkable = (iri) => /^https?:\/\//i.test(iri);
  const escapeHtml = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

  function highlight(text) {
    let out = "", last = 0;
    text.replace(TOKEN, (match, comment, string, iri, variable, pname, number, word, offset) => {
      out += escapeHtml(text.slice(last, offset));
      last = offset + match.length;
      const cls = comment ? "comment" : string ? "str" : iri ? "iri" : variable ? "var" : pname ? "pname"
        : number ? "num" : KEYWORDS.has(word.toUpperCase()) ? "kw" : "";
      out += cls ? `<span class="tok-${cls}">${escapeHtml(match)}</span>` : escapeHtml(match);
      return match;
    });
    return out + escapeHtml(text.slice(last)) + "\n";
  }
  const refresh = () => { shadow.innerHTML = highlight(editor.value); };
  editor.addEventListener("input", refresh);
  editor.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); run(); }
    if (event.key === "Tab") {
      event.preventDefault();
      const at = editor.selectionStart;
      editor.setRangeText("  ", at, editor.selectionEnd, "end");
      refresh();
    }
  });
  const examples = JSON.parse(document.getElementById("examples-data").textContent);
  document.querySelectorAll("[data-example]").forEach((link) => link.addEventListener("click", (event) => {
    event.preventDefault();
    editor.value = examples[Number(link.dataset.example)].trim();
    refresh();
    run();
  }));
  document.getElementById("run").addEventListener("click", run);

  function cell(term) {
    const td = document.createElement("td");
    if (!term) return td;
    td.dataset.sort = term.value;
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

  function table(data) {
    const t = document.createElement("table");
    const head = t.createTHead().insertRow();
    data.head.vars.forEach((name, column) => {
      const th = document.createElement("th");
      th.textContent = "?" + name;
      th.addEventListener("click", () => sort(t, column, th));
      head.appendChild(th);
    });
    const body = t.createTBody();
    for (const binding of data.results.bindings) {
      const row = body.insertRow();
      data.head.vars.forEach((name) => row.appendChild(cell(binding[name])));
    }
    return t;
  }

  function sort(t, column, th) {
    const ascending = th.getAttribute("aria-sort") !== "ascending";
    t.querySelectorAll("th").forEach((h) => h.removeAttribute("aria-sort"));
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    const rows = Array.from(t.tBodies[0].rows);
    const key = (row) => row.cells[column].dataset.sort || "";
    const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });
    rows.sort((a, b) => (ascending ? 1 : -1) * collator.compare(key(a), key(b)));
    rows.forEach((row) => t.tBodies[0].appendChild(row));
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

  async function run() {
    const query = editor.value;
    status.textContent = "Running…";
    results.innerHTML = "";
    downloads.innerHTML = "";
    const started = performance.now();
    let response;
    try {
      response = await fetch("/sparql", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded",
                   Accept: "application/sparql-results+json, text/turtle;q=0.9" },
        body: new URLSearchParams({ query }),
      });
    } catch (error) {
      status.textContent = "";
      results.innerHTML = `<div class="error" role="alert">The server could not be reached: ${escapeHtml(String(error))}</div>`;
      return;
    }
    const elapsed = Math.round(performance.now() - started);
    const type = response.headers.get("Content-Type") || "";
    if (!response.ok) {
      status.textContent = "";
      results.innerHTML = `<div class="error" role="alert">${response.status}: ${escapeHtml(await response.text())}</div>`;
      return;
    }
    if (type.startsWith("application/sparql-results+json")) {
      const data = await response.json();
      if ("boolean" in data) {
        status.textContent = `Answer: ${data.boolean} (${elapsed} ms)`;
      } else {
        status.textContent = `${data.results.bindings.length} rows (${elapsed} ms)`;
        results.appendChild(table(data));
      }
      showDownloads(query, "results");
    } else {
      const text = await response.text();
      status.textContent = `Graph result (${elapsed} ms)`;
      const pre = document.createElement("pre");
      pre.textContent = text;
      results.appendChild(pre);
      showDownloads(query, "graph");
    }
  }
  refresh();
  if (new URLSearchParams(location.search).has("run")) run();
})();
