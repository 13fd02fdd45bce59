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
    map.fitBounds(bounds, { maxZoom: 12, padding: [20, 20] });
  } else {
    map.setView([12.25, 109.1], 9);
  }
  L.control.scale({ imperial: false }).addTo(map);
})();
