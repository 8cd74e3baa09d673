// Venues on an OpenStreetMap map. Without JavaScript (or without Leaflet) the page is the
// list it already shows; the map only adds a picture of where the venues are.
(function () {
  "use strict";
  function start() {
    var holder = document.getElementById("venue-map");
    var data = document.getElementById("venue-map-points");
    if (!holder || !data || typeof L === "undefined") { return; }
    var points = JSON.parse(data.textContent);
    if (!points.length) { return; }
    holder.hidden = false;
    var map = L.map(holder, { scrollWheelZoom: false });
    L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
      maxZoom: 19,
      attribution: '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
    }).addTo(map);
    var bounds = [];
    points.forEach(function (point) {
      var marker = L.marker([point.lat, point.lng], { title: point.name, alt: point.name });
      var popup = document.createElement("div");
      var name = document.createElement("strong");
      name.textContent = point.name;
      popup.appendChild(name);
      popup.appendChild(document.createElement("br"));
      popup.appendChild(document.createTextNode(point.address + (point.neighbourhood ? " · " + point.neighbourhood : "")));
      marker.bindPopup(popup).addTo(map);
      bounds.push([point.lat, point.lng]);
    });
    if (bounds.length === 1) { map.setView(bounds[0], 15); } else { map.fitBounds(bounds, { padding: [24, 24] }); }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
