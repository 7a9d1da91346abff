// nexuskb progressive enhancement. Every page works without this script; with it, facet boxes
// submit themselves, the search box suggests completions, citations copy with one click, and the
// reading pack is kept in localStorage and mirrored in the pack page's URL.
(function () {
  'use strict';
  var doc = document;
  var body = doc.body;
  var lang = body.getAttribute('data-lang') || 'en';
  doc.documentElement.classList.add('js');

  function each(selector, fn) {
    Array.prototype.forEach.call(doc.querySelectorAll(selector), fn);
  }

  // Facets: a click on a box applies it at once.
  each('.facet-form input[type=checkbox]', function (box) {
    box.addEventListener('change', function () { box.form.submit(); });
  });

  // Search suggestions from /api/v1/suggest into the box's datalist.
  var input = doc.getElementById('q');
  var list = doc.getElementById('suggestions');
  if (input && list && window.fetch) {
    var timer = null;
    input.addEventListener('input', function () {
      clearTimeout(timer);
      var text = input.value;
      if (text.length < 2) return;
      timer = setTimeout(function () {
        fetch('/api/v1/suggest?lang=' + lang + '&q=' + encodeURIComponent(text))
          .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
          .then(function (data) {
            list.textContent = '';
            data.suggestions.forEach(function (s) {
              var option = doc.createElement('option');
              option.value = s.text;
              list.appendChild(option);
            });
          })
          .catch(function () {});
      }, 150);
    });
  }

  // Copy the citation (Clipboard API where allowed, else a selection and execCommand).
  each('button.copy[data-copy]', function (button) {
    var source = doc.getElementById(button.getAttribute('data-copy'));
    var status = button.parentNode.querySelector('.copy-status');
    if (!source) return;
    button.hidden = false;
    function done() { if (status) status.textContent = body.getAttribute('data-copied'); }
    function fallback() {
      var range = doc.createRange();
      range.selectNodeContents(source);
      var sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
      try { if (doc.execCommand('copy')) done(); } catch (e) { /* text stays selected */ }
    }
    button.addEventListener('click', function () {
      var text = source.textContent.trim();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(done, fallback);
      } else {
        fallback();
      }
    });
  });

  // Reading pack: {items: [id, ...], title: ""} in localStorage.
  var KEY = 'nexuskb.pack';
  var ID = /^[a-z0-9-]+$/;
  var MAX = 50;
  function load() {
    try {
      var p = JSON.parse(window.localStorage.getItem(KEY) || 'null');
      if (p && Array.isArray(p.items)) {
        return {
          items: p.items.filter(function (id) { return typeof id === 'string' && ID.test(id); }).slice(0, MAX),
          title: typeof p.title === 'string' ? p.title : ''
        };
      }
    } catch (e) { /* storage blocked or corrupt: start empty */ }
    return { items: [], title: '' };
  }
  function save(p) {
    try { window.localStorage.setItem(KEY, JSON.stringify(p)); } catch (e) { /* private mode */ }
  }
  function packUrl(p) {
    var url = '/pack?items=' + p.items.join(',');
    if (p.title) url += '&title=' + encodeURIComponent(p.title);
    return url + '&lang=' + lang;
  }

  var packPage = doc.querySelector('main.pack[data-url]');
  if (packPage) {
    var params = new URLSearchParams(window.location.search);
    var stored = load();
    if (!params.has('items') && stored.items.length) {
      // /pack without items: open the pack kept in this browser.
      window.location.replace(packUrl(stored) + window.location.hash);
      return;
    }
    // The page is the truth: keep it, and show its canonical URL (unknown items dropped).
    var items = packPage.getAttribute('data-items');
    save({ items: items ? items.split(',') : [], title: packPage.getAttribute('data-title') || '' });
    var canonical = packPage.getAttribute('data-url');
    if (window.history.replaceState && canonical !== window.location.pathname + window.location.search) {
      window.history.replaceState(null, '', canonical + window.location.hash);
    }
    each('button.print', function (button) {
      button.hidden = false;
      button.addEventListener('click', function () { window.print(); });
    });
  }

  function showPack(p) {
    each('a.pack-link', function (a) {
      if (p.items.length) a.href = packUrl(p);
      var count = a.querySelector('.pack-count');
      if (count) count.textContent = p.items.length ? ' (' + p.items.length + ')' : '';
    });
    each('a.add-to-pack[data-id]', function (a) {
      if (p.items.indexOf(a.getAttribute('data-id')) < 0) return;
      a.textContent = body.getAttribute('data-in-pack');
      a.classList.add('in-pack');
      a.href = packUrl(p);
    });
  }

  each('a.add-to-pack[data-id]', function (a) {
    a.addEventListener('click', function (event) {
      var p = load();
      var id = a.getAttribute('data-id');
      if (p.items.indexOf(id) >= 0 || p.items.length >= MAX) return;  // follow the link
      event.preventDefault();
      p.items.push(id);
      save(p);
      showPack(p);
      var status = doc.getElementById('pack-status');
      if (status) status.textContent = body.getAttribute('data-in-pack') + ' (' + p.items.length + ')';
    });
  });
  showPack(load());
  window.addEventListener('storage', function (event) {
    if (event.key === KEY) showPack(load());
  });
})();
