// Small map on a record page: draws the record's geometry (GeoJSON in data-geojson) with Leaflet.
// No base tiles: the office network may have no internet; the shape and a scale bar are enough.
(function () {
  "use strict";
  var el = document.getElementById("record-map");
  if (!el || typeof L === "undefined") { return; }
  var geometry;
  try { geometry = JSON.parse(el.getAttribute("data-geojson")); } catch (e) { return; }
  var map = L.map(el, { attributionControl: false, zoomControl: true, scrollWheelZoom: false });
  var layer = L.geoJSON(geometry, {
    style: { color: "#1f5fa8", weight: 2, fillOpacity: 0.25 },
    pointToLayer: function (feature, latlng) {
      return L.circleMarker(latlng, { radius: 8, color: "#1f5fa8", weight: 2, fillOpacity: 0.6 });
    }
  }).addTo(map);
  var bounds = layer.getBounds();
  if (bounds.isValid()) {
    map.fitBounds(bounds, { maxZoom: 10, padding: [20, 20] });  // a point: zoomed out enough to see where it lies
  } else {
    map.setView([12.25, 109.1], 9);
  }
  L.control.scale({ imperial: false }).addTo(map);
  // Context: the province boundary (served by the app from the bundled data), drawn under the record.
  fetch("/du-lieu/tinh.geojson", { credentials: "same-origin" })
    .then(function (r) { return r.ok ? r.json() : null; })
    .then(function (data) {
      if (!data) { return; }
      var outline = L.geoJSON(data, { interactive: false, style: { color: "#7a8694", weight: 1.5, fill: false, dashArray: "4 3" } });
      outline.addTo(map);
      outline.bringToBack();
    })
    .catch(function () { /* the shape alone is still useful */ });
})();
