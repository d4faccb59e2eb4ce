// Copy buttons on code blocks in a review's body, then the table of
// contents' highlight of the section being read.
(function () {
  'use strict';
  var body = document.getElementById('review-body');
  if (!body) return;
  // Each code block gets a copy button. (The Markdown renderer makes code
  // blocks focusable and names task-list boxes, so that works without
  // script.)
  body.querySelectorAll('pre').forEach(function (pre) {
    if (!navigator.clipboard) return;
    var box = pre.closest('.highlight') || pre;
    var b = document.createElement('button');
    b.type = 'button';
    b.className = 'copy-code';
    b.textContent = 'Copy';
    b.setAttribute('aria-label', 'Copy code');
    b.addEventListener('click', function () {
      var code = pre.querySelector('code') || pre;
      navigator.clipboard.writeText(code.innerText.replace(/\n$/, '')).then(function () {
        b.textContent = 'Copied';
      }, function () {
        b.textContent = 'Copy failed';
      });
      setTimeout(function () { b.textContent = 'Copy'; }, 2000);
    });
    box.insertBefore(b, box.firstChild);
  });
})();

(function () {
  'use strict';
  var toc = document.querySelector('.review-aside .toc');
  if (!toc) return;
  var items = [];
  toc.querySelectorAll('a[href^="#"]').forEach(function (a) {
    var el = document.getElementById(decodeURIComponent(a.getAttribute('href').slice(1)));
    if (el) items.push({ link: a, el: el });
  });
  if (!items.length) return;
  var current = null;
  var queued = false;

  function update() {
    queued = false;
    var line = window.innerHeight * 0.3;
    var active = null;
    for (var i = 0; i < items.length; i++) {
      if (items[i].el.getBoundingClientRect().top <= line) active = items[i];
      else break;
    }
    // At the very bottom, the last section is the one being read.
    if (window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 2) {
      active = items[items.length - 1];
    }
    var link = active ? active.link : null;
    if (link === current) return;
    if (current) current.classList.remove('active');
    if (link) link.classList.add('active');
    current = link;
  }

  window.addEventListener('scroll', function () {
    if (!queued) {
      queued = true;
      window.requestAnimationFrame(update);
    }
  }, { passive: true });
  window.addEventListener('resize', update);
  update();
})();
