// The violations panel: every problem the server's check found, in words; click one to go to its route.
import { el } from './state.js';
import * as edit from './edit.js';

const kinds = { capacity: '超载 capacity', late: '迟到 late', shift: '班次 shift', dock: '月台 dock', trips: '趟数 trips',
  vehicle: '车辆 vehicle', vehicle_class: '车型 vehicle class', sorting: '分拣 sorting', dispatched: '已发车 dispatched',
  duplicate: '重复 duplicate', unknown: '未知 unknown' };

export function render(root, countEl, select) {
  const ev = edit.evaluation;
  const vs = edit.isDirty() ? edit.violations() : [];
  countEl.textContent = vs.length ? String(vs.length) : '';
  if (!edit.isDirty()) { root.replaceChildren(el('p', { class: 'muted' }, '没有修改 No edits. Changes you make are checked at once; problems show here.')); return; }
  const head = ev.error ? el('p', { class: 'bad', 'data-testid': 'evaluate-error' }, '检查失败 Check failed: ' + ev.error.message)
    : ev.pending && !ev.result ? el('p', { class: 'muted' }, '检查中 Checking…')
    : el('p', { class: vs.length ? 'bad' : 'good' }, vs.length ? `${vs.length} 个问题 problems` : '✓ 可行 Feasible: no violations');
  root.replaceChildren(head, el('ul', { class: 'violations-list', 'data-testid': 'violations-list' }, vs.map(v => el('li', {
    'data-kind': v.kind, 'data-route-id': v.key || v.route_id || null, 'data-testid': 'violation', onclick: () => v.key && select(v.key),
  }, el('span', { class: 'kind' }, kinds[v.kind] || v.kind), v.message))));
}
