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
    list(box, "Sources (networks folded into this operation):", n.info.accounts);
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

  var physics = data.options.physics && data.options.physics.enabled;
  network.once("afterDrawing", function () {
    state.drawnAt = performance.now();
    if (!physics) centreFocus();
    state.ready = true;
  });
  network.once("stabilizationIterationsDone", function () {
    state.stabilisedAt = performance.now();
    network.setOptions({ physics: { enabled: false } });
    setTimeout(centreFocus, 0);
  });

  // --focus: the chosen nodes are highlighted (thick border, selected) and the first is centred
  function centreFocus() {
    var ids = (data.focus || []).filter(function (id) { return nodes.get(id); });
    if (!ids.length) { state.focusDone = true; return; }
    nodes.update(ids.map(function (id) {
      return { id: id, borderWidth: 6, size: (nodes.get(id).size || 10) * 1.6, color: { border: "#000000", background: "#ffd700" } };
    }));
    network.selectNodes(ids);
    network.moveTo({ position: network.getPositions([ids[0]])[ids[0]], scale: Math.max(network.getScale(), 1.0), animation: false });
    showDetails(ids[0]);
    state.focused = ids[0]; state.focusDone = true;
  }

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
    if (dataset === nodes) { hiddenStyles[value] = !visible; applyFilters(); return; }
    var ids = dataset.getIds({ filter: function (item) { return item[field] === value; } });
    dataset.update(ids.map(function (id) { return { id: id, hidden: !visible }; }));
  }

  // Node filters together: legend classes, the platform toggle and the takedown period. An entity
  // linked only to operations or networks outside the period is hidden with them.
  var hiddenStyles = {}, neighbours = {};
  data.edges.forEach(function (e) {
    (neighbours[e.from] = neighbours[e.from] || []).push(e.to);
    (neighbours[e.to] = neighbours[e.to] || []).push(e.from);
  });
  var platformBox = document.getElementById("platforms"), fromBox = document.getElementById("from"),
      toBox = document.getElementById("to");
  platformBox.checked = !data.hidePlatforms;
  function outside(n, from, to) {
    if (!from && !to) return false;
    if (!n.period) return true;
    return (from && n.period[1] < from + "-01") || (to && n.period[0] > to + "-31");
  }
  function applyFilters() {
    var from = fromBox.value, to = toBox.value, hide = {};
    data.nodes.forEach(function (n) {
      var dated = n.style === "operation" || n.style === "network";
      hide[n.id] = !!hiddenStyles[n.style] || (n.style === "platform" && !platformBox.checked) ||
                   (dated && outside(n, from, to));
    });
    if (from || to) {
      data.nodes.forEach(function (n) {
        if (n.style === "operation" || n.style === "network" || hide[n.id]) return;
        var linked = (neighbours[n.id] || []).filter(function (o) {
          var s = nodes.get(o).style; return s === "operation" || s === "network";
        });
        if (linked.length && linked.every(function (o) { return hide[o]; })) hide[n.id] = true;
      });
    }
    nodes.update(data.nodes.map(function (n) { return { id: n.id, hidden: hide[n.id] }; }));
    state.visible = data.nodes.filter(function (n) { return !hide[n.id]; }).length;
  }
  state.applyFilters = applyFilters;
  [platformBox, fromBox, toBox].forEach(function (box) { box.addEventListener("change", applyFilters); });
  document.getElementById("clear-period").addEventListener("click", function () {
    fromBox.value = ""; toBox.value = ""; applyFilters();
  });
  if (data.periods && data.periods.length) {
    fromBox.min = toBox.min = data.periods[0].slice(0, 7);
    fromBox.max = toBox.max = data.periods[data.periods.length - 1].slice(0, 7);
  }
  applyFilters();

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
