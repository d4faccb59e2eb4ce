// Filters the follow-ups table by status, owner and service in the
// browser. Without JavaScript every follow-up is listed.
(function () {
  'use strict';
  var form = document.getElementById('followups-filters');
  var table = document.querySelector('table.followups');
  if (!form || !table) return;

  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  var status = document.getElementById('fu-status');
  var owner = document.getElementById('fu-owner');
  var service = document.getElementById('fu-service');
  var count = document.getElementById('fu-count');
  var reset = document.getElementById('fu-reset');
  var empty = document.getElementById('fu-empty');
  var selects = [status, owner, service].filter(Boolean);

  var params = new URLSearchParams(location.search);
  // "todo" was this page's word for open before open meant the same
  // everywhere: links kept from then still work.
  if (params.get('status') === 'todo') params.set('status', 'open');
  selects.forEach(function (s) {
    var v = params.get(s.name);
    if (v && Array.prototype.some.call(s.options, function (o) { return o.value === v; })) s.value = v;
  });

  function statusMatches(tr, want) {
    var st = tr.getAttribute('data-status');
    switch (want) {
      case '': return true;
      // Open means not done yet, as on the home page and people's pages.
      case 'open': return st === 'open' || st === 'in-progress';
      case 'not-started': return st === 'open';
      case 'overdue': return tr.getAttribute('data-overdue') === 'true';
      default: return st === want;
    }
  }

  function apply() {
    var st = status ? status.value : '';
    var ow = owner ? owner.value : '';
    var sv = service ? service.value : '';
    var shown = 0;
    rows.forEach(function (tr) {
      var o = tr.getAttribute('data-owner') || '';
      var services = ' ' + (tr.getAttribute('data-services') || '') + ' ';
      var ok = statusMatches(tr, st) &&
        (!ow || (ow === '-' ? o === '' : o === ow)) &&
        (!sv || services.indexOf(' ' + sv + ' ') >= 0);
      tr.hidden = !ok;
      if (ok) shown++;
    });
    count.textContent = shown === rows.length
      ? rows.length + (rows.length === 1 ? ' follow-up' : ' follow-ups')
      : 'Showing ' + shown + ' of ' + rows.length;
    reset.hidden = !st && !ow && !sv;
    if (empty) empty.hidden = shown > 0;

    var q = new URLSearchParams();
    selects.forEach(function (s) { if (s.value) q.set(s.name, s.value); });
    var qs = q.toString();
    try { history.replaceState(null, '', qs ? '?' + qs : location.pathname); } catch (e) { /* file:// */ }
  }

  selects.forEach(function (s) { s.addEventListener('change', apply); });
  reset.addEventListener('click', function () {
    selects.forEach(function (s) { s.value = ''; });
    apply();
  });
  form.hidden = false;
  apply();
})();
