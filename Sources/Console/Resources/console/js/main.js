// The dispatch console: loads the day, wires the panels, handles saving and live updates.
import { get, post, setToken, token, onTokenNeeded, ApiError, problemText } from './api.js';
import { state, on, emit, indexScenario, el, signedYuan, isCurrent, currentVersion, yuan, km } from './state.js';
import * as edit from './edit.js';
import * as model from './model.js';
import * as mapView from './map.js';
import * as routesList from './routes-list.js';
import * as routesTable from './routes-table.js';
import * as timeline from './timeline.js';
import * as unassignedView from './unassigned.js';
import * as versions from './versions.js';
import * as printMenu from './print.js';
import * as figures from './figures.js';
import * as violationsView from './violations.js';
import * as actions from './actions.js';
import * as live from './live.js';

const $ = id => document.getElementById(id);
const AUTHOR_KEY = 'lastmile.author';
let lastSignatures = [];   // edited routes of the last save, to keep them when re-optimising

window.lastmileConsole = { renderTimes: [] };

// Toasts ----------------------------------------------------------------------------------
export function toast(message, error = false, action = null, ms = 6000) {
  const t = el('div', { class: `toast${error ? ' error' : ''}`, role: error ? 'alert' : 'status', 'data-testid': 'toast' }, el('span', {}, message));
  if (action) t.append(el('button', { 'data-testid': 'toast-action', onclick: () => { t.remove(); action.run(); } }, action.label));
  t.append(el('button', { class: 'ghost', 'aria-label': 'close', onclick: () => t.remove() }, '×'));
  $('toasts').append(t);
  if (ms) setTimeout(() => t.remove(), action ? ms * 2 : ms);
}

// Token dialog ----------------------------------------------------------------------------
let tokenWaiters = [];
function askToken(why, problem) {
  const d = $('token-dialog');
  $('token-reason').textContent = why === 'forbidden' ? '这个令牌只能读 This token may only read; enter the dispatcher\'s (write) token.'
    : why === 'invalid' ? '令牌无效 The token was refused' + (problem?.detail ? ` (${problem.detail})` : '') + '. Enter it again.'
    : why === 'read' ? '查看需要令牌 Reading needs a token on this installation.'
    : '修改需要令牌 Changes need the dispatcher\'s token (LASTMILE_TOKEN). It is kept in this tab only.';
  $('token-input').value = '';
  if (!d.open) d.showModal();
  return new Promise(resolve => tokenWaiters.push(resolve));
}
$('token-dialog').addEventListener('close', () => {
  const d = $('token-dialog');
  const t = d.returnValue === 'ok' ? $('token-input').value.trim() : '';
  if (t) setToken(t);
  const ws = tokenWaiters; tokenWaiters = [];
  ws.forEach(w => w(t || null));
  d.returnValue = '';
});
onTokenNeeded(askToken);
$('token-button').addEventListener('click', () => askToken(token() ? 'change' : 'write'));

// Tabs ------------------------------------------------------------------------------------
for (const nav of document.querySelectorAll('.tabs')) {
  nav.addEventListener('click', e => {
    const b = e.target.closest('[role=tab]');
    if (!b) return;
    showTab(nav, b.dataset.tab);
  });
}
function showTab(nav, name) {
  const box = nav.parentElement;
  for (const b of nav.querySelectorAll('[role=tab]')) b.setAttribute('aria-selected', String(b.dataset.tab === name));
  for (const p of box.querySelectorAll(':scope > .tab-panel')) p.hidden = p.dataset.panel !== name;
  if (name === 'actions') actions.render();
  if (name === 'table' || name === 'timeline') renderAll();
}
const sideTab = name => showTab(document.querySelector('#side > .tabs'), name);
$('drawer-toggle').addEventListener('click', () => {
  const d = $('drawer'); d.classList.toggle('collapsed');
  $('drawer-toggle').textContent = d.classList.contains('collapsed') ? '▴' : '▾';
  mapView.invalidate();
});

// Rendering -------------------------------------------------------------------------------
let renderQueued = false;
let mapDirty = true;      // the plan, the edits or the evaluation changed: redraw the map (else only highlight)
let pendingPopup = null;
function renderAll() {
  if (renderQueued) return;
  renderQueued = true;
  requestAnimationFrame(() => { renderQueued = false; renderNow(); });
}
function renderNow() {
  const t = [performance.now()];
  const lap = () => t.push(performance.now());
  const routes = model.displayRoutes();
  const un = model.unassigned();
  lap();
  routesList.render(routes);
  lap();
  if (!$('timeline').hidden) timeline.render(routes);
  if (!$('routes-table').hidden) routesTable.render(routes);
  lap();
  unassignedView.render(un, routes);
  $('unassigned-count').textContent = un.length ? String(un.length) : '';
  violationsView.render($('violations'), $('violation-count'), selectRoute);
  lap();
  if (mapDirty) { mapView.draw(routes, state.geojson, un); mapDirty = false; } else mapView.highlight(state.selectedRouteId);
  if (pendingPopup) { mapView.openPopup(...pendingPopup); pendingPopup = null; }
  lap();
  renderEditBar();
  lap();
  (window.lastmileConsole.renderTimes ||= []).push(t.slice(1).map((x, i) => Math.round(x - t[i])));   // model, list, timeline+table, unassigned+issues, map, bar (ms)
}

function renderEditBar() {
  const dirty = edit.isDirty();
  $('editbar').hidden = !dirty && !edit.canUndo();
  $('undo').disabled = !edit.canUndo();
  $('redo').disabled = !edit.canRedo();
  $('discard').disabled = !dirty;
  $('save').disabled = !dirty || !isCurrent();
  $('save').title = isCurrent() ? '' : '只能修改当前版本 Only the current version can be edited';
  const ev = edit.evaluation;
  const out = $('cost-delta');
  const n = edit.editedKeys().size;
  $('edit-count').textContent = dirty ? `未保存 Unsaved: ${n} 条路线已改 route${n === 1 ? '' : 's'} edited` : '';
  if (!dirty) { out.textContent = '±¥0.00'; out.className = ''; out.dataset.cents = '0'; $('edit-summary').textContent = ''; $('eval-state').textContent = ''; return; }
  if (ev.result) {
    const c = ev.result.delta?.cost_cents ?? (ev.result.totals.cost_cents - ev.result.base.cost_cents);
    out.textContent = signedYuan(c);
    out.dataset.cents = String(c);
    out.className = c > 0 ? 'delta-bad' : c < 0 ? 'delta-good' : '';
    const d = ev.result.delta || {};
    const nv = (ev.result.violations || []).length;
    $('edit-summary').replaceChildren(
      `${(d.distance_m ?? 0) >= 0 ? '+' : ''}${km(d.distance_m ?? 0)} km · 车 vans ${sgn(d.vehicles)} · 趟 trips ${sgn(d.trips)} · 准时 on time ${sgn(d.on_time_stops)} · `,
      el('span', { class: nv ? 'bad' : 'good', 'data-testid': 'feasible' }, nv ? `⚠ ${nv} 个问题 problems` : '✓ 可行 feasible'));
  }
  $('eval-state').textContent = ev.pending ? '检查中 checking…' : ev.error ? '检查失败 check failed: ' + ev.error.message : ev.ms ? `${Math.round(ev.ms)} ms` : '';
}
const sgn = n => n == null ? '0' : (n > 0 ? '+' : '') + n;

function selectRoute(key) {
  state.selectedRouteId = key;
  state.selectedStop = null;
  mapView.highlight(key);
  if (key) {
    const r = model.displayRoutes().find(x => x.key === key);
    if (r) timeline.setWarehouse(r.warehouse_id);
    sideTab('routes');
    routesListHandlers.scrollToSelected = true;
  }
  renderAll();
}

function selectStop(key, pointId) {
  state.selectedRouteId = key;
  state.selectedStop = { routeKey: key, pointId };
  mapView.highlight(key);
  pendingPopup = [key, pointId];
  sideTab('routes');
  routesListHandlers.scrollToSelected = true;
  renderAll();
}

/** The popup of a stop on the map. */
function popup(key, pointId) {
  const routes = model.displayRoutes();
  const r = routes.find(x => x.key === key);
  const s = r?.stops.find(x => x.pickup_point_id === pointId);
  const p = state.points.get(pointId);
  if (!r || !s || !p) return '';
  const hh = t => t ? t.slice(11, 16) || t : '–';
  const load = s.load;
  const box = el('div', { 'data-testid': 'stop-popup', 'data-stop-id': pointId },
    el('h3', {}, `${p.name} `, el('span', { class: 'muted' }, pointId)),
    el('table', {},
      el('tr', {}, el('td', {}, '到达 ETA'), el('td', { 'data-testid': 'popup-eta' }, s.stale ? '…' : hh(s.arrival), s.changed ? ` (原 was ${hh(s.base_arrival)})` : '')),
      el('tr', {}, el('td', {}, '时间窗 Window'), el('td', {}, `${s.window?.from?.length > 5 ? hh(s.window.from) : s.window?.from}–${s.window?.to?.length > 5 ? hh(s.window.to) : s.window?.to}`)),
      el('tr', {}, el('td', {}, '筐 Crates'), el('td', {}, load ? `${load.crates} (常温 ambient ${load.ambient} · 冷藏 chilled ${load.chilled} · 冷冻 frozen ${load.frozen}) · ${load.kg} kg` : '–')),
      el('tr', {}, el('td', {}, '订单 Orders'), el('td', {}, String(s.order_ids.length))),
      el('tr', {}, el('td', {}, '团长 Leader'), el('td', {}, `${p.leader?.name || ''} `, p.leader?.phone ? el('a', { href: `tel:${p.leader.phone}` }, p.leader.phone) : '')),
      el('tr', {}, el('td', {}, '地址 Address'), el('td', {}, p.address || '')),
      el('tr', {}, el('td', {}, '路线 Route'), el('td', {}, `${r.route_id || '新趟 new'} · ${r.vehicle_id} · #${s.sequence}`))),
    s.violations.map(v => el('p', { class: 'bad' }, '⚠ ' + v.message)));
  if (!r.locked) {
    const freeVans = model.vansOf(r.warehouse_id).filter(v => !routes.some(x => x.vehicle_id === v.id && x.stops.length));
    const sel = routesList.moveSelect(r, s, routes.filter(x => x.key !== r.key && !x.locked), freeVans);
    sel.addEventListener('change', () => mapView.closePopup());
    box.append(el('p', {}, '移到路线 Move to route: ', sel));
  } else box.append(el('p', { class: 'muted' }, '⚑ 已发车 Dispatched: locked'));
  return box;
}

const routesListHandlers = {
  select: selectRoute, selectStop, rerender: renderAll, toast: m => toast(m),
  dispatch: routeId => dispatchRoute(routeId), canDispatch: () => isCurrent() && !edit.isDirty(),
};

// Loading ---------------------------------------------------------------------------------
function tomorrowOf(today) {
  const d = new Date(today + 'T12:00:00Z'); d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}
function addDays(day, n) { const d = new Date(day + 'T12:00:00Z'); d.setUTCDate(d.getUTCDate() + n); return d.toISOString().slice(0, 10); }

function readHash() {
  const h = new URLSearchParams(location.hash.slice(1));
  return { date: h.get('date'), plan: h.get('plan') ? Number(h.get('plan')) : null };
}
function writeHash() {
  const h = new URLSearchParams();
  if (state.date) h.set('date', state.date);
  if (state.planId && !isCurrent()) h.set('plan', state.planId);
  history.replaceState(null, '', '#' + h.toString());
}

/** Default day: tomorrow if it has a plan, else the latest of the last week that has one, else tomorrow. */
async function defaultDate(today) {
  const tomorrow = tomorrowOf(today);
  const first = await get(`/v1/plans?date=${tomorrow}`).catch(() => ({ plans: [] }));
  if (first.plans?.length) return { date: tomorrow, list: first };
  const days = Array.from({ length: 8 }, (_, i) => addDays(tomorrow, -1 - i));
  const lists = await Promise.all(days.map(d => get(`/v1/plans?date=${d}`).catch(() => ({ plans: [] }))));
  const i = lists.findIndex(l => l.plans?.length);
  return i < 0 ? { date: tomorrow, list: first } : { date: days[i], list: lists[i] };
}

async function loadVersions() {
  const list = await get(`/v1/plans?date=${state.date}`);
  state.versions = list.plans || [];
  versions.render();
}

async function showDate(date, planId = null, list = null) {
  if (edit.isDirty() && !confirm('放弃未保存的修改？ Discard your unsaved edits?')) { $('date-picker').value = state.date; return; }
  state.date = date;
  $('date-picker').value = date;
  if (list) { state.versions = list.plans || []; versions.render(); } else await loadVersions();
  const cur = currentVersion();
  await showPlan(planId && state.versions.some(v => v.plan_id === planId) ? planId : cur?.plan_id ?? null);
}

/** The plan boot.js started to fetch, once, if it is this one. */
async function takeBootPlan(planId) {
  const p = window.__boot?.plan;
  if (!p) return null;
  window.__boot.plan = null;
  const b = await p.catch(() => null);
  return b && b.id === planId ? b : null;
}

async function showPlan(planId) {
  state.planId = planId;
  state.selectedStop = null;
  actions.reset();
  if (planId == null) {
    state.plan = null; state.geojson = null; state.routeMeta = new Map();
    model.indexPlan(null); edit.reset(null);
    $('plan-label').textContent = '';
    figures.render($('figures'));
    $('print-list').replaceChildren(el('p', { class: 'muted' }, '没有计划 No plan.'));
    versions.render(); mapDirty = true; renderNow(); writeHash();
    return;
  }
  const pre = await takeBootPlan(planId);
  const [plan, geojson, routes] = await Promise.all([
    pre ? pre.plan.catch(() => get(`/v1/plans/${planId}`)) : get(`/v1/plans/${planId}`),
    (pre ? pre.geojson.catch(() => get(`/v1/plans/${planId}/routes.geojson`)) : get(`/v1/plans/${planId}/routes.geojson`)).catch(() => null),
    (pre ? pre.routes.catch(() => get(`/v1/plans/${planId}/routes`)) : get(`/v1/plans/${planId}/routes`)).catch(() => []),
  ]);
  if (state.planId !== planId) return;
  performance.mark('plan-fetched');
  state.plan = plan; state.geojson = geojson;
  state.routeMeta = new Map((Array.isArray(routes) ? routes : routes.routes || []).map(r => [r.route_id, r]));
  if (state.selectedRouteId && !plan.routes.some(r => r.route_id === state.selectedRouteId)) state.selectedRouteId = null;
  model.indexPlan(plan);
  edit.reset(plan);
  const v = state.versions.find(x => x.plan_id === planId);
  $('plan-label').textContent = v ? `v${v.version}${v.current ? ' 当前 current' : ' 旧版本 old version'} · ${v.trigger}` : `plan ${planId}`;
  figures.render($('figures'));
  versions.render();
  mapDirty = true;
  renderNow();
  writeHash();
  printMenu.load(planId);
}

// Writes ----------------------------------------------------------------------------------
async function write(path, body, done) {
  try {
    const res = await post(path, body);
    toast(`✓ ${done}` + (res?.replan_job ? ' · 重新规划中 re-planning…' : ''));
    if (res?.replan_job) watchJob(res.replan_job.job_id ?? res.replan_job);
    return res;
  } catch (e) { toast(`✗ ${done}: ${e.message}`, true); }
}

async function dispatchRoute(routeId) {
  if (!confirm(`发车 Dispatch ${routeId}? It is then locked: later versions keep it exactly.`)) return;
  try {
    const r = await post(`/v1/plans/${state.planId}/routes/${encodeURIComponent(routeId)}/dispatch`, {});
    state.routeMeta.set(routeId, { ...state.routeMeta.get(routeId), ...r });
    toast(`⚑ ${routeId} 已发车 dispatched`);
    renderAll();
  } catch (e) { toast(`✗ dispatch ${routeId}: ${e.message}`, true); }
}

async function planNow() {
  try {
    const job = await post('/v1/plans', { delivery_date: state.date });
    toast(`规划中 Planning ${state.date}… (job ${job.job_id})`);
    watchJob(job.job_id);
  } catch (e) { toast('✗ Plan now: ' + e.message, true); }
}

/** Poll a plan job until it ends (the live stream also says so; this covers a missing stream). */
async function watchJob(jobId) {
  if (jobId == null) return;
  for (let i = 0; i < 600; i++) {
    await new Promise(r => setTimeout(r, 1000));
    let j;
    try { j = await get(`/v1/plan-jobs/${jobId}`); } catch { continue; }
    if (j.state === 'done') { await published(j.plan_id, j.delivery_date); return j; }
    if (j.state === 'failed') { toast(`✗ 规划失败 Planning failed: ${j.reason || ''}`, true); return j; }
  }
}

const announced = new Set();
/** A new version was published: refresh the list, offer to view it; never replace unsaved edits. */
async function published(planId, date) {
  if (date !== state.date || announced.has(planId)) return;
  announced.add(planId);
  await loadVersions();
  if (state.planId) renderEditBar();
  const v = state.versions.find(x => x.plan_id === planId);
  if (!v || planId === state.planId) return;
  $('plan-label').textContent = $('plan-label').textContent.replace(' 当前 current', ' 旧版本 old version');
  toast(`新版本 New version ${v.version} published (${v.trigger})` + (edit.isDirty() ? ' · 你有未保存的修改 you have unsaved edits' : ''), false,
    { label: '查看 View', run: () => { if (!edit.isDirty() || confirm('放弃未保存的修改？ Discard your unsaved edits?')) { edit.discard(); showPlan(planId); } } }, 15000);
}

// Save ------------------------------------------------------------------------------------
function askAuthor(violationsText) {
  const d = $('author-dialog');
  $('author-input').value = sessionStorage.getItem(AUTHOR_KEY) || '';
  $('note-input').value = '';
  const p = $('author-violations');
  p.hidden = !violationsText;
  p.textContent = violationsText ? `⚠ 有问题，仍要保存？ Save with these problems? ${violationsText}` : '';
  $('author-ok').textContent = violationsText ? '仍然保存 Save anyway' : '保存 Save';
  d.showModal();
  return new Promise(resolve => d.addEventListener('close', () => {
    if (d.returnValue !== 'ok') return resolve(null);
    const author = $('author-input').value.trim();
    sessionStorage.setItem(AUTHOR_KEY, author);
    resolve({ author, note: $('note-input').value.trim() });
    d.returnValue = '';
  }, { once: true }));
}

async function saveEdits() {
  if (!edit.isDirty()) return null;
  if (!token() && !(await askToken('write'))) return null;
  const vs = edit.violations();
  const pending = edit.evaluation.pending || (!edit.evaluation.result && !edit.evaluation.error);
  const text = vs.length ? vs.map(v => v.message).join('; ') : edit.evaluation.result?.feasible === false ? 'not feasible' : '';
  const who = await askAuthor(text);
  if (!who) return null;
  let accept = !!text || pending;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      lastSignatures = edit.editedSignatures();
      const res = await edit.save({ author: who.author, note: who.note, acceptViolations: accept });
      toast(`✓ 已保存 Saved as version ${res.version}`);
      announced.add(res.plan_id);
      edit.discard();
      await loadVersions();
      await showPlan(res.plan_id);
      return res;
    } catch (e) {
      if (e instanceof ApiError && e.status === 409 && !accept && /accept_violations|breaks/i.test(e.problem.detail || '')) {
        if (!confirm(`有问题 The check found problems:\n${problemText(e.problem)}\n\n仍然保存？ Save anyway?`)) return null;
        accept = true; continue;
      }
      if (e instanceof ApiError && e.status === 409) {
        toast('✗ 保存失败 Not saved: ' + e.message, true, { label: '看当前版本 View current', run: async () => { await loadVersions(); edit.discard(); showPlan(currentVersion()?.plan_id); } }, 20000);
      } else toast('✗ 保存失败 Not saved: ' + e.message, true, null, 15000);
      return null;
    }
  }
  return null;
}

async function reoptimise() {
  if (!isCurrent()) { toast('只能在当前版本上 Only on the current version', true); return; }
  if (edit.isDirty()) {
    if (!confirm('先保存修改，再重新优化其余路线？ Save your edits first, then re-optimise the other routes?')) return;
    if (!(await saveEdits())) return;
  }
  const sig = r => r.vehicle_id + '|' + r.stops.map(s => s.pickup_point_id).join(',');
  const keep = (state.plan?.routes || []).filter(r => lastSignatures.includes(sig(r))).map(r => r.route_id);
  try {
    const job = await post(`/v1/plans/${state.planId}/reoptimise`, { keep });
    toast(`重新优化中 Re-optimising, keeping ${keep.length} edited + every dispatched route… (job ${job.job_id})`);
    watchJob(job.job_id);
  } catch (e) { toast('✗ 重新优化 Re-optimise: ' + e.message, true); }
}

// Wiring ----------------------------------------------------------------------------------
on('edits', () => { mapDirty = true; renderAll(); });
on('evaluation', () => { mapDirty = true; renderAll(); });
$('undo').addEventListener('click', () => edit.undo());
$('redo').addEventListener('click', () => edit.redo());
$('discard').addEventListener('click', () => { if (confirm('放弃全部修改？ Discard every edit?')) edit.discard(); });
$('save').addEventListener('click', () => saveEdits());
$('plan-now').addEventListener('click', () => planNow());
$('date-picker').addEventListener('change', e => { if (e.target.value) showDate(e.target.value).catch(fail); });
document.addEventListener('keydown', e => {
  if (e.target.closest('input, select, textarea, dialog')) return;
  if ((e.ctrlKey || e.metaKey) && e.key === 'z') { e.preventDefault(); e.shiftKey ? edit.redo() : edit.undo(); }
  else if ((e.ctrlKey || e.metaKey) && e.key === 'y') { e.preventDefault(); edit.redo(); }
  else if (e.key === 'Escape') selectRoute(null);
});
window.addEventListener('beforeunload', e => { if (edit.isDirty()) { e.preventDefault(); e.returnValue = ''; } });
window.addEventListener('resize', () => { mapView.invalidate(); renderAll(); });

function banner(text, error = false) {
  const b = $('banner'); b.hidden = false; b.textContent = text; b.classList.toggle('error', error);
}
function fail(e) { console.warn(e); toast(e.message || String(e), true, null, 0); }

async function start() {
  performance.mark('start');
  const boot = window.__boot || {};
  const pre = (p, fallback) => p ? p.catch(() => fallback()) : fallback();
  let config;
  try { config = await pre(boot.config, () => get('/v1/console/config')); }
  catch (e) { config = { read_access: 'open', attribution: '© OpenStreetMap contributors', time_zone: 'Asia/Shanghai' }; console.info('console config unavailable:', e.message); }
  state.config = config;
  if (config.read_access === 'token' && !token()) await askToken('read');
  const scenarioP = pre(boot.scenario, () => get('/v1/scenario'));
  const h = readHash();
  const today = config.today || new Date().toLocaleDateString('sv-SE', { timeZone: config.time_zone || 'Asia/Shanghai' });
  let bootDay = await (boot.day || Promise.reject()).catch(() => null);
  if (bootDay?.guessedFrom && bootDay.guessedFrom !== today) bootDay = null;   // boot.js guessed the zone wrong
  const dayP = bootDay && (h.date || bootDay.list.plans?.length) ? Promise.resolve(bootDay)
    : h.date ? Promise.resolve({ date: h.date, list: null }) : defaultDate(today);
  const [scenario, day] = await Promise.all([scenarioP, dayP]);
  indexScenario(scenario);
  document.title = `调度台 Dispatch console · ${config.scenario || scenario.name || ''}`;
  const leaflet = await (boot.leaflet || Promise.resolve(!!window.L)).catch(() => false);
  const hasMap = leaflet && mapView.init($('map'), config, { selectRoute, selectStop, popup, dropStop });
  if (!hasMap) {
    document.body.classList.add('no-map');
    $('map').textContent = '地图不可用 Map unavailable';
    banner("地图不可用 Map unavailable: install Debian's libjs-leaflet (apt-get install libjs-leaflet) and restart lastmile serve");
  }
  if (innerWidth <= 1100) { $('drawer').classList.add('collapsed'); $('drawer-toggle').textContent = '▴'; mapView.invalidate(); }
  routesList.init($('route-list'), routesListHandlers);
  routesTable.init($('routes-table'), selectRoute);
  timeline.init($('timeline'), $('timeline-warehouse'), selectRoute);
  unassignedView.init($('unassigned'));
  versions.init($('versions'), id => { if (!edit.isDirty() || confirm('放弃未保存的修改？ Discard your unsaved edits?')) { edit.discard(); showPlan(id).catch(fail); } });
  printMenu.init($('print-list'));
  actions.init($('actions'), { planNow, reoptimise, write, toast });
  await showDate(day.date, h.plan, day.list);
  performance.mark('routes-drawn');
  document.body.dataset.ready = 'true';
  setTimeout(() => mapView.loadRoads(), 0);
  live.connect((event, data) => {
    if (event === 'plan' && data?.plan_id) published(data.plan_id, data.delivery_date);
    if (event === 'job' && data?.state === 'failed' && data.delivery_date === state.date) toast(`✗ 规划失败 Planning failed: ${data.reason || ''}`, true);
  }, s => { document.body.dataset.live = s; });
}

/** A stop dropped on the map: after another stop, or before the end of a leg. */
function dropStop(fromKey, pointId, target) {
  const rs = edit.workingRoutes();
  const to = rs.find(r => r.key === target.key);
  if (!to) return;
  let index = null;
  if (target.after) index = to.stops.findIndex(s => s.pickup_point_id === target.after) + 1;
  else if (target.before && target.before !== to.warehouse_id) { const i = to.stops.findIndex(s => s.pickup_point_id === target.before); index = i < 0 ? null : i; }
  if (edit.moveStop(fromKey, pointId, target.key, index)) toast(`${pointId} → ${to.route_id || to.vehicle_id}`);
}

start().catch(e => { fail(e); banner('加载失败 Could not load: ' + e.message, true); });

// For the browser test and the bench.
window.lastmileConsole = Object.assign(window.lastmileConsole || {}, { state, edit, model, selectRoute });
