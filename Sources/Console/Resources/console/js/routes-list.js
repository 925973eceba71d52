// The route list of the side panel: per warehouse, a card per route with its stops in order.
// Stops can be dragged (HTML5 drag and drop) within a route or onto another route; buttons do
// the same from the keyboard (↑ ↓, "move to…", swap, leave out).
import { state, el, hhmm, yuan, km, hours, routeColour, stopClass, fmtInt } from './state.js';
import * as edit from './edit.js';
import { vansOf } from './model.js';

let root, handlers;
let swapSource = null;
let dragData = null;

export function init(element, h) {
  root = element;
  handlers = h;   // {select(key), selectStop(key, pointId), dispatch(routeId), toast(msg)}
  root.addEventListener('dragover', onDragOver);
  root.addEventListener('dragleave', e => e.target.closest?.('.drop-target, .drop-before')?.classList.remove('drop-target', 'drop-before'));
  root.addEventListener('drop', onDrop);
}

export function render(routes) {
  const open = new Set([...root.querySelectorAll('details.wh-group[open]')].map(d => d.dataset.warehouseId));
  const first = !root.childElementCount;
  root.replaceChildren();
  if (!state.plan) { root.append(el('p', { class: 'muted' }, '这一天还没有计划 No plan for this day yet. Use 立即规划 Plan now.')); return; }
  const byWh = new Map([...state.warehouses.keys()].map(w => [w, []]));
  for (const r of routes) { if (!byWh.has(r.warehouse_id)) byWh.set(r.warehouse_id, []); byWh.get(r.warehouse_id).push(r); }
  for (const [wh, rs] of byWh) {
    const w = state.warehouses.get(wh);
    const g = el('details', { class: 'wh-group', 'data-warehouse-id': wh, open: first || open.has(wh) || rs.some(r => r.key === state.selectedRouteId) },
      el('summary', {}, `${w?.name || wh} ${wh} · ${rs.filter(r => r.stops.length).length} 趟 trips · ${rs.reduce((a, r) => a + r.stops.length, 0)} 站 stops`));
    for (const r of rs) g.append(card(r, routes));
    root.append(g);
  }
  const sel = root.querySelector('.route.selected');
  if (sel && handlers.scrollToSelected) { sel.scrollIntoView({ block: 'nearest' }); handlers.scrollToSelected = false; }
}

function card(r, routes) {
  const selected = r.key === state.selectedRouteId;
  const c = el('div', {
    class: `route${selected ? ' selected' : ''}${r.edited ? ' edited' : ''}`, style: `--c:${routeColour(r.route_id || r.key)}`,
    'data-route-id': r.key, 'data-testid': 'route-card', 'data-locked': r.locked ? 'true' : null,
  });
  const nViol = r.violations.length + r.stops.reduce((a, s) => a + s.violations.length, 0);
  const head = el('div', { class: 'route-head', tabindex: 0, role: 'button', 'aria-expanded': String(selected),
      onclick: () => handlers.select(selected ? null : r.key), onkeydown: e => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); handlers.select(selected ? null : r.key); } } },
    el('span', { class: 'rid' }, r.route_id || '新趟 New trip'),
    el('span', {}, r.vehicle_id),
    r.locked ? el('span', { class: 'lock', title: '已发车 Dispatched: locked' }, '⚑ 已发车 dispatched') : null,
    r.edited ? el('span', { class: 'muted' }, '✎ 已改 edited') : null,
    nViol ? el('span', { class: 'badge', 'data-testid': 'route-violation-badge' }, `${nViol} ⚠`) : null,
    el('span', { class: 'meta' }, r.stale ? '… 检查中 checking' :
      `${hhmm(r.departure)}–${hhmm(r.return)} · ${r.stops.length} 站 · ${fmtInt(r.load?.crates)} 筐 crates · ${km(r.distance_m)} km · ${yuan(r.cost_cents)}`),
  );
  c.append(head);
  for (const v of r.violations) c.append(el('div', { class: 'viol', 'data-testid': 'route-violation' }, '⚠ ' + v.message));
  if (!selected) { c.addEventListener('dragover', () => {}); return c; }

  const tools = el('div', { class: 'route-tools' });
  if (!r.locked) {
    const vans = vansOf(r.warehouse_id);
    const vanSel = el('select', { 'aria-label': '换车 Move route to van', 'data-testid': 'route-van-select',
      onchange: e => { if (e.target.value) edit.moveRouteToVan(r.key, e.target.value); } },
      el('option', { value: '' }, '换车 Move to van…'),
      vans.filter(v => v.id !== r.vehicle_id).map(v => el('option', { value: v.id }, `${v.id} (${v.type.capacity_crates} 筐, ${v.type.class})`)));
    tools.append(vanSel);
    if (r.route_id && state.planId && handlers.canDispatch()) tools.append(el('button', { class: 'small', 'data-testid': 'dispatch-route', onclick: () => handlers.dispatch(r.route_id) }, '⚑ 发车 Dispatch'));
  }
  tools.append(el('span', { class: 'muted' }, `${hours(r.duration_s)} h`));
  c.append(tools);

  const ol = el('ol', { class: 'stops', 'data-testid': 'route-stops', 'data-route-id': r.key });
  if (!r.stops.length) ol.append(el('li', { class: 'empty-route' }, '把站点拖到这里 Drop stops here'));
  r.stops.forEach((s, i) => ol.append(stopItem(r, s, i, routes)));
  c.append(ol);
  return c;
}

function stopItem(r, s, i, routes) {
  const p = state.points.get(s.pickup_point_id);
  const cls = stopClass(s);
  const selected = state.selectedStop?.routeKey === r.key && state.selectedStop?.pointId === s.pickup_point_id;
  const li = el('li', {
    class: `stop${selected ? ' selected' : ''}${swapSource?.routeKey === r.key && swapSource?.pointId === s.pickup_point_id ? ' swap-source' : ''}`,
    draggable: r.locked ? null : 'true', 'data-stop-id': s.pickup_point_id, 'data-route-id': r.key, 'data-index': i,
    onclick: e => { if (!e.target.closest('button, select')) handlers.selectStop(r.key, s.pickup_point_id); },
    ondragstart: e => { dragData = { from: r.key, point: s.pickup_point_id }; e.dataTransfer.setData('text/plain', s.pickup_point_id); e.dataTransfer.effectAllowed = 'move'; },
    ondragend: () => { dragData = null; },
  },
    el('span', { class: 'seq' }, s.sequence),
    el('span', { class: 'pname', title: p?.address || '' }, `${p?.name || s.pickup_point_id} `, el('span', { class: 'muted' }, s.pickup_point_id)),
    el('span', { class: 'times' },
      el('span', { class: `eta ${cls}${s.changed ? ' changed' : ''}`, 'data-testid': 'stop-eta', title: s.base_arrival ? `原 was ${hhmm(s.base_arrival)}` : null }, s.stale ? '…' : hhmm(s.arrival)),
      ` [${hhmm(s.window?.from)}–${hhmm(s.window?.to)}] ${s.load ? s.load.crates + '筐' : ''} ${s.order_ids.length}单`),
  );
  for (const v of s.violations) li.append(el('span', { class: 'viol', 'data-testid': 'stop-violation' }, '⚠ ' + v.message));
  if (!r.locked) {
    const targets = routes.filter(x => x.key !== r.key && !x.locked);
    const freeVans = vansOf(r.warehouse_id).filter(v => !routes.some(x => x.vehicle_id === v.id && x.stops.length));
    li.append(el('span', { class: 'tools' },
      el('button', { class: 'small', title: '上移 Move up', 'aria-label': 'Move up', 'data-testid': 'stop-up', disabled: i === 0, onclick: () => edit.shiftStop(r.key, s.pickup_point_id, -1) }, '↑'),
      el('button', { class: 'small', title: '下移 Move down', 'aria-label': 'Move down', 'data-testid': 'stop-down', disabled: i === r.stops.length - 1, onclick: () => edit.shiftStop(r.key, s.pickup_point_id, +1) }, '↓'),
      moveSelect(r, s, targets, freeVans),
      el('button', { class: 'small', title: '交换 Swap: pick two stops', 'data-testid': 'stop-swap', onclick: () => swap(r.key, s.pickup_point_id) }, swapSource ? '⇄ 与此交换 swap here' : '⇄'),
      el('button', { class: 'small danger', title: '移出 Leave out (unassigned by hand)', 'data-testid': 'stop-remove', onclick: () => edit.removeStop(r.key, s.pickup_point_id) }, '✕'),
    ));
  }
  return li;
}

export function moveSelect(r, s, targets, freeVans) {
  return el('select', { 'aria-label': '移到 Move to route', 'data-testid': 'stop-move-select',
    onchange: e => {
      const v = e.target.value;
      if (!v) return;
      if (v.startsWith('van:')) { const k = edit.newRoute(v.slice(4)); edit.moveStop(r.key, s.pickup_point_id, k); }
      else edit.moveStop(r.key, s.pickup_point_id, v);
    } },
    el('option', { value: '' }, '移到 Move to…'),
    targets.map(t => el('option', { value: t.key }, `${t.route_id || '新趟 new'} ${t.vehicle_id}${t.warehouse_id !== r.warehouse_id ? ' (' + t.warehouse_id + ')' : ''}`)),
    freeVans.map(v => el('option', { value: 'van:' + v.id }, `新趟 New trip: ${v.id}`)));
}

function swap(key, pointId) {
  if (!swapSource) { swapSource = { routeKey: key, pointId }; handlers.rerender(); handlers.toast('选择第二个站点 Now pick the stop to swap with (⇄)'); return; }
  const a = swapSource; swapSource = null;
  if (a.routeKey === key && a.pointId === pointId) { handlers.rerender(); return; }
  if (!edit.swapStops(a, { routeKey: key, pointId })) handlers.rerender();
}

function onDragOver(e) {
  if (!dragData) return;
  const li = e.target.closest('.stop'), card = e.target.closest('.route');
  if (!card || card.dataset.locked) return;
  e.preventDefault();
  e.dataTransfer.dropEffect = 'move';
  root.querySelectorAll('.drop-target, .drop-before').forEach(x => x.classList.remove('drop-target', 'drop-before'));
  (li || card).classList.add(li ? 'drop-before' : 'drop-target');
}

function onDrop(e) {
  root.querySelectorAll('.drop-target, .drop-before').forEach(x => x.classList.remove('drop-target', 'drop-before'));
  if (!dragData) return;
  const li = e.target.closest('.stop'), card = e.target.closest('.route');
  if (!card || card.dataset.locked) return;
  e.preventDefault();
  const to = card.dataset.routeId;
  let index = null;
  if (li) {
    index = +li.dataset.index;
    const rect = li.getBoundingClientRect();
    if (e.clientY > rect.top + rect.height / 2) index += 1;
  }
  const { from, point } = dragData;
  dragData = null;
  edit.moveStop(from, point, to, index);
}
