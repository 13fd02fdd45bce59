// kcn-tracker briefing map: draws the embedded data (see kcn_tracker/maps.py) on __MAP__.
// One L.geoJSON FeatureCollection per layer, canvas renderer, circles from pointToLayer,
// popups and tooltips built as DOM nodes with textContent: register text is never HTML.
(function () {
  "use strict";
  var map = __MAP__;
  var DATA = JSON.parse(document.getElementById("kcn-data").textContent);
  var CONFIG = JSON.parse(document.getElementById("kcn-config").textContent);
  var LK = DATA.lookups, ST = LK.style;
  var renderer = L.canvas({ padding: 0.3 });
  var Q = 1e5;

  function esc(s) {  // for the few strings Leaflet insists on taking as HTML (layer-control names)
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function fmtNum(v, d) {  // Vietnamese: 8517.4 -> "8.517,4", trailing zeros dropped (as text.format_number)
    if (v === null || v === undefined) return "—";
    var s = Math.abs(v).toFixed(d === undefined ? 1 : d).split(".");
    var whole = s[0].replace(/\B(?=(\d{3})+(?!\d))/g, "."), frac = (s[1] || "").replace(/0+$/, "");
    return (v < 0 ? "-" : "") + whole + (frac ? "," + frac : "");
  }
  function fmtDate(iso) { return iso ? iso.slice(8, 10) + "/" + iso.slice(5, 7) + "/" + iso.slice(0, 4) : "—"; }
  function decodeRing(flat) {
    var out = [], x = 0, y = 0;
    for (var i = 0; i < flat.length; i += 2) { x += flat[i]; y += flat[i + 1]; out.push([x / Q, y / Q]); }
    return out;
  }
  function decodeParts(part) { return (!part.length || typeof part[0] === "number") ? decodeRing(part) : part.map(decodeParts); }
  function decodeGeometry(g) {
    return g.t === "Point" ? { type: "Point", coordinates: g.c } : { type: g.t, coordinates: decodeParts(g.q) };
  }
  function collection(items) {
    return { type: "FeatureCollection", features: items.map(function (f) {
      return { type: "Feature", geometry: decodeGeometry(f.g), properties: f.p };
    }) };
  }

  // ---- popups and tooltips (DOM + textContent only)
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }
  function addRow(table, head, value) {
    if (value === undefined || value === null || value === "") return;
    var tr = el("tr"); tr.appendChild(el("th", null, head)); tr.appendChild(el("td", null, value)); table.appendChild(tr);
  }
  function lastChange(p) {
    if (!p.last) return null;
    var basis = { inferred: " (ngày suy luận)", unknown: " (vào hoặc trước ngày này)" }[p.last[1]] || "";
    return fmtDate(p.last[0]) + basis + (p.last[2] ? " — " + p.last[2] : "");
  }
  function obstacles(p, box) {
    if (!p.obst || !p.obst.length) return;
    box.appendChild(el("div", null, "Vướng mắc đang mở:"));
    var ul = el("ul");
    p.obst.forEach(function (o) { ul.appendChild(el("li", null, (LK.obst[o[0]] || o[0]) + ": " + o[1] + " (từ " + fmtDate(o[2]) + ")")); });
    box.appendChild(ul);
  }
  function popupFor(p, isZone) {
    var box = el("div", "kcn-popup"), t = el("table");
    box.appendChild(el("h4", null, isZone ? p.kind + " " + p.name + (p.phase ? " (" + p.phase + ")" : "") : p.name));
    if (isZone) {
      addRow(t, "Loại", (LK.kinds[p.kind] || { label: p.kind }).label);
      addRow(t, "Tổng diện tích", p.ha !== undefined ? fmtNum(p.ha) + " ha" : "chưa có số liệu");
      if (p.leasable !== undefined) addRow(t, "Đất CN cho thuê", fmtNum(p.leasable) + " ha");
      if (p.leased !== undefined) addRow(t, "Đã cho thuê", fmtNum(p.leased) + " ha" +
        (p.leased_basis === "tenants" ? " (theo dự án thứ cấp)" : p.leased_basis === "reported" ? " (theo báo cáo)" : ""));
      addRow(t, "Tỷ lệ lấp đầy", p.occ !== undefined ? fmtNum(p.occ * 100) + " %" : "chưa có số liệu");
      addRow(t, "Chủ đầu tư hạ tầng", p.dev);
      addRow(t, "Giai đoạn", (LK.zstage[p.stage] || { label: "—" }).label);
    } else {
      addRow(t, "Công nghệ", (LK.tech[p.tech] || { label: p.tech }).label + (p.inferred_tech ? " (suy luận)" : ""));
      addRow(t, "Công suất", p.mw !== undefined ? fmtNum(p.mw) + " MW" : "chưa có số liệu");
      if (p.op_mw !== undefined) addRow(t, "Đã vận hành", fmtNum(p.op_mw) + " MW");
      addRow(t, "Giai đoạn", (LK.pstage[p.stage] || { label: "—" }).label);
      if (p.cod) addRow(t, "Dự kiến vận hành", fmtDate(p.cod));
      if (p.cod_actual) addRow(t, "Vận hành thương mại", fmtDate(p.cod_actual));
      addRow(t, "Nhà đầu tư", p.investor);
    }
    addRow(t, "Thay đổi gần nhất", lastChange(p));
    addRow(t, "Nguồn", p.src);
    box.appendChild(t);
    obstacles(p, box);
    if (p.approx) {
      box.appendChild(el("div", "kcn-approx", "vị trí gần đúng"));
      if (p.loc) box.appendChild(el("div", "kcn-muted", p.loc));
    }
    return box;
  }
  function tooltipFor(p, isZone) {
    var text = isZone ? p.kind + " " + p.name + (p.phase ? " (" + p.phase + ")" : "") : p.name + (p.mw !== undefined ? " — " + fmtNum(p.mw) + " MW" : "");
    return el("span", "kcn-tip", text + (p.approx ? " (vị trí gần đúng)" : ""));
  }

  // ---- styles
  function projectStyle(p) {
    var look = (LK.pstage[p.stage] || { look: "hollow" }).look, spec = LK.looks[look];
    var colour = look === "side" ? ST.side : (LK.tech[p.tech] || { color: "#607d8b" }).color;
    return { renderer: renderer, color: colour, fillColor: colour, fill: true, fillOpacity: spec.fillOpacity,
             weight: spec.weight, dashArray: look === "side" ? "2 4" : (p.approx ? ST.dash : null),
             radius: Math.max(ST.min_r, ST.k * Math.sqrt(Math.max(p.mw || 0, 0))) };
  }
  function zoneFill(p) {
    if (DATA.meta.color_by === "occupancy") {
      if (p.occ === undefined) return LK.occ[LK.occ.length - 1][1];
      for (var i = 0; i < LK.occ.length - 1; i++) { if (LK.occ[i][0] === null || p.occ < LK.occ[i][0]) return LK.occ[i][1]; }
    }
    return (LK.zstage[p.stage] || { color: "#bdbdbd" }).color;
  }
  function zoneStyle(p) {
    var focus = DATA.meta.focus && p.code === DATA.meta.focus;
    return { renderer: renderer, color: (LK.kinds[p.kind] || { color: "#555" }).color, fillColor: zoneFill(p), fill: true,
             fillOpacity: 0.55, weight: focus ? 5 : 2, dashArray: p.approx ? ST.dash : null };
  }

  // ---- records sharing one point: golden-angle spiral in screen pixels, kept on zoom
  var spread = [], legs = L.layerGroup();
  function track(layer, latlng, p) {
    if (p.sp) spread.push({ layer: layer, base: latlng, i: p.sp[0], n: p.sp[1], leg: null });
  }
  function respread() {
    var z = map.getZoom(), GA = Math.PI * (3 - Math.sqrt(5));
    spread.forEach(function (s) {
      var r = ST.spread_px * Math.sqrt(s.i + 0.5), a = s.i * GA;
      var pos = map.unproject(map.project(s.base, z).add([r * Math.cos(a), r * Math.sin(a)]), z);
      s.layer.setLatLng(pos);
      if (!s.leg) { s.leg = L.polyline([s.base, pos], { renderer: renderer, color: "#546e7a", weight: 1, opacity: 0.7, interactive: false }); legs.addLayer(s.leg); }
      else s.leg.setLatLngs([s.base, pos]);
    });
  }

  function bindInfo(group, isZone) {
    group.bindPopup(function (layer) { return popupFor(layer.feature.properties, isZone); }, { maxWidth: 380 });
    group.bindTooltip(function (layer) { return tooltipFor(layer.feature.properties, isZone); }, { sticky: true });
    return group;
  }
  function projectLayer(items) {
    return bindInfo(L.geoJSON(collection(items), {
      pointToLayer: function (f, latlng) { var m = L.circleMarker(latlng, projectStyle(f.properties)); track(m, latlng, f.properties); return m; },
      style: function (f) { return projectStyle(f.properties); }
    }), false);
  }
  function zoneLayer(items) {
    return bindInfo(L.geoJSON(collection(items), {
      pointToLayer: function (f, latlng) {
        var p = f.properties, s = zoneStyle(p), m;
        if (p.radius_m) { s.radius = p.radius_m; m = L.circle(latlng, s); } else { s.radius = ST.zone_px; m = L.circleMarker(latlng, s); }
        track(m, latlng, p);
        return m;
      },
      style: function (f) { return zoneStyle(f.properties); }
    }), true);
  }
  function obstacleLayer() {
    var items = [];
    Object.keys(DATA.projects).forEach(function (k) { DATA.projects[k].forEach(function (f) { if (f.p.obst) items.push(f); }); });
    Object.keys(DATA.zones).forEach(function (k) { DATA.zones[k].forEach(function (f) { if (f.p.obst) items.push(f); }); });
    return L.geoJSON(collection(items), {
      interactive: false,
      pointToLayer: function (f, latlng) {
        var p = f.properties, r = p.kind ? ST.zone_px : Math.max(ST.min_r, ST.k * Math.sqrt(Math.max(p.mw || 0, 0)));
        var m = L.circleMarker(latlng, { renderer: renderer, radius: r + 4, color: ST.obstacle, weight: 2.5, fill: false, interactive: false });
        track(m, latlng, p);
        return m;
      },
      style: function () { return { renderer: renderer, color: ST.obstacle, weight: 3, fill: false, interactive: false }; }
    });
  }

  // ---- base layers, province outline, controls
  var bases = {}, overlays = {}, layers = {};
  CONFIG.bases.forEach(function (b) {
    var layer = b.url ? L.tileLayer(b.url, { attribution: b.attribution, maxZoom: b.max_zoom }) : L.layerGroup();
    bases[esc(b.label)] = layer; layers["base:" + b.key] = layer;
    if (b.key === CONFIG.default_base) layer.addTo(map);
  });
  var province = L.geoJSON(collection(CONFIG.province.geoms.map(function (g) { return { g: g, p: {} }; })), {
    style: function () { return { renderer: renderer, color: ST.province, weight: 2, fill: false, interactive: false }; },
    attribution: CONFIG.province.attribution, interactive: false
  });
  province.addTo(map);
  overlays["Ranh giới tỉnh"] = province;
  var swatch = function (c) { return '<span class="kcn-swatch" style="background:' + esc(c) + '"></span>'; };
  Object.keys(DATA.zones).forEach(function (kind) {
    var layer = zoneLayer(DATA.zones[kind]).addTo(map);
    layers["zone:" + kind] = layer;
    overlays[swatch(LK.kinds[kind].color) + esc(LK.kinds[kind].label) + " (" + DATA.zones[kind].length + ")"] = layer;
  });
  Object.keys(DATA.projects).forEach(function (tech) {
    var layer = projectLayer(DATA.projects[tech]).addTo(map), t = LK.tech[tech] || { label: tech, color: "#607d8b" };
    layers["tech:" + tech] = layer;
    overlays[swatch(t.color) + esc(t.label) + " (" + DATA.projects[tech].length + ")"] = layer;
  });
  var obst = obstacleLayer().addTo(map);
  layers.obstacles = obst;
  overlays[swatch(ST.obstacle) + "Có vướng mắc đang mở (" + DATA.counts.obstacles + ")"] = obst;
  if (spread.length) { legs.addTo(map); overlays["Đường nối vị trí chung"] = legs; }

  L.control.scale({ imperial: false }).addTo(map);
  // Expanded on a large screen (the toggles are part of the briefing), an icon on a laptop.
  L.control.layers(bases, overlays, { collapsed: window.innerHeight < 1000 || window.innerWidth < 1200 }).addTo(map);
  function panel(id, position) {
    var node = document.getElementById(id);
    if (!node) return;
    var C = L.Control.extend({ onAdd: function () { L.DomEvent.disableClickPropagation(node); L.DomEvent.disableScrollPropagation(node); return node; } });
    new C({ position: position }).addTo(map);
  }
  var Fullscreen = L.Control.extend({ onAdd: function () {
    var button = el("button", "kcn-fullscreen leaflet-bar");
    button.innerHTML = '<svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true"><path d="M1 6V1h5M10 1h5v5M15 10v5h-5M6 15H1v-5" fill="none" stroke="#333" stroke-width="2"/></svg>';
    button.title = "Toàn màn hình / full screen";
    L.DomEvent.on(button, "click", function (e) {
      L.DomEvent.stop(e);
      if (document.fullscreenElement) document.exitFullscreen(); else document.documentElement.requestFullscreen();
    });
    return button;
  } });
  new Fullscreen({ position: "topleft" }).addTo(map);
  panel("kcn-progress", "topleft");
  panel("kcn-legend", "bottomright");
  panel("kcn-unlocated", "bottomleft");
  var title = document.getElementById("kcn-title");  // centred above the map, outside Leaflet's corners
  if (title) { map.getContainer().appendChild(title); L.DomEvent.disableClickPropagation(title); }

  map.fitBounds(DATA.view.bounds, { padding: [30, 30], maxZoom: DATA.view.focus ? 13 : 11 });
  map.on("zoomend", respread);
  respread();

  function countDrawn() {
    var n = { zones: 0, projects: 0, obstacles: 0 };
    Object.keys(layers).forEach(function (k) {
      if (!map.hasLayer(layers[k])) return;
      if (k.indexOf("zone:") === 0) n.zones += layers[k].getLayers().length;
      if (k.indexOf("tech:") === 0) n.projects += layers[k].getLayers().length;
    });
    n.obstacles = map.hasLayer(obst) ? obst.getLayers().length : 0;
    return n;
  }
  window.kcnMap = { map: map, layers: layers, data: DATA, countDrawn: countDrawn, fmtNum: fmtNum, ready: false };
  requestAnimationFrame(function () {
    window.kcnMap.stats = countDrawn();
    window.kcnMap.stats.unlocated = DATA.counts.unlocated_projects + DATA.counts.unlocated_zones;
    window.kcnMap.renderMs = performance.now();
    window.kcnMap.ready = true;
  });
})();
