// kcn-tracker briefing map, part 2: layout (panels never cover the province), colour switch,
// filters, accent-insensitive search, table of the visible records, names from a zoom level on.
(function () {
  "use strict";
  var K = window.kcnMap, map = K.map, DATA = K.data, LK = DATA.lookups, ST = LK.style, el = K.el;
  var W = function () { return window.innerWidth; }, H = function () { return window.innerHeight; };

  // ---- panels into the map's corners
  L.control.scale({ imperial: false }).addTo(map);
  var layerControl = L.control.layers(K.bases, K.overlays, { collapsed: true }).addTo(map);
  function panel(id, position) {
    var node = document.getElementById(id);
    if (!node) return null;
    var C = L.Control.extend({ onAdd: function () { L.DomEvent.disableClickPropagation(node); L.DomEvent.disableScrollPropagation(node); return node; } });
    new C({ position: position }).addTo(map);
    var from = node.getAttribute("data-open-from");  // "WxH": open at start on screens at least that large
    if (from) { var wh = from.split("x"); node.open = W() >= +wh[0] && H() >= +wh[1]; }
    return node;
  }
  var Fullscreen = L.Control.extend({ onAdd: function () {
    var button = el("button", "kcn-fullscreen leaflet-bar");
    button.innerHTML = '<svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true"><path d="M1 6V1h5M10 1h5v5M15 10v5h-5M6 15H1v-5" fill="none" stroke="currentColor" stroke-width="2"/></svg>';
    button.title = "Toàn màn hình / full screen";
    L.DomEvent.on(button, "click", function (e) {
      L.DomEvent.stop(e);
      if (document.fullscreenElement) document.exitFullscreen(); else document.documentElement.requestFullscreen();
    });
    return button;
  } });
  new Fullscreen({ position: "topleft" }).addTo(map);
  panel("kcn-progress", "topleft");
  panel("kcn-tools", "topright");
  panel("kcn-legend", "topright");
  panel("kcn-sources", "bottomleft");
  panel("kcn-unlocated", "bottomleft");
  panel("kcn-table", "bottomleft");
  // the lower-left panels open one at a time (they grow upwards, towards the progress panel)
  var lower = ["kcn-sources", "kcn-unlocated", "kcn-table"].map(function (id) { return document.getElementById(id); });
  lower.forEach(function (node) {
    if (node) node.addEventListener("toggle", function () {
      if (node.open) lower.forEach(function (other) { if (other && other !== node) other.open = false; });
    });
  });

  // ---- the area the panels leave free; the view is fitted to it
  function covers() {  // rectangles (map container coordinates) of everything drawn over the map
    var box = map.getContainer().getBoundingClientRect(), out = [];
    map.getContainer().querySelectorAll(".leaflet-control").forEach(function (n) {
      var r = n.getBoundingClientRect();
      if (r.width && r.height) out.push({ left: r.left - box.left, top: r.top - box.top, right: r.right - box.left, bottom: r.bottom - box.top });
    });
    return out;
  }
  function freePadding() {  // each cover is cut from the side that loses least of the map
    var w = map.getSize().x, h = map.getSize().y, pad = { l: 0, t: 0, r: 0, b: 0 };
    covers().forEach(function (c) {
      var cuts = [["l", c.right, c.right / w], ["r", w - c.left, (w - c.left) / w], ["t", c.bottom, c.bottom / h], ["b", h - c.top, (h - c.top) / h]];
      cuts.sort(function (a, b) { return a[2] - b[2]; });
      pad[cuts[0][0]] = Math.max(pad[cuts[0][0]], cuts[0][1]);
    });
    return pad;
  }
  var spreadMax = 0;
  K.entries.forEach(function (e) { if (e.p.sp) spreadMax = Math.max(spreadMax, ST.spread_px * Math.sqrt(e.p.sp[1] - 0.5)); });
  function fit() {
    var pad = freePadding(), m = 12 + spreadMax + ST.min_r;
    map.fitBounds(DATA.view.bounds, { paddingTopLeft: [pad.l + m, pad.t + m], paddingBottomRight: [pad.r + m, pad.b + m],
                                      maxZoom: DATA.view.focus ? 13 : 11, animate: false });
    K.placeAll();
  }

  // popups stay inside the area the panels leave free: shortened (they scroll) if taller, then panned into it
  map.on("popupopen", function (ev) {
    var popup = ev.popup;
    if (popup._source && popup._source.closeTooltip) popup._source.closeTooltip();  // the hover's tooltip
    var node = popup.getElement();
    if (!node) return;
    var size = map.getSize(), pad = freePadding(), m = 8;
    var free = { l: pad.l + m, t: pad.t + m, r: size.x - pad.r - m, b: size.y - pad.b - m };
    if (free.b - free.t < 160) free = { l: m, t: m, r: size.x - m, b: size.y - m };  // no room: the whole map
    var box = map.getContainer().getBoundingClientRect(), r = node.getBoundingClientRect();
    if (r.height > free.b - free.t) {
      popup.options.maxHeight = Math.max(120, free.b - free.t - 40);
      popup.update();
      r = node.getBoundingClientRect();
    }
    var left = r.left - box.left, top = r.top - box.top, right = r.right - box.left, bottom = r.bottom - box.top, dx = 0, dy = 0;
    if (top < free.t) dy = top - free.t; else if (bottom > free.b) dy = Math.min(bottom - free.b, top - free.t);
    if (left < free.l) dx = left - free.l; else if (right > free.r) dx = Math.min(right - free.r, left - free.l);
    if (dx || dy) map.panBy([dx, dy], { animate: false });
  });

  // ---- colour switch
  document.querySelectorAll('input[name="kcn-colour"]').forEach(function (input) {
    input.addEventListener("change", function () { if (input.checked) { K.mode.colour = input.value; K.restyle(); } });
  });

  // ---- filters
  function checked(name) {
    var set = {};
    document.querySelectorAll('#kcn-filters input[name="' + name + '"]').forEach(function (i) { set[i.value] = i.checked; });
    return set;
  }
  function wanted(e, f) {
    if ((e.isZone ? f.zstage : f.pstage)[e.p.stage] === false) return false;
    if (e.isZone ? f.kind[e.p.kind] === false : f.tech[e.p.tech] === false) return false;
    if (f.only.obst && !e.p.obst) return false;
    if (f.only.overdue && !e.p.overdue) return false;
    return true;
  }
  // every stage has its box; a group's box ticks or clears the stages under it, and shows "some" when only part are ticked
  function stageBoxes(group) { return Array.prototype.slice.call(document.querySelectorAll('#kcn-filters input[data-group="' + group + '"]')); }
  var groupBoxes = Array.prototype.slice.call(document.querySelectorAll('#kcn-filters input[name="group"]'));
  groupBoxes.forEach(function (g) {
    g.addEventListener("change", function () { stageBoxes(g.value).forEach(function (i) { i.checked = g.checked; }); });
  });
  function syncGroups() {
    groupBoxes.forEach(function (g) {
      var boxes = stageBoxes(g.value), on = boxes.filter(function (i) { return i.checked; }).length;
      g.checked = on === boxes.length; g.indeterminate = on > 0 && on < boxes.length;
    });
  }
  function applyFilters() {
    syncGroups();
    var f = { pstage: checked("pstage"), zstage: checked("zstage"), tech: checked("tech"), kind: checked("kind"), only: checked("only") };
    K.entries.forEach(function (e) {
      K.setVisible(e, wanted(e, f));
    });
    var n = K.countDrawn(), shown = document.getElementById("kcn-shown");
    if (shown) shown.textContent = "(đang hiện " + n.projects + " dự án, " + n.zones + " khu/cụm)";
    refresh();
  }
  document.querySelectorAll("#kcn-filters input").forEach(function (i) { i.addEventListener("change", applyFilters); });

  // ---- select one record: zoom to it and open its popup
  function select(e) {
    K.pinned = e;  // drawn on its own even where a national register groups records
    if (!e.visible) {  // filtered out: show it anyway rather than zoom to nothing
      e.visible = true; K.layers[e.key].addLayer(e.layer);
    }
    if (e.layer.getBounds && !(e.layer instanceof L.Circle) && !(e.layer instanceof L.CircleMarker)) map.fitBounds(e.layer.getBounds(), { maxZoom: 14, animate: false });
    else map.setView(e.base, Math.max(map.getZoom(), 12.5), { animate: false });
    K.placeAll();
    e.layer.fire("click", { latlng: e.pos || e.base }, true);
  }
  K.select = select;

  // ---- accent-insensitive search (name or code)
  function fold(s) { return String(s || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase().trim(); }
  K.fold = fold;
  var unlocated = DATA.unlocated.zones.map(function (f) { return { p: f.p, isZone: true } })
    .concat(DATA.unlocated.projects.map(function (f) { return { p: f.p, isZone: false }; }));
  var index = null;  // built on the first search, not at load
  function searchIndex() {
    index = index || K.entries.concat(unlocated).map(function (e) { return { e: e, text: fold(K.displayName(e.p, e.isZone) + " " + e.p.code) }; });
    return index;
  }
  var search = document.getElementById("kcn-search"), results = document.getElementById("kcn-search-results");
  function showUnlocated(e) {
    var box = document.getElementById("kcn-unlocated");
    box.open = true;
    box.querySelectorAll("li").forEach(function (li) { li.classList.toggle("kcn-hit", li.getAttribute("data-code") === e.p.code); });
  }
  function runSearch() {
    results.textContent = "";
    var q = fold(search.value);
    if (q.length < 2) return;
    var words = q.split(/\s+/), hits = searchIndex().filter(function (x) { return words.every(function (w) { return x.text.indexOf(w) >= 0; }); });
    hits.slice(0, 12).forEach(function (x) {
      var li = el("li"), b = el("button", null, K.displayName(x.e.p, x.e.isZone) + (x.e.layer ? "" : " — chưa có vị trí"));
      b.type = "button";
      b.addEventListener("click", function () { if (x.e.layer) select(x.e); else showUnlocated(x.e); });
      li.appendChild(b); results.appendChild(li);
    });
    if (!hits.length) results.appendChild(el("li", "kcn-muted", "Không tìm thấy"));
    else if (hits.length > 12) results.appendChild(el("li", "kcn-muted", "… và " + (hits.length - 12) + " hồ sơ khác"));
  }
  if (search) search.addEventListener("input", runSearch);
  K.search = function (text) { search.value = text; runSearch(); return Array.prototype.map.call(results.querySelectorAll("button"), function (b) { return b.textContent; }); };

  // ---- table of the records visible in the view
  var TABLE_MAX = 300, tableBox = document.getElementById("kcn-table"), tableBody = document.getElementById("kcn-table-body");
  function inView() {
    var b = map.getBounds();
    return K.entries.filter(function (e) { return e.visible && map.hasLayer(K.layers[e.key]) && b.contains(e.pos || e.base); });
  }
  K.inView = inView;
  function drawTable() {
    if (!tableBox || !tableBox.open) return;
    var rows = inView().sort(function (a, b) { return a.isZone === b.isZone ? (b.p.mw || b.p.ha || 0) - (a.p.mw || a.p.ha || 0) : (a.isZone ? -1 : 1); });
    var t = el("table"), head = el("tr");
    ["Tên", "Loại / công nghệ", "Giai đoạn", "Quy mô"].forEach(function (h) { head.appendChild(el("th", null, h)); });
    t.appendChild(el("thead")).appendChild(head);
    var body = t.appendChild(el("tbody"));
    rows.slice(0, TABLE_MAX).forEach(function (e) {
      var tr = el("tr"), p = e.p;
      tr.setAttribute("data-code", p.code);
      tr.appendChild(el("td", null, e.isZone ? p.name + (p.phase ? " (" + p.phase + ")" : "") : p.name));
      tr.appendChild(el("td", null, e.isZone ? p.kind : (LK.tech[p.tech] || { label: p.tech }).label));
      tr.appendChild(el("td", null, ((e.isZone ? LK.zstage : LK.pstage)[p.stage] || { label: "—" }).label));
      tr.appendChild(el("td", "n", e.isZone ? (p.ha !== undefined ? K.fmtNum(p.ha) + " ha" : "—") : (p.mw !== undefined ? K.fmtNum(p.mw) + " MW" : "—")));
      tr.addEventListener("click", function () { select(e); });
      body.appendChild(tr);
    });
    tableBody.textContent = "";
    tableBody.appendChild(el("div", "kcn-muted", rows.length + " hồ sơ trong khung nhìn" + (rows.length > TABLE_MAX ? "; hiện " + TABLE_MAX + " hồ sơ lớn nhất" : "")));
    tableBody.appendChild(t);
  }
  if (tableBox) tableBox.addEventListener("toggle", drawTable);

  // ---- names from a zoom level on: greedy placement, no overlaps, at most LABEL_MAX
  var LABEL_MAX = 250, pane = map.createPane("kcn-labels");
  pane.style.zIndex = 640; pane.style.pointerEvents = "none";
  function drawLabels() {
    pane.textContent = "";
    if (map.getZoom() < ST.label_zoom) return;
    var placed = [], size = map.getSize();
    var ordered = inView().filter(K.isDrawn).sort(function (a, b) { return a.isZone === b.isZone ? (b.p.mw || b.p.ha || 0) - (a.p.mw || a.p.ha || 0) : (a.isZone ? -1 : 1); });
    for (var i = 0; i < ordered.length && placed.length < LABEL_MAX; i++) {
      var e = ordered[i], text = K.displayName(e.p, e.isZone), pt = map.latLngToContainerPoint(e.pos || e.base);
      var w = text.length * 6.6 + 4, h = 13, r = (e.layer.options.radius && !(e.layer instanceof L.Circle) ? e.layer.options.radius : 6) + 3;
      var spots = [[pt.x + r, pt.y - h / 2], [pt.x - r - w, pt.y - h / 2], [pt.x - w / 2, pt.y - r - h], [pt.x - w / 2, pt.y + r]];
      for (var j = 0; j < spots.length; j++) {
        var c = { l: spots[j][0], t: spots[j][1], r: spots[j][0] + w, b: spots[j][1] + h };
        if (c.l < 0 || c.t < 0 || c.r > size.x || c.b > size.y) continue;
        if (placed.some(function (o) { return c.l < o.r && o.l < c.r && c.t < o.b && o.t < c.b; })) continue;
        placed.push(c);
        var span = el("span", "kcn-label", text);
        span.setAttribute("data-code", e.p.code);
        L.DomUtil.setPosition(span, map.containerPointToLayerPoint([c.l, c.t]));
        pane.appendChild(span);
        break;
      }
    }
  }
  function refresh() { K.sync(); drawLabels(); drawTable(); }  // sync: what a national register draws in this view (map_view.js)
  map.on("moveend zoomend", refresh);
  window.addEventListener("resize", K.sizeHeader);

  fit();
  K.show();
  refresh();
  K.fit = fit; K.freePadding = freePadding; K.covers = covers; K.layerControl = layerControl; K.applyFilters = applyFilters;
  requestAnimationFrame(function () {
    K.stats = K.countDrawn();
    K.stats.unlocated = DATA.counts.unlocated_projects + DATA.counts.unlocated_zones;
    K.renderMs = performance.now();
    K.ready = true;
  });
})();
