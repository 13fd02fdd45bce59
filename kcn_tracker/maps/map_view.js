// kcn-tracker briefing map, part 1b: a national register is drawn as the view needs it. Only for a register
// with more located records than style.AGGREGATE_ABOVE (the province's own register is drawn whole, as
// before): records outside the view (plus a margin) are not drawn; when the view holds more than
// style.DETAIL_MAX records, the records sharing a grid cell of style.CLUSTER_CELL_PX pixels are drawn as
// one counted circle, its ring coloured in proportion to the colours its records have one by one (so the
// colour switch and the legend still hold); a click zooms into it. A record alone in its cell is drawn.
(function () {
  "use strict";
  var K = window.kcnMap, map = K.map, LK = K.data.lookups, ST = LK.style;
  if (!K.large) return;
  var PAD = K.margin;  // the margin drawn around the view (the canvas's padding): a short pan needs nothing new
  var drawn = [], generation = 0, last = null, version = 0, groupIds = {};
  Object.keys(K.layers).forEach(function (key) {
    if (key.indexOf("base:") === 0) return;
    groupIds[L.stamp(K.layers[key])] = true;
    K.layers[key].on("layeradd layerremove", function () { version++; });  // filters take records out and back
  });
  map.on("layeradd layerremove", function (ev) {  // a record group switched on or off (layer control)
    if (!groupIds[L.stamp(ev.layer)]) return;
    version++;
    if (K.ready) sync();  // before that, map_ui.js syncs once the groups are shown
  });

  // colours in the order of the legend: stage groups, stages, technologies, occupancy bins
  var rank = {}, n = 0;
  [LK.groups, LK.pstage, LK.zstage, LK.tech].forEach(function (table) {
    Object.keys(table).forEach(function (k) { var c = table[k].color; if (!(c in rank)) rank[c] = n++; });
  });
  LK.occ.forEach(function (bin) { if (!(bin[1] in rank)) rank[bin[1]] = n++; });

  function show(layer, group, on) {
    layer._kcnShown = on;
    if (group._map && group.hasLayer(layer)) { if (on) map.addLayer(layer); else map.removeLayer(layer); }
  }
  function setShown(e, on) {
    show(e.layer, K.layers[e.key], on);
    e.marks.forEach(function (k) { show(k.m, K.marks, on); });
    if (e.leg) show(e.leg, K.legs, on);
  }

  // Per record (index in K.entries): Web Mercator position and half-extent, record group, and the cell it fell in.
  var N = K.entries.length, MX = new Float64Array(N), MY = new Float64Array(N), MR = new Float64Array(N);
  var GROUP = new Int32Array(N), CELL = new Int32Array(N), groupKeys = [], groupIndex = {};
  K.entries.forEach(function (e, i) {
    if (!(e.key in groupIndex)) { groupIndex[e.key] = groupKeys.length; groupKeys.push(e.key); }
    MX[i] = e.mx; MY[i] = e.my; MR[i] = e.mr; GROUP[i] = groupIndex[e.key];
  });
  // The colour each record has when drawn alone (an index into `palette`), read again when the colouring changes.
  var COLOUR = new Int32Array(N), palette = [], paletteIndex = {}, colouring = null;
  function readColours() {
    colouring = K.mode.colour;
    K.entries.forEach(function (e, i) {
      var c = e.isZone ? K.zoneFill(e.p) : K.projectStyle(e.p).fillColor;  // as drawn alone (the layer may not be made)
      if (!(c in paletteIndex)) { paletteIndex[c] = palette.length; palette.push(c); }
      COLOUR[i] = paletteIndex[c];
    });
  }

  function sync(force) {
    var z = map.getZoom(), origin = map.getPixelBounds(), size = map.getSize();
    var signature = [z, origin.min.x, origin.min.y, size.x, size.y, version, K.hooks.shown].join(",");
    if (!force && signature === last) return;
    last = signature;
    var scale = 256 * Math.pow(2, z), cell = ST.cluster_px, dx = size.x * PAD, dy = size.y * PAD;
    // the grid is fixed to the world at each zoom, so a pan does not regroup the records that stay in view
    var cx0 = Math.floor((origin.min.x - dx) / cell), cy0 = Math.floor((origin.min.y - dy) / cell);
    var cols = Math.floor((origin.max.x + dx) / cell) - cx0 + 1, rows = Math.floor((origin.max.y + dy) / cell) - cy0 + 1;
    var x0 = cx0 * cell, y0 = cy0 * cell, x1 = x0 + cols * cell, y1 = y0 + rows * cell;
    var on = groupKeys.map(function (key) { return map.hasLayer(K.layers[key]); });
    var counts = new Int32Array(cols * rows), inView = 0, entries = K.entries;
    for (var i = 0; i < N; i++) {
      CELL[i] = -1;
      if (!on[GROUP[i]] || !entries[i].visible) continue;
      var x = MX[i] * scale, y = MY[i] * scale, r = MR[i] * scale;
      if (x + r < x0 || x - r > x1 || y + r < y0 || y - r > y1) continue;
      var c = Math.min(cols - 1, Math.max(0, Math.floor(x / cell) - cx0)) + cols * Math.min(rows - 1, Math.max(0, Math.floor(y / cell) - cy0));
      CELL[i] = c; counts[c]++; inView++;
    }
    var group = inView > ST.detail_max, want = [], cells = group ? {} : null, pinned = K.pinned;
    for (i = 0; i < N; i++) {
      c = CELL[i];
      if (c < 0) continue;
      var e = entries[i];
      // alone in its cell, or the record just searched for or picked in the table: drawn as itself
      if (!group || counts[c] === 1 || e === pinned) want.push(e);
      else (cells[c] || (cells[c] = [])).push(i);
    }
    if (group) Object.keys(cells).forEach(function (c) { if (cells[c].length === 1) { want.push(entries[cells[c][0]]); delete cells[c]; } });
    var stamp = ++generation;
    want.forEach(function (e) { e.gen = stamp; });
    drawn.forEach(function (e) { if (e.gen !== stamp) setShown(e, false); });
    want.forEach(function (e) {
      if (K.isDrawn(e)) return;
      if (e.marks.length || e.leg) K.place(e, z);
      setShown(e, true);
    });
    drawn = want;
    drawClusters(cells, scale);
    K.view = { in_view: inView, detail: want.length, clusters: clusters.getLayers().length };
  }

  // ---- counted circles, drawn on the records' canvas (hundreds of DOM markers would cost more than the records)
  var PAPER = ST.halo, INK = ST.ink;
  var Cluster = L.CircleMarker.extend({
    _updatePath: function () {  // a ring in the colours of the records, a paper disc, the count
      var renderer = this._renderer, ctx = renderer._ctx, p = this._point, r = this._radius, at = -Math.PI / 2;
      if (!renderer._drawing || this._empty()) return;
      this.options.slices.forEach(function (slice) {
        var to = at + slice[1] * 2 * Math.PI;
        ctx.beginPath(); ctx.moveTo(p.x, p.y); ctx.arc(p.x, p.y, r, at, to, false); ctx.closePath();
        ctx.fillStyle = slice[0]; ctx.fill();
        at = to;
      });
      ctx.beginPath(); ctx.arc(p.x, p.y, r, 0, 2 * Math.PI, false);
      ctx.lineWidth = 1.5; ctx.strokeStyle = PAPER; ctx.stroke();
      ctx.beginPath(); ctx.arc(p.x, p.y, r * 0.64, 0, 2 * Math.PI, false);
      ctx.fillStyle = PAPER; ctx.fill();
      ctx.fillStyle = INK; ctx.font = 'bold 10px "DejaVu Sans", Arial, sans-serif'; ctx.textAlign = "center"; ctx.textBaseline = "middle";
      ctx.fillText(this.options.text, p.x, p.y + 0.5);
    }
  });
  function slices(members) {  // [colour, share] in legend order
    var counts = {}, colours = [];
    for (var i = 0; i < members.length; i++) {
      var c = COLOUR[members[i]];
      if (counts[c] === undefined) { counts[c] = 0; colours.push(c); }
      counts[c]++;
    }
    return colours.map(function (c) { return [palette[c], counts[c] / members.length]; })
      .sort(function (a, b) { return (a[0] in rank ? rank[a[0]] : n) - (b[0] in rank ? rank[b[0]] : n); });
  }
  function tip(members) {
    members = members.map(function (i) { return K.entries[i]; });
    var projects = 0, zones = 0, mw = 0, ha = 0, obst = 0;
    members.forEach(function (e) {
      if (e.isZone) { zones++; ha += e.p.ha || 0; } else { projects++; mw += e.p.mw || 0; }
      if (e.p.obst) obst++;
    });
    var parts = [];
    if (projects) parts.push(K.fmtNum(projects, 0) + " dự án (" + K.fmtNum(mw) + " MW)");
    if (zones) parts.push(K.fmtNum(zones, 0) + " khu/cụm (" + K.fmtNum(ha) + " ha)");
    if (obst) parts.push(K.fmtNum(obst, 0) + " có vướng mắc");
    return K.el("span", "kcn-tip", K.fmtNum(members.length, 0) + " hồ sơ: " + parts.join(", ") + " — nhấn để phóng to");
  }
  function zoomInto(members) {
    var bounds = L.latLngBounds(members.map(function (i) { return K.entries[i].base; }));
    var zoom = Math.min(18, map.getMaxZoom(), Math.max(map.getZoom() + 1, map.getBoundsZoom(bounds, false, L.point(60, 60))));
    map.setView(bounds.getCenter(), zoom);
  }
  var clusters = L.featureGroup().addTo(map);
  clusters.bindTooltip(function (layer) { return tip(layer.kcnMembers); }, { sticky: true });
  clusters.off("click", clusters._openTooltip, clusters);
  clusters.on("click", function (ev) { zoomInto(ev.layer.kcnMembers); });
  function radiusOf(count) { return (ST.cluster_min_px + 8 * Math.log(count) / Math.LN10) / 2; }
  function drawClusters(cells, scale) {
    clusters.clearLayers();
    if (!cells) return;
    if (colouring !== K.mode.colour) readColours();
    // one circle per cell at its records' mean position; the largest first, and a circle that would overlap
    // one already placed (a cell cut by the edge of the data, two halves of a town) joins it instead
    var list = Object.keys(cells).map(function (key) {
      var members = cells[key], x = 0, y = 0;
      for (var i = 0; i < members.length; i++) { x += MX[members[i]]; y += MY[members[i]]; }
      return { members: members, x: x / members.length * scale, y: y / members.length * scale };
    }).sort(function (a, b) { return b.members.length - a.members.length; });
    var placed = [], near = {}, cell = ST.cluster_px;
    list.forEach(function (c) {
      var gx = Math.floor(c.x / cell), gy = Math.floor(c.y / cell), r = radiusOf(c.members.length), into = null;
      for (var ix = gx - 1; ix <= gx + 1 && !into; ix++) {
        for (var iy = gy - 1; iy <= gy + 1 && !into; iy++) {
          (near[ix + ":" + iy] || []).some(function (o) {
            var gap = Math.sqrt((o.x - c.x) * (o.x - c.x) + (o.y - c.y) * (o.y - c.y));
            if (gap < o.r + r) { into = o; return true; }
            return false;
          });
        }
      }
      if (into) { into.members = into.members.concat(c.members); return; }
      c.r = r;
      placed.push(c);
      (near[gx + ":" + gy] || (near[gx + ":" + gy] = [])).push(c);
    });
    var z = map.getZoom();
    placed.forEach(function (c) {
      var marker = new Cluster(map.unproject([c.x, c.y], z), { renderer: K.renderer, radius: radiusOf(c.members.length),
                                                              slices: slices(c.members), text: K.fmtNum(c.members.length, 0) });
      marker.kcnMembers = c.members;
      clusters.addLayer(marker);
    });
  }

  map.on("resize", function () { sync(); });
  K.hooks.moveend = function () {  // before the canvas's own moveend (map_script.js): its full redraw shows the changes
    sync();
    L.Util.cancelAnimFrame(K.renderer._redrawRequest);  // so the redraw the changes asked for is not done a second time
    K.renderer._redrawRequest = null;
  };
  map.on("popupclose", function () { K.pinned = null; });
  K.sync = sync;
  K.clusters = clusters;
})();
