// The neighbourhood picture of an entity page: the entity in the middle, its direct links
// around it, drawn as SVG from the JSON the page carries. No library: a radial layout.
(function () {
  "use strict";
  const data = document.getElementById("neighbourhood-data");
  const svg = document.getElementById("neighbourhood");
  if (!data || !svg) return;
  const graph = JSON.parse(data.textContent);
  const ns = "http://www.w3.org/2000/svg";
  const width = svg.clientWidth || 800, height = svg.clientHeight || 400;
  const cx = width / 2, cy = height / 2, radius = Math.min(width, height) / 2 - 60;
  const el = (name, attrs, parent) => {
    const node = document.createElementNS(ns, name);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    (parent || svg).appendChild(node);
    return node;
  };
  const neighbours = graph.neighbours.slice(0, 24);
  neighbours.forEach((n, i) => {
    const angle = (2 * Math.PI * i) / neighbours.length - Math.PI / 2;
    n.x = cx + radius * Math.cos(angle);
    n.y = cy + radius * Math.sin(angle);
  });
  for (const n of neighbours) {
    el("line", { x1: cx, y1: cy, x2: n.x, y2: n.y });
    const label = el("text", { x: (cx + n.x) / 2, y: (cy + n.y) / 2 - 3, "class": "edge-label", "text-anchor": "middle" });
    label.textContent = (n.incoming ? "← " : "") + n.predicate;
  }
  // Links go to this server's pages only (the page sends local paths); anything else is inert.
  const safe = (href) => (typeof href === "string" && /^\/(?!\/)|^#/.test(href) ? href : "#");
  const node = (n, centre) => {
    // Out of the tab order: the list under the picture has the same links for the keyboard.
    const link = el("a", { href: safe(n.href), tabindex: "-1" });
    el("circle", { cx: n.x, cy: n.y, r: centre ? 14 : 9, "class": centre ? "centre" : "" }, link);
    const text = el("text", { x: n.x, y: n.y + (centre ? 28 : 22), "text-anchor": "middle" }, link);
    text.textContent = n.label.length > 32 ? n.label.slice(0, 31) + "…" : n.label;
    const title = el("title", {}, link);
    title.textContent = n.label;
  };
  neighbours.forEach((n) => node(n, false));
  node({ x: cx, y: cy, label: graph.label, href: "#" }, true);
  if (graph.neighbours.length > neighbours.length) {
    const more = el("text", { x: 10, y: height - 10, "class": "edge-label" });
    more.textContent = `${graph.neighbours.length - neighbours.length} more links are listed below`;
  }
})();
