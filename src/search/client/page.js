/* gazette search, 3 of 3: the page. The header box of every page (the
   best matches under the box) and the search page (results with their
   excerpts, filters with counts, sort, more), built as DOM nodes with
   text, never markup. Under node (the tests) it exports the API instead. */
(function (api) {
  'use strict';
  if (typeof module !== 'undefined' && module.exports) { module.exports = api; return; }
  var fold = api.fold, segmenter = api.segmenter, FILTERS = api.FILTERS, Index = api.Index;

  // ---- the page ----------------------------------------------------------
  var form = document.querySelector('form[data-search]');
  if (!form) return;
  var base = form.getAttribute('data-search');
  var siteBase = base.replace(/\/search\/$/, '');
  var index = new Index(function (path, binary) {
    return fetch(base + path, { cache: path === 'index.json' ? 'no-cache' : 'default' }).then(function (r) {
      if (!r.ok) throw new Error('search index: ' + r.status + ' for ' + path);
      return binary ? r.arrayBuffer() : r.text();
    });
  }, function (url) {
    return fetch(siteBase + url).then(function (r) {
      if (!r.ok) throw new Error('excerpt: ' + r.status + ' for ' + url);
      return r.text();
    });
  });

  function el(tag, attrs, kids) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (kids || []).forEach(function (k) { node.append(k); });
    return node;
  }

  // `text` with the matched words (any of `forms`) in <mark>, built as nodes.
  function marked(text, forms) {
    var frag = document.createDocumentFragment();
    var set = new Set(forms);
    for (var seg of segmenter.segment(text)) {
      var hit = seg.isWordLike && set.has(fold(seg.segment));
      frag.append(hit ? el('mark', {}, [seg.segment]) : seg.segment);
    }
    return frag;
  }

  function resultItem(r, forms) {
    var kids = [
      el('h3', {}, [el('a', { href: siteBase + r.u }, [marked(r.t, forms)])]),
      el('p', { class: 'result-meta' }, [el('time', { datetime: r.d }, [r.dd])].concat(r.s ? [' · ' + r.s] : [])),
    ];
    if (r.m) kids.push(el('p', { class: 'result-summary' }, [marked(r.m, forms)]));
    var names = r.p.concat(r.c).map(function (n) { return n[0]; });
    if (names.length) kids.push(el('p', { class: 'result-names' }, [names.join(' · ')]));
    return el('li', { class: 'result' }, kids);
  }

  // `q` with every word that folds to `word` replaced by `name`.
  function replaced(q, word, name) {
    var out = '';
    for (var seg of segmenter.segment(q)) out += seg.isWordLike && fold(seg.segment) === word ? name : seg.segment;
    return out;
  }

  // Fills `box` with what became of the words that found nothing: named,
  // and for each the person or country it was probably meant to be, as a
  // link that runs the search with the name. Hidden when every word found
  // something.
  function explain(box, res, q, isCurrent) {
    box.replaceChildren();
    box.hidden = !res.missing.length;
    if (!res.missing.length) return;
    var quoted = res.missing.map(function (w) { return '“' + w + '”'; }).join(', ');
    var others = res.missing.length < res.terms.length;
    box.append(el('span', {}, ['No article has ' + quoted + (others ? '; showing results for the other words.' : '.')]));
    res.missing.forEach(function (w) {
      index.suggest(w).then(function (s) {
        if (!s || !isCurrent()) return;
        var href = base + '?q=' + encodeURIComponent(replaced(q, w, s.name));
        box.append(' ', el('span', { class: 'did-you-mean' }, ['Did you mean ', el('a', { href: href }, [s.name]), '?']));
      }).catch(function (err) { console.warn(err); });
    });
  }

  var pageApp = document.getElementById('search-app');
  if (pageApp) searchPage(pageApp); else headerBox();

  // The header box on every other page: the best matches under the box.
  function headerBox() {
    var input = form.querySelector('input[name=q]');
    var panel = el('div', { id: 'search-popup', class: 'search-popup', hidden: '' });
    form.append(panel);
    var seq = 0, timer = 0;
    input.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(run, 60);
    });
    input.addEventListener('keydown', function (ev) { if (ev.key === 'Escape') panel.hidden = true; });
    function run() {
      var q = input.value, mine = ++seq;
      if (!q.trim()) { panel.hidden = true; return; }
      index.query({ q: q, sort: 'relevance', counts: false }).then(function (res) {
        return index.records(res.docs.slice(0, 6)).then(function (recs) {
          if (mine !== seq) return;
          panel.replaceChildren();
          var list = el('ol', { class: 'results' }, recs.map(function (r) { return resultItem(r, res.forms); }));
          var all = el('a', { href: base + '?q=' + encodeURIComponent(q) + '&sort=relevance' },
            [res.total === 1 ? 'See the 1 result' : res.total ? 'See all ' + res.total + ' results' : 'No articles match']);
          var hint = el('p', { class: 'search-hint' });
          explain(hint, res, q, function () { return mine === seq; });
          panel.append(el('p', { class: 'search-status', role: 'status' }, [all]), hint, list);
          panel.hidden = false;
        });
      }).catch(function (err) { console.warn(err); });
    }
  }

  function readState() {
    var p = new URLSearchParams(location.search), filters = {};
    FILTERS.concat(['year']).forEach(function (f) { filters[f] = p.getAll(f); });
    return { q: p.get('q') || '', filters: filters, sort: p.get('sort') === 'relevance' ? 'relevance' : 'date' };
  }

  function writeState(st) {
    var p = new URLSearchParams();
    if (st.q) p.set('q', st.q);
    FILTERS.concat(['year']).forEach(function (f) { st.filters[f].forEach(function (v) { p.append(f, v); }); });
    if (st.sort === 'relevance') p.set('sort', 'relevance');
    history.replaceState(null, '', '?' + p.toString());
  }

  // Results shown at a time on the search page.
  var PAGE = 10;

  // The search page: results, filters with counts, sort, more.
  function searchPage(app) {
    app.hidden = false;
    var st = readState();
    var queryInput = document.getElementById('search-query');
    var status = document.getElementById('search-status');
    var list = document.getElementById('search-results');
    var filterBox = document.getElementById('search-filters');
    var sort = document.getElementById('search-sort');
    var more = document.getElementById('search-more');
    var hint = document.getElementById('search-hint');
    if (!hint) {
      hint = el('p', { id: 'search-hint', class: 'search-hint', hidden: '' });
      status.after(hint);
    }
    var shown = 0, current = null, seq = 0;
    queryInput.value = st.q;
    form.querySelector('input[name=q]').value = st.q;
    sort.value = st.sort;
    [form, document.getElementById('search-form')].forEach(function (f) {
      f.addEventListener('submit', function (ev) {
        ev.preventDefault();
        st.q = f.querySelector('input[name=q]').value;
        queryInput.value = st.q;
        run();
      });
    });
    queryInput.addEventListener('input', function () { st.q = queryInput.value; run(); });
    sort.addEventListener('change', function () { st.sort = sort.value; run(); });
    more.addEventListener('click', function () { show(PAGE); });
    run();

    function run() {
      writeState(st);
      var mine = ++seq;
      index.query(st).then(function (res) {
        if (mine !== seq) return;
        current = res;
        shown = 0;
        list.replaceChildren();
        status.textContent = describe(res);
        explain(hint, res, st.q, function () { return mine === seq; });
        drawFilters(res.counts || {});
        return show(PAGE);
      }).catch(function (err) { status.textContent = 'The search index could not be loaded.'; console.warn(err); });
    }

    function describe(res) {
      var what = st.q ? '“' + st.q + '”' : 'the chosen filters';
      if (!st.q && !res.counts) return 'Type a few words to search every article.';
      return (res.total ? res.total + (res.total === 1 ? ' article matches ' : ' articles match ') : 'No articles match ') + what + '.';
    }

    function show(n) {
      var res = current, page = res.docs.slice(shown, shown + n);
      shown += page.length;
      more.hidden = shown >= res.docs.length;
      return index.records(page).then(function (recs) {
        if (res !== current) return;
        recs.forEach(function (r) {
          var item = resultItem(r, res.forms);
          list.append(item);
          index.excerpt(r, res.forms).then(function (x) {
            if (!x || res !== current) return;
            var p = el('p', { class: 'result-excerpt' }, [x.before ? '…' : '', marked(x.text, res.forms), x.after ? '…' : '']);
            var summary = item.querySelector('.result-summary');
            if (summary) summary.replaceWith(p); else item.querySelector('.result-meta').after(p);
          }).catch(function (err) { console.warn(err); });
        });
      });
    }

    var filterDetails = document.getElementById('search-filter-box');
    if (window.matchMedia('(min-width: 56rem)').matches) filterDetails.open = true;

    function drawFilters(c) {
      filterBox.replaceChildren();
      filterDetails.hidden = !['person', 'country', 'tag', 'source', 'year'].some(function (f) { return (c[f] || []).length; });
      var titles = { person: 'People', country: 'Countries', tag: 'Tags', source: 'Sources', year: 'Years' };
      ['person', 'country', 'tag', 'source', 'year'].forEach(function (f) {
        var values = c[f] || [];
        if (!values.length) return;
        var box = el('fieldset', { class: 'filter' }, [el('legend', {}, [titles[f]])]);
        values.forEach(function (v) {
          var id = 'f-' + f + '-' + v[0];
          var input = el('input', { type: 'checkbox', id: id, name: f, value: v[0] });
          input.checked = st.filters[f].indexOf(v[0]) >= 0;
          input.addEventListener('change', function () {
            var chosen = st.filters[f].filter(function (x) { return x !== v[0]; });
            if (input.checked) chosen.push(v[0]);
            st.filters[f] = chosen;
            run();
          });
          box.append(el('div', {}, [input, el('label', { for: id }, [v[1] + ' ', el('span', { class: 'count' }, ['(' + v[2] + ')'])])]));
        });
        filterBox.append(box);
      });
    }
  }
})(gazetteSearch);
