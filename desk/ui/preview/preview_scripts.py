"""The JavaScript the preview runs in its page, kept apart from the Qt code."""

# Every value reaches the page through json.dumps, never by pasting HTML into code.
# They return +seq when applied and -seq when their target is missing.

# Setup: no scroll anchoring (the patches hold the scroll position themselves,
# predictably) and a quiet outline for the section the writer is in.
_SETUP = """(function () {
  // A long article (over 60 sections) lets Chromium skip laying out the
  // sections out of view (content-visibility, in the site CSS under .long):
  // otherwise every keystroke re-lays out 50,000 words. Their heights are then
  // estimates, so the browser's own scroll anchoring holds the reader's place.
  // Shorter pages lay out fast and hold the scroll offset exactly themselves.
  var long = document.querySelectorAll('[data-section-id]').length > 60;
  window.deskLong = long;
  if (long) document.body.classList.add('long');
  else document.documentElement.style.overflowAnchor = document.body.style.overflowAnchor = 'none';
  var s = document.getElementById('desk-preview-style') || document.createElement('style');
  s.id = 'desk-preview-style';
  s.textContent = '.desk-current{outline:2px solid rgba(61,111,179,.45);outline-offset:6px}';
  document.head.appendChild(s);
  // Which parts lie wholly above the viewport, kept by the browser as the
  // reader scrolls: a patch measures (and so forces a layout of the whole
  // page) only for those, never on the typing path of the part in view.
  var above = window.deskAbove = new WeakSet();
  window.deskSeen = new IntersectionObserver(function (entries) {
    entries.forEach(function (e) {
      if (!e.isIntersecting && e.boundingClientRect.bottom <= 0) above.add(e.target);
      else above.delete(e.target);
    });
  });
  document.querySelectorAll('[data-section-id], #article-header').forEach(function (el) {
    window.deskSeen.observe(el);
  });
  // Make node a look like node b, touching only what differs: the common
  // leading and trailing children stay, one changed child of the same kind is
  // morphed in turn, anything else in between is swapped.
  function same(a, b) { return a.nodeType === b.nodeType && a.nodeName === b.nodeName; }
  function morph(a, b) {
    if (a.nodeType !== 1) { if (a.data !== b.data) a.data = b.data; return; }
    var i, at;
    for (i = 0; i < b.attributes.length; i++) {
      at = b.attributes[i];
      if (a.getAttribute(at.name) !== at.value) a.setAttribute(at.name, at.value);
    }
    for (i = a.attributes.length - 1; i >= 0; i--) {
      if (!b.hasAttribute(a.attributes[i].name)) a.removeAttribute(a.attributes[i].name);
    }
    var ac = Array.prototype.slice.call(a.childNodes);
    var bc = Array.prototype.slice.call(b.childNodes);
    var s = 0, ae = ac.length, be = bc.length;
    while (s < ae && s < be && ac[s].isEqualNode(bc[s])) s++;
    while (ae > s && be > s && ac[ae - 1].isEqualNode(bc[be - 1])) { ae--; be--; }
    if (ae - s === 1 && be - s === 1 && same(ac[s], bc[s])) { morph(ac[s], bc[s]); return; }
    var ref = ae < ac.length ? ac[ae] : null;
    for (i = s; i < ae; i++) ac[i].remove();
    for (i = s; i < be; i++) a.insertBefore(bc[i], ref);
  }
  // Replace the part with this id by the html's first element. Changing an
  // element wholly above the viewport would drag the text in view by its
  // change in height, so the page then scrolls by that change.
  window.deskReplace = function (id, html, seq) {
    var el = document.getElementById(id);
    if (!el) return -seq;
    var t = document.createElement('template');
    t.innerHTML = html;
    var node = t.content.firstElementChild;
    if (!node) return -seq;
    var seen = window.deskSeen, above = !window.deskLong && window.deskAbove.has(el);
    var bottom = above ? el.getBoundingClientRect().bottom : 1;
    if (el.classList.contains('desk-current')) node.classList.add('desk-current');
    if (same(el, node) && el.id === node.id) {
      morph(el, node);
    } else {
      el.replaceWith(node);
      seen.unobserve(el);
      seen.observe(node);
      if (above) window.deskAbove.add(node);
      el = node;
    }
    if (bottom <= 0) window.scrollBy(0, el.getBoundingClientRect().bottom - bottom);
    return seq;
  };
})()"""

# A patch changes only the nodes that differ (see morph in _SETUP): a
# keystroke then re-lays out and repaints one paragraph, not its whole section,
# which is what keeps the preview's frames cheap while the writer types. The
# function is compiled once per page; a page without it answers -seq (reload).
_REPLACE = """(function (id, html, seq) {
  return window.deskReplace ? window.deskReplace(id, html, seq) : -seq;
})(%s, %s, %d)"""

_SET_SECTIONS = """(function (order, fresh, seq) {
  var body = document.getElementById('article-body');
  if (!body) return -seq;
  var x = window.scrollX, y = window.scrollY, missing = false, prev = null;
  var have = Object.create(null), t = document.createElement('template');
  body.querySelectorAll(':scope > [data-section-id]').forEach(function (el) {
    have[el.getAttribute('data-section-id')] = el;
  });
  order.forEach(function (id) {
    var el = have[id], node = null;
    delete have[id];
    if (Object.prototype.hasOwnProperty.call(fresh, id)) {
      t.innerHTML = fresh[id];
      node = t.content.firstElementChild;
    }
    if (node && el) {
      if (el.classList.contains('desk-current')) node.classList.add('desk-current');
      el.replaceWith(node);
    }
    el = node || el;
    if (!el) { missing = true; return; }
    var spot = prev ? prev.nextElementSibling : body.firstElementChild;
    if (spot !== el) body.insertBefore(el, prev ? prev.nextSibling : body.firstChild);
    prev = el;
  });
  for (var id in have) have[id].remove();
  if (!window.deskLong) window.scrollTo(x, y);
  return missing ? -seq : seq;
})(%s, %s, %d)"""

# "In view" means a third of the screen (or all of a short section) is showing.
_FOLLOW = """(function (id) {
  var el = document.getElementById(id);
  var marked = document.querySelectorAll('.desk-current');
  marked.forEach(function (e) { e.classList.remove('desk-current'); });
  if (!el) return false;
  el.classList.add('desk-current');
  var r = el.getBoundingClientRect(), h = window.innerHeight;
  var shown = Math.min(r.bottom, h) - Math.max(r.top, 0);
  if (shown >= Math.min(r.height, h / 3)) return true;
  el.scrollIntoView({behavior: 'smooth', block: r.height > h * 0.8 ? 'start' : 'center'});
  return true;
})(%s)"""
