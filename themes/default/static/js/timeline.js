// Adds filter chips above each incident timeline: by event type (kind),
// tag (KIND/QUALIFIER), participant (a person the event names) and source
// (the channel it was seen in). Rows combine with AND; several chips of
// one row with OR. A line above the events says what the view is filtered
// by, with a button that clears it all. The choice is kept in the address
// (?kind=repair,diagnosis&tag=hypothesis/disproved&person=ann-lee&source=ops;
// a second timeline's as kind2, tag2, person2, source2), so a filtered view
// can be shared and survives a reload.
(function () {
  'use strict';
  var names = {};
  var list = document.getElementById('timeline-people');
  if (list) {
    Array.prototype.forEach.call(list.querySelectorAll('option'), function (o) {
      names[o.value] = o.textContent;
    });
  }

  function words(s) { return (s || '').split(/\s+/).filter(Boolean); }

  // The filter rows, in the order they are shown. values gives an event's
  // values in the row; label how a chip and the summary name a value.
  var dims = [
    {
      key: 'kind', attr: 'data-kind', title: 'Type', group: 'Filter events by type',
      values: function (ev) { return [ev.getAttribute('data-kind')]; },
      label: function (v) { return v.replace(/-/g, ' '); },
      dot: function (v) { return 'kind-' + v; }
    },
    {
      key: 'tag', attr: 'data-tag', title: 'Tag', group: 'Filter events by tag',
      values: function (ev) {
        var q = ev.getAttribute('data-qualifier');
        return q ? [ev.getAttribute('data-kind') + '/' + q] : [];
      },
      label: function (v) { return v.replace(/-/g, ' '); },
      dot: function (v) { return 'kind-' + v.split('/')[0]; }
    },
    {
      key: 'person', attr: 'data-person', title: 'Participant', group: 'Filter events by participant',
      values: function (ev) { return words(ev.getAttribute('data-people')); },
      label: function (v) { return names[v] || v; }
    },
    {
      key: 'source', attr: 'data-source', title: 'Source', group: 'Filter events by source',
      values: function (ev) { var s = ev.getAttribute('data-source'); return s ? [s] : []; },
      label: function (v) { return '#' + v; }
    }
  ];

  function chip(dim, value, count) {
    var b = document.createElement('button');
    b.type = 'button';
    var dot = dim.dot ? dim.dot(value) : '';
    b.className = 'filter-chip' + (dot ? ' ' + dot : '');
    b.setAttribute('aria-pressed', 'false');
    b.setAttribute(dim.attr, value);
    if (dot) {
      var d = document.createElement('span');
      d.className = 'dot';
      d.setAttribute('aria-hidden', 'true');
      b.appendChild(d);
    }
    b.appendChild(document.createTextNode(dim.label(value)));
    var c = document.createElement('span');
    c.className = 'count';
    c.textContent = count;
    b.appendChild(c);
    return b;
  }

  function row(dim) {
    var r = document.createElement('div');
    r.className = 'row row-' + dim.key;
    r.setAttribute('role', 'group');
    r.setAttribute('aria-label', dim.group);
    var l = document.createElement('span');
    l.className = 'row-label';
    l.textContent = dim.title;
    r.appendChild(l);
    return r;
  }

  function setup(fig, index) {
    var events = Array.prototype.slice.call(fig.querySelectorAll('li.timeline-event'));
    if (events.length < 2) return;
    // Per row: the values in first-seen order and how many events carry each.
    var seen = dims.map(function () { return { order: [], count: {} }; });
    events.forEach(function (ev) {
      dims.forEach(function (dim, i) {
        dim.values(ev).forEach(function (v) {
          var s = seen[i];
          if (!(v in s.count)) { s.count[v] = 0; s.order.push(v); }
          s.count[v]++;
        });
      });
    });
    var people = seen[2];
    people.order.sort(function (a, b) {
      return people.count[b] - people.count[a] || (names[a] || a).localeCompare(names[b] || b);
    });
    // A row is worth showing when it can narrow the list: a single type
    // alone cannot, a single tag, person or source can.
    var shownDims = dims.filter(function (dim, i) {
      return seen[i].order.length >= (dim.key === 'kind' ? 2 : 1);
    });
    if (!shownDims.length) return;

    var sel = {};
    dims.forEach(function (dim) { sel[dim.key] = {}; });
    var box = document.createElement('div');
    box.className = 'timeline-filters';
    box.id = 'timeline-filters-' + (index + 1);
    shownDims.forEach(function (dim) {
      var r = row(dim), s = seen[dims.indexOf(dim)];
      s.order.forEach(function (v) { r.appendChild(chip(dim, v, s.count[v])); });
      box.appendChild(r);
    });

    var status = document.createElement('div');
    status.className = 'status-line';
    status.setAttribute('aria-live', 'polite');
    var summary = document.createElement('span');
    summary.className = 'filter-summary';
    var shownText = document.createElement('span');
    shownText.className = 'filter-count';
    var clear = document.createElement('button');
    clear.type = 'button';
    clear.className = 'link-button filter-clear';
    clear.textContent = 'Clear all filters';
    clear.hidden = true;
    status.appendChild(summary);
    status.appendChild(shownText);
    status.appendChild(clear);
    box.appendChild(status);

    var caption = fig.querySelector('figcaption');
    if (caption && caption.nextSibling) fig.insertBefore(box, caption.nextSibling);
    else fig.insertBefore(box, fig.firstChild);

    var suffix = index ? String(index + 1) : '';
    function dimOf(b) {
      for (var i = 0; i < dims.length; i++) if (b.hasAttribute(dims[i].attr)) return dims[i];
      return null;
    }
    function restore() {
      var q = new URLSearchParams(location.search);
      box.querySelectorAll('button.filter-chip').forEach(function (b) {
        var dim = dimOf(b), v = b.getAttribute(dim.attr);
        var want = (q.get(dim.key + suffix) || '').split(',');
        if (want.indexOf(v) < 0) return;
        b.setAttribute('aria-pressed', 'true');
        sel[dim.key][v] = true;
      });
    }
    function remember() {
      var q = new URLSearchParams(location.search);
      dims.forEach(function (dim) {
        var vs = Object.keys(sel[dim.key]);
        if (vs.length) q.set(dim.key + suffix, vs.join(',')); else q.delete(dim.key + suffix);
      });
      // Slashes and commas read better unescaped, and mean nothing
      // special in a query's value.
      var qs = q.toString().replace(/%2F/gi, '/').replace(/%2C/gi, ',');
      try { history.replaceState(history.state, '', (qs ? '?' + qs : location.pathname) + location.hash); } catch (e) { /* file:// */ }
    }

    function apply() {
      var active = dims.filter(function (dim) { return Object.keys(sel[dim.key]).length > 0; });
      var shown = 0;
      events.forEach(function (ev) {
        var ok = active.every(function (dim) {
          return dim.values(ev).some(function (v) { return sel[dim.key][v]; });
        });
        ev.hidden = !ok;
        if (ok) shown++;
      });
      var filtered = active.length > 0;
      fig.classList.toggle('filtered', filtered);
      fig.querySelectorAll('.timeline-gap').forEach(function (g) { g.hidden = filtered; });
      // "Filtered by type: repair · tag: hypothesis/disproved": what the
      // reader chose, in words, next to how many events it leaves.
      summary.textContent = filtered
        ? 'Filtered by ' + active.map(function (dim) {
          return dim.title.toLowerCase() + ': ' + Object.keys(sel[dim.key]).map(dim.label).join(' or ');
        }).join(' · ') + '.'
        : '';
      summary.hidden = !filtered;
      shownText.textContent = filtered
        ? 'Showing ' + shown + ' of ' + events.length + ' events'
        : events.length + ' events';
      clear.hidden = !filtered;
      remember();
    }

    box.addEventListener('click', function (e) {
      var b = e.target.closest('button.filter-chip');
      if (!b) return;
      var on = b.getAttribute('aria-pressed') !== 'true';
      b.setAttribute('aria-pressed', on ? 'true' : 'false');
      var dim = dimOf(b), v = b.getAttribute(dim.attr);
      if (on) sel[dim.key][v] = true; else delete sel[dim.key][v];
      apply();
    });
    clear.addEventListener('click', function () {
      dims.forEach(function (dim) { sel[dim.key] = {}; });
      box.querySelectorAll('button.filter-chip').forEach(function (b) { b.setAttribute('aria-pressed', 'false'); });
      apply();
    });
    restore();
    apply();
    // A link to a filtered view (from /insights/) lands on what it shows.
    if (index === firstFiltered() && !location.hash) box.scrollIntoView();
  }

  // firstFiltered is the index of the first timeline the address filters,
  // -1 when none.
  function firstFiltered() {
    var q = new URLSearchParams(location.search), first = -1;
    q.forEach(function (v, k) {
      var m = /^(kind|tag|person|source)(\d*)$/.exec(k);
      if (m && v) {
        var i = m[2] ? Number(m[2]) - 1 : 0;
        if (first < 0 || i < first) first = i;
      }
    });
    return first;
  }

  document.querySelectorAll('figure.timeline').forEach(setup);
})();
