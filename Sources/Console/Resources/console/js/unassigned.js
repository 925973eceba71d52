// Orders left out of the plan, per pickup point with the reason; filter by text, warehouse and
// reason; "add to route" puts the point's orders onto a route (an edit, checked at once).
import { state, el, escapeHtml } from './state.js';
import { warehouseOfPoint } from './model.js';
import * as edit from './edit.js';

let root;
const filter = { text: '', warehouse: '', reason: '' };

export function init(element) { root = element; }

export function render(unassigned, routes) {
  const groups = new Map();
  for (const u of unassigned) {
    const k = u.pickup_point_id + '\u0000' + u.reason;
    if (!groups.has(k)) groups.set(k, { pickup_point_id: u.pickup_point_id, reason: u.reason, orders: [] });
    groups.get(k).orders.push(u.order_id);
  }
  const rows = [...groups.values()].map(g => ({ ...g, point: state.points.get(g.pickup_point_id), warehouse: warehouseOfPoint(g.pickup_point_id) }));
  const reasons = [...new Set(rows.map(r => r.reason))].sort();
  const text = filter.text.trim().toLowerCase();
  const shown = rows.filter(r => (!filter.warehouse || r.warehouse === filter.warehouse) && (!filter.reason || r.reason === filter.reason) &&
    (!text || [r.pickup_point_id, r.point?.name, r.point?.address, r.reason, r.point?.leader?.name, ...r.orders].join(' ').toLowerCase().includes(text)));

  const inputs = el('div', { class: 'filters' },
    el('input', { type: 'search', placeholder: '搜索 Search point, order, reason', value: filter.text, 'data-testid': 'unassigned-filter',
      oninput: e => { filter.text = e.target.value; render(unassigned, routes); root.querySelector('input[type=search]').focus(); } }),
    el('select', { 'aria-label': '仓 Warehouse', onchange: e => { filter.warehouse = e.target.value; render(unassigned, routes); } },
      el('option', { value: '' }, '全部仓 All warehouses'), [...state.warehouses.keys()].map(w => el('option', { value: w, selected: w === filter.warehouse }, w))),
    el('select', { 'aria-label': '原因 Reason', onchange: e => { filter.reason = e.target.value; render(unassigned, routes); } },
      el('option', { value: '' }, '全部原因 All reasons'), reasons.map(r => el('option', { value: r, selected: r === filter.reason }, r.length > 50 ? r.slice(0, 50) + '…' : r))));
  const summary = el('p', { class: 'muted' }, `${unassigned.length} 单未分配 orders unassigned at ${new Set(unassigned.map(u => u.pickup_point_id)).size} 个自提点 pickup points` + (shown.length !== rows.length ? ` · showing ${shown.length}` : ''));
  const list = el('table', { class: 'grid', 'data-testid': 'unassigned-table' },
    el('thead', {}, el('tr', {}, el('th', {}, '自提点 Point'), el('th', {}, '仓 WH'), el('th', { class: 'num' }, '单 Orders'), el('th', {}, '原因 Reason'), el('th', {}, ''))),
    el('tbody', {}, shown.map(r => {
      const targets = routes.filter(x => !x.locked && (!r.warehouse || x.warehouse_id === r.warehouse));
      return el('tr', { 'data-unassigned-id': r.pickup_point_id },
        el('td', { title: r.point?.address || '' }, `${r.point?.name || ''} `, el('span', { class: 'muted' }, r.pickup_point_id)),
        el('td', {}, r.warehouse || '–'),
        el('td', { class: 'num' }, el('details', {}, el('summary', {}, String(r.orders.length)), el('div', { class: 'muted', style: 'text-align:left' }, r.orders.join(' ')))),
        el('td', { style: 'white-space:normal' }, r.reason),
        el('td', {}, el('select', { 'aria-label': '加入路线 Add to route', 'data-testid': 'unassigned-add',
          onchange: e => { if (e.target.value) edit.addPoint(r.pickup_point_id, r.orders, e.target.value); } },
          el('option', { value: '' }, '加入 Add to…'), targets.map(t => el('option', { value: t.key }, `${t.route_id || '新趟 new'} ${t.vehicle_id}`)))));
    })));
  root.replaceChildren(inputs, summary, rows.length ? list : el('p', {}, '✓ 全部已分配 Every order is planned.'));
}
