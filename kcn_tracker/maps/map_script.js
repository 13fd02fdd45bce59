// kcn-tracker briefing map, part 1: draws the embedded data (see kcn_tracker/maps/payload.py) on __MAP__.
// One L.geoJSON group per layer, canvas renderer, circles from pointToLayer; popups and tooltips
// are DOM nodes filled with textContent: register text is never HTML. Every colour comes from
// DATA.lookups (kcn_tracker/style.py). Part 2 (map_ui.js) adds layout, search, filters, table, names.
(function () {
  "use strict";
  var map = __MAP__;
  var DATA = JSON.parse(document.getElementById("kcn-data").textContent);
  var CONFIG = JSON.parse(document.getElementById("kcn-config").textContent);
  var LK = DATA.lookups, ST = LK.style;
  // A national register (more located records than style.AGGREGATE_ABOVE): drawn as the view needs (map_view.js).
  var large = DATA.counts.zones + DATA.counts.projects > ST.aggregate_above;
  // Its canvas keeps a smaller margin around the view: every frame clears and paints the whole canvas.
  var renderer = L.canvas({ padding: large ? ST.canvas_margin : 0.3 });
  // Registered before the canvas is added (with the first path), so this runs before the canvas redraws on
  // "moveend": map_view.js puts in view what a national register draws there, and the canvas draws it once.
  var hooks = { moveend: null, shown: 0 };  // shown: counts the filters' changes (map_view.js regroups on it)
  map.on("moveend", function () { if (hooks.moveend) hooks.moveend(); });
  var Q = 1e5;
  var mode = { colour: DATA.meta.color_by === "technology" ? "tech" : "stage" };
  // The header sits above the map, never over it: sized before anything is drawn (a resize redraws).
  var header = document.getElementById("kcn-title");
  function sizeHeader() {
    if (!header) return;
    if (header.parentNode !== document.body) document.body.appendChild(header);
    document.documentElement.style.setProperty("--kcn-header-h", header.offsetHeight + "px");
    map.invalidateSize({ pan: false });
  }
  sizeHeader();

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
  function displayName(p, isZone) { return isZone ? p.kind + " " + p.name + (p.phase ? " (" + p.phase + ")" : "") : p.name; }
  function popupFor(p, isZone) {
    var box = el("div", "kcn-popup"), t = el("table");
    box.appendChild(el("h4", null, displayName(p, isZone)));
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
      addRow(t, "Giai đoạn", (LK.pstage[p.stage] || { label: "—" }).label + (p.built ? " — đã thi công xong, chưa phát điện" : ""));
      if (p.cod) addRow(t, "Dự kiến vận hành", fmtDate(p.cod));
      if (p.cod_actual) addRow(t, "Vận hành thương mại", fmtDate(p.cod_actual));
      addRow(t, "Nhà đầu tư", p.investor);
    }
    addRow(t, "Quá hạn", p.overdue);
    addRow(t, "Thay đổi gần nhất", lastChange(p));
    addRow(t, "Nguồn", p.src);
    addRow(t, "Mã hồ sơ", p.code);
    box.appendChild(t);
    obstacles(p, box);
    if (p.approx) {
      box.appendChild(el("div", "kcn-approx", "vị trí gần đúng"));
      if (p.loc) box.appendChild(el("div", "kcn-muted", p.loc));
    }
    return box;
  }
  function tooltipFor(p, isZone) {
    var text = displayName(p, isZone) + (!isZone && p.mw !== undefined ? " — " + fmtNum(p.mw) + " MW" : "");
    return el("span", "kcn-tip", text + (p.approx ? " (vị trí gần đúng)" : ""));
  }

  // ---- styles (colours from the lookups only)
  function radiusOf(p) { return p.kind ? ST.zone_px : Math.max(ST.min_r, ST.k * Math.sqrt(Math.max(p.mw || 0, 0))); }
  function projectStyle(p) {
    var st = LK.pstage[p.stage] || LK.pstage.in_plan, group = LK.groups[st.group] || LK.groups.announced;
    var paint = mode.colour === "tech" ? (LK.tech[p.tech] || { color: ST.fallback, edge: ST.fallback }) : st;
    return { renderer: renderer, color: paint.edge, fillColor: paint.color, fill: true, fillOpacity: group.fill,
             weight: st.group === "construction" ? 2.5 : 1.5, dashArray: p.approx ? ST.dash : null, radius: radiusOf(p) };
  }
  function zoneFill(p) {
    if (DATA.meta.color_by === "occupancy") {
      if (p.occ === undefined) return LK.occ[LK.occ.length - 1][1];
      for (var i = 0; i < LK.occ.length - 1; i++) { if (LK.occ[i][0] === null || p.occ < LK.occ[i][0]) return LK.occ[i][1]; }
    }
    return (LK.zstage[p.stage] || LK.zstage.in_plan).color;
  }
  function zoneStyle(p) {
    var focus = DATA.meta.focus && p.code === DATA.meta.focus, kind = LK.kinds[p.kind] || LK.kinds.KCN;
    return { renderer: renderer, color: kind.color, fillColor: zoneFill(p), fill: true, fillOpacity: ST.zone_fill,
             weight: focus ? kind.weight + 3 : kind.weight, dashArray: p.approx ? ST.dash : null };
  }

  // ---- one entry per drawn record; marks (obstacle rings, overdue dots, legs) follow their marker
  // A record layer is drawn while its group is on the map, its entry passes the filters and the view needs
  // it (map_view.js: a national register draws only what is in view, dense areas as counted circles).
  // ViewGroup is a FeatureGroup that puts a member on the map only while the member's _kcnShown is not false.
  var ViewGroup = L.FeatureGroup.extend({
    addLayer: function (layer) {
      var id = this.getLayerId(layer);
      if (this._layers[id]) return this;
      layer.addEventParent(this);
      this._layers[id] = layer;
      if (this._map && layer._kcnShown !== false) this._map.addLayer(layer);
      return this.fire("layeradd", { layer: layer });
    },
    onAdd: function (map) { this.eachLayer(function (l) { if (l._kcnShown !== false) map.addLayer(l); }); }
  });
  var entries = [], marks = new ViewGroup(), legs = new ViewGroup(), layers = {};
  // One entry per located record. Its Leaflet layer, marks and leg are made when first asked for (e.layer):
  // a national register makes only those of the records a view has drawn.
  function Entry(f, isZone, key) {
    var g = f.g, base, mr = 0;
    if (g.t === "Point") {
      base = L.latLng(g.c[1], g.c[0]);
      if (isZone && f.p.radius_m) mr = f.p.radius_m / (2 * Math.PI * R_EARTH * Math.max(0.01, Math.cos(g.c[1] * Math.PI / 180)));
    } else {
      var box = boundsOf(g);  // [west, south, east, north]
      base = L.latLng((box[1] + box[3]) / 2, (box[0] + box[2]) / 2);  // the centre of its bounds, as Leaflet's getCenter
      mr = Math.max(box[2] - box[0], box[3] - box[1]) / 360;  // a little more than the half-extent: enough for culling
    }
    var s = Math.sin(base.lat * Math.PI / 180);
    this.f = f; this.p = f.p; this.isZone = isZone; this.key = key; this.base = base; this.pos = null; this.visible = true;
    this.mx = (base.lng + 180) / 360; this.my = 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI); this.mr = mr;  // Web Mercator, [0, 1]
    this.gen = 0; this._layer = null; this._marks = null; this._leg = null;
  }
  function made(e) { if (!e._layer) make(e); return e; }
  Object.defineProperty(Entry.prototype, "layer", { get: function () { return made(this)._layer; } });
  Object.defineProperty(Entry.prototype, "marks", { get: function () { return made(this)._marks; } });
  Object.defineProperty(Entry.prototype, "leg", { get: function () { return made(this)._leg; } });
  var R_EARTH = 6378137;
  function boundsOf(g) {
    var box = [Infinity, Infinity, -Infinity, -Infinity];
    (function walk(part) {
      if (part.length && typeof part[0] !== "number") { part.forEach(walk); return; }
      for (var i = 0, x = 0, y = 0; i < part.length; i += 2) {
        x += part[i]; y += part[i + 1];
        if (x < box[0]) box[0] = x; if (x > box[2]) box[2] = x;
        if (y < box[1]) box[1] = y; if (y > box[3]) box[3] = y;
      }
    })(g.q);
    return box.map(function (v) { return v / Q; });
  }
  function make(e) {  // the record's layer, its marks (obstacle rings, overdue dot) and its spiral leg
    var layer = recordLayer(e.f, e.isZone), p = e.p, base = e.base;
    e._layer = layer; e._marks = []; e._leg = null;
    var r = layer.getRadius && !(layer instanceof L.Circle) ? layer.getRadius() : ST.zone_px;
    if (p.obst) {  // a double ring: white halo, then the obstacle colour (metric circles get metric rings)
      var metric = layer instanceof L.Circle, R = metric ? layer.getRadius() : r;
      var ring = function (rr, o) { o.renderer = renderer; o.fill = false; o.interactive = false; o.radius = rr; return metric ? L.circle(base, o) : L.circleMarker(base, o); };
      e._marks.push({ dx: 0, dy: 0, m: ring(metric ? R * 1.08 : R + 3, { color: ST.halo, weight: 2.5 }) });
      e._marks.push({ dx: 0, dy: 0, m: ring(metric ? R * 1.16 : R + 5.5, { color: ST.obstacle, weight: ST.obstacle_w }) });
    }
    if (p.overdue) {
      e._marks.push({ dx: r * 0.75, dy: -r * 0.75, m: L.circleMarker(base, { renderer: renderer, radius: 4, color: ST.halo, weight: 1.5, fillColor: ST.overdue, fillOpacity: 1, interactive: false }) });
    }
    if (p.sp) e._leg = L.polyline([base, base], { renderer: renderer, color: ST.leg, weight: 1, opacity: 0.7, interactive: false });
    if (large) {  // nothing is drawn until the view asks for it (map_view.js)
      layer._kcnShown = false;
      e._marks.forEach(function (k) { k.m._kcnShown = false; });
      if (e._leg) e._leg._kcnShown = false;
    }
    if (e.visible) {
      layers[e.key].addLayer(layer);
      e._marks.forEach(function (k) { marks.addLayer(k.m); });
    }
    if (e._leg) { legs.addLayer(e._leg); if (!e.visible) e._leg.setStyle({ opacity: 0 }); }
  }
  function setVisible(e, v) {  // the filters: a record in or out (its layer, if made, leaves its group)
    if (v === e.visible) return;
    e.visible = v;
    hooks.shown++;
    if (!e._layer) return;
    if (v) layers[e.key].addLayer(e._layer); else layers[e.key].removeLayer(e._layer);
    e._marks.forEach(function (k) { if (v) marks.addLayer(k.m); else marks.removeLayer(k.m); });
    if (e._leg) e._leg.setStyle({ opacity: v ? 0.7 : 0 });
  }
  function isDrawn(e) { return !!e._layer && e._layer._kcnShown !== false; }
  var GA = Math.PI * (3 - Math.sqrt(5));
  function place(e, z) {  // spiral offset of records sharing a point (screen pixels, kept on zoom), then the marks
    var pos = e.base;
    if (e.p.sp && e.layer.setLatLng) {
      var r = ST.spread_px * Math.sqrt(e.p.sp[0] + 0.5), a = e.p.sp[0] * GA;
      pos = map.unproject(map.project(e.base, z).add([r * Math.cos(a), r * Math.sin(a)]), z);
      e.layer.setLatLng(pos);
      e.leg.setLatLngs([e.base, pos]);
    }
    e.pos = pos;
    e.marks.forEach(function (k) {
      k.m.setLatLng(k.dx || k.dy ? map.unproject(map.project(pos, z).add([k.dx, k.dy]), z) : pos);
    });
  }
  var moving = [];  // only records spread on a spiral or carrying marks move with the zoom
  function placeAll() {  // the records drawn now; map_view.js places the others when it draws them
    var z = map.getZoom();
    moving.forEach(function (e) { if (isDrawn(e)) place(e, z); });
  }

  var popupOptions = { maxWidth: Math.min(380, window.innerWidth - 110), autoPan: false };  // map_ui.js pans, without animation
  function bindInfo(group, isZone) {
    group.bindPopup(function (layer) { return popupFor(layer.feature.properties, isZone); }, popupOptions);
    group.bindTooltip(function (layer) { return tooltipFor(layer.feature.properties, isZone); }, { sticky: true });
    group.off("click", group._openTooltip, group);  // a click opens the popup only, not the tooltip too
    return group;
  }
  function latLngsOf(g) {  // Leaflet's [lat, lng] nesting of a compact line or polygon
    function ring(flat) {
      var out = new Array(flat.length / 2), x = 0, y = 0;
      for (var i = 0; i < flat.length; i += 2) { x += flat[i]; y += flat[i + 1]; out[i / 2] = L.latLng(y / Q, x / Q); }
      return out;
    }
    function walk(part) { return (!part.length || typeof part[0] === "number") ? ring(part) : part.map(walk); }
    return walk(g.q);
  }
  function recordLayer(f, isZone) {  // one record's layer, made straight from the compact feature
    var p = f.p, g = f.g, s = isZone ? zoneStyle(p) : projectStyle(p), layer;
    if (g.t === "Point") {
      var ll = L.latLng(g.c[1], g.c[0]);
      if (isZone && p.radius_m) { s.radius = p.radius_m; layer = L.circle(ll, s); } else { if (isZone) s.radius = ST.zone_px; layer = L.circleMarker(ll, s); }
    } else {
      layer = /Polygon$/.test(g.t) ? L.polygon(latLngsOf(g), s) : L.polyline(latLngsOf(g), s);
    }
    layer.feature = { type: "Feature", properties: p, geometry: null };
    return layer;
  }
  function recordGroup(items, isZone, key) {
    layers[key] = bindInfo(new ViewGroup(), isZone);
    items.forEach(function (f) {
      var e = new Entry(f, isZone, key);
      if (!large) make(e);  // a province's register: every layer at once, as always
      if (f.p.sp || f.p.obst || f.p.overdue) moving.push(e);
      entries.push(e);
    });
    return layers[key];
  }

  // ---- base layers, province outline, record layers
  var bases = {}, overlays = {}, toShow = [];
  CONFIG.bases.forEach(function (b) {
    var layer = b.url ? L.tileLayer(b.url, { attribution: b.attribution, maxZoom: b.max_zoom }) : L.layerGroup();
    bases[esc(b.label)] = layer; layers["base:" + b.key] = layer;
    if (b.key === CONFIG.default_base) layer.addTo(map);
  });
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution('<span class="kcn-long">' + esc(CONFIG.attribution) + '</span><span class="kcn-short">'
                                        + esc(CONFIG.attribution_narrow) + "</span>");
  var province = L.featureGroup(CONFIG.province.geoms.map(function (g) {
    var line = { renderer: renderer, color: ST.province, weight: 2, fill: false, interactive: false };
    return /Polygon$/.test(g.t) ? L.polygon(latLngsOf(g), line) : L.polyline(latLngsOf(g), line);
  }));
  province.addTo(map);
  overlays["Ranh giới tỉnh"] = province;
  Object.keys(DATA.zones).forEach(function (kind) { toShow.push(recordGroup(DATA.zones[kind], true, "zone:" + kind)); });
  Object.keys(DATA.projects).forEach(function (tech) { toShow.push(recordGroup(DATA.projects[tech], false, "tech:" + tech)); });
  toShow.push(marks); layers.obstacles = marks;
  if (entries.some(function (e) { return e.p.sp; })) { toShow.push(legs); overlays["Đường nối vị trí chung"] = legs; }
  // Records join the map once the view is fitted (map_ui.js), so they are projected and drawn once.
  function show() { toShow.forEach(function (layer) { layer.addTo(map); }); }
  map.on("zoomend", placeAll);
  placeAll();

  function restyle() {
    entries.forEach(function (e) { if (!e.isZone && e._layer) e._layer.setStyle(projectStyle(e.p)); });  // the others: when made
    document.body.classList.toggle("kcn-mode-tech", mode.colour === "tech");
    window.kcnMap.sync(true);  // grouped records take the new colours too
  }
  function countDrawn() {
    var n = { zones: 0, projects: 0, obstacles: 0 };
    entries.forEach(function (e) {
      if (!e.visible || !map.hasLayer(layers[e.key])) return;
      if (e.isZone) n.zones++; else n.projects++;
      if (e.p.obst) n.obstacles++;
    });
    return n;
  }
  window.kcnMap = { map: map, layers: layers, data: DATA, config: CONFIG, entries: entries, bases: bases, overlays: overlays,
                    mode: mode, restyle: restyle, sizeHeader: sizeHeader, show: show, place: place, placeAll: placeAll, popupOptions: popupOptions,
                    displayName: displayName, el: el, esc: esc, countDrawn: countDrawn, fmtNum: fmtNum, fmtDate: fmtDate,
                    large: large, renderer: renderer, margin: renderer.options.padding, moving: moving, marks: marks, legs: legs, zoneFill: zoneFill, projectStyle: projectStyle,
                    setVisible: setVisible, isDrawn: isDrawn, hooks: hooks,
                    sync: function () {}, ready: false };
  document.body.classList.toggle("kcn-mode-tech", mode.colour === "tech");  // styles were set when drawn
})();
