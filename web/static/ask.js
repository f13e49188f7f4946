// Live suggestions while a question is typed. The page works without this:
// the "Find similar questions" button asks the server for the same list.
(function () {
  var form = document.getElementById('ask-form');
  var list = document.getElementById('suggestions');
  if (!form || !list || !window.fetch) return;
  var title = form.querySelector('[name=title]');
  var body = form.querySelector('[name=body]');
  var askId = form.querySelector('[name=ask_id]').value;
  // The words come from the page, in its language (data-heading,
  // data-solved on the list); English if a page lacks them.
  var heading = list.getAttribute('data-heading') || 'Already answered?';
  var solvedLabel = list.getAttribute('data-solved') || 'Solved';
  var timer = null, last = '';
  function render(items) {
    list.textContent = '';
    if (!items.length) { list.hidden = true; return; }
    list.hidden = false;
    var h = document.createElement('h2');
    h.textContent = heading;
    list.appendChild(h);
    var ul = document.createElement('ul');
    items.forEach(function (s) {
      var li = document.createElement('li');
      var a = document.createElement('a');
      a.href = '/ask/open?ask_id=' + encodeURIComponent(askId) + '&kind=' + encodeURIComponent(s.kind) + '&id=' + encodeURIComponent(s.id);
      a.textContent = s.title;
      a.setAttribute('dir', 'auto');
      li.appendChild(a);
      if (s.solved) { var b = document.createElement('span'); b.className = 'status solved'; b.textContent = solvedLabel; li.appendChild(document.createTextNode(' ')); li.appendChild(b); }
      ul.appendChild(li);
    });
    list.appendChild(ul);
  }
  function lookup() {
    var key = title.value + '\n' + body.value.slice(0, 300);
    if (key === last || title.value.trim().length < 3) return;
    last = key;
    fetch('/api/v1/search/similar?title=' + encodeURIComponent(title.value) + '&body=' + encodeURIComponent(body.value.slice(0, 300)))
      .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
      .then(function (j) { render(j.suggestions || []); })
      .catch(function () {});
  }
  function schedule() { clearTimeout(timer); timer = setTimeout(lookup, 250); }
  title.addEventListener('input', schedule);
  body.addEventListener('input', schedule);
  // How long the question took to write, for the spam checks: from the
  // first keystroke to sending (0 when text arrived without any typing).
  var firstInput = null;
  function typed() { if (firstInput === null) firstInput = Date.now(); }
  title.addEventListener('input', typed);
  body.addEventListener('input', typed);
  form.addEventListener('submit', function () {
    var field = form.querySelector('[name=typed_ms]');
    if (field) field.value = String(firstInput === null ? 0 : Date.now() - firstInput);
  });
})();
