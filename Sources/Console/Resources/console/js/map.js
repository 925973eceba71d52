// The map: roads of the scenario's OSM extract (or the installation's tiles) under the plan's
// legs, stops coloured by route, warehouses as squares, unassigned points as red rings.
import { get } from './api.js';
import { state, routeColour, escapeHtml } from './state.js';

let L = null;
let map = null;
let planLayer = null, roadsLayer = null, roadsBand = null, roadsRenderer = null;
let stopMarkers = new Map();     // "routeKey|pointId" → marker
let legLayers = [];              // {layer, key, to}
let selectedKey = null;
let fitted = false;
let handlers = { selectRoute() {}, selectStop() {}, popup() { return ''; }, dropStop() {} };
let popupOpen = null;   // "routeKey|pointId" of the open popup: kept open across redraws
const roadsCache = new Map();

export const available = () => !!map;

export function init(element, config, h) {
  handlers = { ...handlers, ...h };
  L = window.L;
  if (!L || config?.leaflet === false) return false;
  map = L.map(element, { zoomControl: true, preferCanvas: false, attributionControl: true, minZoom: 9, maxZoom: 18, zoomSnap: 0.25, zoomDelta: 0.5 });
  map.invalidateSize();
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution(escapeHtml(config?.attribution || '© OpenStreetMap contributors'));
  map.createPane('roads').style.zIndex = 250;
  roadsRenderer = L.canvas({ pane: 'roads', padding: 0.3 });
  const pts = [...state.points.values(), ...state.warehouses.values()].map(p => [p.location.lat, p.location.lon]);
  if (pts.length) map.fitBounds(L.latLngBounds(pts), { padding: [16, 16], animate: false }); else map.setView([31.23, 121.47], 12);
  if (config?.tile_url) {
    L.tileLayer(config.tile_url, { maxZoom: 19, attribution: '' }).addTo(map);
  } else {
    map.on('zoomend', () => loadRoads());
  }
  map.on('click', () => { if (!dragged) handlers.selectRoute(null); });
  return true;
}

const bandOf = z => z <= 12 ? 12 : z <= 14 ? 14 : 16;
const roadWeight = { arterial: 2.2, collector: 1.4, local: 0.7, motorway: 3, trunk: 2.6, primary: 2.2, secondary: 1.7, tertiary: 1.3 };

/** Load the roads base layer for the zoom band (cached per band); called after the routes are drawn. */
export async function loadRoads() {
  if (!map || state.config?.tile_url) return;
  const band = bandOf(map.getZoom());
  if (band === roadsBand) return;
  roadsBand = band;
  let data = roadsCache.get(band);
  if (!data) {
    try { data = await get(`/v1/map/roads?zoom=${band}`); } catch (e) { console.info('roads layer unavailable:', e.message); return; }
    roadsCache.set(band, data);
  }
  if (band !== roadsBand) return;
  roadsLayer?.remove();
  roadsLayer = L.geoJSON(data, {
    renderer: roadsRenderer, interactive: false, pane: 'roads',
    style: f => ({ color: '#b9bec6', weight: roadWeight[f.properties?.class] || 0.8, opacity: 0.9 }),
  }).addTo(map);
}

function tag(layer, attrs) {
  const e = layer.getElement ? layer.getElement() : layer._path;
  if (e) for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
}

/**
 * Draw the routes. Unedited routes follow the roads (routes.geojson legs); an edited route is
 * drawn as straight dashed lines until it is saved (the server draws roads for saved versions).
 */
export function draw(routes, geojson, unassigned) {
  if (!map) return;
  const reopen = popupOpen;
  if (!fitted) {   // once, before anything is drawn (a later fit would re-project every layer)
    fitted = true;
    map.invalidateSize();
    const pts = [...state.points.values(), ...state.warehouses.values()].map(p => [p.location.lat, p.location.lon]);
    if (pts.length) map.fitBounds(L.latLngBounds(pts), { padding: [16, 16], animate: false });
  }
  planLayer?.remove();
  planLayer = L.layerGroup().addTo(map);
  stopMarkers = new Map(); legLayers = [];
  const legsByRoute = new Map();
  for (const f of geojson?.features || []) {
    if (f.properties?.kind !== 'leg') continue;
    const id = f.properties.route_id;
    if (!legsByRoute.has(id)) legsByRoute.set(id, []);
    legsByRoute.get(id).push(f);
  }
  for (const r of routes) {
    if (!r.stops.length) continue;
    const colour = routeColour(r.route_id || r.key);
    const roadLegs = !r.edited && r.route_id ? legsByRoute.get(r.route_id) : null;
    if (roadLegs) {
      for (const f of roadLegs) {
        const line = L.polyline(f.geometry.coordinates.map(([lon, lat]) => [lat, lon]), { color: colour, weight: 3, opacity: 0.85 }).addTo(planLayer);
        tag(line, { 'data-route-id': r.key, 'data-kind': 'leg', 'data-to': f.properties.to });
        line.on('click', ev => { L.DomEvent.stop(ev); handlers.selectRoute(r.key); });
        legLayers.push({ layer: line, key: r.key, to: f.properties.to });
      }
    } else {
      const wh = state.warehouses.get(r.warehouse_id);
      const seq = [wh, ...r.stops.map(s => state.points.get(s.pickup_point_id)), wh].filter(Boolean);
      for (let i = 0; i + 1 < seq.length; i++) {
        const a = seq[i].location, b = seq[i + 1].location;
        const line = L.polyline([[a.lat, a.lon], [b.lat, b.lon]], { color: colour, weight: 3, opacity: 0.9, dashArray: '6 6' }).addTo(planLayer);
        const to = seq[i + 1].id;
        tag(line, { 'data-route-id': r.key, 'data-kind': 'leg', 'data-edited': 'true', 'data-to': to });
        line.on('click', ev => { L.DomEvent.stop(ev); handlers.selectRoute(r.key); });
        legLayers.push({ layer: line, key: r.key, to });
      }
    }
  }
  for (const r of routes) {
    const colour = routeColour(r.route_id || r.key);
    for (const s of r.stops) {
      const p = state.points.get(s.pickup_point_id);
      if (!p) continue;
      const bad = s.violations.length > 0;
      const m = L.circleMarker([p.location.lat, p.location.lon], {
        radius: 6, color: bad ? '#c62828' : '#fff', weight: bad ? 3 : 1.5, fillColor: colour, fillOpacity: 1, bubblingMouseEvents: false,
      }).addTo(planLayer);
      tag(m, { 'data-stop-id': s.pickup_point_id, 'data-route-id': r.key, 'data-kind': 'stop', class: 'leaflet-interactive stop-marker' });
      m.bindTooltip(`${escapeHtml(p.name)} · ${escapeHtml(r.vehicle_id)} #${s.sequence}`, { direction: 'top', offset: [0, -6] });
      m.on('click', ev => { if (dragged) return; L.DomEvent.stop(ev); handlers.selectStop(r.key, s.pickup_point_id); });
      if (!r.locked) m.on('mousedown', ev => startDrag(ev, r.key, s.pickup_point_id, m));
      stopMarkers.set(`${r.key}|${s.pickup_point_id}`, m);
    }
  }
  const byPoint = new Map();
  for (const u of unassigned || []) {
    if (!byPoint.has(u.pickup_point_id)) byPoint.set(u.pickup_point_id, []);
    byPoint.get(u.pickup_point_id).push(u);
  }
  for (const [pid, list] of byPoint) {
    const p = state.points.get(pid);
    if (!p) continue;
    const reasons = [...new Set(list.map(u => u.reason))];
    const m = L.circleMarker([p.location.lat, p.location.lon], { radius: 10, color: '#d50000', weight: 3, fill: false }).addTo(planLayer);
    tag(m, { 'data-unassigned-id': pid, 'data-kind': 'unassigned' });
    m.bindTooltip(`<b>未分配 Unassigned</b> ${escapeHtml(p.name)} (${list.length} 单 orders)<br>${reasons.map(escapeHtml).join('<br>')}`, { direction: 'top' });
  }
  for (const w of state.warehouses.values()) {
    const icon = L.divIcon({ className: 'wh-icon', iconSize: [18, 18], html: `<span data-warehouse-id="${escapeHtml(w.id)}">仓</span>` });
    L.marker([w.location.lat, w.location.lon], { icon, keyboard: false, zIndexOffset: 1000 })
      .bindTooltip(`${escapeHtml(w.name)}<br>${escapeHtml(w.id)}`, { direction: 'top' }).addTo(planLayer);
  }
  highlight(selectedKey);
  if (reopen && stopMarkers.has(reopen)) { const [k, p] = reopen.split('|'); openPopup(k, p, false); } else popupOpen = null;
}

export function highlight(key) {
  selectedKey = key;
  if (!map) return;
  for (const { layer, key: k } of legLayers) {
    layer.setStyle({ opacity: !key || k === key ? 0.9 : 0.25, weight: k === key ? 6 : 3 });
    if (k === key) layer.bringToFront();
  }
  for (const [id, m] of stopMarkers) {
    const k = id.split('|')[0];
    m.setStyle({ fillOpacity: !key || k === key ? 1 : 0.35, radius: k === key ? 8 : 6 });
    if (k === key) m.bringToFront();
  }
}

export function focusRoute(key) {
  const ms = [...stopMarkers].filter(([id]) => id.startsWith(key + '|')).map(([, m]) => m.getLatLng());
  if (map && ms.length) map.fitBounds(L.latLngBounds(ms), { padding: [40, 40], maxZoom: 15 });
}

export function openPopup(key, pointId, pan = true) {
  const m = stopMarkers.get(`${key}|${pointId}`);
  if (!m) return;
  const content = handlers.popup(key, pointId);
  m.unbindPopup();
  m.bindPopup(content, { maxWidth: 320, autoPan: pan }).openPopup();
  popupOpen = `${key}|${pointId}`;
  m.once('popupclose', () => { if (popupOpen === `${key}|${pointId}`) popupOpen = null; });
}

export function closePopup() { popupOpen = null; map?.closePopup(); }
export function invalidate() { map?.invalidateSize(); }

// Drag a stop marker onto another stop (it goes after that stop) or a leg (it goes before the leg's end).
let drag = null, dragged = false;
function startDrag(ev, key, pointId, marker) {
  if (ev.originalEvent?.button !== 0) return;
  dragged = false;
  map.dragging.disable();
  const start = ev.containerPoint;
  let ghost = null;
  const move = e => {
    if (!dragged && e.containerPoint.distanceTo(start) < 6) return;
    if (!dragged) { dragged = true; map.getContainer().classList.add('map-dragging'); ghost = L.circleMarker(e.latlng, { radius: 8, color: '#1565c0', dashArray: '3 3', fill: false, interactive: false }).addTo(map); }
    ghost.setLatLng(e.latlng);
  };
  const up = e => {
    map.off('mousemove', move); map.off('mouseup', up); document.removeEventListener('mouseup', docUp);
    map.dragging.enable();
    map.getContainer().classList.remove('map-dragging');
    ghost?.remove();
    if (dragged && e?.containerPoint) dropAt(e.containerPoint, key, pointId, marker);
    setTimeout(() => { dragged = false; }, 0);
  };
  const docUp = () => up(null);
  map.on('mousemove', move); map.on('mouseup', up); document.addEventListener('mouseup', docUp, { once: true });
  drag = { key, pointId };
}

function dropAt(pt, fromKey, pointId, marker) {
  let best = null;
  for (const [id, m] of stopMarkers) {
    if (m === marker) continue;
    const d = map.latLngToContainerPoint(m.getLatLng()).distanceTo(pt);
    if (d < 14 && (!best || d < best.d)) { const [k, p] = id.split('|'); best = { d, key: k, after: p }; }
  }
  if (!best) {
    for (const { layer, key, to } of legLayers) {
      const ll = layer.getLatLngs().map(x => map.latLngToContainerPoint(x));
      for (let i = 0; i + 1 < ll.length; i++) {
        const d = L.LineUtil.pointToSegmentDistance(pt, ll[i], ll[i + 1]);
        if (d < 8 && (!best || d < best.d)) best = { d, key, before: to };
      }
    }
  }
  if (best) handlers.dropStop(fromKey, pointId, best);
}
