// The day's plan versions (current marked), view one, pick two to see the diff.
import { state, el, yuan, km, signedYuan, escapeHtml } from './state.js';
import { get } from './api.js';

let root, onView;
let pickA = null, pickB = null, diffBox = null;

export function init(element, view) { root = element; onView = view; }

export function render() {
  const vs = state.versions;
  if (!vs.length) { root.replaceChildren(el('p', { class: 'muted' }, `${state.date} 还没有计划 No plan versions for ${state.date}.`)); return; }
  const cur = vs.find(v => v.current);
  if (pickA == null || !vs.some(v => v.plan_id === pickA)) pickA = vs.length > 1 ? vs[vs.length - 2].plan_id : null;
  if (pickB == null || !vs.some(v => v.plan_id === pickB)) pickB = cur?.plan_id ?? null;
  const list = el('div', { 'data-testid': 'version-list' }, el('div', { class: 'version muted' }, el('span', {}, 'A'), el('span', {}, 'B'), el('span', {}, '版本 Version'), el('span', {}, '')));
  for (const v of [...vs].reverse()) {
    list.append(el('div', { class: `version${v.plan_id === state.planId ? ' viewing' : ''}`, 'data-plan-id': v.plan_id, 'data-version': v.version, 'data-current': v.current ? 'true' : 'false', 'data-testid': 'version' },
      el('input', { type: 'radio', name: 'diff-a', 'aria-label': `A = v${v.version}`, checked: v.plan_id === pickA, onchange: () => { pickA = v.plan_id; } }),
      el('input', { type: 'radio', name: 'diff-b', 'aria-label': `B = v${v.version}`, checked: v.plan_id === pickB, onchange: () => { pickB = v.plan_id; } }),
      el('span', {}, el('b', {}, `v${v.version}`), ' ', v.current ? el('span', { class: 'current-tag' }, '当前 current') : '',
        ` ${v.trigger} · ${v.orders_planned}/${v.orders} · ${v.vehicles} 车 · ${km(v.distance_m)} km · ${yuan(v.cost_cents)}`),
      v.plan_id === state.planId ? el('span', { class: 'muted' }, '查看中 viewing') : el('button', { class: 'small', 'data-testid': 'view-version', onclick: () => onView(v.plan_id) }, '查看 View'),
      el('span', { class: 'note' }, `${(v.created_at || '').replace('T', ' ').slice(0, 16)} ${v.note || ''}`)));
  }
  diffBox = el('div', { class: 'diff', 'data-testid': 'diff', hidden: true });
  root.replaceChildren(list, el('p', {}, el('button', { 'data-testid': 'diff-button', onclick: showDiff, disabled: vs.length < 2 }, '比较 A → B  Compare')), diffBox);
}

async function showDiff() {
  if (pickA == null || pickB == null || pickA === pickB) { diffBox.hidden = false; diffBox.textContent = '选两个不同的版本 Pick two different versions (A and B).'; return; }
  diffBox.hidden = false; diffBox.textContent = '…';
  try {
    const d = await get(`/v1/plans/${pickB}/diff?base=${pickA}`);
    const va = state.versions.find(v => v.plan_id === pickA)?.version, vb = state.versions.find(v => v.plan_id === pickB)?.version;
    const li = xs => xs?.length ? el('ul', {}, xs.map(x => el('li', {}, typeof x === 'string' ? x : describe(x)))) : el('p', { class: 'muted' }, '—');
    diffBox.replaceChildren(
      el('p', {}, el('b', {}, `v${va} → v${vb}: `), `成本 cost ${signedYuan(d.cost_delta_cents ?? 0)}, ${(d.distance_delta_m ?? 0) >= 0 ? '+' : ''}${km(d.distance_delta_m ?? 0)} km, 车 vans ${sign(d.vehicles_delta)}, 趟 trips ${sign(d.trips_delta)}`),
      el('h4', {}, '新增路线 Routes added'), li(d.routes_added),
      el('h4', {}, '删除路线 Routes removed'), li(d.routes_removed),
      el('h4', {}, '改动路线 Routes changed'), li(d.routes_changed),
      el('h4', {}, '站点移动 Stops moved'), li((d.stops_moved || []).map(m => `${state.points.get(m.pickup_point_id)?.name || ''} ${m.pickup_point_id}: ${m.from_route_id ?? '—'} → ${m.to_route_id ?? '—'}`)),
      el('h4', {}, '变为未分配 Now unassigned'), li(d.points_now_unassigned),
      el('h4', {}, '变为已分配 Now assigned'), li(d.points_now_assigned));
  } catch (e) {
    diffBox.textContent = '比较失败 Diff failed: ' + e.message;
  }
}
const sign = n => n == null ? '–' : (n > 0 ? '+' : '') + n;
const describe = x => x.route_id ? `${x.route_id}${x.vehicle_id ? ' ' + x.vehicle_id : ''}${x.change ? ': ' + x.change : ''}` : JSON.stringify(x);
