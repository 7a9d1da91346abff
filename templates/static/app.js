// nexuskb progressive enhancement: auto-submit facet filters, search suggestions, copy citation.
// Every page works without this script.
(function () {
  'use strict';
  document.documentElement.classList.add('js');

  document.querySelectorAll('.facet-form input[type=checkbox]').forEach(function (box) {
    box.addEventListener('change', function () { box.form.submit(); });
  });

  var input = document.getElementById('q');
  var list = document.getElementById('suggestions');
  if (input && list && window.fetch) {
    var timer = null;
    input.addEventListener('input', function () {
      clearTimeout(timer);
      var text = input.value;
      if (text.length < 2) return;
      timer = setTimeout(function () {
        fetch('/api/v1/suggest?q=' + encodeURIComponent(text))
          .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
          .then(function (data) {
            list.textContent = '';
            data.suggestions.forEach(function (s) {
              var option = document.createElement('option');
              option.value = s.text;
              list.appendChild(option);
            });
          })
          .catch(function () {});
      }, 150);
    });
  }

  document.querySelectorAll('button.copy[data-copy]').forEach(function (button) {
    var source = document.getElementById(button.getAttribute('data-copy'));
    if (!source || !navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener('click', function () {
      navigator.clipboard.writeText(source.textContent.trim());
    });
  });
})();
