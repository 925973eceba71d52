// Changes by hand: a working copy of the plan's routes, undo/redo, and the server's check
// (POST /v1/plans/{id}/evaluate) after every change, debounced, stale answers dropped.
import { post, ApiError, problemText } from './api.js';
import { state, emit, isDispatched } from './state.js';

let base = null;       // [{key, route_id, warehouse_id, vehicle_id, stops:[{pickup_point_id, order_ids}]}] from the plan
let working = null;    // same shape, edited; null = no edits
let undoStack = [], redoStack = [];
let newCount = 0;
let planOrders = new Map();      // pickup point id → its orders on the plan's routes, sorted, joined
let pointsLeftOut = new Set();   // pickup points with unassigned orders in the plan
let timer = null, inflight = null, seq = 0;
export const evaluation = { result: null, error: null, pending: false, keys: [], seq: 0 };

const clone = x => JSON.parse(JSON.stringify(x));
const serial = rs => JSON.stringify(rs.filter(r => r.stops.length).map(r => [r.route_id, r.vehicle_id, r.stops.map(s => [s.pickup_point_id, s.order_ids])]));

/** Called when a plan is shown: edits belong to one plan version. */
export function reset(plan) {
  base = (plan?.routes || []).map(r => ({
    key: r.route_id, route_id: r.route_id, warehouse_id: r.warehouse_id, vehicle_id: r.vehicle_id,
    stops: r.stops.map(s => ({ pickup_point_id: s.pickup_point_id, order_ids: [...s.order_ids] })),
  }));
  planOrders = new Map();
  for (const r of base) for (const st of r.stops) planOrders.set(st.pickup_point_id, [...(planOrders.get(st.pickup_point_id)?.split(' ') || []), ...st.order_ids].filter(Boolean).sort().join(' '));
  pointsLeftOut = new Set((plan?.unassigned || []).map(u => u.pickup_point_id));
  working = null; undoStack = []; redoStack = [];
  clearEvaluation();
  emit('edits');
}

function clearEvaluation() {
  clearTimeout(timer); inflight?.abort(); inflight = null;
  Object.assign(evaluation, { result: null, error: null, pending: false, keys: [] });
}

export const isDirty = () => !!working && serial(working) !== serial(base);
export const canUndo = () => undoStack.length > 0;
export const canRedo = () => redoStack.length > 0;
export const workingRoutes = () => working || base || [];
export const baseRoutes = () => base || [];

/** Keys of routes that differ from the plan (stops, order or van). */
export function editedKeys() {
  if (!working) return new Set();
  const b = new Map(base.map(r => [r.key, JSON.stringify([r.vehicle_id, r.stops])]));
  return new Set(working.filter(r => b.get(r.key) !== JSON.stringify([r.vehicle_id, r.stops])).map(r => r.key));
}

/** Apply one change (a function that mutates the working copy); returns false if it was refused. */
function change(fn) {
  const before = JSON.stringify(working || base);
  const next = clone(working || base);
  if (fn(next) === false) return false;
  if (JSON.stringify(next) === before) return false;
  undoStack.push(before); redoStack = [];
  working = next;
  changed();
  return true;
}

function changed() {
  emit('edits');
  if (isDirty()) schedule(); else { clearEvaluation(); emit('evaluation'); }
}

export function undo() {
  if (!undoStack.length) return;
  redoStack.push(JSON.stringify(working || base));
  working = JSON.parse(undoStack.pop());
  changed();
}
export function redo() {
  if (!redoStack.length) return;
  undoStack.push(JSON.stringify(working || base));
  working = JSON.parse(redoStack.pop());
  changed();
}
export function discard() { working = null; undoStack = []; redoStack = []; clearEvaluation(); emit('edits'); emit('evaluation'); }

const find = (rs, key) => rs.find(r => r.key === key);
const locked = r => r.route_id && isDispatched(r.route_id);

/** Move the stop at point `pointId` of route `fromKey` to route `toKey` before index `toIndex` (end if null). */
export function moveStop(fromKey, pointId, toKey, toIndex = null) {
  return change(rs => {
    const from = find(rs, fromKey), to = find(rs, toKey);
    if (!from || !to || locked(from) || locked(to)) return false;
    const i = from.stops.findIndex(s => s.pickup_point_id === pointId);
    if (i < 0) return false;
    const [stop] = from.stops.splice(i, 1);
    let j = toIndex == null ? to.stops.length : toIndex;
    if (from === to && i < j) j -= 1;
    to.stops.splice(Math.max(0, Math.min(j, to.stops.length)), 0, stop);
  });
}

/** Move a stop one place up (-1) or down (+1) within its route. */
export function shiftStop(key, pointId, by) {
  const r = find(workingRoutes(), key);
  if (!r) return false;
  const i = r.stops.findIndex(s => s.pickup_point_id === pointId);
  const j = i + by;
  if (i < 0 || j < 0 || j >= r.stops.length) return false;
  return moveStop(key, pointId, key, by > 0 ? j + 1 : j);
}

/** Swap two stops (same route or two routes). */
export function swapStops(a, b) {
  return change(rs => {
    const ra = find(rs, a.routeKey), rb = find(rs, b.routeKey);
    if (!ra || !rb || locked(ra) || locked(rb)) return false;
    const i = ra.stops.findIndex(s => s.pickup_point_id === a.pointId);
    const j = rb.stops.findIndex(s => s.pickup_point_id === b.pointId);
    if (i < 0 || j < 0) return false;
    const t = ra.stops[i]; ra.stops[i] = rb.stops[j]; rb.stops[j] = t;
  });
}

/** Give a route to another van; it becomes that van's last trip (list order is trip order). */
export function moveRouteToVan(key, vehicleId) {
  return change(rs => {
    const i = rs.findIndex(r => r.key === key);
    if (i < 0 || locked(rs[i]) || rs[i].vehicle_id === vehicleId) return false;
    const [r] = rs.splice(i, 1);
    r.vehicle_id = vehicleId;
    const van = state.vans.get(vehicleId);
    if (van) r.warehouse_id = van.warehouse_id;
    let last = -1;
    rs.forEach((x, k) => { if (x.vehicle_id === vehicleId) last = k; });
    rs.splice(last >= 0 ? last + 1 : rs.length, 0, r);
  });
}

/** A new, empty trip for a van (a drop target); returns its key. */
export function newRoute(vehicleId) {
  const key = `new-${++newCount}`;
  const van = state.vans.get(vehicleId);
  change(rs => { rs.push({ key, route_id: null, warehouse_id: van?.warehouse_id, vehicle_id: vehicleId, stops: [] }); });
  return key;
}

/** Take a stop off its route: its orders become unassigned ("left out by hand"). */
export function removeStop(key, pointId) {
  return change(rs => {
    const r = find(rs, key);
    if (!r || locked(r)) return false;
    const i = r.stops.findIndex(s => s.pickup_point_id === pointId);
    if (i < 0) return false;
    r.stops.splice(i, 1);
  });
}

/** Put a pickup point (its unassigned orders) onto a route, at the end or before `index`. */
export function addPoint(pointId, orderIds, key, index = null) {
  return change(rs => {
    const r = find(rs, key);
    if (!r || locked(r)) return false;
    const existing = r.stops.find(s => s.pickup_point_id === pointId);
    if (existing) { existing.order_ids = [...new Set([...existing.order_ids, ...orderIds])]; return; }
    for (const o of rs) for (const s of o.stops) if (s.pickup_point_id === pointId) s.order_ids = s.order_ids.filter(x => !orderIds.includes(x));
    const stop = { pickup_point_id: pointId, order_ids: [...orderIds] };
    r.stops.splice(index == null ? r.stops.length : index, 0, stop);
  });
}

/**
 * The request body of evaluate and edits: every route of the plan, in list order; empty routes
 * left out. A stop carries its order_ids unless the server's default means exactly the same
 * orders (all of the point's orders in the plan, the point on one stop only, none of its orders
 * unassigned): that keeps the body small (8,000 order ids are 170 KB).
 */
export function body() {
  const rs = workingRoutes().filter(r => r.stops.length);
  const stopsOf = new Map();
  for (const r of rs) for (const st of r.stops) stopsOf.set(st.pickup_point_id, (stopsOf.get(st.pickup_point_id) || 0) + 1);
  const implicit = st => stopsOf.get(st.pickup_point_id) === 1 && !pointsLeftOut.has(st.pickup_point_id)
    && planOrders.get(st.pickup_point_id) === [...st.order_ids].sort().join(' ');
  return {
    keys: rs.map(r => r.key),
    routes: rs.map(r => {
      const o = { vehicle_id: r.vehicle_id, stops: r.stops.map(st => implicit(st) ? { pickup_point_id: st.pickup_point_id } : { pickup_point_id: st.pickup_point_id, order_ids: st.order_ids }) };
      if (r.route_id) o.route_id = r.route_id;
      return o;
    }),
  };
}

function schedule() {
  clearTimeout(timer);
  evaluation.pending = true;
  emit('evaluation');
  timer = setTimeout(run, 150);
}

async function run() {
  inflight?.abort();
  const ctl = new AbortController();
  inflight = ctl;
  const mine = ++seq;
  const { keys, routes } = body();
  const t0 = performance.now();
  try {
    const res = await post(`/v1/plans/${state.planId}/evaluate?order_ids=false`, { routes }, { write: false, signal: ctl.signal });
    if (mine !== seq) return;
    Object.assign(evaluation, { result: res, error: null, pending: false, keys, seq: mine, ms: performance.now() - t0 });
    performance.mark('evaluated');
  } catch (e) {
    if (e.name === 'AbortError' || mine !== seq) return;
    Object.assign(evaluation, { result: null, error: e, pending: false, keys, seq: mine });
  }
  if (inflight === ctl) inflight = null;
  emit('evaluation');
}

/**
 * Map evaluated routes to working keys. The server orders its routes by warehouse and van and
 * names them "<van>-T<trip>", so match by source_route_id, and a new trip by van and stops.
 */
export function evaluatedByKey() {
  const m = new Map();
  const res = evaluation.result;
  if (!res?.routes) return m;
  const sent = workingRoutes().filter(r => evaluation.keys.includes(r.key));
  const byRoute = new Map(sent.filter(r => r.route_id).map(r => [r.route_id, r.key]));
  const points = r => r.stops.map(s => s.pickup_point_id).join(',');
  const used = new Set();
  for (const r of res.routes) {
    const k = r.source_route_id ? byRoute.get(r.source_route_id) : undefined;
    if (k && !used.has(k)) { m.set(k, r); used.add(k); }
  }
  for (const r of res.routes) {
    if (r.source_route_id && byRoute.has(r.source_route_id)) continue;
    const w = sent.find(x => !used.has(x.key) && x.vehicle_id === r.vehicle_id && points(x) === points(r))
      || sent.find(x => !used.has(x.key) && !x.route_id && x.vehicle_id === r.vehicle_id);
    if (w) { m.set(w.key, r); used.add(w.key); }
  }
  return m;
}

/** Violations of the last evaluation, each with the working key of its route when known. */
export function violations() {
  const res = evaluation.result;
  if (!res) return [];
  const evald = evaluatedByKey();
  const idToKey = new Map();
  for (const [k, r] of evald) { idToKey.set(r.route_id, k); if (r.source_route_id) idToKey.set(r.source_route_id, k); }
  for (const r of workingRoutes()) if (r.route_id && !idToKey.has(r.route_id)) idToKey.set(r.route_id, r.key);
  return (res.violations || []).map(v => ({ ...v, key: v.route_id ? idToKey.get(v.route_id) : undefined }));
}

/** Signatures (van + points in order) of the edited routes: to find them again in the saved version. */
export function editedSignatures() {
  const keys = editedKeys();
  return workingRoutes().filter(r => keys.has(r.key) && r.stops.length).map(r => r.vehicle_id + '|' + r.stops.map(s => s.pickup_point_id).join(','));
}

/** POST /v1/plans/{id}/edits. Returns the answer (new plan id). */
export async function save({ author, note, acceptViolations }) {
  const { routes } = body();
  return post(`/v1/plans/${state.planId}/edits`, { routes, author, note: note || undefined, accept_violations: !!acceptViolations });
}

export { ApiError, problemText };
