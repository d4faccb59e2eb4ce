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

  var tbody = table.tBodies[0];
  var text = document.getElementById('reviews-text');
  var term = L.choice(document.getElementById('reviews-term'));
  var person = L.choice(document.getElementById('reviews-person'));
  var sev = document.getElementById('reviews-severity');
  var sort = document.getElementById('reviews-sort');
  var count = document.getElementById('reviews-count');
  var reset = document.getElementById('reviews-reset');
  var empty = document.getElementById('reviews-empty');
  var pagerBox = document.getElementById('reviews-pager');
  var serverPager = pagerBox.firstElementChild;
  var listPath = form.getAttribute('data-list');
  var root = form.getAttribute('data-root');
  var pageNo = parseInt(table.getAttribute('data-page'), 10) || 1;
  var pages = parseInt(table.getAttribute('data-pages'), 10) || 1;
  var size = parseInt(table.getAttribute('data-page-size'), 10) || 100;
  var paged = pages > 1;

  var depthKeys = Array.prototype.map.call(table.querySelectorAll('th.depth-col'), function (th) {
    return th.getAttribute('data-sort-key');
  });
  var depthMinor = Array.prototype.map.call(table.querySelectorAll('th.depth-col'), function (th) {
    return th.classList.contains('depth-minor');
  });

  // An item is a review as the filters see it, with the row that shows
  // it once there is one.
  function fromRow(tr) {
    var depth = {};
    tr.querySelectorAll('td.depth-col').forEach(function (td, i) {
      if (depthKeys[i]) depth[depthKeys[i]] = parseFloat(td.getAttribute('data-v'));
    });
    var sevRank = parseInt(tr.getAttribute('data-sev'), 10);
    return {
      slug: tr.getAttribute('data-slug'),
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

  var serverRows = Array.prototype.slice.call(tbody.rows);
  var items = paged ? null : serverRows.map(fromRow);
  var data = null;

  function fromData(d) {
    var slugs = {};
    serverRows.forEach(function (tr) { slugs[tr.getAttribute('data-slug')] = tr; });
    return d.reviews.map(function (r) {
      var depth = {};
      depthKeys.forEach(function (k, i) { depth[k] = r[8][i]; });
      var words = [r[1]];
      r[5].forEach(function (t) { words.push(d.terms[t][2]); });
      r[6].forEach(function (p) { words.push(d.people[p][1]); });
      return {
        slug: r[0],
        row: r,
        time: Date.parse(r[2]) || 0,
        sev: r[3] ? r[4] : 1e6,
        severity: r[3],
        terms: ' ' + r[5].map(function (t) { return d.terms[t][0] + ':' + d.terms[t][1]; }).join(' ') + ' ',
        people: ' ' + r[6].map(function (p) { return d.people[p][0]; }).join(' ') + ' ',
        text: L.fold(words.join(' ')),
        depth: depth,
        tr: slugs[r[0]] || null
      };
    });
  }

  // row draws a review's row as the build's template does, less the
  // summary (see the top).
  function row(it) {
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
  var viewPage = parseInt(params.get('page'), 10) || pageNo;

  var comparers = {
    'date-desc': function (a, b) { return b.time - a.time; },
    'date-asc': function (a, b) { return a.time - b.time; },
    'severity': function (a, b) { return a.sev - b.sev || b.time - a.time; }
  };
  // Depth measures sort largest first; unknown (-1) goes last.
  depthKeys.forEach(function (k) {
    comparers[k] = function (a, b) { return b.depth[k] - a.depth[k] || b.time - a.time; };
  });

  function state() {
    return {
      t: term ? term.key() : '',
      p: person ? person.key() : '',
      s: sev ? sev.value : '',
      words: text ? L.fold(text.value).split(/\s+/).filter(Boolean) : [],
      key: comparers[sort.value] ? sort.value : 'date-desc'
    };
  }

  function isDefault(st) {
    return !st.t && !st.p && !st.s && !st.words.length && st.key === 'date-desc';
  }

  function render() {
    var st = state();
    if (term) term.input.setAttribute('aria-invalid', st.t === null ? 'true' : 'false');
    if (person) person.input.setAttribute('aria-invalid', st.p === null ? 'true' : 'false');
    // On a page of a longer list, its own rows are what the build drew,
    // summaries and all: nothing to fetch until the view changes.
    if (paged && isDefault(st) && viewPage === pageNo) {
      tbody.replaceChildren.apply(tbody, serverRows);
      pagerBox.replaceChildren(serverPager || '');
      var total = parseInt(table.getAttribute('data-total'), 10) || 0;
      count.textContent = total + (total === 1 ? ' review' : ' reviews');
      reset.hidden = true;
      if (empty) empty.hidden = true;
      sortHeads(st.key);
      L.setAddress(L.pageURL(listPath, pageNo), new URLSearchParams());
      return;
    }
    if (!items) {
      count.textContent = 'Loading the list of reviews…';
      L.load(form.getAttribute('data-src')).then(function (d) {
        data = d;
        items = fromData(d);
        render();
      }, function () {
        count.textContent = 'The list of reviews could not be loaded: filters cover this page only.';
      });
      return;
    }
    var matched = items.filter(function (it) {
      return (!st.t || it.terms.indexOf(' ' + st.t + ' ') >= 0) &&
        (!st.p || it.people.indexOf(' ' + st.p + ' ') >= 0) &&
        st.t !== null && st.p !== null &&
        (!st.s || it.severity === st.s) &&
        st.words.every(function (w) { return it.text.indexOf(w) >= 0; });
    });
    matched.sort(comparers[st.key]);
    var count_ = Math.max(1, Math.ceil(matched.length / size));
    viewPage = Math.min(Math.max(1, viewPage), count_);
    var shown = matched.slice((viewPage - 1) * size, viewPage * size);
    tbody.replaceChildren.apply(tbody, shown.map(function (it) { return it.tr || (it.tr = row(it)); }));
    sortHeads(st.key);

    var q = new URLSearchParams();
    if (st.words.length) q.set('text', text.value.trim());
    if (st.t) q.set('term', st.t);
    else if (st.t === null) q.set('term', term.input.value.trim());
    if (st.p) q.set('person', st.p);
    else if (st.p === null) q.set('person', person.input.value.trim());
    if (st.s) q.set('severity', st.s);
    if (st.key !== 'date-desc') q.set('sort', st.key);
    var def = isDefault(st);
    function href(n) {
      if (def) return L.pageURL(listPath, n);
      var qn = new URLSearchParams(q);
      if (n > 1) qn.set('page', n);
      return listPath + '?' + qn.toString();
    }
    pagerBox.replaceChildren(L.pager(viewPage, count_, matched.length, size, href));
    if (def) L.setAddress(L.pageURL(listPath, viewPage), new URLSearchParams());
    else {
      if (viewPage > 1) q.set('page', viewPage);
      L.setAddress(listPath, q);
    }

    var all = items.length;
    if (term && st.t === null) count.textContent = 'No term is called “' + term.input.value.trim() + '”';
    else if (person && st.p === null) count.textContent = 'No one is called “' + person.input.value.trim() + '”';
    else count.textContent = matched.length === all ? all + (all === 1 ? ' review' : ' reviews') : matched.length + ' of ' + all + ' reviews';
    reset.hidden = !st.t && !st.p && !st.s && !st.words.length && !(term && term.input.value) && !(person && person.input.value);
    if (empty) empty.hidden = matched.length > 0;
  }

  function sortHeads(key) {
    table.querySelectorAll('th[data-sort-key]').forEach(function (th) {
      var k = th.getAttribute('data-sort-key');
      if (k === 'date' && key.indexOf('date') === 0) th.setAttribute('aria-sort', key === 'date-asc' ? 'ascending' : 'descending');
      else if (k === key) th.setAttribute('aria-sort', 'descending');
      else th.removeAttribute('aria-sort');
    });
  }

  // Any change of filter or sort starts again at the first page of the
  // new view.
  function changed() {
    viewPage = 1;
    render();
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
    if (!el) return;
    // Fetch the list's data while the reader is still choosing.
    el.addEventListener('focus', function () { if (paged && !items) L.load(form.getAttribute('data-src')).catch(function () {}); });
  });
  reset.addEventListener('click', function () {
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
  // The pager of a filtered view turns pages without a new page load.
  pagerBox.addEventListener('click', function (e) {
    var a = e.target.closest && e.target.closest('a[data-page]');
    if (!a || e.ctrlKey || e.metaKey || e.shiftKey || e.button) return;
    e.preventDefault();
    viewPage = parseInt(a.getAttribute('data-page'), 10);
    render();
    table.scrollIntoView({block: 'start'});
  });

  form.hidden = false;
  render();
})();
