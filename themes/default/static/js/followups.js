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

  var status = document.getElementById('fu-status');
  var owner = L.choice(document.getElementById('fu-owner'));
  var service = L.choice(document.getElementById('fu-service'));
  var root = form.getAttribute('data-root');
  var choices = [owner, service].filter(Boolean);

  function fromRow(tr) {
    return {
      status: tr.getAttribute('data-status'),
      overdue: tr.getAttribute('data-overdue') === 'true',
      owner: tr.getAttribute('data-owner') || '',
      services: ' ' + (tr.getAttribute('data-services') || '') + ' ',
      tr: tr
    };
  }

  function fromData(d) {
    return d.followUps.map(function (f) {
      var rv = d.reviews[f[1]];
      return {
        row: f,
        status: f[3],
        overdue: f[5] === 1,
        owner: f[2] < 0 ? '' : d.people[f[2]][0],
        services: ' ' + rv[2].map(function (i) { return d.services[i][0]; }).join(' ') + ' '
      };
    });
  }

  var statusText = {open: 'Not started', 'in-progress': 'In progress', done: 'Done', 'wont-do': 'Won’t do'};

  // row draws a follow-up as the build's followups-table does.
  function row(it, data) {
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

  function view() {
    var st = status.value;
    var ow = owner ? owner.key() : '';
    var sv = service ? service.key() : '';
    choices.forEach(function (c) { c.input.setAttribute('aria-invalid', c.key() === null ? 'true' : 'false'); });
    var q = new URLSearchParams();
    if (st) q.set('status', st);
    choices.forEach(function (c) {
      var k = c.key();
      if (k) q.set(c.input.name, k);
      else if (k === null) q.set(c.input.name, c.input.value.trim());
    });
    var filtered = !!(st || ow !== '' || sv !== '');
    var bad = choices.filter(function (c) { return c.key() === null; })[0];
    return {
      plain: !filtered,
      filtered: filtered,
      params: q,
      message: bad ? 'No ' + (bad === owner ? 'one' : 'service') + ' is called “' + bad.input.value.trim() + '”' : '',
      match: function (it) {
        return statusMatches(it, st) &&
          (!ow || (ow === '-' ? it.owner === '' : it.owner === ow)) &&
          (!sv || it.services.indexOf(' ' + sv + ' ') >= 0);
      }
    };
  }

  var list = L.list({
    form: form, box: box, tbody: table.tBodies[0], pagerBox: document.getElementById('fu-pager'),
    count: document.getElementById('fu-count'), reset: document.getElementById('fu-reset'),
    empty: document.getElementById('fu-empty'), noun: ['follow-up', 'follow-ups'],
    fromRow: fromRow, fromData: fromData, row: row, view: view
  });
  var changed = list.changed;

  status.addEventListener('change', changed);
  choices.forEach(function (c) {
    c.input.addEventListener('input', function () { if (c.key() !== null) changed(); });
    c.input.addEventListener('change', changed);
    c.input.addEventListener('focus', list.prefetch);
  });
  document.getElementById('fu-reset').addEventListener('click', function () {
    status.value = '';
    choices.forEach(function (c) { c.input.value = ''; });
    changed();
    status.focus();
  });
  form.hidden = false;
  list.render();
})();
