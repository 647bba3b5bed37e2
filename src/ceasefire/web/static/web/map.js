// The map of reports (web/views/map.py): Leaflet from this server, an offline base map, clusters
// counted by the server for each view (GET /api/v1/map/clusters), a cluster's reports on a click
// or Enter, each drawn as precise as it is. Everything the page shows is also listed as text.
(function () {
  "use strict";

  function data(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function start() {
    var box = document.getElementById("map");
    if (!box || !window.L) return;
    var config = data("map-config");
    var layers = data("map-layers") || [];
    var strings = document.getElementById("map-strings").dataset;
    var arabic = document.documentElement.lang === "ar";
    var form = document.getElementById("map-filters");
    var status = document.getElementById("map-status");
    var errorBox = document.getElementById("map-error");
    var rows = document.getElementById("cluster-rows");
    var none = document.getElementById("cluster-none");
    var panel = document.getElementById("cluster-reports");

    var map = L.map(box, { minZoom: 3, maxZoom: config.max_zoom, zoomSnap: 1 });
    map.fitBounds([[19.5, 9.3], [33.2, 25.2]]);  // Libya, on any screen
    if (config.tiles) {
      L.tileLayer(config.tiles, { attribution: config.tiles_attribution, maxZoom: config.max_zoom }).addTo(map);
    }
    map.attributionControl.setPrefix("Leaflet");

    var clusters = L.layerGroup().addTo(map);
    var shapes = L.layerGroup().addTo(map);

    function name(ar, en) {
      return arabic ? ar || en : en || ar;
    }

    // A tooltip's text, as text: Leaflet builds a string tooltip as HTML, and a report's title or a
    // layer's name is what someone typed.
    function tip(text) {
      var el = document.createElement("span");
      el.textContent = text;
      return el;
    }

    // The base map: outline, districts, the main places; reference data, fetched once and cached.
    // A report placed only in its district is drawn as the district: its outline and name by code.
    var districts = {};
    var based = fetch(config.base, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (base) {
        L.geoJSON(base.outline, { className: "base-outline", interactive: false }).addTo(map).bringToBack();
        L.geoJSON(base.districts, {
          className: "base-district",
          onEachFeature: function (f, layer) {
            districts[f.properties.code] = { feature: f, name: name(f.properties.name_ar, f.properties.name_en) };
            layer.bindTooltip(tip(name(f.properties.name_ar, f.properties.name_en)), { sticky: true });
          },
        }).addTo(map).bringToBack();
        var places = L.layerGroup();
        base.places.forEach(function (p) {
          var kind = p[2] === "city" ? "base-city" : "base-place";
          L.circleMarker([p[3], p[4]], { radius: p[2] === "city" ? 3 : 2, className: kind, interactive: false })
            .bindTooltip(tip(name(p[0], p[1])), { permanent: p[2] === "city", direction: "right", className: "place-label" })
            .addTo(places);
        });
        function placesAtZoom() {
          if (map.getZoom() >= 6) places.addTo(map); else places.remove();
        }
        map.on("zoomend", placesAtZoom);
        placesAtZoom();
      })
      .catch(function () {});

    // The committee's binding layers, on top.
    layers.forEach(function (layer) {
      L.geoJSON(layer.geojson, {
        className: "zone zone-" + layer.kind,
        pointToLayer: function (_f, at) { return L.circleMarker(at, { radius: 6, className: "zone zone-" + layer.kind }); },
        onEachFeature: function (_f, l) {
          l.bindTooltip(tip(layer.name + " (" + strings.layer + " " + layer.version + ")"), { sticky: true });
        },
      }).addTo(map);
    });

    // The filters, as the list takes them (its form, named alike), and the time window.
    function params() {
      var out = new URLSearchParams();
      new FormData(form).forEach(function (value, key) {
        if (value !== "") out.append(key, value);
      });
      return out;
    }

    var windowInput = document.getElementById("map-window");
    var windowOutput = document.getElementById("map-window-value");
    var days = windowInput.dataset.days.split(",").map(Number);
    var labels = windowInput.dataset.labels.split("|");
    var fromInput = form.elements.namedItem("occurred_from");
    var toInput = form.elements.namedItem("occurred_to");

    function iso(d) { return d.toISOString().slice(0, 10); }

    function showWindow() {
      var i = Number(windowInput.value);
      windowOutput.textContent = labels[i];
      windowInput.setAttribute("aria-valuetext", labels[i]);
    }
    windowInput.addEventListener("input", function () {
      var n = days[Number(windowInput.value)];
      showWindow();
      if (fromInput) fromInput.value = n ? iso(new Date(Date.now() - n * 86400000)) : "";
      if (toInput) toInput.value = "";
    });
    windowInput.addEventListener("change", refresh);
    showWindow();

    form.addEventListener("submit", function (e) {
      e.preventDefault();
      history.replaceState(null, "", "?" + params().toString());
      refresh();
    });

    function fail(message) {
      errorBox.textContent = message;
      errorBox.hidden = !message;
    }

    function boxOf(bounds) {
      var clamp = function (v, lo, hi) { return Math.min(hi, Math.max(lo, v)); };
      return [
        clamp(bounds.getWest(), -180, 180), clamp(bounds.getSouth(), -85, 85),
        clamp(bounds.getEast(), -180, 180), clamp(bounds.getNorth(), -85, 85),
      ].map(function (v) { return v.toFixed(5); }).join(",");
    }

    var asked = 0;
    function refresh() {
      var ticket = ++asked;
      ask(Math.min(map.getZoom(), config.max_zoom), ticket);
    }

    function ask(zoom, ticket) {
      var q = params();
      q.set("bbox", boxOf(map.getBounds()));
      q.set("zoom", String(zoom));
      status.textContent = strings.loading;
      fetch(config.clusters + "?" + q.toString(), { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
        .then(function (answer) {
          if (ticket !== asked) return;  // a newer view was asked for since
          if (!answer.ok) {
            var first = (answer.body.detail || [])[0] || {};
            if (first.field === "bbox" && zoom > 0) return ask(zoom - 1, ticket);  // too many cells: coarser ones
            status.textContent = "";
            fail((first.field ? first.field + ": " : "") + (first.message || strings.failed));
            return;
          }
          fail("");
          draw(answer.body, q);
        })
        .catch(function () { if (ticket === asked) { status.textContent = ""; fail(strings.failed); } });
    }

    // A category's mark: its family's colour and its own shape (web/views/map.py: marks).
    function markOf(code) {
      return config.marks[code] || "fam-7 shape-0";
    }

    function sizeOf(n) {
      return n < 10 ? "s" : n < 100 ? "m" : n < 1000 ? "l" : "xl";
    }

    function kinds(cluster) {
      return Object.keys(cluster.categories).map(function (code) {
        return (config.names[code] || code) + " " + cluster.categories[code];
      }).join(arabic ? "، " : ", ");
    }

    // A cell of the table, labelled with its column's heading (a phone shows each row as a card).
    var headings = Array.prototype.map.call(document.querySelectorAll(".cluster-list thead th"), function (th) {
      return th.textContent;
    });
    function cell(column, text) {
      var td = document.createElement("td");
      td.textContent = text;
      td.dataset.label = headings[column];
      return td;
    }

    // Where a cluster is drawn, as precise as its reports are (its `precision`, the coarsest of
    // theirs): a lone report placed in a district is its district, outlined, its mark at the
    // district's middle and never at the stored point; a lone report near a place is a circle
    // around that place; a cluster of several, some placed only roughly, has a dashed ring.
    function placeOf(c) {
      var where = { at: [c.lat, c.lon], text: c.lat.toFixed(3) + ", " + c.lon.toFixed(3), note: "", ltr: true };
      if (c.count === 1 && c.precision === 3) {
        var d = districts[c.district];
        var outline = d ? L.geoJSON(d.feature, { className: "shape-district " + markOf(Object.keys(c.categories)[0]), interactive: false }) : null;
        if (outline) {
          outline.addTo(clusters);
          where.at = outline.getBounds().getCenter();
        }
        where.text = d ? d.name : strings.district;
        where.ltr = false;
        where.note = " (" + strings.district + (d ? ": " + d.name : "") + ")";
      } else if (c.count === 1 && c.precision === 2) {
        L.circle(where.at, { radius: config.near_radius_m, className: "shape-near " + markOf(Object.keys(c.categories)[0]), interactive: false }).addTo(clusters);
        where.note = " (" + strings.near + ")";
      } else if (c.precision > 1) {
        where.note = " (" + strings.approximate + ")";
      }
      return where;
    }

    function draw(answer, q) {
      clusters.clearLayers();
      rows.textContent = "";
      var n = answer.clusters.length;
      none.hidden = n > 0;
      status.textContent = strings.count.replace("{n}", answer.count).replace("{c}", n);
      var sorted = answer.clusters.slice().sort(function (a, b) { return b.count - a.count; });
      sorted.forEach(function (c) {
        var place = placeOf(c);
        var label = c.count + " " + strings.reports + ": " + kinds(c) + place.note;
        var icon = L.divIcon({
          className: "cluster mark " + markOf(Object.keys(c.categories)[0]) + " size-" + sizeOf(c.count) +
            (c.precision > 1 ? " approximate" : ""),
          html: "<span>" + c.count + "</span>",
          iconSize: null,
        });
        var marker = L.marker(place.at, { icon: icon, keyboard: true, title: label, alt: label });
        marker.on("click", function () { open(c, answer.zoom, q); });
        marker.addTo(clusters);
        var el = marker.getElement();
        if (el) {
          el.setAttribute("role", "button");
          el.setAttribute("aria-label", label);
          el.dataset.cell = c.cell;
          el.addEventListener("keydown", function (e) {
            if (e.key === "Enter" || e.key === " ") {
              e.preventDefault();
              open(c, answer.zoom, q);
            }
          });
        }
        var tr = document.createElement("tr");
        var count = cell(0, c.count);
        var where = cell(1, "");
        var at = document.createElement("span");
        if (place.ltr) at.dir = "ltr";
        at.textContent = place.text;
        where.appendChild(at);
        var what = cell(2, kinds(c));
        var act = document.createElement("td");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "secondary";
        button.textContent = strings.show;
        button.dataset.cell = c.cell;
        button.addEventListener("click", function () { open(c, answer.zoom, q); });
        act.appendChild(button);
        tr.append(count, where, what, act);
        rows.appendChild(tr);
      });
    }

    function open(c, zoom, q) {
      var query = new URLSearchParams(q);
      query.delete("bbox");
      query.set("zoom", zoom);
      query.set("cell", c.cell);
      fetch(config.cluster + "?" + query.toString(), { credentials: "same-origin", headers: { "HX-Request": "true" } })
        .then(function (r) { return r.text(); })
        .then(function (html) {
          panel.innerHTML = html;  // the server's own escaped fragment
          panel.focus();
        });
      query.set("limit", "200");
      fetch(config.geojson + "?" + query.toString(), { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (collection) { drawReports(collection); });
    }

    // Each report as precise as it is: a point, a circle around the place it is near, its district.
    function drawReports(collection) {
      shapes.clearLayers();
      collection.features.forEach(function (f) {
        if (!f.geometry) return;
        var p = f.properties;
        var colour = markOf(p.category);
        var label = p.reference + " · " + name(p.title_ar, p.title_en);
        var layer;
        if (p.geo_precision === 3) {
          layer = L.geoJSON(f, { className: "shape-district " + colour });
          label += " (" + strings.district + ")";
        } else if (p.geo_precision === 2) {
          var at = [f.geometry.coordinates[1], f.geometry.coordinates[0]];
          layer = L.circle(at, { radius: p.radius_m, className: "shape-near " + colour });
          label += " (" + strings.near + ")";
        } else {
          layer = L.circleMarker([f.geometry.coordinates[1], f.geometry.coordinates[0]], { radius: 6, className: "shape-point " + colour });
        }
        layer.bindTooltip(tip(label));
        layer.addTo(shapes);
      });
    }

    map.on("moveend", refresh);
    based.then(refresh);  // a lone report in a district is drawn as the district: the base first
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
