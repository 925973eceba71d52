// The Print menu: the version's printable pages (GET /v1/plans/{id}/documents, under print/),
// per warehouse, per van and per pickup point. Links are built from that list only.
import { state, el } from './state.js';
import { get, post, apiURL } from './api.js';

let root;
export function init(element) { root = element; }

export async function load(planId) {
  root.replaceChildren(el('p', { class: 'muted' }, '…'));
  let docs = [];
  try { docs = (await get(`/v1/plans/${planId}/documents`)).documents || []; }
  catch (e) { root.replaceChildren(el('p', { class: 'muted' }, '打印页不可用 Printable pages unavailable: ' + e.message)); return; }
  if (planId !== state.planId) return;
  const pages = docs.filter(d => d.startsWith('print/') && d.endsWith('.html'));
  if (!pages.length) { root.replaceChildren(el('p', { class: 'muted' }, '这个版本没有打印页 No printable pages in this version.')); return; }
  const link = (path, label) => el('a', { href: apiURL(`/v1/plans/${planId}/${path}`), target: '_blank', rel: 'noopener', 'data-doc': path, 'data-testid': 'print-link',
    onclick: e => openDoc(e, planId, path) }, label);
  const name = p => p.split('/').pop().replace(/\.html$/, '');
  const labels = { 'pick-list': '拣货单 Pick list', 'sort-sheet': '分拣单 Sort sheet', handover: '交接单 Handover', 'loading-list': '装车单 Loading list' };
  const label = p => labels[name(p)] || (p.startsWith('print/handover/') ? '交接单 Handover' : name(p));
  const groups = { index: [], warehouses: new Map(), vehicles: new Map(), points: new Map(), other: [] };
  for (const p of pages) {
    const parts = p.split('/');
    if (parts.length === 2) groups.index.push(p);
    else if (parts[1] === 'warehouses' && parts.length >= 4) push(groups.warehouses, parts[2], p);
    else if (parts[1] === 'vehicles' && parts.length >= 4) push(groups.vehicles, parts[2], p);
    else if (parts[1] === 'vehicles' || parts[1] === 'loading') push(groups.vehicles, name(p), p);
    else if (['handover', 'pickup-points', 'points'].includes(parts[1])) push(groups.points, parts.length >= 4 ? parts[2] : name(p), p);
    else groups.other.push(p);
  }
  const section = (title, map, labelOf) => map.size ? el('details', { open: title.startsWith('仓') },
    el('summary', {}, `${title} (${map.size})`),
    el('div', {}, [...map].map(([id, ps]) => el('div', { 'data-print-group': id }, el('b', {}, labelOf(id) + ' '), ps.map(p => link(p, label(p))))))) : null;
  root.replaceChildren(...[
    el('h3', {}, '打印 Print · v' + (state.versions.find(v => v.plan_id === planId)?.version ?? '')),
    groups.index.map(p => link(p, p === 'print/index.html' ? '目录 Index (all pages)' : name(p))),
    section('仓 Warehouses', groups.warehouses, id => `${id} ${state.warehouses.get(id)?.name || ''}`),
    section('车 Vans', groups.vehicles, id => id),
    section('自提点 Pickup points', groups.points, id => `${id} ${state.points.get(id)?.name || ''}`),
    groups.other.length ? el('div', {}, groups.other.map(p => link(p, p.slice(6)))) : null].flat().filter(Boolean));
}
const push = (m, k, v) => { if (!m.has(k)) m.set(k, []); m.get(k).push(v); };

/**
 * When reads need a token a plain link cannot send it: the first click asks the daemon for a
 * read-session cookie (POST /v1/session with the token), then the page and its relative links
 * open as they are.
 */
let session = false;
async function openDoc(e, planId, path) {
  if (state.config?.read_access !== 'token' || session) return;
  e.preventDefault();
  const w = window.open('', '_blank');
  try {
    await post('/v1/session', undefined, { write: false });
    session = true;
    if (w) w.location = apiURL(`/v1/plans/${planId}/${path}`);
  } catch (err) {
    w?.close();
    root.prepend(el('p', { class: 'error' }, '打印页打不开 Cannot open the page: ' + err.message));
  }
}
