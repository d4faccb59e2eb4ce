// Search for every page: instant results under the header box, and the
// search page (/search/) with facets, dates and paging whose state lives
// in the URL. Results come from GET /api/search; on a static host without
// it (404 or a network error) the script loads search-static.js, which
// answers the same queries in the browser from the static search bundle
// the build writes under /search/bundle/, and says so. Where there is no
// bundle either (the preview server while it indexes), it searches the
// titles and summaries of /search-index.json.
(function () {
  'use strict';

  var metaBase = document.querySelector('meta[name="casebook-base"]');
  var base = (metaBase && metaBase.getAttribute('content')) || '/';
  if (base.charAt(base.length - 1) !== '/') base += '/';

  var DEBOUNCE = 120;
  var MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

  // ---------- Talking to the index ----------

  // mode is 'api' until /api/search proves missing, then 'local'.
  var mode = 'api';
  var local = null; // promise of the client-side index

  function SearchError(message) { this.message = message; }

  // search runs a query given as URLSearchParams and resolves to the API's
  // JSON ({total, hits, facets}); a rejected query rejects with a
  // SearchError carrying the server's message.
  function search(params, signal) {
    if (mode === 'local') return localSearch(params);
    return fetch(base + 'api/search?' + params.toString(), { signal: signal, headers: { Accept: 'application/json' } })
      .then(function (resp) {
        var type = resp.headers.get('Content-Type') || '';
        if (resp.status === 400 && type.indexOf('json') >= 0) {
          return resp.json().then(function (body) { throw new SearchError(body.error || 'This search cannot be run.'); });
        }
        if (resp.ok && type.indexOf('json') >= 0) return resp.json();
        if (resp.status === 404 || resp.status === 405 || (resp.ok && type.indexOf('json') < 0)) {
          // A static host: no search API here. Use the build's index.
          mode = 'local';
          announceMode();
        }
        // 503 (the preview server is still indexing) and other errors:
        // answer this query locally without giving up on the API.
        return localSearch(params);
      }, function (err) {
        if (err && err.name === 'AbortError') throw err;
        mode = 'local';
        announceMode();
        return localSearch(params);
      });
  }

  // The static search client, loaded on first need; staticEngine is a
  // promise of its engine, or of null where the site has no bundle.
  var staticEngine = null;
  // localKind says which local search answers: '' until the bundle has
  // loaded or proved missing, then 'static' or 'legacy'. No note shows
  // while it is '', so a reader never sees the wrong one first.
  var localKind = '';

  function loadStatic() {
    if (!staticEngine) {
      staticEngine = new Promise(function (resolve) {
        var script = document.createElement('script');
        script.src = base + 'js/search-static.js';
        script.async = true;
        script.onload = function () {
          var eng = window.CasebookStaticSearch && window.CasebookStaticSearch.open(base + 'search/bundle/');
          if (!eng) return resolve(null);
          eng.init().then(function () { resolve(eng); }, function () { resolve(null); });
        };
        script.onerror = function () { resolve(null); };
        document.head.appendChild(script);
      });
    }
    return staticEngine;
  }

  function localSearch(params) {
    return loadStatic().then(function (eng) {
      var kind = eng ? 'static' : 'legacy';
      if (localKind !== kind) { localKind = kind; announceMode(); }
      if (!eng) return legacySearch(params);
      return eng.search(params).catch(function (err) {
        if (err && err.name === 'QueryError') throw new SearchError(err.message);
        throw err;
      });
    });
  }

  // prefetch has the static engine, once it answers here, start fetching
  // what the query being typed will need, so that the network works
  // during the debounce.
  function prefetch(q) {
    if (mode !== 'local' || !staticEngine || !q.trim()) return;
    staticEngine.then(function (eng) { if (eng) eng.prefetch(q); });
  }

  function loadLocal() {
    if (!local) {
      local = fetch(base + 'search-index.json').then(function (resp) {
        if (!resp.ok) throw new SearchError('Search is not available on this site.');
        return resp.json();
      }).then(prepareLocal);
      local.catch(function () { local = null; });
    }
    return local;
  }

  function fold(s) {
    s = String(s || '').toLowerCase();
    return s.normalize ? s.normalize('NFD').replace(/[\u0300-\u036f]/g, '') : s;
  }
  // normalizeTerm is site.Normalize: lower case, runs of anything but
  // letters and digits folded to one '-'.
  function normalizeTerm(s) { return String(s || '').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-+|-+$/g, ''); }

  function prepareLocal(idx) {
    idx.taxByKey = {};
    (idx.taxonomies || []).forEach(function (t) { idx.taxByKey[t.key] = t; });
    (idx.reviews || []).forEach(function (r) {
      var termText = [];
      Object.keys(r.terms || {}).forEach(function (k) {
        var t = idx.taxByKey[k];
        r.terms[k].forEach(function (id) { termText.push(id.replace(/-/g, ' '), t && t.terms[id] || ''); });
      });
      r._title = fold(r.title);
      r._summary = fold(r.summary);
      r._headings = fold((r.headings || []).join(' \n '));
      r._terms = fold(termText.join(' \n '));
      r._sev = fold(r.severity);
    });
    return idx;
  }

  // parseLocalQuery understands the common part of the query syntax:
  // words, "phrases", +word, -word, field:value and a trailing * (which
  // every last word gets anyway, for instant results).
  function parseLocalQuery(q) {
    var clauses = [];
    var re = /([+-]?)(?:([\p{L}\p{N}_-]+):)?(?:"([^"]*)"?|(\S+))/gu;
    var m;
    while ((m = re.exec(q)) !== null) {
      var text = m[3] !== undefined ? m[3] : m[4];
      text = fold(text).replace(/[~^][\d.]*$/, '').replace(/[*?()\\\/]+/g, ' ').trim();
      if (!text) continue;
      clauses.push({ op: m[1], field: m[2] ? m[2].toLowerCase().replace(/_/g, '-') : '', text: text, phrase: m[3] !== undefined });
    }
    return clauses;
  }

  var FIELD_WEIGHTS = [['_title', 5], ['_terms', 3], ['_summary', 2], ['_headings', 1.5]];

  function matchClause(idx, r, c, isLast) {
    var words = c.phrase ? [c.text] : c.text.split(/\s+/);
    if (c.field) {
      var tax = idx.taxByKey[c.field];
      if (tax) {
        var id = canonical(tax, c.text);
        return (r.terms && r.terms[tax.key] || []).indexOf(id) >= 0 ? 3 : 0;
      }
      var prop = { title: '_title', summary: '_summary', headings: '_headings', severity: '_sev' }[c.field];
      if (!prop) return 0;
      return words.every(function (w) { return r[prop].indexOf(w) >= 0; }) ? 3 : 0;
    }
    var score = 0;
    words.forEach(function (w, i) {
      var prefixOnly = isLast && i === words.length - 1 && !c.phrase;
      FIELD_WEIGHTS.forEach(function (fw) {
        var hay = r[fw[0]];
        var at = hay.indexOf(w);
        if (at < 0) return;
        var whole = new RegExp('(^|[^\\p{L}\\p{N}])' + escapeRe(w) + '([^\\p{L}\\p{N}]|$)', 'u').test(hay);
        score += fw[1] * (whole ? 1 : (prefixOnly ? 0.6 : 0.3));
      });
    });
    return score;
  }

  function canonical(tax, v) {
    var id = normalizeTerm(v);
    return (tax.aliases && tax.aliases[id]) || id;
  }

  function escapeRe(s) { return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'); }

  function legacySearch(params) {
    return loadLocal().then(function (idx) {
      var q = (params.get('q') || '').trim();
      var clauses = parseLocalQuery(q);
      var page = Math.max(1, parseInt(params.get('page'), 10) || 1);
      var size = Math.min(20, Math.max(1, parseInt(params.get('size'), 10) || 10));
      var from = params.get('from') || '', to = params.get('to') || '';
      var filters = [];
      params.forEach(function (v, k) {
        if (k === 'q' || k === 'page' || k === 'size' || k === 'from' || k === 'to') return;
        var tax = idx.taxByKey[k] || idx.taxByKey[k.replace(/_/g, '-')];
        if (!tax) throw new SearchError('unknown parameter "' + k + '"');
        var f = filters.filter(function (x) { return x.tax === tax; })[0];
        if (!f) { f = { tax: tax, ids: [] }; filters.push(f); }
        v.split(',').forEach(function (p) { if (p.trim()) f.ids.push(canonical(tax, p)); });
      });
      var scored = [];
      idx.reviews.forEach(function (r) {
        if (from && r.date < from) return;
        if (to && r.date > to) return;
        for (var i = 0; i < filters.length; i++) {
          var have = r.terms && r.terms[filters[i].tax.key] || [];
          if (!filters[i].ids.some(function (id) { return have.indexOf(id) >= 0; })) return;
        }
        var score = 0, should = 0, any = false;
        for (var j = 0; j < clauses.length; j++) {
          var c = clauses[j];
          var s = matchClause(idx, r, c, j === clauses.length - 1);
          if (c.op === '-') { if (s > 0) return; continue; }
          if (c.op === '+' && s === 0) return;
          if (c.op !== '+') should++;
          if (s > 0) any = true;
          score += s;
        }
        if (should > 0 && !any && !clauses.some(function (c) { return c.op === '+'; })) return;
        scored.push({ r: r, score: score });
      });
      var ranked = clauses.some(function (c) { return c.op !== '-'; });
      scored.sort(function (a, b) {
        return (ranked ? b.score - a.score : 0) || (a.r.date < b.r.date ? 1 : a.r.date > b.r.date ? -1 : 0);
      });
      var words = [];
      clauses.forEach(function (c) { if (c.op !== '-' && !c.field) words = words.concat(c.phrase ? [c.text] : c.text.split(/\s+/)); });
      var facets = {};
      idx.taxonomies.forEach(function (t) {
        var counts = {};
        scored.forEach(function (x) { (x.r.terms && x.r.terms[t.key] || []).forEach(function (id) { counts[id] = (counts[id] || 0) + 1; }); });
        facets[t.key] = Object.keys(counts).map(function (id) { return { term: id, title: t.terms[id] || id, count: counts[id] }; })
          .sort(function (a, b) { return b.count - a.count || a.title.localeCompare(b.title); });
      });
      return {
        total: scored.length,
        hits: scored.slice((page - 1) * size, page * size).map(function (x) {
          var r = x.r;
          return { slug: r.slug, title: r.title, url: r.url, date: r.date, summary: r.summary || '', fragments: highlightLocal(r.summary || '', words) };
        }),
        facets: facets
      };
    });
  }

  // highlightLocal marks words in the summary, producing the API's
  // fragment form: escaped HTML with <mark>.
  function highlightLocal(text, words) {
    words = words.filter(function (w) { return w.length > 1; });
    if (!words.length || !text) return [];
    var re = new RegExp('(' + words.map(escapeRe).join('|') + ')', 'giu');
    var folded = fold(text);
    if (folded.length !== text.length) return [];
    var out = '', last = 0, m, found = false;
    while ((m = re.exec(folded)) !== null) {
      if (!m[0].length) { re.lastIndex++; continue; }
      out += escapeHTML(text.slice(last, m.index)) + '<mark>' + escapeHTML(text.slice(m.index, m.index + m[0].length)) + '</mark>';
      last = m.index + m[0].length;
      found = true;
    }
    return found ? [out + escapeHTML(text.slice(last))] : [];
  }

  function escapeHTML(s) {
    return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;');
  }

  // ---------- Rendering ----------

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) {
      if (k === 'text') e.textContent = attrs[k];
      else if (k === 'className') e.className = attrs[k];
      else e.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) e.appendChild(c); });
    return e;
  }

  var ENTITIES = { '&lt;': '<', '&gt;': '>', '&amp;': '&', '&#34;': '"', '&#39;': "'", '&quot;': '"', '&apos;': "'" };
  function decode(s) {
    return s.replace(/&(?:lt|gt|amp|quot|apos|#34|#39);/g, function (e) { return ENTITIES[e]; })
      .replace(/&#(\d+);/g, function (_, n) { return String.fromCodePoint(+n); });
  }

  // fragment builds DOM from a highlighted fragment without ever
  // treating it as HTML: text nodes, and <mark> elements for the matches.
  function fragment(html) {
    var f = document.createDocumentFragment();
    var parts = String(html).split(/(<mark>|<\/mark>)/);
    var inMark = false;
    parts.forEach(function (p) {
      if (p === '<mark>') { inMark = true; return; }
      if (p === '</mark>') { inMark = false; return; }
      if (!p) return;
      var t = document.createTextNode(decode(p));
      if (inMark) f.appendChild(el('mark', null, [t]));
      else f.appendChild(t);
    });
    return f;
  }

  // queryWords are the words of a query worth highlighting in titles:
  // not excluded, not aimed at another field.
  function queryWords(q) {
    var words = [];
    parseLocalQuery(q || '').forEach(function (c) {
      if (c.op === '-' || (c.field && c.field !== 'title')) return;
      words = words.concat(c.phrase ? [c.text] : c.text.split(/\s+/));
    });
    return words.filter(function (w) { return w.length > 1; });
  }

  // marked returns text as DOM with the words (at the start of a word)
  // in <mark>; case and accents do not matter.
  function marked(text, words) {
    var f = document.createDocumentFragment();
    var folded = fold(text);
    if (!words.length || folded.length !== text.length) {
      f.appendChild(document.createTextNode(text));
      return f;
    }
    var re = new RegExp('(^|[^\\p{L}\\p{N}])(' + words.map(escapeRe).join('|') + ')', 'gu');
    var last = 0, m;
    while ((m = re.exec(folded)) !== null) {
      var at = m.index + m[1].length;
      if (!m[2].length) { re.lastIndex++; continue; }
      f.appendChild(document.createTextNode(text.slice(last, at)));
      f.appendChild(el('mark', null, [document.createTextNode(text.slice(at, at + m[2].length))]));
      last = at + m[2].length;
    }
    f.appendChild(document.createTextNode(text.slice(last)));
    return f;
  }

  function formatDate(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || '');
    if (!m) return iso || '';
    return (+m[3]) + ' ' + MONTHS[+m[2] - 1] + ' ' + m[1];
  }

  function href(u) {
    if (/^[a-z]+:/i.test(u)) return u;
    return base + String(u).replace(/^\/+/, '');
  }

  var modeListeners = [];
  function announceMode() { modeListeners.forEach(function (f) { f(); }); }
  var LEGACY_NOTE = 'Searching titles, summaries and terms only: this site has no search service.';
  var STATIC_NOTE = 'Searching in your browser: this site has no search service.';
  function localNote() { return localKind === 'static' ? STATIC_NOTE : localKind === 'legacy' ? LEGACY_NOTE : ''; }

  // ---------- The header box ----------

  // The dropdown's inner layout, here because the script makes that
  // markup; inserted first in <head>, so a theme's own rules win.
  var DROPDOWN_CSS =
    '.site-search .search-dropdown{left:auto;right:0}' +
    '.search-dropdown .hit-title{display:block;font-weight:600;color:var(--fg-strong,inherit);line-height:1.35}' +
    '.search-dropdown .hit-date,.search-dropdown .hit-frag{display:block;font-size:.8rem;color:var(--muted,#666);line-height:1.4}' +
    '.search-dropdown .hit-frag{display:-webkit-box;-webkit-line-clamp:2;-webkit-box-orient:vertical;overflow:hidden}' +
    '.search-dropdown .all{font-size:.85rem;border-top:1px solid var(--border,#ddd);margin-top:.25rem;border-radius:0}' +
    '.search-dropdown .note{font-size:.75rem;color:var(--faint,#888);padding:.3rem .6rem 0;margin:0}' +
    '.search-dropdown .empty,.search-dropdown .error{padding:.45rem .6rem;margin:0;color:var(--muted,#666)}';

  function addStyle() {
    if (document.getElementById('casebook-search-style')) return;
    var style = el('style', { id: 'casebook-search-style', text: DROPDOWN_CSS });
    document.head.insertBefore(style, document.head.firstChild);
  }

  function setupHeader() {
    var input = document.getElementById('site-search-input');
    var box = document.getElementById('site-search-results');
    if (!input || !box) return;
    addStyle();
    var form = input.form;
    var timer = 0, seq = 0, controller = null, active = -1, items = [];

    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-expanded', 'false');
    input.setAttribute('aria-controls', 'site-search-results');

    function close() {
      box.hidden = true;
      input.setAttribute('aria-expanded', 'false');
      input.removeAttribute('aria-activedescendant');
      active = -1;
    }
    function open() {
      box.hidden = false;
      input.setAttribute('aria-expanded', 'true');
    }
    function select(i) {
      items.forEach(function (it, j) { it.setAttribute('aria-selected', j === i ? 'true' : 'false'); });
      active = i;
      if (i >= 0 && items[i]) {
        input.setAttribute('aria-activedescendant', items[i].id);
        items[i].scrollIntoView({ block: 'nearest' });
      } else {
        input.removeAttribute('aria-activedescendant');
      }
    }

    function render(q, res, err) {
      box.textContent = '';
      box.setAttribute('data-query', q);
      items = [];
      active = -1;
      if (err) {
        box.appendChild(el('p', { className: 'error', text: err }));
        open();
        return;
      }
      var words = queryWords(q);
      if (!res.hits.length) {
        box.appendChild(el('p', { className: 'empty', text: 'No reviews match “' + q + '”.' }));
      } else {
        var ul = el('ul', { role: 'listbox', 'aria-label': 'Search results' });
        res.hits.forEach(function (h, i) {
          var a = el('a', { href: href(h.url), tabindex: '-1' }, [
            el('span', { className: 'hit-title' }, [marked(h.title, words)]),
            el('span', { className: 'hit-date', text: formatDate(h.date) })
          ]);
          if (h.fragments && h.fragments.length) a.appendChild(el('span', { className: 'hit-frag' }, [fragment(h.fragments[0])]));
          var li = el('li', { role: 'option', id: 'site-search-opt-' + i, 'aria-selected': 'false' }, [a]);
          li.addEventListener('mousemove', function () { if (active !== i) select(i); });
          ul.appendChild(li);
          items.push(li);
        });
        box.appendChild(ul);
      }
      var all = el('a', { className: 'all', href: base + 'search/?' + new URLSearchParams({ q: q }).toString(),
        text: res.total > res.hits.length ? 'All ' + res.total + ' results →' : 'Open on the search page →' });
      box.appendChild(all);
      if (mode === 'local' && localNote()) box.appendChild(el('p', { className: 'note', text: localNote() }));
      open();
    }

    function run() {
      var q = input.value.trim();
      if (controller) controller.abort();
      if (!q) { close(); box.textContent = ''; return; }
      var mine = ++seq;
      controller = window.AbortController ? new AbortController() : null;
      search(new URLSearchParams({ q: q, size: '8' }), controller && controller.signal).then(function (res) {
        if (mine === seq) render(q, res);
      }, function (err) {
        if (mine !== seq || (err && err.name === 'AbortError')) return;
        render(q, null, err instanceof SearchError ? err.message : 'Search failed.');
      });
    }

    input.addEventListener('input', function () {
      clearTimeout(timer);
      prefetch(input.value);
      timer = setTimeout(run, DEBOUNCE);
    });
    input.addEventListener('focus', function () {
      if (input.value.trim() && box.childNodes.length) open();
    });
    input.addEventListener('keydown', function (e) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        if (box.hidden) { if (input.value.trim()) { run(); } return; }
        if (!items.length) return;
        e.preventDefault();
        var n = items.length;
        select(e.key === 'ArrowDown' ? (active + 1) % n : (active <= 0 ? n - 1 : active - 1));
      } else if (e.key === 'Enter') {
        if (!box.hidden && active >= 0 && items[active]) {
          e.preventDefault();
          var a = items[active].querySelector('a');
          if (e.metaKey || e.ctrlKey) window.open(a.href, '_blank');
          else location.href = a.href;
        }
        // Otherwise the form submits to the search page.
      } else if (e.key === 'Escape') {
        if (!box.hidden) { e.preventDefault(); close(); }
        else if (input.value) { input.value = ''; }
        else input.blur();
      } else if (e.key === 'Tab') {
        close();
      }
    });
    // Enter on a selected result opens it (above); should the browser
    // still submit the form, the selection wins over the search page.
    if (form) form.addEventListener('submit', function (e) {
      if (!box.hidden && active >= 0 && items[active]) {
        e.preventDefault();
        location.href = items[active].querySelector('a').href;
      }
    });
    document.addEventListener('mousedown', function (e) {
      if (form && !form.contains(e.target)) close();
    });
    modeListeners.push(function () { if (!box.hidden) run(); });
  }

  // "/" focuses the search box from anywhere except a text field.
  function setupSlash() {
    document.addEventListener('keydown', function (e) {
      if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
      var t = e.target;
      var tag = t && t.tagName;
      if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || (t && t.isContentEditable)) return;
      var input = document.getElementById('search-page-input') || document.getElementById('site-search-input');
      if (!input) return;
      e.preventDefault();
      input.focus();
      input.select();
    });
  }

  // ---------- The search page ----------

  function setupPage() {
    var form = document.getElementById('search-form');
    if (!form) return;
    var input = document.getElementById('search-page-input');
    var list = document.getElementById('search-results');
    var status = document.getElementById('search-status');
    var pager = document.getElementById('search-pager');
    var modeNote = document.getElementById('search-mode');
    var from = document.getElementById('search-from');
    var to = document.getElementById('search-to');
    var dateError = document.getElementById('search-date-error');
    // A date the address gave that its box could not hold (a date box
    // drops what is not a date), kept to say so until the reader changes it.
    var written = { from: '', to: '' };
    var pageTitle = document.title;
    var facetSets = Array.prototype.slice.call(form.querySelectorAll('.search-facet'));
    var SIZE = 10, SHOWN = 8;
    var timer = 0, seq = 0, controller = null, page = 1;
    var expanded = {};

    // Stop the form from reloading the page; the URL is kept by hand.
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      page = 1;
      update(true);
    });

    function paramsFromForm() {
      var p = new URLSearchParams();
      var q = input.value.trim();
      if (q) p.set('q', q);
      facetSets.forEach(function (fs) {
        var key = fs.getAttribute('data-taxonomy');
        fs.querySelectorAll('input[type=checkbox]:checked').forEach(function (cb) { p.append(key, cb.value); });
      });
      if (from.value || written.from) p.set('from', from.value || written.from);
      if (to.value || written.to) p.set('to', to.value || written.to);
      if (page > 1) p.set('page', String(page));
      return p;
    }

    function restore() {
      var p = new URLSearchParams(location.search);
      input.value = p.get('q') || '';
      from.value = p.get('from') || '';
      to.value = p.get('to') || '';
      written.from = from.value ? '' : p.get('from') || '';
      written.to = to.value ? '' : p.get('to') || '';
      page = Math.max(1, parseInt(p.get('page'), 10) || 1);
      facetSets.forEach(function (fs) {
        var key = fs.getAttribute('data-taxonomy');
        var wanted = p.getAll(key).concat(p.getAll(key.replace(/-/g, '_')))
          .join(',').split(',').map(normalizeTerm).filter(Boolean);
        fs.querySelectorAll('li').forEach(function (li) {
          var cb = li.querySelector('input');
          var names = [cb.value].concat((li.getAttribute('data-aliases') || '').split(' ').map(normalizeTerm));
          cb.checked = names.some(function (n) { return n && wanted.indexOf(n) >= 0; });
        });
      });
    }

    // update writes the state to the URL (a new history entry when push)
    // and runs the search.
    function update(push) {
      var p = paramsFromForm();
      var qs = p.toString();
      var url = location.pathname + (qs ? '?' + qs : '');
      if (url !== location.pathname + location.search) {
        if (push) history.pushState(null, '', url);
        else history.replaceState(null, '', url);
      }
      run(p);
    }

    function setStatus(text, isError, retry) {
      status.textContent = text;
      status.className = 'search-status' + (isError ? ' error' : '');
      status.setAttribute('role', isError ? 'alert' : 'status');
      if (retry) {
        var b = el('button', { type: 'button', className: 'link-button', text: 'Clear the query' });
        b.addEventListener('click', function () { input.value = ''; page = 1; update(true); input.focus(); });
        status.appendChild(b);
      }
    }

    // facetParams is the query p without its filters on taxonomy key: the
    // results that ticking another term of key would OR in. One hit is
    // enough, since only the facets are read.
    function facetParams(p, key) {
      var fp = new URLSearchParams();
      p.forEach(function (v, k) {
        if (k !== key && k !== 'page' && k !== 'size') fp.append(k, v);
      });
      fp.set('size', '1');
      return fp;
    }

    // searchWithFacets runs the query and, for every taxonomy with ticked
    // terms, a second query without that taxonomy's own filters, whose
    // counts replace the main ones for it. Otherwise ticking a term would
    // zero (and hide) the other terms of its taxonomy, and the OR within
    // a taxonomy could never be reached from the page.
    function searchWithFacets(p, signal) {
      var keys = [];
      facetSets.forEach(function (fs) {
        var key = fs.getAttribute('data-taxonomy');
        if (p.has(key)) keys.push(key);
      });
      var extra = keys.map(function (key) {
        return search(facetParams(p, key), signal).then(function (res) { return res.facets || {}; }, function (err) {
          if (err && err.name === 'AbortError') throw err;
          return null; // keep the main counts for this taxonomy
        });
      });
      return Promise.all([search(p, signal)].concat(extra)).then(function (all) {
        var res = all[0];
        var facets = {};
        Object.keys(res.facets || {}).forEach(function (k) { facets[k] = res.facets[k]; });
        keys.forEach(function (key, i) {
          var f = all[i + 1];
          if (f) facets[key] = f[key] || [];
        });
        return { total: res.total, hits: res.hits, facets: facets };
      });
    }

    function validDate(s) {
      var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
      if (!m) return false;
      var d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
      return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
    }

    // checkDates says, next to the date boxes, what is wrong with the
    // range, and reports whether anything is: the search service would
    // refuse it with a message about its parameters, not the boxes.
    function checkDates() {
      var f = from.value || written.from, t = to.value || written.to;
      var msgs = [], bad = [];
      if (f && !validDate(f)) { msgs.push('The start date “' + f + '” is not a date: write it as YYYY-MM-DD.'); bad.push(from); }
      if (t && !validDate(t)) { msgs.push('The end date “' + t + '” is not a date: write it as YYYY-MM-DD.'); bad.push(to); }
      if (!bad.length && f && t && t < f) {
        msgs.push('The end date, ' + formatDate(t) + ', is before the start date, ' + formatDate(f) + '.');
        bad.push(from, to);
      }
      var msg = msgs.join(' ');
      if (dateError.textContent !== msg) dateError.textContent = msg;
      dateError.hidden = !msg;
      [from, to].forEach(function (i) {
        if (bad.indexOf(i) >= 0) i.setAttribute('aria-invalid', 'true');
        else i.removeAttribute('aria-invalid');
      });
      return !!msg;
    }

    function run(p) {
      // The tab and the history list name the query.
      var q = p.get('q');
      document.title = q ? q + ' · ' + pageTitle : pageTitle;
      if (checkDates()) {
        if (controller) controller.abort();
        seq++;
        list.removeAttribute('aria-busy');
        list.textContent = '';
        pager.hidden = true;
        setStatus('Correct the dates to see results.');
        return;
      }
      if (controller) controller.abort();
      controller = window.AbortController ? new AbortController() : null;
      var mine = ++seq;
      var started = Date.now();
      list.setAttribute('aria-busy', 'true');
      searchWithFacets(p, controller && controller.signal).then(function (res) {
        if (mine !== seq) return;
        list.removeAttribute('aria-busy');
        render(p, res, Date.now() - started);
      }, function (err) {
        if (mine !== seq || (err && err.name === 'AbortError')) return;
        list.removeAttribute('aria-busy');
        list.textContent = '';
        pager.hidden = true;
        setStatus(err instanceof SearchError ? err.message : 'Search failed. Try again in a moment.', true, err instanceof SearchError && input.value);
      });
    }

    function render(p, res, ms) {
      var q = p.get('q') || '';
      var filtered = false;
      p.forEach(function (v, k) { if (k !== 'q' && k !== 'page') filtered = true; });
      var pages = Math.max(1, Math.ceil(res.total / SIZE));
      if (res.total === 0) {
        setStatus(q || filtered ? 'No reviews match' + (q ? ' “' + q + '”' : '') + (filtered ? ' with these filters' : '') + '.' : 'There are no reviews yet.');
      } else {
        var first = (page - 1) * SIZE + 1, last = first + res.hits.length - 1;
        var text = res.total === 1 ? '1 review' : res.total + ' reviews';
        var verb = res.total === 1 ? ' matches' : ' match';
        text += q ? verb + ' “' + q + '”' : filtered ? verb + ' these filters' : ', newest first';
        if (res.total > SIZE && res.hits.length) text += ' · ' + first + '–' + last;
        setStatus(text + '.');
      }
      list.textContent = '';
      var words = queryWords(q);
      res.hits.forEach(function (h) {
        var li = el('li', { className: 'search-hit' }, [
          el('h2', null, [el('a', { href: href(h.url) }, [marked(h.title, words)])]),
          el('p', { className: 'meta' }, [el('time', { datetime: h.date, text: formatDate(h.date) })])
        ]);
        if (h.summary) li.appendChild(el('p', { className: 'summary', text: h.summary }));
        (h.fragments || []).slice(0, 2).forEach(function (f) {
          li.appendChild(el('p', { className: 'fragment' }, [fragment(f)]));
        });
        list.appendChild(li);
      });
      renderPager(pages);
      renderFacets(res.facets || {});
      modeNote.hidden = mode !== 'local' || !localNote();
      modeNote.textContent = mode === 'local' ? localNote() : '';
      if (page > pages && res.total > 0) setStatus('Page ' + page + ' is past the last page (' + pages + ').', true);
    }

    function renderPager(pages) {
      pager.textContent = '';
      pager.hidden = pages <= 1;
      if (pages <= 1) return;
      function btn(label, n, current, aria) {
        var b = el('button', { type: 'button', text: label });
        if (aria) b.setAttribute('aria-label', aria);
        if (current) b.setAttribute('aria-current', 'page');
        if (n < 1 || n > pages || current) b.disabled = !current;
        b.addEventListener('click', function () {
          if (current) return;
          page = n;
          update(true);
          form.scrollIntoView({ block: 'start' });
        });
        return b;
      }
      pager.appendChild(btn('← Previous', page - 1, false, 'Previous page'));
      var lo = Math.max(1, page - 3), hi = Math.min(pages, lo + 6);
      lo = Math.max(1, hi - 6);
      for (var n = lo; n <= hi; n++) pager.appendChild(btn(String(n), n, n === page, 'Page ' + n));
      pager.appendChild(btn('Next →', page + 1, false, 'Next page'));
    }

    // itemsOf reads a facet's terms once: each one's checkbox, count and
    // place in alphabetical order, which the page never changes. A large
    // library offers hundreds of terms, and renderFacets runs on every
    // query: it sorts them by numbers and writes only what changed.
    var facetItems = new Map();
    function itemsOf(fs) {
      var items = facetItems.get(fs);
      if (items) return items;
      items = Array.prototype.slice.call(fs.querySelector('ul').children).map(function (li) {
        var name = li.querySelector('.term');
        return { li: li, term: li.getAttribute('data-term'), input: li.querySelector('input'), countEl: li.querySelector('.count'), label: (name || li).textContent, count: -1, checked: false, rank: 0 };
      });
      var collator = new Intl.Collator();
      items.slice().sort(function (a, b) { return collator.compare(a.label, b.label); })
        .forEach(function (it, i) { it.rank = i; });
      facetItems.set(fs, items);
      return items;
    }

    // renderFacets shows each term's count: among the results, or, in a
    // taxonomy with ticked terms, among the results without that
    // taxonomy's filters (what ticking the term would add). Checked terms
    // come first, then the most frequent; terms with no results hide.
    function renderFacets(facets) {
      facetSets.forEach(function (fs) {
        var key = fs.getAttribute('data-taxonomy');
        var counts = {};
        (facets[key] || []).forEach(function (f) { counts[f.term] = f.count; });
        var ul = fs.querySelector('ul');
        var items = itemsOf(fs);
        items.forEach(function (it) {
          var c = counts[it.term] || 0;
          if (c !== it.count) { it.count = c; it.countEl.textContent = c; }
          it.checked = it.input.checked;
        });
        items.sort(function (a, b) { return (b.checked - a.checked) || (b.count - a.count) || (a.rank - b.rank); });
        var visible = 0, more = 0;
        items.forEach(function (it, i) {
          var show = it.checked || it.count > 0;
          if (show && !it.checked && visible >= SHOWN && !expanded[key]) { show = false; more++; }
          if (show) visible++;
          if (it.li.hidden === show) it.li.hidden = !show;
          // The items shown are the first of the sorted ones, so only
          // they are put in order; the hidden keep their places. Moving
          // all of them (hundreds in a large library) made the browser
          // lay every list out again on each query.
          if (show && ul.children[i] !== it.li) ul.insertBefore(it.li, ul.children[i] || null);
        });
        var toggle = fs.querySelector('.search-more');
        if (!toggle) {
          toggle = el('button', { type: 'button', className: 'link-button search-more' });
          toggle.addEventListener('click', function () { expanded[key] = !expanded[key]; renderFacets(lastFacets); });
          fs.appendChild(toggle);
        }
        toggle.hidden = !(more || expanded[key]);
        toggle.textContent = expanded[key] ? 'Show fewer' : 'Show ' + more + ' more';
        fs.hidden = visible === 0;
      });
      lastFacets = facets;
    }
    var lastFacets = {};

    input.addEventListener('input', function () {
      clearTimeout(timer);
      prefetch(input.value);
      timer = setTimeout(function () { page = 1; update(false); }, DEBOUNCE);
    });
    [from, to].forEach(function (box) {
      box.addEventListener('input', function () { written[box.name] = ''; });
    });
    form.addEventListener('change', function (e) {
      if (e.target === input) return;
      if (e.target === from || e.target === to) written[e.target.name] = '';
      page = 1;
      update(true);
    });
    // Arrow keys walk from the box through the result links and back, as
    // in the header dropdown; Escape returns to the box. Focus moves for
    // real (not aria-activedescendant) because these are ordinary links
    // that Enter should follow.
    function resultLinks() {
      return Array.prototype.slice.call(list.querySelectorAll('.search-hit h2 a'));
    }
    input.addEventListener('keydown', function (e) {
      if (e.key !== 'ArrowDown' || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
      var links = resultLinks();
      if (!links.length) return;
      e.preventDefault();
      links[0].focus();
    });
    list.addEventListener('keydown', function (e) {
      var links = resultLinks();
      var i = links.indexOf(e.target);
      if (i < 0 || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
      if (e.key === 'ArrowDown') {
        e.preventDefault();
        if (i + 1 < links.length) links[i + 1].focus();
      } else if (e.key === 'ArrowUp') {
        e.preventDefault();
        if (i > 0) links[i - 1].focus();
        else input.focus();
      } else if (e.key === 'Escape') {
        e.preventDefault();
        input.focus();
      }
    });

    window.addEventListener('popstate', function () { restore(); run(paramsFromForm()); });
    modeListeners.push(function () { modeNote.textContent = localNote(); modeNote.hidden = !modeNote.textContent; });

    restore();
    run(paramsFromForm());
    if (!input.value) input.focus();
  }

  function start() {
    setupHeader();
    setupSlash();
    setupPage();
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
