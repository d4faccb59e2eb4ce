// Filters and sorts the list of all reviews in the browser. Without
// JavaScript the list is the build's pages of reviews, newest first.
//
// When every review fits on the page, the rows on it are the whole list.
// When the build split the list into pages, the first filter, sort or
// page of a filtered list fetches reviews/data.json (the whole list,
// compactly: see site/render's listdata.go) and draws the matching rows
// a page at a time; words then match titles, terms and people, not
// summaries, which the file leaves out to stay small.
(function () {
  'use strict';
  var L = window.casebookLists;
  var table = document.getElementById('reviews-table');
  var form = document.getElementById('reviews-filters');
  if (!table || !form || !L) return;

  var text = document.getElementById('reviews-text');
  var term = L.choice(document.getElementById('reviews-term'));
  var person = L.choice(document.getElementById('reviews-person'));
  var sev = document.getElementById('reviews-severity');
  var sort = document.getElementById('reviews-sort');
  var root = form.getAttribute('data-root');

  var depthKeys = Array.prototype.map.call(table.querySelectorAll('th.depth-col'), function (th) {
    return th.getAttribute('data-sort-key');
  });
  var depthMinor = Array.prototype.map.call(table.querySelectorAll('th.depth-col'), function (th) {
    return th.classList.contains('depth-minor');
  });

  // An item is a review as the filters see it.
  function fromRow(tr) {
    var depth = {};
    tr.querySelectorAll('td.depth-col').forEach(function (td, i) {
      if (depthKeys[i]) depth[depthKeys[i]] = parseFloat(td.getAttribute('data-v'));
    });
    var sevRank = parseInt(tr.getAttribute('data-sev'), 10);
    return {
      time: Date.parse(tr.getAttribute('data-date')) || 0,
      sev: isNaN(sevRank) ? 1e6 : sevRank,
      severity: tr.getAttribute('data-severity'),
      terms: ' ' + (tr.getAttribute('data-terms') || '') + ' ',
      people: ' ' + (tr.getAttribute('data-people') || '') + ' ',
      text: L.fold(tr.querySelector('.title-cell').textContent),
      depth: depth,
      tr: tr
    };
  }

  function fromData(d) {
    return d.reviews.map(function (r) {
      var depth = {};
      depthKeys.forEach(function (k, i) { depth[k] = r[8][i]; });
      var words = [r[1]];
      r[5].forEach(function (t) { words.push(d.terms[t][2]); });
      r[6].forEach(function (p) { words.push(d.people[p][1]); });
      return {
        row: r,
        time: Date.parse(r[2]) || 0,
        sev: r[3] ? r[4] : 1e6,
        severity: r[3],
        terms: ' ' + r[5].map(function (t) { return d.terms[t][0] + ':' + d.terms[t][1]; }).join(' ') + ' ',
        people: ' ' + r[6].map(function (p) { return d.people[p][0]; }).join(' ') + ' ',
        text: L.fold(words.join(' ')),
        depth: depth
      };
    });
  }

  // row draws a review's row as the build's template does, less the
  // summary (see the top).
  function row(it, data) {
    var r = it.row;
    var el = L.el;
    var url = root + 'reviews/' + r[0] + '/';
    var title = el('td', {'class': 'title-cell'}, el('a', {'class': 'title', href: url}, r[1]));
    if (r[9]) {
      var badges = el('span', {'class': 'badges'});
      if (r[9] & 1) badges.appendChild(el('span', {'class': 'badge badge-draft', title: 'Not published: visible only in previews'}, 'Draft'));
      if (r[9] & 2) badges.appendChild(el('span', {'class': 'badge badge-restricted', title: 'Restricted readership: do not share outside it'}, 'Restricted'));
      title.appendChild(document.createTextNode(' '));
      title.appendChild(badges);
    }
    // The chips of a card: services and contributing factors, then how
    // many more terms there are.
    var shown = r[5].filter(function (t) { var k = data.terms[t][0]; return k === 'services' || k === 'contributing-factors'; });
    var chips = shown.length ? shown : r[5];
    if (chips.length) {
      var ul = el('ul', {'class': 'chips', 'aria-label': 'Terms'});
      chips.forEach(function (t) {
        var tm = data.terms[t];
        ul.appendChild(el('li', null, el('a', {'class': 'chip tax-' + tm[0], href: root + tm[0] + '/' + tm[1] + '/', title: tm[3]}, tm[2])));
      });
      if (shown.length && r[5].length > shown.length) {
        ul.appendChild(el('li', null, el('span', {'class': 'chip chip-more', title: 'Technologies and themes are listed on the review'}, '+' + (r[5].length - shown.length))));
      }
      title.appendChild(ul);
    }
    var tr = el('tr', {'data-slug': r[0], 'data-date': r[2], 'data-sev': r[4], 'data-severity': r[3]},
      el('td', {'class': 'date'}, el('time', {datetime: r[2]}, L.date(r[2]))),
      title,
      el('td', {'class': 'sev-cell'}, r[3] ? el('span', {'class': 'badge sev sev-rank-' + r[4]}, r[3]) : el('span', {'class': 'muted'}, '—')),
      el('td', {'class': 'fu-cell'}, r[7] ? el('a', {'class': 'fu-open', href: url + '#cb-follow-ups'}, r[7]) : el('span', {'class': 'fu-zero'}, '0')));
    r[8].forEach(function (v, i) {
      if (i >= depthKeys.length) return;
      tr.appendChild(el('td', {'class': 'num depth-col' + (depthMinor[i] ? ' depth-minor' : ''), 'data-v': v},
        v < 0 ? el('span', {'class': 'muted'}, '—') : String(v)));
    });
    return tr;
  }

  function hasOption(select, value) {
    return Array.prototype.some.call(select.options, function (o) { return o.value === value; });
  }

  // Restore state from the query string so filtered views can be shared.
  var params = new URLSearchParams(location.search);
  if (params.get('text') && text) text.value = params.get('text');
  if (params.get('term') && term && !term.set(params.get('term'))) term.input.value = params.get('term');
  if (params.get('person') && person && !person.set(params.get('person'))) person.input.value = params.get('person');
  if (params.get('severity') && sev && hasOption(sev, params.get('severity'))) sev.value = params.get('severity');
  if (params.get('sort') && hasOption(sort, params.get('sort'))) sort.value = params.get('sort');

  var comparers = {
    'date-desc': function (a, b) { return b.time - a.time; },
    'date-asc': function (a, b) { return a.time - b.time; },
    'severity': function (a, b) { return a.sev - b.sev || b.time - a.time; }
  };
  // Depth measures sort largest first; unknown (-1) goes last.
  depthKeys.forEach(function (k) {
    comparers[k] = function (a, b) { return b.depth[k] - a.depth[k] || b.time - a.time; };
  });

  function view() {
    var t = term ? term.key() : '';
    var p = person ? person.key() : '';
    var s = sev ? sev.value : '';
    var words = text ? L.fold(text.value).split(/\s+/).filter(Boolean) : [];
    var key = comparers[sort.value] ? sort.value : 'date-desc';
    if (term) term.input.setAttribute('aria-invalid', t === null ? 'true' : 'false');
    if (person) person.input.setAttribute('aria-invalid', p === null ? 'true' : 'false');
    sortHeads(key);
    var q = new URLSearchParams();
    if (words.length) q.set('text', text.value.trim());
    if (t) q.set('term', t);
    else if (t === null) q.set('term', term.input.value.trim());
    if (p) q.set('person', p);
    else if (p === null) q.set('person', person.input.value.trim());
    if (s) q.set('severity', s);
    if (key !== 'date-desc') q.set('sort', key);
    var filtered = !!(t !== '' || p !== '' || s || words.length);
    return {
      plain: !filtered && key === 'date-desc',
      filtered: filtered,
      params: q,
      message: t === null ? 'No term is called “' + term.input.value.trim() + '”'
        : p === null ? 'No one is called “' + person.input.value.trim() + '”' : '',
      compare: comparers[key],
      match: function (it) {
        return (!t || it.terms.indexOf(' ' + t + ' ') >= 0) &&
          (!p || it.people.indexOf(' ' + p + ' ') >= 0) &&
          (!s || it.severity === s) &&
          words.every(function (w) { return it.text.indexOf(w) >= 0; });
      }
    };
  }

  var list = L.list({
    form: form, box: table, tbody: table.tBodies[0], pagerBox: document.getElementById('reviews-pager'),
    count: document.getElementById('reviews-count'), reset: document.getElementById('reviews-reset'),
    empty: document.getElementById('reviews-empty'), noun: ['review', 'reviews'],
    fromRow: fromRow, fromData: fromData, row: row, view: view
  });
  var changed = list.changed;

  function sortHeads(key) {
    table.querySelectorAll('th[data-sort-key]').forEach(function (th) {
      var k = th.getAttribute('data-sort-key');
      if (k === 'date' && key.indexOf('date') === 0) th.setAttribute('aria-sort', key === 'date-asc' ? 'ascending' : 'descending');
      else if (k === key) th.setAttribute('aria-sort', 'descending');
      else th.removeAttribute('aria-sort');
    });
  }

  [sev, sort].forEach(function (el) { if (el) el.addEventListener('change', changed); });
  if (text) text.addEventListener('input', changed);
  // A term or person applies as soon as what is typed names one (or is
  // cleared), and on leaving the box otherwise, so that half a name
  // typed is not an empty list.
  [term, person].forEach(function (c) {
    if (!c) return;
    c.input.addEventListener('input', function () { if (c.key() !== null) changed(); });
    c.input.addEventListener('change', changed);
  });
  [text, term && term.input, person && person.input].forEach(function (el) {
    if (el) el.addEventListener('focus', list.prefetch);
  });
  document.getElementById('reviews-reset').addEventListener('click', function () {
    if (term) term.input.value = '';
    if (person) person.input.value = '';
    if (text) text.value = '';
    if (sev) sev.value = '';
    changed();
    (text || sort).focus();
  });
  table.querySelectorAll('th button[data-sort]').forEach(function (b) {
    b.addEventListener('click', function () {
      if (b.getAttribute('data-sort') === 'date') sort.value = sort.value === 'date-desc' ? 'date-asc' : 'date-desc';
      else sort.value = b.getAttribute('data-sort');
      changed();
    });
  });

  form.hidden = false;
  list.render();
})();
