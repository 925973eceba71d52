// Per warehouse, a Gantt chart of the vans' trips over the shift (SVG): one row per van, a bar
// per trip from departure to return, a tick per stop (red late, amber within 10 minutes of the
// window's end) and the stop's receiving window as a grey line under the bar.
import { state, el, hhmm, minutesOfDay, routeColour, stopClass, escapeHtml } from './state.js';
import { vansOf } from './model.js';

const NS = 'http://www.w3.org/2000/svg';
let root, select, onSelect;
let warehouse = null;

export function init(element, selectEl, pick) {
  root = element; select = selectEl; onSelect = pick;
  select.addEventListener('change', () => { warehouse = select.value; render(last); });
}

function svg(tag, attrs = {}, text) {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v != null) e.setAttribute(k, v);
  if (text != null) e.textContent = text;
  return e;
}

let last = [];
export function setWarehouse(wh) { if (wh && wh !== warehouse) { warehouse = wh; select.value = wh; } }

export function render(routes) {
  last = routes;
  const whs = [...state.warehouses.values()];
  if (select.options.length !== whs.length) {
    select.replaceChildren(...whs.map(w => el('option', { value: w.id }, `${w.id} ${w.name}`)));
  }
  if (!warehouse || !state.warehouses.has(warehouse)) warehouse = whs[0]?.id;
  select.value = warehouse || '';
  const vans = vansOf(warehouse);
  const rs = routes.filter(r => r.warehouse_id === warehouse && r.stops.length);
  // Time axis: from the earliest shift start or departure to the latest return or window end.
  let t0 = Infinity, t1 = -Infinity;
  for (const v of vans) { const s = minutesOfDay(v.type.shift_start); t0 = Math.min(t0, s); t1 = Math.max(t1, s + Math.min(v.type.shift_length_minutes, 10 * 60)); }
  for (const r of rs) {
    if (r.departure) t0 = Math.min(t0, minutesOfDay(r.departure));
    if (r.return) t1 = Math.max(t1, minutesOfDay(r.return));
    for (const s of r.stops) if (s.window) t1 = Math.max(t1, minutesOfDay(s.window.to));
  }
  if (!isFinite(t0)) { t0 = 300; t1 = 720; }
  t0 = Math.floor(t0 / 60) * 60; t1 = Math.ceil(t1 / 60) * 60;
  const labelW = 92, rowH = 22, top = 16;
  const width = Math.max(root.clientWidth - 16, 520);
  const x = m => labelW + (m - t0) / (t1 - t0) * (width - labelW - 8);
  const height = top + rowH * Math.max(vans.length, 1) + 4;
  const s = svg('svg', { width, height, role: 'img', 'aria-label': `时间线 Timeline ${warehouse}` });
  for (let m = t0; m <= t1; m += 60) {
    s.append(svg('line', { class: 'gridline', x1: x(m), x2: x(m), y1: top - 4, y2: height }));
    if (x(m) + 32 < width) s.append(svg('text', { class: 'axis', x: x(m) + 2, y: 11 }, `${String(m / 60 % 24).padStart(2, '0')}:00`));
  }
  vans.forEach((v, i) => {
    const y = top + i * rowH;
    const ss = minutesOfDay(v.type.shift_start);
    s.append(svg('rect', { class: 'shift', x: x(ss), y: y + 2, width: Math.max(0, x(Math.min(ss + v.type.shift_length_minutes, t1)) - x(ss)), height: rowH - 4 }));
    s.append(svg('text', { class: 'row-label', x: 2, y: y + 15 }, v.id));
    for (const r of rs.filter(r => r.vehicle_id === v.id)) {
      if (!r.departure || !r.return) continue;
      const colour = routeColour(r.route_id || r.key);
      const g = svg('g', { class: `trip${r.key === state.selectedRouteId ? ' selected' : ''}`, 'data-route-id': r.key, tabindex: 0 });
      g.addEventListener('click', () => onSelect(r.key));
      g.addEventListener('keydown', e => { if (e.key === 'Enter') onSelect(r.key); });
      const title = svg('title', {}, `${r.route_id || r.key} ${r.vehicle_id} trip ${r.trip}: ${hhmm(r.departure)}–${hhmm(r.return)}, ${r.stops.length} stops${r.locked ? ' (dispatched)' : ''}`);
      g.append(title);
      const a = minutesOfDay(r.departure), b = minutesOfDay(r.return);
      g.append(svg('rect', { class: 'body', x: x(a), y: y + 3, width: Math.max(2, x(b) - x(a)), height: rowH - 9, rx: 3, fill: colour, stroke: colour }));
      for (const st of r.stops) {
        if (!st.arrival) continue;
        if (st.window) g.append(svg('line', { class: 'window', x1: x(minutesOfDay(st.window.from)), x2: x(minutesOfDay(st.window.to)), y1: y + rowH - 4, y2: y + rowH - 4 }));
        const cls = stopClass(st);
        const tx = x(minutesOfDay(st.arrival));
        const tick = svg('line', { class: `tick ${cls}`, x1: tx, x2: tx, y1: y + 3, y2: y + rowH - 6, 'data-stop-id': st.pickup_point_id });
        tick.append(svg('title', {}, `${escapeHtml(state.points.get(st.pickup_point_id)?.name || st.pickup_point_id)} ${hhmm(st.arrival)} [${hhmm(st.window?.from)}–${hhmm(st.window?.to)}]${cls === 'late' ? ' 迟到 late' : cls === 'tight' ? ' 紧 tight' : ''}`));
        g.append(tick);
      }
      if (r.locked) g.append(svg('text', { class: 'row-label', x: x(a) + 2, y: y + 13 }, '⚑'));
      s.append(g);
    }
  });
  const legend = el('p', { class: 'legend' }, '条 bar = 趟 trip, 刻度 tick = 到达 arrival',
    el('i', { style: 'background:#9aa3ad' }), '收货时间窗 receiving window',
    el('i', { style: 'background:#e08a00' }), '紧 ≤10 min',
    el('i', { style: 'background:#c62828' }), '迟到 late');
  root.replaceChildren(s, legend);
}
