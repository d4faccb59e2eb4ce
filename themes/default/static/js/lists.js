// What the list pages' filters share (reviews.js, followups.js). A list
// longer than page_size is split into /page/N/ pages by the build; its
// filters then read the whole list from a data file, fetched the first
// time someone filters, and draw the matching rows a page at a time with
// a pager like the build's.
window.casebookLists = (function () {
  'use strict';

  function fold(s) {
    return String(s).toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  }

  var months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

  // A YYYY-MM-DD date as the build prints it ("2 Jan 2006").
  function date(iso) {
    if (!iso || iso.indexOf('0001-') === 0) return '';
    var p = iso.split('-');
    return parseInt(p[2], 10) + ' ' + months[parseInt(p[1], 10) - 1] + ' ' + p[0];
  }

  // el builds an element: el('a', {href: u, 'class': 'x'}, child, 'text', ...).
  function el(tag, attrs) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) {
      if (attrs[k] !== null && attrs[k] !== undefined) e.setAttribute(k, attrs[k]);
    }
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c === null || c === undefined || c === '') continue;
      e.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
    }
    return e;
  }

  // choice wraps a text box with a datalist whose options carry
  // data-key: it reads as the key of the option typed (by its text or its
  // data-name when no other option has that name, in any case, or by the
  // key itself), '' when empty and null when it is none of those.
  function choice(input) {
    var list = input && document.getElementById(input.getAttribute('list'));
    if (!list) return null;
    var byText = {};
    var byKey = {};
    var byName = {}; // an option's short name (data-name), unless two share it
    Array.prototype.forEach.call(list.options, function (o) {
      var k = o.getAttribute('data-key');
      var t = fold(o.value);
      if (!(t in byText)) byText[t] = k;
      if (!(k in byKey)) byKey[k] = o.value;
      var n = o.getAttribute('data-name');
      if (n) byName[fold(n)] = fold(n) in byName ? null : k;
    });
    for (var n in byName) if (byName[n] && !(n in byText)) byText[n] = byName[n];
    return {
      input: input,
      key: function () {
        var v = input.value.trim();
        if (!v) return '';
        if (fold(v) in byText) return byText[fold(v)];
        if (v in byKey) return v;
        return null;
      },
      set: function (key) {
        if (!(key in byKey)) return false;
        input.value = byKey[key];
        return true;
      },
      text: function (key) { return byKey[key]; }
    };
  }

  // pageURL is the build's URL of page n of the list at base.
  function pageURL(base, n) {
    return n <= 1 ? base : base + 'page/' + n + '/';
  }

  // pager draws the build's pager (templates/partials/pager.html) for
  // page n of count over total items; href(n) is each page's address.
  // It is empty when everything fits on one page.
  function pager(n, count, total, size, href) {
    var nav = el('nav', {'class': 'pager', 'aria-label': 'Pages'});
    if (count <= 1) { nav.hidden = true; return nav; }
    var from = Math.min((n - 1) * size + 1, total);
    var to = Math.min(n * size, total);
    nav.appendChild(el('p', {'class': 'pager-range'}, from + '–' + to + ' of ' + total));
    var ul = el('ul');
    function edge(label, m, rel) {
      if (m < 1 || m > count) return el('li', null, el('span', {'class': 'pager-off', 'aria-hidden': 'true'}, label));
      return el('li', null, el('a', {href: href(m), rel: rel, 'data-page': m}, label, el('span', {'class': 'visually-hidden'}, ' page')));
    }
    function num(m) {
      return el('li', null, el('a', {href: href(m), 'data-page': m, 'aria-current': m === n ? 'page' : null},
        el('span', {'class': 'visually-hidden'}, 'Page '), String(m)));
    }
    ul.appendChild(edge('Previous', n - 1, 'prev'));
    // The same window as the build's Pager.Links: the first and last
    // pages and two either side of this one, a gap for more than one
    // page left out.
    var last = 0;
    function add(m) {
      if (m <= last || m < 1 || m > count) return;
      if (last && m === last + 2) ul.appendChild(num(last + 1));
      else if (last && m > last + 2) ul.appendChild(el('li', null, el('span', {'class': 'pager-gap', 'aria-hidden': 'true'}, '…')));
      ul.appendChild(num(m));
      last = m;
    }
    add(1);
    for (var m = n - 2; m <= n + 2; m++) add(m);
    add(count);
    ul.appendChild(edge('Next', n + 1, 'next'));
    nav.appendChild(ul);
    return nav;
  }

  var loads = {};
  // load fetches a data file once per page, however many ask.
  function load(url) {
    if (!loads[url]) {
      loads[url] = fetch(url, {credentials: 'same-origin'}).then(function (r) {
        if (!r.ok) throw new Error(url + ': ' + r.status);
        return r.json();
      });
    }
    return loads[url];
  }

  // setAddress keeps a list's state in the address bar, so that a
  // filtered view can be reloaded, bookmarked and shared.
  function setAddress(path, params) {
    var qs = params.toString();
    try { history.replaceState(null, '', path + (qs ? '?' + qs : '')); } catch (e) { /* file:// */ }
  }

  // list runs a list page's filters: o.box carries the build's data-page,
  // data-pages, data-page-size and data-total; o.tbody holds the rows,
  // o.pagerBox the pager, o.form the data-src and data-list. The page says
  // what an item is and how a filter reads: o.fromRow(tr) and
  // o.fromData(data) make items (an item with .tr is shown by that row,
  // else by o.row(item, data)), and o.view() returns the filters' state:
  // {plain (nothing chosen: the build's order), filtered (a filter is
  // set, not just an order), match(item), compare (optional), params
  // (URLSearchParams), message (optional: why nothing can match)}. o.noun is [one, many]; o.count, o.reset and o.empty are
  // the count, "Clear filters" and "nothing matches" elements.
  function list(o) {
    var box = o.box;
    var pageNo = parseInt(box.getAttribute('data-page'), 10) || 1;
    var pages = parseInt(box.getAttribute('data-pages'), 10) || 1;
    var size = parseInt(box.getAttribute('data-page-size'), 10) || 100;
    var total = parseInt(box.getAttribute('data-total'), 10) || 0;
    var paged = pages > 1;
    var listPath = o.form.getAttribute('data-list');
    var src = o.form.getAttribute('data-src');
    var serverRows = Array.prototype.slice.call(o.tbody.rows);
    var serverPager = o.pagerBox.firstElementChild;
    var items = paged ? null : serverRows.map(o.fromRow);
    var data = null;
    var viewPage = parseInt(new URLSearchParams(location.search).get('page'), 10) || pageNo;

    function noun(n) { return n + ' ' + (n === 1 ? o.noun[0] : o.noun[1]); }

    function render() {
      var v = o.view();
      // On a page of a longer list, its own rows are what the build drew,
      // summaries and all: nothing to fetch until the view changes.
      if (paged && v.plain && viewPage === pageNo) {
        o.tbody.replaceChildren.apply(o.tbody, serverRows);
        o.pagerBox.replaceChildren(serverPager || '');
        o.count.textContent = noun(total);
        o.reset.hidden = true;
        if (o.empty) o.empty.hidden = true;
        setAddress(pageURL(listPath, pageNo), new URLSearchParams());
        return;
      }
      if (!items) {
        o.count.textContent = 'Loading the list of ' + o.noun[1] + '…';
        load(src).then(function (d) {
          data = d;
          // The file lists in the build's order, so this page's rows
          // are its items from (pageNo - 1) * size on.
          items = o.fromData(d);
          serverRows.forEach(function (tr, i) {
            var it = items[(pageNo - 1) * size + i];
            if (it) it.tr = tr;
          });
          render();
        }, function () {
          o.count.textContent = 'The list of ' + o.noun[1] + ' could not be loaded.';
        });
        return;
      }
      var matched = v.message ? [] : items.filter(v.match);
      if (v.compare) matched.sort(v.compare);
      var count = Math.max(1, Math.ceil(matched.length / size));
      viewPage = Math.min(Math.max(1, viewPage), count);
      var shown = matched.slice((viewPage - 1) * size, viewPage * size);
      o.tbody.replaceChildren.apply(o.tbody, shown.map(function (it) { return it.tr || (it.tr = o.row(it, data)); }));
      function href(n) {
        if (v.plain) return pageURL(listPath, n);
        var q = new URLSearchParams(v.params);
        if (n > 1) q.set('page', n);
        return listPath + '?' + q.toString();
      }
      o.pagerBox.replaceChildren(pager(viewPage, count, matched.length, size, href));
      if (v.plain) setAddress(pageURL(listPath, viewPage), new URLSearchParams());
      else {
        var q = new URLSearchParams(v.params);
        if (viewPage > 1) q.set('page', viewPage);
        setAddress(listPath, q);
      }
      var all = items.length;
      o.count.textContent = v.message || (matched.length === all ? noun(all) : matched.length + ' of ' + noun(all));
      o.reset.hidden = !v.filtered;
      if (o.empty) o.empty.hidden = matched.length > 0;
    }

    // The pager of a filtered list turns pages without a new page load.
    o.pagerBox.addEventListener('click', function (e) {
      var a = e.target.closest && e.target.closest('a[data-page]');
      if (!a || e.ctrlKey || e.metaKey || e.shiftKey || e.button) return;
      e.preventDefault();
      viewPage = parseInt(a.getAttribute('data-page'), 10);
      render();
      box.scrollIntoView({block: 'start'});
    });

    return {
      render: render,
      // changed shows the first page of a new view.
      changed: function () { viewPage = 1; render(); },
      // prefetch fetches the list's data while the reader is still
      // choosing what to filter by.
      prefetch: function () { if (paged && !items) load(src).catch(function () {}); }
    };
  }

  return {fold: fold, date: date, el: el, choice: choice, pageURL: pageURL, pager: pager, load: load, setAddress: setAddress, list: list};
})();
