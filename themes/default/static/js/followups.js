// Filters the follow-ups by status, owner and service in the browser.
// Without JavaScript the list is the build's pages of follow-ups,
// overdue and open first.
//
// When every follow-up fits on the page, its rows are the whole list.
// When the build split the list into pages, the first filter fetches
// follow-ups/data.json (the whole list: see site/render's listdata.go)
// and draws the matching rows a page at a time, as reviews.js does.
(function () {
  'use strict';
  var L = window.casebookLists;
  var form = document.getElementById('followups-filters');
  var box = document.getElementById('fu-list');
  var table = box && box.querySelector('table.followups');
  if (!form || !table || !L) return;

  var tbody = table.tBodies[0];
  var status = document.getElementById('fu-status');
  var owner = L.choice(document.getElementById('fu-owner'));
  var service = L.choice(document.getElementById('fu-service'));
  var count = document.getElementById('fu-count');
  var reset = document.getElementById('fu-reset');
  var empty = document.getElementById('fu-empty');
  var pagerBox = document.getElementById('fu-pager');
  var serverPager = pagerBox.firstElementChild;
  var listPath = form.getAttribute('data-list');
  var root = form.getAttribute('data-root');
  var pageNo = parseInt(box.getAttribute('data-page'), 10) || 1;
  var pages = parseInt(box.getAttribute('data-pages'), 10) || 1;
  var size = parseInt(box.getAttribute('data-page-size'), 10) || 100;
  var total = parseInt(box.getAttribute('data-total'), 10) || 0;
  var paged = pages > 1;
  var choices = [owner, service].filter(Boolean);

  var serverRows = Array.prototype.slice.call(tbody.rows);
  function fromRow(tr) {
    return {
      status: tr.getAttribute('data-status'),
      overdue: tr.getAttribute('data-overdue') === 'true',
      owner: tr.getAttribute('data-owner') || '',
      services: ' ' + (tr.getAttribute('data-services') || '') + ' ',
      tr: tr
    };
  }
  var items = paged ? null : serverRows.map(fromRow);
  var data = null;

  function fromData(d) {
    return d.followUps.map(function (f) {
      var rv = d.reviews[f[1]];
      return {
        row: f,
        status: f[3],
        overdue: f[5] === 1,
        owner: f[2] < 0 ? '' : d.people[f[2]][0],
        services: ' ' + rv[2].map(function (i) { return d.services[i][0]; }).join(' ') + ' ',
        tr: null
      };
    });
  }

  var statusText = {open: 'Not started', 'in-progress': 'In progress', done: 'Done', 'wont-do': 'Won’t do'};

  // row draws a follow-up as the build's followups-table does.
  function row(it) {
    var el = L.el;
    var f = it.row;
    var rv = data.reviews[f[1]];
    var closed = f[3] === 'done' || f[3] === 'wont-do';
    var cls = (it.overdue ? 'overdue' : '') + (closed ? ' is-closed' : '');
    var who = f[2] < 0 ? null : data.people[f[2]];
    var due = f[4]
      ? el('td', {'class': 'nowrap due-cell'}, el('time', {'class': 'due' + (it.overdue ? ' overdue' : ''), datetime: f[4]}, L.date(f[4])),
        it.overdue ? ' ' : '', it.overdue ? el('span', {'class': 'badge badge-overdue'}, 'Overdue') : '')
      : el('td', {'class': 'nowrap due-cell'}, el('span', {'class': 'muted'}, '—'));
    return el('tr', {'class': cls, 'data-status': f[3], 'data-overdue': String(it.overdue), 'data-owner': who ? who[0] : ''},
      el('td', {'class': 'title-cell'}, f[0], el('a', {'class': 'review-ref', href: root + 'reviews/' + rv[0] + '/'}, rv[1])),
      el('td', {'class': 'nowrap'}, who ? el('a', {href: root + 'people/' + who[0] + '/'}, who[1]) : el('span', {'class': 'muted'}, 'Nobody')),
      el('td', null, el('span', {'class': 'status status-' + f[3]}, statusText[f[3]] || f[3])),
      due,
      el('td', {'class': 'nowrap'}, f[6]
        ? el('a', {'class': 'tracker', href: f[6], rel: 'noopener'}, 'Ticket', el('span', {'class': 'visually-hidden'}, ' for ' + f[0]), ' ', el('span', {'aria-hidden': 'true'}, '↗'))
        : el('span', {'class': 'muted'}, '—')));
  }

  var params = new URLSearchParams(location.search);
  // "todo" was this page's word for open before open meant the same
  // everywhere: links kept from then still work.
  if (params.get('status') === 'todo') params.set('status', 'open');
  var v = params.get('status');
  if (v && Array.prototype.some.call(status.options, function (o) { return o.value === v; })) status.value = v;
  choices.forEach(function (c) {
    var k = params.get(c.input.name);
    if (k && !c.set(k)) c.input.value = k;
  });
  var viewPage = parseInt(params.get('page'), 10) || pageNo;

  function statusMatches(it, want) {
    switch (want) {
      case '': return true;
      // Open means not done yet, as on the home page and people's pages.
      case 'open': return it.status === 'open' || it.status === 'in-progress';
      case 'not-started': return it.status === 'open';
      case 'overdue': return it.overdue;
      default: return it.status === want;
    }
  }

  function render() {
    var st = status.value;
    var ow = owner ? owner.key() : '';
    var sv = service ? service.key() : '';
    choices.forEach(function (c) { c.input.setAttribute('aria-invalid', c.key() === null ? 'true' : 'false'); });
    var def = !st && !ow && !sv && !(owner && owner.input.value) && !(service && service.input.value);
    if (paged && def && viewPage === pageNo) {
      tbody.replaceChildren.apply(tbody, serverRows);
      pagerBox.replaceChildren(serverPager || '');
      count.textContent = total + (total === 1 ? ' follow-up' : ' follow-ups');
      reset.hidden = true;
      if (empty) empty.hidden = true;
      L.setAddress(L.pageURL(listPath, pageNo), new URLSearchParams());
      return;
    }
    if (!items) {
      count.textContent = 'Loading the list of follow-ups…';
      L.load(form.getAttribute('data-src')).then(function (d) {
        data = d;
        items = fromData(d);
        render();
      }, function () {
        count.textContent = 'The list of follow-ups could not be loaded: filters cover this page only.';
      });
      return;
    }
    var matched = items.filter(function (it) {
      return ow !== null && sv !== null && statusMatches(it, st) &&
        (!ow || (ow === '-' ? it.owner === '' : it.owner === ow)) &&
        (!sv || it.services.indexOf(' ' + sv + ' ') >= 0);
    });
    var count_ = Math.max(1, Math.ceil(matched.length / size));
    viewPage = Math.min(Math.max(1, viewPage), count_);
    var shown = matched.slice((viewPage - 1) * size, viewPage * size);
    tbody.replaceChildren.apply(tbody, shown.map(function (it) { return it.tr || (it.tr = row(it)); }));

    var q = new URLSearchParams();
    if (st) q.set('status', st);
    choices.forEach(function (c) {
      var k = c.key();
      if (k) q.set(c.input.name, k);
      else if (k === null) q.set(c.input.name, c.input.value.trim());
    });
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
    var bad = choices.filter(function (c) { return c.key() === null; })[0];
    if (bad) count.textContent = 'No ' + (bad === owner ? 'one' : 'service') + ' is called “' + bad.input.value.trim() + '”';
    else count.textContent = matched.length === all ? all + (all === 1 ? ' follow-up' : ' follow-ups') : 'Showing ' + matched.length + ' of ' + all;
    reset.hidden = def;
    if (empty) empty.hidden = matched.length > 0;
  }

  function changed() {
    viewPage = 1;
    render();
  }

  status.addEventListener('change', changed);
  choices.forEach(function (c) {
    c.input.addEventListener('input', function () { if (c.key() !== null) changed(); });
    c.input.addEventListener('change', changed);
    c.input.addEventListener('focus', function () { if (paged && !items) L.load(form.getAttribute('data-src')).catch(function () {}); });
  });
  reset.addEventListener('click', function () {
    status.value = '';
    choices.forEach(function (c) { c.input.value = ''; });
    changed();
    status.focus();
  });
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
