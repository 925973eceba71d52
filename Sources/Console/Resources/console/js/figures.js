// The day's figures and the sorting use per warehouse.
import { state, el, fmtInt, km, hours, yuan } from './state.js';

export function render(root) {
  const t = state.plan?.totals;
  if (!t) { root.replaceChildren(el('span', { class: 'muted' }, state.date ? `${state.date}: 没有计划 no plan yet` : '…')); return; }
  const f = (label, value, id) => el('div', { class: 'figure', 'data-testid': id }, el('b', {}, value), el('span', {}, label));
  const bars = el('div', { class: 'sorting', 'data-testid': 'sorting-bars' }, el('span', { class: 'sorting-label' }, '分拣', el('br'), 'Sorting'), (state.plan.warehouses || []).map(w => {
    const pct = w.utilisation_percent ?? (w.sorting_capacity_crates ? 100 * w.crates / w.sorting_capacity_crates : 0);
    return el('div', { class: 'figure', 'data-warehouse-id': w.warehouse_id, title: `${w.crates} / ${w.sorting_capacity_crates} 筐 crates` },
      el('span', {}, `${w.warehouse_id} ${pct.toFixed(1)}%`),
      el('div', { class: 'bar' }, el('i', { class: pct > 100 ? 'over' : pct > 85 ? 'high' : null, style: `width:${Math.min(100, pct)}%` })));
  }));
  root.replaceChildren(
    f('订单 Orders', fmtInt(t.orders), 'fig-orders'),
    f('已排 Planned', fmtInt(t.orders_planned), 'fig-planned'),
    f('未分配 Unassigned', fmtInt(t.orders_unassigned), 'fig-unassigned'),
    f('车 Vans', fmtInt(t.vehicles), 'fig-vans'),
    f('趟 Trips', fmtInt(t.trips), 'fig-trips'),
    f('公里 km', km(t.distance_m), 'fig-km'),
    f('小时 Hours', hours(t.duration_s), 'fig-hours'),
    f('车辆成本 Van cost', yuan(t.cost_cents), 'fig-cost'),
    f('每单 ¥/order', yuan(t.cost_per_order_cents), 'fig-cost-per-order'),
    f('准时 On time', `${fmtInt(t.on_time_stops)}/${fmtInt(t.stops)}`, 'fig-on-time'),
    bars);
}
