// Filters and sorts the table of all reviews in the browser. Without
// JavaScript the table simply lists every review, newest first.
(function () {
  'use strict';
  var table = document.getElementById('reviews-table');
  var form = document.getElementById('reviews-filters');
  if (!table || !form) return;

  var tbody = table.tBodies[0];
  var rows = Array.prototype.slice.call(tbody.rows);
  var text = document.getElementById('reviews-text');
  var term = document.getElementById('reviews-term');
  var sev = document.getElementById('reviews-severity');
  var sort = document.getElementById('reviews-sort');
  var count = document.getElementById('reviews-count');
  var reset = document.getElementById('reviews-reset');
  var empty = document.getElementById('reviews-empty');

  var depthKeys = Array.prototype.map.call(table.querySelectorAll('th.depth-col'), function (th) {
    return th.getAttribute('data-sort-key');
  });

  rows.forEach(function (tr) {
    tr._time = Date.parse(tr.getAttribute('data-date')) || 0;
    tr._sev = parseInt(tr.getAttribute('data-sev'), 10);
    if (isNaN(tr._sev)) tr._sev = 1e6;
    tr._terms = ' ' + (tr.getAttribute('data-terms') || '') + ' ';
    // What the text filter matches: the title, summary and chips, folded.
    tr._text = fold(tr.querySelector('.title-cell').textContent);
    // The depth columns, by their header's sort key (-1: unknown).
    tr._depth = {};
    tr.querySelectorAll('td.depth-col').forEach(function (td, i) {
      if (depthKeys[i]) tr._depth[depthKeys[i]] = parseFloat(td.getAttribute('data-v'));
    });
  });

  function fold(s) {
    return s.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  }

  function hasOption(select, value) {
    return Array.prototype.some.call(select.options, function (o) { return o.value === value; });
  }

  // Restore state from the query string so filtered views can be shared.
  var params = new URLSearchParams(location.search);
  if (params.get('text') && text) text.value = params.get('text');
  if (params.get('term') && hasOption(term, params.get('term'))) term.value = params.get('term');
  if (params.get('severity') && sev && hasOption(sev, params.get('severity'))) sev.value = params.get('severity');
  if (params.get('sort') && hasOption(sort, params.get('sort'))) sort.value = params.get('sort');

  var comparers = {
    'date-desc': function (a, b) { return b._time - a._time; },
    'date-asc': function (a, b) { return a._time - b._time; },
    'severity': function (a, b) { return a._sev - b._sev || b._time - a._time; }
  };
  // Depth measures sort largest first; unknown (-1) goes last.
  depthKeys.forEach(function (k) {
    comparers[k] = function (a, b) { return b._depth[k] - a._depth[k] || b._time - a._time; };
  });

  function apply() {
    var t = term.value;
    var s = sev ? sev.value : '';
    var words = text ? fold(text.value).split(/\s+/).filter(Boolean) : [];
    var shown = 0;
    rows.forEach(function (tr) {
      var ok = (!t || tr._terms.indexOf(' ' + t + ' ') >= 0) &&
        words.every(function (w) { return tr._text.indexOf(w) >= 0; }) &&
        (!s || tr.getAttribute('data-severity') === s);
      tr.hidden = !ok;
      if (ok) shown++;
    });
    var key = comparers[sort.value] ? sort.value : 'date-desc';
    rows.slice().sort(comparers[key]).forEach(function (tr) { tbody.appendChild(tr); });

    table.querySelectorAll('th[data-sort-key]').forEach(function (th) {
      var k = th.getAttribute('data-sort-key');
      if (k === 'date' && key.indexOf('date') === 0) th.setAttribute('aria-sort', key === 'date-asc' ? 'ascending' : 'descending');
      else if (k === key) th.setAttribute('aria-sort', 'descending');
      else th.removeAttribute('aria-sort');
    });

    count.textContent = shown === rows.length
      ? rows.length + (rows.length === 1 ? ' review' : ' reviews')
      : 'Showing ' + shown + ' of ' + rows.length;
    reset.hidden = !t && !s && !words.length;
    if (empty) empty.hidden = shown > 0;

    var q = new URLSearchParams();
    if (words.length) q.set('text', text.value.trim());
    if (t) q.set('term', t);
    if (s) q.set('severity', s);
    if (key !== 'date-desc') q.set('sort', key);
    var qs = q.toString();
    try { history.replaceState(null, '', qs ? '?' + qs : location.pathname); } catch (e) { /* file:// */ }
  }

  [term, sev, sort].forEach(function (el) { if (el) el.addEventListener('change', apply); });
  if (text) text.addEventListener('input', apply);
  reset.addEventListener('click', function () {
    term.value = '';
    if (text) text.value = '';
    if (sev) sev.value = '';
    apply();
    term.focus();
  });
  table.querySelectorAll('th button[data-sort]').forEach(function (b) {
    b.addEventListener('click', function () {
      if (b.getAttribute('data-sort') === 'date') sort.value = sort.value === 'date-desc' ? 'date-asc' : 'date-desc';
      else sort.value = b.getAttribute('data-sort');
      apply();
    });
  });

  form.hidden = false;
  apply();
})();
