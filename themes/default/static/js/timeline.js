// Adds filter chips above each incident timeline: by event kind and by
// person mentioned. Selecting chips shows only matching events (kinds and
// people combine with AND; several chips of one row with OR). The choice
// is kept in the address (?kind=repair,diagnosis&person=ann-lee; a second
// timeline's as kind2 and person2), so a filtered view can be shared.
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

  function chip(label, count, attr, value, extraClass) {
    var b = document.createElement('button');
    b.type = 'button';
    b.className = 'filter-chip' + (extraClass ? ' ' + extraClass : '');
    b.setAttribute('aria-pressed', 'false');
    b.setAttribute(attr, value);
    if (extraClass) {
      var dot = document.createElement('span');
      dot.className = 'dot';
      dot.setAttribute('aria-hidden', 'true');
      b.appendChild(dot);
    }
    b.appendChild(document.createTextNode(label));
    var c = document.createElement('span');
    c.className = 'count';
    c.textContent = count;
    b.appendChild(c);
    return b;
  }

  function row(label, group) {
    var r = document.createElement('div');
    r.className = 'row';
    r.setAttribute('role', 'group');
    r.setAttribute('aria-label', group);
    var l = document.createElement('span');
    l.className = 'row-label';
    l.textContent = label;
    r.appendChild(l);
    return r;
  }

  function setup(fig, index) {
    var events = Array.prototype.slice.call(fig.querySelectorAll('li.timeline-event'));
    if (events.length < 2) return;
    var kinds = [], kindCount = {}, people = [], personCount = {};
    events.forEach(function (ev) {
      var k = ev.getAttribute('data-kind');
      if (!(k in kindCount)) { kindCount[k] = 0; kinds.push(k); }
      kindCount[k]++;
      words(ev.getAttribute('data-people')).forEach(function (p) {
        if (!(p in personCount)) { personCount[p] = 0; people.push(p); }
        personCount[p]++;
      });
    });
    if (kinds.length < 2 && people.length < 1) return;
    people.sort(function (a, b) { return personCount[b] - personCount[a] || (names[a] || a).localeCompare(names[b] || b); });

    var selKinds = {}, selPeople = {};
    var box = document.createElement('div');
    box.className = 'timeline-filters';
    box.id = 'timeline-filters-' + (index + 1);

    var kindRow = row('Kind', 'Filter events by kind');
    kinds.forEach(function (k) {
      kindRow.appendChild(chip(k.replace(/-/g, ' '), kindCount[k], 'data-kind', k, 'kind-' + k));
    });
    box.appendChild(kindRow);

    if (people.length) {
      var peopleRow = row('People', 'Filter events by person');
      people.forEach(function (p) {
        peopleRow.appendChild(chip(names[p] || p, personCount[p], 'data-person', p, ''));
      });
      box.appendChild(peopleRow);
    }

    var status = document.createElement('div');
    status.className = 'status-line';
    var shownText = document.createElement('span');
    shownText.setAttribute('aria-live', 'polite');
    var clear = document.createElement('button');
    clear.type = 'button';
    clear.className = 'link-button';
    clear.textContent = 'Show all';
    clear.hidden = true;
    status.appendChild(shownText);
    status.appendChild(clear);
    box.appendChild(status);

    var caption = fig.querySelector('figcaption');
    if (caption && caption.nextSibling) fig.insertBefore(box, caption.nextSibling);
    else fig.insertBefore(box, fig.firstChild);

    var suffix = index ? String(index + 1) : '';
    function restore() {
      var q = new URLSearchParams(location.search);
      var want = {};
      words((q.get('kind' + suffix) || '').replace(/,/g, ' ')).forEach(function (k) { want['k:' + k] = true; });
      words((q.get('person' + suffix) || '').replace(/,/g, ' ')).forEach(function (p) { want['p:' + p] = true; });
      box.querySelectorAll('button.filter-chip').forEach(function (b) {
        var k = b.hasAttribute('data-kind') ? 'k:' + b.getAttribute('data-kind') : 'p:' + b.getAttribute('data-person');
        if (!want[k]) return;
        b.setAttribute('aria-pressed', 'true');
        if (k.charAt(0) === 'k') selKinds[k.slice(2)] = true; else selPeople[k.slice(2)] = true;
      });
    }
    function remember() {
      var q = new URLSearchParams(location.search);
      var ks = Object.keys(selKinds), ps = Object.keys(selPeople);
      if (ks.length) q.set('kind' + suffix, ks.join(',')); else q.delete('kind' + suffix);
      if (ps.length) q.set('person' + suffix, ps.join(',')); else q.delete('person' + suffix);
      var qs = q.toString();
      try { history.replaceState(history.state, '', (qs ? '?' + qs : location.pathname) + location.hash); } catch (e) { /* file:// */ }
    }

    function apply() {
      var anyKind = Object.keys(selKinds).length > 0;
      var anyPerson = Object.keys(selPeople).length > 0;
      var shown = 0;
      events.forEach(function (ev) {
        var ok = (!anyKind || selKinds[ev.getAttribute('data-kind')]) &&
          (!anyPerson || words(ev.getAttribute('data-people')).some(function (p) { return selPeople[p]; }));
        ev.hidden = !ok;
        if (ok) shown++;
      });
      var filtered = anyKind || anyPerson;
      fig.classList.toggle('filtered', filtered);
      fig.querySelectorAll('.timeline-gap').forEach(function (g) { g.hidden = filtered; });
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
      var set = b.hasAttribute('data-kind') ? selKinds : selPeople;
      var key = b.getAttribute('data-kind') || b.getAttribute('data-person');
      if (on) set[key] = true; else delete set[key];
      apply();
    });
    clear.addEventListener('click', function () {
      selKinds = {};
      selPeople = {};
      box.querySelectorAll('button.filter-chip').forEach(function (b) { b.setAttribute('aria-pressed', 'false'); });
      apply();
    });
    restore();
    apply();
  }

  document.querySelectorAll('figure.timeline').forEach(setup);
})();
