// Sortable table of routes (click a header to sort, again to reverse).
import { state, el, hhmm, yuan, km, hours, fmtInt } from './state.js';

let root, onSelect;
let sortKey = 'route', dir = 1;
let lastRoutes = [];

const columns = [
  ['route', '路线 Route', r => r.route_id || r.key],
  ['van', '车辆 Van', r => r.vehicle_id],
  ['trip', '趟 Trip', r => r.trip ?? 0, true],
  ['departure', '出发 Depart', r => hhmm(r.departure)],
  ['return', '返回 Return', r => hhmm(r.return)],
  ['stops', '站 Stops', r => r.stops.length, true],
  ['crates', '筐 Crates', r => r.load?.crates ?? -1, true],
  ['km', '公里 km', r => r.distance_m ?? -1, true],
  ['hours', '小时 Hours', r => r.duration_s ?? -1, true],
  ['cost', '成本 Cost ¥', r => r.cost_cents ?? -1, true],
  ['status', '状态 Status', r => r.locked ? 2 : r.edited ? 1 : 0],
];

export function init(element, select) { root = element; onSelect = select; }

export function render(routes) {
  lastRoutes = routes;
  const col = columns.find(c => c[0] === sortKey) || columns[0];
  const rows = routes.filter(r => r.stops.length).slice().sort((a, b) => {
    const x = col[2](a), y = col[2](b);
    return (x < y ? -1 : x > y ? 1 : 0) * dir;
  });
  const thead = el('tr', {}, columns.map(([k, label, , num]) => el('th', {
    class: num ? 'num' : null, 'data-sort': k, tabindex: 0, scope: 'col',
    'aria-sort': k === sortKey ? (dir > 0 ? 'ascending' : 'descending') : 'none',
    onclick: () => sortBy(k), onkeydown: e => { if (e.key === 'Enter') sortBy(k); },
  }, label)));
  const tbody = el('tbody', {}, rows.map(r => el('tr', {
    'data-route-id': r.key, class: r.key === state.selectedRouteId ? 'selected' : null, onclick: () => onSelect(r.key),
  },
    el('td', {}, r.route_id || '新趟 new'), el('td', {}, r.vehicle_id), el('td', { class: 'num' }, r.trip ?? '–'),
    el('td', {}, hhmm(r.departure)), el('td', {}, hhmm(r.return)), el('td', { class: 'num' }, r.stops.length),
    el('td', { class: 'num' }, fmtInt(r.load?.crates)), el('td', { class: 'num' }, km(r.distance_m)),
    el('td', { class: 'num' }, hours(r.duration_s)), el('td', { class: 'num' }, yuan(r.cost_cents)),
    el('td', {}, r.locked ? '⚑ 已发车 dispatched' : r.edited ? '✎ 已改 edited' : '计划 planned'),
  )));
  root.replaceChildren(el('table', { class: 'grid', 'data-testid': 'routes-grid' }, el('thead', {}, thead), tbody));
}

function sortBy(k) {
  if (k === sortKey) dir = -dir; else { sortKey = k; dir = 1; }
  render(lastRoutes);
}
