// Insights on a phone, and the charts for assistive technology.
(function () {
  'use strict';
  // The heatmaps give way to their tables on narrow screens (see site.css):
  // open those, so the numbers show without a tap.
  if (window.matchMedia('(max-width: 40rem)').matches) {
    document.querySelectorAll('.chart-wrap').forEach(function (w) {
      if (!w.querySelector('.heatmap')) return;
      var d = w.nextElementSibling;
      if (d && d.matches('details.numbers')) d.open = true;
    });
  }
  // A chart is drawn as role="img", but its labels are links; an image
  // cannot hold focusable parts, so present it as a named group instead.
  document.querySelectorAll('svg.chart[role=img]').forEach(function (svg) {
    if (svg.querySelector('a[href]')) svg.setAttribute('role', 'group');
  });
})();
