// Insights on a phone.
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
})();
