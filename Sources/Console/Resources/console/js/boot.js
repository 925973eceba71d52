// Loaded first (a classic script, before the modules): starts the first requests and Leaflet
// at once, so that the routes can be drawn as soon as the modules run. main.js takes the
// answers from window.__boot and asks again itself for anything that failed (401 dialog, …).
(function () {
  'use strict';
  var token = sessionStorage.getItem('lastmile.token');
  var headers = { Accept: 'application/json' };
  if (token) headers.Authorization = 'Bearer ' + token;
  // Under /regions/{id}/ (a daemon of several regions) every API path has the region's prefix.
  var base = (location.pathname.match(/^\/regions\/[a-z0-9_]+/) || [''])[0];
  function json(url) {
    url = base + url;
    return fetch(url, { headers: headers }).then(function (r) { return r.ok ? r.json() : Promise.reject(new Error(url + ': HTTP ' + r.status)); });
  }
  function quiet(p) { p.catch(function () {}); return p; }
  function tomorrow(day) { var d = new Date(day + 'T12:00:00Z'); d.setUTCDate(d.getUTCDate() + 1); return d.toISOString().slice(0, 10); }
  var hash = new URLSearchParams(location.hash.slice(1));
  var boot = window.__boot = {};
  boot.config = quiet(json('/v1/console/config'));
  // Without a token, wait for the config: if reads need one, main.js asks for it first (no 401s).
  var readable = token ? Promise.resolve(true) : boot.config.then(function (c) { return c.read_access !== 'token'; }, function () { return true; });
  function whenReadable(f) { return quiet(readable.then(function (ok) { return ok ? f() : Promise.reject(new Error('token needed')); })); }
  boot.scenario = whenReadable(function () { return json('/v1/scenario'); });
  boot.leaflet = boot.config.catch(function () { return {}; }).then(function (c) {
    if (c.leaflet === false) return false;
    var css = document.createElement('link');
    css.rel = 'stylesheet';
    css.href = '/vendor/leaflet/leaflet.css';
    document.head.insertBefore(css, document.head.querySelector('link[rel=stylesheet]'));
    return new Promise(function (resolve) {
      function load(src, next) {
        var s = document.createElement('script');
        s.src = src;
        s.onload = function () { resolve(!!window.L); };
        s.onerror = next;
        document.head.appendChild(s);
      }
      load('/vendor/leaflet/leaflet.min.js', function () { load('/vendor/leaflet/leaflet.js', function () { resolve(false); }); });
    });
  });
  // The day: the URL's, else tomorrow in the scenario's zone (guessed as Asia/Shanghai here;
  // main.js checks it against the config's "today" and asks again if the guess was wrong).
  var today;
  try { today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' }); } catch (e) { today = new Date().toISOString().slice(0, 10); }
  var date = hash.get('date') || tomorrow(today);
  boot.day = whenReadable(function () {
    return json('/v1/plans?date=' + date).then(function (list) { return { date: date, guessedFrom: hash.get('date') ? null : today, list: list }; });
  });
  boot.plan = quiet(boot.day.then(function (day) {
    var want = Number(hash.get('plan')) || null;
    var v = (day.list.plans || []).filter(function (p) { return want ? p.plan_id === want : p.current; })[0];
    if (!v) return null;
    var id = v.plan_id;
    return { id: id, plan: quiet(json('/v1/plans/' + id)), geojson: quiet(json('/v1/plans/' + id + '/routes.geojson')),
             routes: quiet(json('/v1/plans/' + id + '/routes')) };
  }));
})();
