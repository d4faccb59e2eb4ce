// /compare/?a=SLUG&b=SLUG: sets two reviews' depth side by side from
// compare/depth.json. The pickers are text inputs whose suggestions are
// the few reviews matching what is typed, so a library of ten thousand
// reviews never puts ten thousand options in the page.
(function () {
  'use strict';
  var form = document.getElementById('compare-form');
  if (!form || !window.fetch) return;
  var status = document.getElementById('compare-status');
  var wrap = document.getElementById('compare-wrap');
  var table = document.getElementById('compare-table');
  var base = form.getAttribute('data-base') || '/';
  var cols = ['a', 'b'];
  var inputs = { a: document.getElementById('compare-a'), b: document.getElementById('compare-b') };
  var lists = { a: document.getElementById('compare-a-list'), b: document.getElementById('compare-b-list') };
  var chosen = { a: null, b: null };
  var reviews = [];
  var bySlug = {};
  var maxSuggestions = 12;

  function fold(s) {
    return s.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  }
  function label(r) { return r.title + ' (' + r.date + ')'; }

  function matches(q) {
    var words = fold(q).split(/\s+/).filter(Boolean);
    var out = [];
    for (var i = 0; i < reviews.length && out.length < maxSuggestions; i++) {
      var r = reviews[i];
      if (words.every(function (w) { return r._text.indexOf(w) >= 0; })) out.push(r);
    }
    return out;
  }

  function suggest(col) {
    var list = lists[col];
    while (list.firstChild) list.removeChild(list.firstChild);
    matches(inputs[col].value).forEach(function (r) {
      var o = document.createElement('option');
      o.value = label(r);
      list.appendChild(o);
    });
  }

  // resolve finds the review a picker's text names: its slug, its label
  // (what a suggestion fills in), or the only review matching the words.
  function resolve(v) {
    v = v.trim();
    if (!v) return null;
    if (bySlug[v]) return bySlug[v];
    for (var i = 0; i < reviews.length; i++) if (label(reviews[i]) === v) return reviews[i];
    var m = matches(v);
    return m.length === 1 ? m[0] : undefined;
  }

  function number(n) { return n < 0 ? 'unknown' : String(n); }
  function evidence(l) { return l.length ? 'described: ' + l.join('; ') : 'not described'; }
  var show = {
    date: function (r) { return r.date; },
    investigateDays: function (r) { return number(r.investigateDays); },
    reachDays: function (r) { return r.reachDays < 0 ? 'no timeline' : String(r.reachDays); },
    factors: function (r) { return String(r.factors); },
    followUps: function (r) { return r.followUps ? r.followUpsDone + ' of ' + r.followUps : 'none'; },
    people: function (r) { return String(r.people); },
    difficulties: function (r) { return evidence(r.difficulties); },
    customerImpact: function (r) { return evidence(r.customerImpact); },
    employeeImpact: function (r) { return evidence(r.employeeImpact); },
    readers: function (r) { return r.readers < 0 ? 'unknown' : r.readers + (r.readersPeriod ? ' (' + r.readersPeriod + ')' : ''); }
  };

  function render() {
    cols.forEach(function (col) {
      var r = chosen[col];
      var head = document.getElementById('compare-head-' + col);
      head.textContent = '';
      if (r) {
        var a = document.createElement('a');
        a.href = base + 'reviews/' + r.slug + '/';
        a.textContent = r.title;
        head.appendChild(a);
      } else {
        head.textContent = col === 'a' ? 'First' : 'Second';
      }
      table.querySelectorAll('td[data-col="' + col + '"]').forEach(function (td) {
        var m = td.parentNode.getAttribute('data-measure');
        td.textContent = r ? show[m](r) : '—';
      });
    });
    var n = (chosen.a ? 1 : 0) + (chosen.b ? 1 : 0);
    wrap.hidden = n === 0;
    status.textContent = n === 2 ? '' : n === 1 ? 'Choose a second review to compare with.' : 'Choose two reviews.';
  }

  function writeURL() {
    var q = new URLSearchParams();
    cols.forEach(function (col) { if (chosen[col]) q.set(col, chosen[col].slug); });
    var qs = q.toString();
    try { history.replaceState(null, '', qs ? '?' + qs : location.pathname); } catch (e) { /* file:// */ }
  }

  function pick(col) {
    var r = resolve(inputs[col].value);
    if (r === undefined) {
      status.textContent = 'No single review matches “' + inputs[col].value.trim() + '”: choose one of the suggestions.';
      return;
    }
    chosen[col] = r;
    if (r) inputs[col].value = label(r);
    render();
    writeURL();
  }

  fetch(form.getAttribute('data-src')).then(function (res) {
    if (!res.ok) throw new Error(res.status);
    return res.json();
  }).then(function (data) {
    var f = data.fields;
    reviews = data.reviews.map(function (row) {
      var r = {};
      f.forEach(function (name, i) { r[name] = row[i]; });
      r._text = fold(r.title + ' ' + r.slug + ' ' + r.date);
      bySlug[r.slug] = r;
      return r;
    });
    var params = new URLSearchParams(location.search);
    cols.forEach(function (col) {
      var r = bySlug[params.get(col) || ''];
      if (r) {
        chosen[col] = r;
        inputs[col].value = label(r);
      } else if (params.get(col)) {
        inputs[col].value = params.get(col);
      }
      inputs[col].addEventListener('input', function () { suggest(col); });
      inputs[col].addEventListener('change', function () { pick(col); });
    });
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      cols.forEach(pick);
    });
    render();
  }).catch(function () {
    status.textContent = 'The comparison data could not be loaded.';
  });
})();
