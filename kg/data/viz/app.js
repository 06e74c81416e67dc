// iokg diagram viewer: builds every tooltip, legend and panel with textContent, never from HTML strings,
// so text taken from documents cannot run as code. window.iokg exposes the network for tests and benches.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("iokg-data").textContent);
  var state = { ready: false, drawnAt: null, stabilisedAt: null, errors: [] };
  window.iokg = state;

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }

  function list(parent, title, items, tag) {
    if (!items || !items.length) return;
    parent.appendChild(el("div", title));
    var ul = el("ul");
    items.forEach(function (item) {
      var li = el("li");
      li.appendChild(el(tag || "span", item));
      ul.appendChild(li);
    });
    parent.appendChild(ul);
  }

  function nodeTip(n) {
    var box = el("div", null, "tip");
    box.appendChild(el("b", n.label));
    box.appendChild(el("div", data.styles[n.style].name, "kind"));
    (n.info.facts || []).forEach(function (f) { box.appendChild(el("div", f[0] + ": " + f[1])); });
    list(box, "Documents:", n.info.documents);
    list(box, "Evidence:", n.info.evidence, "blockquote");
    return box;
  }

  var labels = {};
  data.nodes.forEach(function (n) { labels[n.id] = n.label; n.title = nodeTip(n); });
  data.edges.forEach(function (e) {
    var box = el("div", null, "tip");
    box.appendChild(el("div", labels[e.from] + " \u2192 " + data.edgeStyles[e.relation].name + " \u2192 " + labels[e.to]));
    e.title = box;
  });

  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var container = document.getElementById("net");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  state.network = network; state.nodes = nodes; state.edges = edges;
  state.expected = { nodes: data.nodes.length, edges: data.edges.length };

  network.once("afterDrawing", function () { state.drawnAt = performance.now(); state.ready = true; });
  network.once("stabilizationIterationsDone", function () {
    state.stabilisedAt = performance.now();
    network.setOptions({ physics: { enabled: false } });
  });

  function showDetails(id) {
    var body = document.getElementById("details-body");
    body.replaceChildren();
    var n = nodes.get(id);
    if (n) body.appendChild(nodeTip(n));
  }
  network.on("click", function (params) { if (params.nodes.length) showDetails(params.nodes[0]); });

  function search() {
    var q = document.getElementById("search").value.trim().toLowerCase();
    var status = document.getElementById("status");
    if (!q) { status.textContent = ""; network.unselectAll(); return; }
    var ids = nodes.getIds({ filter: function (n) { return !n.hidden && n.label.toLowerCase().indexOf(q) >= 0; } });
    status.textContent = ids.length + (ids.length === 1 ? " match" : " matches");
    network.selectNodes(ids);
    if (ids.length) { network.fit({ nodes: ids, animation: false }); showDetails(ids[0]); }
  }
  document.getElementById("find").addEventListener("click", search);
  document.getElementById("search").addEventListener("keydown", function (ev) { if (ev.key === "Enter") search(); });

  function toggle(dataset, field, value, visible) {
    var ids = dataset.getIds({ filter: function (item) { return item[field] === value; } });
    dataset.update(ids.map(function (id) { return { id: id, hidden: !visible }; }));
  }

  function legendRow(parent, symbol, name, count, onToggle) {
    var row = el("label", null, "legend-row");
    var box = el("input"); box.type = "checkbox"; box.checked = true;
    box.addEventListener("change", function () { onToggle(box.checked); });
    row.appendChild(box); row.appendChild(symbol); row.appendChild(el("span", name));
    row.appendChild(el("span", count, "count"));
    parent.appendChild(row);
  }

  var nodeLegend = document.getElementById("node-legend");
  Object.keys(data.styles).forEach(function (key) {
    var s = data.styles[key], count = data.counts.nodes[key] || 0;
    if (!count) return;
    var sym = el("span", s.symbol, "symbol"); sym.style.color = s.color;
    legendRow(nodeLegend, sym, s.name, count, function (on) { toggle(nodes, "style", key, on); });
  });
  var edgeLegend = document.getElementById("edge-legend");
  Object.keys(data.edgeStyles).forEach(function (key) {
    var s = data.edgeStyles[key], count = data.counts.edges[key] || 0;
    if (!count) return;
    var sw = el("span", null, "edge-swatch");
    sw.style.borderTopStyle = s.dashes ? "dashed" : "solid"; sw.style.borderTopColor = s.color;
    sw.style.borderTopWidth = s.width + "px";
    legendRow(edgeLegend, sw, s.name, count, function (on) { toggle(edges, "relation", key, on); });
  });
})();
