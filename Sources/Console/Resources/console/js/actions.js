// Late changes as buttons: plan now, van out of service / back in service, cancel a group,
// re-optimise the rest. Every one is a write (token).
import { state, el, escapeHtml } from './state.js';
import { get, post } from './api.js';
import { vansOf } from './model.js';

let root, h;
let groups = null;   // pickup point id → Set of group ids of the day (from GET /v1/orders pages)

export function init(element, handlers) { root = element; h = handlers; }
export function reset() { groups = null; }

export function render() {
  const date = state.date;
  const vanSel = el('select', { 'data-testid': 'van-select', 'aria-label': '车辆 Van' },
    [...state.warehouses.keys()].map(w => el('optgroup', { label: w }, vansOf(w).map(v => el('option', { value: v.id }, `${v.id} ${v.type.name}`)))));
  const vanReason = el('input', { placeholder: '原因 Reason (e.g. 故障 breakdown)', 'data-testid': 'van-reason' });
  const pointSel = el('select', { 'data-testid': 'group-point', 'aria-label': '自提点 Pickup point', onchange: () => fillGroups() },
    el('option', { value: '' }, '自提点 Pickup point…'), [...state.points.values()].map(p => el('option', { value: p.id }, `${p.id} ${p.name}`)));
  const groupInput = el('input', { list: 'group-options', placeholder: '团 Group id', 'data-testid': 'group-id' });
  const groupList = el('datalist', { id: 'group-options' });
  const groupReason = el('input', { placeholder: '原因 Reason', 'data-testid': 'group-reason' });
  async function fillGroups() {
    const pid = pointSel.value;
    if (!pid) return;
    if (!groups) {
      groupList.replaceChildren(); groups = new Map();
      let next = `/v1/orders?delivery_date=${date}&status=active&limit=1000`;
      try {
        while (next) {
          const page = await get(next);
          for (const o of page.orders || []) {
            const ord = o.order || o;
            if (!groups.has(ord.pickup_point_id)) groups.set(ord.pickup_point_id, new Map());
            const m = groups.get(ord.pickup_point_id);
            m.set(ord.group_id, (m.get(ord.group_id) || 0) + 1);
          }
          next = page.next;
        }
      } catch (e) { h.toast('订单读取失败 Could not read the orders: ' + e.message, true); groups = null; return; }
    }
    const m = groups.get(pid) || new Map();
    groupList.replaceChildren(...[...m].map(([g, n]) => el('option', { value: g }, `${n} 单 orders`)));
    if (m.size) groupInput.value = [...m.keys()][0];
  }
  const busy = fn => async e => { const b = e.target; b.disabled = true; try { await fn(); } finally { b.disabled = false; } };
  root.replaceChildren(
    el('div', { class: 'actions' },
      el('section', {}, el('h3', {}, '规划 Planning'),
        el('div', { class: 'row' },
          el('button', { 'data-testid': 'plan-now-2', onclick: busy(() => h.planNow()) }, '立即规划 Plan now'),
          el('button', { 'data-testid': 'reoptimise', title: '保留已改和已发车的路线，重排其余 Keep edited and dispatched routes, re-plan the rest', onclick: busy(() => h.reoptimise()) }, '重新优化其余 Re-optimise the rest'))),
      el('section', {}, el('h3', {}, '车辆停用 Van out of service'),
        el('div', { class: 'row' }, vanSel, vanReason),
        el('div', { class: 'row' },
          el('button', { 'data-testid': 'van-out', onclick: busy(() => h.write(`/v1/vehicles/${encodeURIComponent(vanSel.value)}/out-of-service`, { delivery_date: date, reason: vanReason.value || undefined }, `${vanSel.value} 停用 out of service`)) }, '停用 Out of service'),
          el('button', { 'data-testid': 'van-in', onclick: busy(() => h.write(`/v1/vehicles/${encodeURIComponent(vanSel.value)}/in-service`, { delivery_date: date }, `${vanSel.value} 恢复 back in service`)) }, '恢复 Back in service'))),
      el('section', {}, el('h3', {}, '取消团 Cancel a group'),
        el('div', { class: 'row' }, pointSel), el('div', { class: 'row' }, groupInput, groupList, groupReason),
        el('div', { class: 'row' }, el('button', { class: 'danger', 'data-testid': 'cancel-group', onclick: busy(async () => {
          const g = groupInput.value.trim();
          if (!g) return h.toast('请填团号 Enter a group id', true);
          if (!confirm(`取消团 Cancel group ${g} for ${date}? Its orders leave the plan and the day is re-planned.`)) return;
          await h.write(`/v1/groups/${encodeURIComponent(g)}/cancel`, { delivery_date: date, reason: groupReason.value || undefined }, `团 ${g} 已取消 cancelled`);
          groups = null;
        }) }, '取消团 Cancel group'))),
    ));
}
