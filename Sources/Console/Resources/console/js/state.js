// The page's state and a tiny event bus. Modules read `state` and listen to events.
export const state = {
  config: null,          // GET /v1/console/config
  scenario: null,        // GET /v1/scenario
  points: new Map(),     // pickup point id → scenario object
  warehouses: new Map(), // warehouse id → scenario object
  vans: new Map(),       // vehicle id → {id, type, warehouse_id}
  date: null,            // delivery date shown
  versions: [],          // GET /v1/plans?date=
  planId: null,          // version shown
  plan: null,            // plan.json of planId
  routeMeta: new Map(),  // route id → {dispatched_at, kept_from_plan}
  geojson: null,
  selectedRouteId: null, // a route key (see edit.js: route_id of the plan, or "new-N")
  selectedStop: null,    // {routeKey, pointId}
};

const listeners = new Map();
export function on(event, fn) {
  if (!listeners.has(event)) listeners.set(event, new Set());
  listeners.get(event).add(fn);
}
export function emit(event, data) {
  for (const fn of listeners.get(event) || []) {
    try { fn(data); } catch (e) { console.warn(`listener of ${event} failed`, e); }
  }
}

/** Indexes of the scenario: points, warehouses and every van ("<type id>-<n>"). */
export function indexScenario(sc) {
  state.scenario = sc;
  state.points = new Map((sc.pickup_points || []).map(p => [p.id, p]));
  state.warehouses = new Map((sc.warehouses || []).map(w => [w.id, w]));
  state.vans = new Map();
  for (const w of sc.warehouses || []) {
    for (const t of w.vehicle_types || []) {
      for (let n = 1; n <= (t.count || 0); n++) {
        const id = `${t.id}-${n}`;
        state.vans.set(id, { id, type: t, warehouse_id: w.id });
      }
    }
  }
}

export const currentVersion = () => state.versions.find(v => v.current);
export const isCurrent = () => !!currentVersion() && currentVersion().plan_id === state.planId;
export const isDispatched = routeId => !!state.routeMeta.get(routeId)?.dispatched_at;

// Formatting ------------------------------------------------------------------------------
const nf = new Intl.NumberFormat('en-US');
const nf2 = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const nf1 = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
export const fmtInt = n => n == null ? '–' : nf.format(n);
export const yuan = cents => cents == null ? '–' : '¥' + nf2.format(cents / 100);
export const signedYuan = cents => (cents > 0 ? '+' : cents < 0 ? '−' : '±') + '¥' + nf2.format(Math.abs(cents) / 100);
export const km = m => m == null ? '–' : nf1.format(m / 1000);
export const hours = s => s == null ? '–' : nf1.format(s / 3600);
/** "HH:MM" of an ISO time with offset (plan times are already local) or of "HH:MM". */
export const hhmm = iso => !iso ? '–' : iso.length <= 5 ? iso : iso.slice(11, 16);
export const minutesOfDay = iso => { const t = hhmm(iso); return +t.slice(0, 2) * 60 + +t.slice(3, 5); };

export function escapeHtml(s) {
  return String(s ?? '').replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

/** A stable colour per route id: the hue comes from a hash of the id, so a route keeps its colour across versions. */
export function routeColour(routeId) {
  let h = 2166136261;
  for (const ch of String(routeId)) { h ^= ch.codePointAt(0); h = Math.imul(h, 16777619); }
  h >>>= 0;
  const hue = Math.round((h % 360) * 1) ;
  const light = 34 + (h >>> 9) % 16;
  return `hsl(${hue} 72% ${light}%)`;
}

/** Stop timing class: late (service after the window), tight (arrival within 10 min of its end), ok. */
export function stopClass(stop) {
  if (!stop?.window || !stop.arrival) return '';
  const end = minutesOfDay(stop.window.to);
  const start = minutesOfDay(stop.service_start || stop.arrival);
  const arr = minutesOfDay(stop.arrival);
  if (start > end || arr > end) return 'late';
  if (end - arr <= 10) return 'tight';
  return '';
}

export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'html') e.innerHTML = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(e.dataset, v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c != null && c !== false) e.append(c instanceof Node ? c : String(c));
  return e;
}
