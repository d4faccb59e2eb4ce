// Live reload for `casebook serve`. The preview server adds this script to
// every HTML page it serves; `casebook build` pages never load it.
//
// The script tag carries the version of the page the browser holds. The
// server compares it with the current page when the stream opens (and after
// every change), so a page edited between loading and connecting, or while
// the server was restarting, reloads too.
//
// Events:
//   reload  the page changed: reload it, keeping the scroll position
//   css     only stylesheets changed: fetch them again without a reload
(function () {
  'use strict';
  if (window.__casebookLiveReload) return;
  // State for people and tests poking at the page: whether the stream is
  // open, and how many stylesheet swaps happened.
  var state = window.__casebookLiveReload = { connected: false, cssSwaps: 0 };

  var script = document.currentScript;
  var version = (script && script.getAttribute('data-version')) || '';
  var overlay = !!(script && script.getAttribute('data-overlay'));
  var key = 'casebook:scroll:' + location.pathname + location.search;

  function storage() {
    try { return window.sessionStorage; } catch (e) { return null; }
  }

  // The reader's place survives a reload: saved just before it, restored
  // as soon as the new page runs this script and again once it has loaded
  // (images may have moved things). The browser's own restoration is off
  // while this page lives, or it would put back the error overlay's
  // position over ours; it is switched on again when the reader leaves, so
  // Back and Forward behave as usual. The overlay neither saves nor
  // restores a position: when the page comes back it returns to where the
  // reader was before the error.
  var st = storage();
  var saved = null;
  if (st && !overlay) {
    try { saved = JSON.parse(st.getItem(key) || 'null'); } catch (e) { saved = null; }
  }
  function manualScroll(on) {
    try { if ('scrollRestoration' in history) history.scrollRestoration = on ? 'manual' : 'auto'; } catch (e) { /* ignore */ }
  }
  function restoreScroll(done) {
    if (saved) window.scrollTo(saved.x || 0, saved.y || 0);
    if (done && !overlay) {
      if (saved && st) st.removeItem(key);
      saved = null;
    }
  }
  if (overlay || saved) manualScroll(true);
  restoreScroll(false);
  if (document.readyState === 'complete') {
    restoreScroll(true);
  } else {
    window.addEventListener('load', function () { restoreScroll(true); });
  }

  var reloading = false;
  function reload() {
    if (st && !overlay) {
      st.setItem(key, JSON.stringify({ x: window.scrollX, y: window.scrollY }));
    }
    reloading = true;
    manualScroll(true);
    location.reload();
  }
  window.addEventListener('pagehide', function () {
    if (!reloading) manualScroll(false);
  });

  // Swap every same-origin stylesheet for a fresh copy; the old one stays
  // until the new one has loaded, so the page does not flash unstyled.
  function swapStylesheets() {
    state.cssSwaps++;
    var links = document.querySelectorAll('link[rel~="stylesheet"][href]');
    Array.prototype.forEach.call(links, function (old) {
      var url;
      try { url = new URL(old.href, location.href); } catch (e) { return; }
      if (url.origin !== location.origin) return;
      url.searchParams.set('casebook-reload', String(Date.now()));
      var fresh = old.cloneNode(false);
      fresh.href = url.href;
      var done = function () { if (old.parentNode) old.parentNode.removeChild(old); };
      fresh.addEventListener('load', done);
      fresh.addEventListener('error', done);
      old.parentNode.insertBefore(fresh, old.nextSibling);
    });
  }

  if (!window.EventSource) return;
  var src = '/_casebook/events?path=' + encodeURIComponent(location.pathname + location.search) +
    '&v=' + encodeURIComponent(version);
  var es = new EventSource(src);
  es.addEventListener('open', function () { state.connected = true; });
  es.addEventListener('error', function () { state.connected = false; });
  es.addEventListener('reload', reload);
  es.addEventListener('css', swapStylesheets);
  window.addEventListener('pagehide', function () { es.close(); });
})();
