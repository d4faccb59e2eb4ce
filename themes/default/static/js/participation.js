// A person's "Taking part" section: filter the incidents by period,
// service and technology, keep the choice in the URL (?from=2024-q1&
// to=2025-q2&service=ID&technology=ID) so it can be shared, and count
// again. The page lists a large library's newest incidents only, so the
// counts come from the section's data-src (every incident this person
// responded to), fetched the first time they are filtered. Without this
// script the page shows the totals.
(function () {
  'use strict';
  var sec = document.querySelector('[data-strain]');
  if (!sec) return;
  var form = sec.querySelector('form');
  var rows = sec.querySelectorAll('tbody tr');
  var f = {};
  ['from', 'to', 'service', 'technology'].forEach(function (k) { f[k] = form.elements[k]; });
  if (f.to) f.to.selectedIndex = f.to.options.length - 1;
  var q = new URLSearchParams(location.search);
  Object.keys(f).forEach(function (k) {
    var v = q.get(k), el = f[k];
    if (!el || v === null) return;
    for (var i = 0; i < el.options.length; i++) if (el.options[i].value === v) el.selectedIndex = i;
  });
  var all = null; // [quarter, services, technologies, on call, hours] per incident
  var loading = null;
  function isDefault() {
    return Object.keys(f).every(function (k) {
      var el = f[k];
      if (!el) return true;
      var def = k === 'from' ? el.options[0].value : k === 'to' ? el.options[el.options.length - 1].value : '';
      return el.value === def;
    });
  }
  function apply(push) {
    var from = f.from.value, to = f.to.value;
    if (from > to) { var x = from; from = to; to = x; }
    var svc = f.service ? f.service.value : '', tech = f.technology ? f.technology.value : '';
    function match(q, s, t) {
      return q >= from && q <= to && (!svc || s.indexOf(' ' + svc + ' ') >= 0) && (!tech || t.indexOf(' ' + tech + ' ') >= 0);
    }
    rows.forEach(function (tr) {
      var d = tr.dataset;
      tr.hidden = !match(d.q, d.service, d.technology);
    });
    if (!all && !isDefault()) {
      if (!loading) {
        loading = fetch(sec.getAttribute('data-src'), {credentials: 'same-origin'})
          .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
          .then(function (d) { all = d.rows; apply(false); }, function () { loading = null; });
      }
    } else if (all) {
      var n = { all: 0, on: 0, off: 0, in: 0, out: 0 };
      all.forEach(function (r) {
        if (!match(r[0], r[1], r[2])) return;
        n.all++;
        if (r[3]) n[r[3]]++;
        if (r[4]) n[r[4]]++;
      });
      sec.querySelectorAll('[data-n]').forEach(function (el) { el.textContent = n[el.dataset.n]; });
    }
    if (push) {
      var u = new URLSearchParams(location.search);
      Object.keys(f).forEach(function (k) {
        var el = f[k];
        if (!el) return;
        var def = k === 'from' ? el.options[0].value : k === 'to' ? el.options[el.options.length - 1].value : '';
        if (el.value === def) u.delete(k); else u.set(k, el.value);
      });
      var s = u.toString();
      history.replaceState(null, '', location.pathname + (s ? '?' + s : '') + location.hash);
    }
  }
  form.addEventListener('change', function () { apply(true); });
  form.addEventListener('submit', function (e) { e.preventDefault(); });
  form.hidden = false;
  apply(false);
})();
