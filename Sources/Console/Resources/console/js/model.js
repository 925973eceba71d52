// What the panels draw: the plan's routes, or the working copy with the evaluated ETAs.
import { state, isDispatched } from './state.js';
import * as edit from './edit.js';

let planStops = new Map();   // pickup point id → {route, stop} of the plan shown
let planRoutes = new Map();  // route id → plan route

export function indexPlan(plan) {
  planStops = new Map();
  planRoutes = new Map();
  for (const r of plan?.routes || []) {
    planRoutes.set(r.route_id, r);
    for (const s of r.stops) planStops.set(s.pickup_point_id, { route: r, stop: s });
  }
}
export const planStop = pointId => planStops.get(pointId);
export const planRoute = id => planRoutes.get(id);

/** Display routes: [{key, route_id, vehicle_id, warehouse_id, trip, departure, return, stops[], load, distance_m, duration_s, cost_cents, edited, locked, evaluated, violations[]}] */
export function displayRoutes() {
  const edited = edit.editedKeys();
  const evald = edit.evaluatedByKey();
  const viol = edit.violations();
  const pending = edit.evaluation.pending;
  return edit.workingRoutes().map(w => {
    const base = w.route_id ? planRoutes.get(w.route_id) : null;
    const isEdited = edited.has(w.key);
    const ev = evald.get(w.key);
    const src = ev || (isEdited ? null : base);
    const stops = w.stops.map((s, i) => {
      const es = src?.stops?.find(x => x.pickup_point_id === s.pickup_point_id);
      const ps = planStops.get(s.pickup_point_id)?.stop;
      const p = state.points.get(s.pickup_point_id);
      return {
        sequence: i + 1, pickup_point_id: s.pickup_point_id, order_ids: s.order_ids,
        arrival: es?.arrival, service_start: es?.service_start, departure: es?.departure,
        window: es?.window || ps?.window || p?.receiving_window,
        load: es?.load || (ps && ps.order_ids.length === s.order_ids.length ? ps.load : null),
        base_arrival: ps?.arrival,
        changed: !!(es && ps && es.arrival !== ps.arrival),
        stale: !es && (isEdited || pending && !!ev),
        violations: viol.filter(v => v.pickup_point_id === s.pickup_point_id && (!v.key || v.key === w.key)),
      };
    });
    const van = state.vans.get(w.vehicle_id);
    return {
      key: w.key, route_id: w.route_id, vehicle_id: w.vehicle_id, vehicle_type_id: van?.type.id || base?.vehicle_type_id,
      warehouse_id: w.warehouse_id || van?.warehouse_id,
      trip: src?.trip ?? base?.trip, departure: src?.departure, return: src?.return,
      load: src?.load, distance_m: src?.distance_m, duration_s: src?.duration_s, cost_cents: src?.cost_cents,
      new_route_id: ev?.route_id,
      stops, edited: isEdited, evaluated: !!ev, stale: isEdited && (!ev || pending),
      locked: !!w.route_id && isDispatched(w.route_id),
      violations: viol.filter(v => v.key === w.key && !v.pickup_point_id),
    };
  });
}

/** The unassigned orders shown: the evaluation's when editing, else the plan's. */
export function unassigned() {
  const res = edit.evaluation.result;
  if (edit.isDirty() && res?.unassigned) return res.unassigned;
  return state.plan?.unassigned || [];
}

/** Warehouse of a pickup point in this plan (its route's, else the allocation's, else yesterday's). */
export function warehouseOfPoint(pointId) {
  const ps = planStops.get(pointId);
  if (ps) return ps.route.warehouse_id;
  const a = (state.plan?.assignments || []).find(x => x.pickup_point_id === pointId);
  return a?.warehouse_id || state.points.get(pointId)?.previous_warehouse_id || null;
}

/** Vans of a warehouse, in scenario order. */
export const vansOf = whId => [...state.vans.values()].filter(v => v.warehouse_id === whId);

export function routeLabel(r) {
  return `${r.vehicle_id} · 第${r.trip ?? '?'}趟 trip ${r.trip ?? '?'}`;
}
