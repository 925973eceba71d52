// HTTP access to the daemon: bearer token (this tab only), problem+json errors.
const TOKEN_KEY = 'lastmile.token';

/** The region's prefix when the console is served under /regions/{id}/ (a daemon of several
 * regions), else ''. Every API path of the console is under it. */
export const base = (location.pathname.match(/^\/regions\/[a-z0-9_]+/) || [''])[0];
export const apiURL = path => path.startsWith('/') ? base + path : path;

export class ApiError extends Error {
  constructor(status, problem) {
    super(problemText(problem) || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
}

/** One readable sentence from an RFC 9457 problem document (detail + item errors). */
export function problemText(p) {
  if (!p) return '';
  let s = p.detail || p.title || '';
  const items = p.errors || p.violations || [];
  if (items.length) {
    s += ': ' + items.slice(0, 6).map(e => e.message || (e.pointer ? `${e.pointer} ${e.detail}` : e.detail)).join('; ');
    if (items.length > 6) s += ` … (+${items.length - 6})`;
  }
  return s;
}

export const token = () => sessionStorage.getItem(TOKEN_KEY);
export function setToken(t) {
  if (t) { sessionStorage.setItem(TOKEN_KEY, t); return; }
  sessionStorage.removeItem(TOKEN_KEY);
  fetch(apiURL('/v1/session'), { method: 'DELETE' }).catch(() => {});   // the read-session cookie goes with the token
}

let askToken = async () => null;          // set by main.js: opens the token dialog, resolves with the token or null
export function onTokenNeeded(fn) { askToken = fn; }

function headers(extra) {
  const h = { Accept: 'application/json', ...extra };
  const t = token();
  if (t) h.Authorization = 'Bearer ' + t;
  return h;
}

/**
 * fetch + JSON. `write` asks for the token first when none is kept; a 401/403 answer asks
 * again and retries once. Throws ApiError with the problem document.
 */
export async function request(method, path, { body, write = false, signal, retried = false } = {}) {
  if (write && !token()) {
    if (!(await askToken('write'))) throw new ApiError(401, { title: '需要令牌 Token needed', detail: 'no token given' });
  }
  const init = { method, headers: headers(body !== undefined ? { 'Content-Type': 'application/json' } : {}), signal };
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
  const res = await fetch(apiURL(path), init);
  if (!res.ok) {
    let problem;
    try { problem = await res.json(); } catch { problem = { title: res.statusText, status: res.status }; }
    if ((res.status === 401 || res.status === 403) && !retried) {
      if (await askToken(res.status === 403 ? 'forbidden' : token() ? 'invalid' : write ? 'write' : 'read', problem)) {
        return request(method, path, { body, write, signal, retried: true });
      }
    }
    throw new ApiError(res.status, problem);
  }
  if (res.status === 204) return null;
  const type = res.headers.get('content-type') || '';
  return type.includes('json') ? res.json() : res.text();
}

export const get = (path, opts) => request('GET', path, opts);
export const post = (path, body, opts = {}) => request('POST', path, { ...opts, body, write: opts.write ?? true });

/** Raw fetch with the token (for documents opened as blobs and the event stream). */
export function rawFetch(path, init = {}) {
  return fetch(apiURL(path), { ...init, headers: headers(init.headers) });
}
