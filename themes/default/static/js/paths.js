// Training-path progress, kept in this browser's localStorage under
// "casebook:path:<slug>" as a JSON array of the slugs of reviews read.
// Shows progress on /paths/, the home page and path pages, and wires up
// every "Mark as read" checkbox (path pages and reviews on a path).
(function () {
  'use strict';
  var PREFIX = 'casebook:path:';
  var store;
  try {
    store = window.localStorage;
    store.setItem(PREFIX + '_probe', '1');
    store.removeItem(PREFIX + '_probe');
  } catch (e) {
    return; // No storage (private mode, disabled): leave progress hidden.
  }

  function load(slug) {
    try {
      var v = JSON.parse(store.getItem(PREFIX + slug) || '[]');
      return Array.isArray(v) ? v : [];
    } catch (e) {
      return [];
    }
  }

  function save(slug, list) {
    try { store.setItem(PREFIX + slug, JSON.stringify(list)); } catch (e) { /* full */ }
  }

  function render() {
    document.querySelectorAll('[data-path-slug][data-steps]').forEach(function (el) {
      var steps = el.getAttribute('data-steps').split(' ').filter(Boolean);
      var read = load(el.getAttribute('data-path-slug'));
      var n = steps.filter(function (s) { return read.indexOf(s) >= 0; }).length;
      var p = el.querySelector('.progress');
      if (!p || !steps.length) return;
      var done = n === steps.length;
      p.hidden = false;
      p.classList.toggle('complete', done);
      p.setAttribute('data-read', String(n));
      p.setAttribute('role', 'progressbar');
      p.setAttribute('aria-valuemin', '0');
      p.setAttribute('aria-valuemax', String(steps.length));
      p.setAttribute('aria-valuenow', String(n));
      p.querySelector('.fill').style.width = (100 * n / steps.length) + '%';
      var label = done ? 'Completed ✓' : n === 0 ? 'Not started' : n + ' of ' + steps.length + ' read';
      p.querySelector('.label').textContent = label;
      p.setAttribute('aria-valuetext', label);
    });
    document.querySelectorAll('input[type=checkbox][data-path][data-review]').forEach(function (box) {
      var read = load(box.getAttribute('data-path'));
      box.checked = read.indexOf(box.getAttribute('data-review')) >= 0;
      var label = box.closest('.mark-read');
      if (label) label.hidden = false;
      var step = box.closest('.step');
      if (step) step.classList.toggle('is-read', box.checked);
    });
  }

  document.addEventListener('change', function (e) {
    var box = e.target;
    if (!box.matches || !box.matches('input[type=checkbox][data-path][data-review]')) return;
    var slug = box.getAttribute('data-path');
    var review = box.getAttribute('data-review');
    var read = load(slug).filter(function (s) { return s !== review; });
    if (box.checked) read.push(review);
    save(slug, read);
    render();
  });
  window.addEventListener('storage', function (e) {
    if (!e.key || e.key.indexOf(PREFIX) === 0) render();
  });
  window.addEventListener('pageshow', render);
  render();
})();
