// The neighbourhood picture of an entity page: the entity in the middle, its direct links
// around it, drawn as SVG from the JSON the page carries. No library: the nodes in two columns
// left and right of the entity, labels set outward, and the link names on the lines only when
// they are few. The same links are listed under the picture (the keyboard and screen-reader
// version).
(function () {
  "use strict";
  const data = document.getElementById("neighbourhood-data");
  const svg = document.getElementById("neighbourhood");
  if (!data || !svg) return;
  const graph = JSON.parse(data.textContent);
  const ns = "http://www.w3.org/2000/svg";
  const neighbours = graph.neighbours.slice(0, 24);
  svg.classList.add("drawn");  // shown only when drawn: without script the list alone
  const width = Math.round(svg.getBoundingClientRect().width) || 800;
  const narrow = width < 560;
  // Half the nodes left of the entity, half right, spread down an ellipse: each side's labels
  // are a column set outward from its nodes, a line apart, so no two labels overlap.
  const perSide = Math.ceil(neighbours.length / 2);
  const rowHeight = narrow ? 30 : 26;
  const height = Math.max(narrow ? 300 : 340, 40 + perSide * rowHeight);
  svg.style.height = height + "px";
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  const cx = width / 2, cy = height / 2;
  const maxChars = narrow ? 15 : 28;
  const labelRoom = narrow ? 112 : 200;  // the widest label, in pixels, and its gap
  const radius = Math.max(40, width / 2 - labelRoom - 16);
  const el = (name, attrs, parent) => {
    const node = document.createElementNS(ns, name);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    (parent || svg).appendChild(node);
    return node;
  };
  neighbours.forEach((n, i) => {
    const side = i % 2 ? -1 : 1;
    const row = Math.floor(i / 2), rows = side > 0 ? perSide : Math.floor(neighbours.length / 2);
    n.y = 20 + (row + 0.5) * ((height - 40) / rows);
    const t = Math.min(0.9, Math.abs(n.y - cy) / (height / 2));
    n.x = cx + side * radius * Math.max(0.45, Math.sqrt(1 - t * t));
    n.dx = side;
  });
  const showEdgeLabels = neighbours.length <= 6 && !narrow;
  for (const n of neighbours) {
    el("line", { x1: cx, y1: cy, x2: n.x, y2: n.y });
    if (showEdgeLabels) {
      const label = el("text", { x: (cx + n.x) / 2, y: (cy + n.y) / 2 - 4, "class": "edge-label", "text-anchor": "middle" });
      label.textContent = (n.incoming ? "← " : "") + n.predicate;
    }
  }
  // Links go to this server's pages only (the page sends local paths); anything else is inert.
  const safe = (href) => (typeof href === "string" && /^\/(?!\/)|^#/.test(href) ? href : "#");
  const node = (n, centre) => {
    // Out of the tab order: the list under the picture has the same links for the keyboard.
    const link = el("a", { href: safe(n.href), tabindex: "-1" });
    el("circle", { cx: n.x, cy: n.y, r: centre ? 14 : 8, "class": centre ? "centre" : "" }, link);
    const side = centre ? 0 : n.dx > 0.3 ? 1 : n.dx < -0.3 ? -1 : 0;
    const text = el("text", {
      x: n.x + side * 12,
      y: side ? n.y + 4 : n.y + (centre ? 30 : (n.y < cy ? -12 : 22)),
      "text-anchor": side > 0 ? "start" : side < 0 ? "end" : "middle",
      "class": centre ? "centre-label" : "",
    }, link);
    text.textContent = n.label.length > maxChars ? n.label.slice(0, maxChars - 1) + "…" : n.label;
    const title = el("title", {}, link);
    title.textContent = centre ? n.label : `${n.label} (${n.incoming ? "← " : ""}${n.predicate})`;
  };
  neighbours.forEach((n) => node(n, false));
  node({ x: cx, y: cy, label: graph.label, href: "#" }, true);
  if (graph.neighbours.length > neighbours.length) {
    const more = el("text", { x: 10, y: height - 10, "class": "edge-label" });
    more.textContent = `${graph.neighbours.length - neighbours.length} more links are listed below`;
  }
})();
