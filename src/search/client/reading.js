/* gazette search, 2 of 3: what a result shows and what a word that found
   nothing was probably meant to be: the excerpt of a story around the
   query's words, and a person's or country's name typed wrong. */
(function (api) {
  'use strict';
  var fold = api.fold, words = api.words, segmenter = api.segmenter, Index = api.Index;

  // ---- excerpts ------------------------------------------------------------
  // Words an excerpt shows.
  var EXCERPT_WORDS = 30;

  // The run of `size` words of `text` that holds the most of `forms`,
  // centred on its first and last such word: `{text, before, after}` (is
  // there text before and after it), or `null` when no word is a form.
  function excerptOf(text, forms, size) {
    var set = new Set(forms), ws = [], sum = [0];
    for (var seg of segmenter.segment(text)) {
      if (!seg.isWordLike) continue;
      var hit = set.has(fold(seg.segment)) ? 1 : 0;
      ws.push({ at: seg.index, end: seg.index + seg.segment.length, hit: hit });
      sum.push(sum[sum.length - 1] + hit);
    }
    var n = ws.length, width = Math.min(size, n), best = 0, from = 0;
    for (var s = 0; s + width <= n; s++) {
      var hits = sum[s + width] - sum[s];
      if (hits > best) { best = hits; from = s; }
    }
    if (!best) return null;
    var first = from, last = from + width - 1;
    while (!ws[first].hit) first++;
    while (!ws[last].hit) last--;
    var start = Math.max(0, Math.min(n - width, Math.floor((first + last + 1 - width) / 2)));
    var end = start + width;
    return { text: text.slice(ws[start].at, ws[end - 1].end), before: start > 0, after: end < n };
  }

  // The text of an article's body in its page's HTML (`.body` in the
  // article): by the browser's parser, or, without one (node), by taking
  // the tags out.
  function bodyText(html) {
    if (typeof DOMParser !== 'undefined') {
      var body = new DOMParser().parseFromString(html, 'text/html').querySelector('article .body');
      return body ? body.textContent : '';
    }
    var m = /<div class="body">([\s\S]*?)<\/div>\s*<footer/.exec(html);
    return m ? m[1].replace(/<[^>]*>/g, ' ').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'") : '';
  }

  // What a result shows of its article: its summary when a form of the
  // query is in the title or summary (or the match is by a name alone),
  // else an excerpt of the body around the forms, from the article's page.
  Index.prototype.excerpt = function (record, forms) {
    var set = new Set(forms), self = this;
    var inShown = words(record.t + ' ' + record.m).some(function (w) { return set.has(w); });
    if (inShown || !this.page || !forms.length) return Promise.resolve(null);
    if (!this.texts.has(record.u)) {
      this.texts.set(record.u, this.page(record.u).then(function (html) {
        self.bytes += new TextEncoder().encode(html).length;
        return bodyText(html);
      }));
    }
    return this.texts.get(record.u).then(function (text) { return excerptOf(text, forms, EXCERPT_WORDS); });
  };

  // ---- a name typed wrong --------------------------------------------------
  // The people and countries with a word starting as `word` does, most
  // written about first (names/<key>.json; none when there is no file).
  Index.prototype.names = function (word) {
    var self = this, key = nameKey(Array.from(word)[0]);
    if (!this.namesP) this.namesP = new Map();
    if (!this.namesP.has(key)) {
      this.namesP.set(key, this.entry().then(function (e) {
        if (e.names.indexOf(key) < 0) return [];
        return self.fetch('names/' + key + '.json?v=' + e.build, false).then(JSON.parse);
      }));
    }
    return this.namesP.get(key);
  };

  // See name_key in build.rs.
  function nameKey(c) {
    return /^[a-z0-9]$/i.test(c) ? c : 'u' + c.codePointAt(0).toString(16);
  }

  // The edit distance of two arrays of characters (an insertion, deletion,
  // change or swap of two neighbours costs one), or `most + 1` as soon as
  // it must be more than `most`.
  function distance(a, b, most) {
    if (Math.abs(a.length - b.length) > most) return most + 1;
    var before = null, prev = [], row;
    for (var j = 0; j <= b.length; j++) prev.push(j);
    for (var i = 1; i <= a.length; i++) {
      row = [i];
      var low = i;
      for (j = 1; j <= b.length; j++) {
        var d = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        if (before && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2] + 1);
        row.push(d);
        low = Math.min(low, d);
      }
      if (low > most) return most + 1;
      before = prev;
      prev = row;
    }
    return Math.min(prev[b.length], most + 1);
  }

  // How a word sounds, roughly (Soundex's letter classes, every letter
  // coded, vowels kept out): `zelenski` and `zelensky` sound the same.
  var SOUND = { b: 1, f: 1, p: 1, v: 1, c: 2, g: 2, j: 2, k: 2, q: 2, s: 2, x: 2, z: 2, d: 3, t: 3, l: 4, m: 5, n: 5, r: 6 };
  function sound(word) {
    var out = '', prev = '';
    for (var c of word) {
      var d = SOUND[c] || '';
      if (d && d !== prev) out += d;
      if (c !== 'h' && c !== 'w') prev = d;
    }
    return out;
  }

  // Letters a word may be off by, for its length (none under four; one
  // more when it starts alike and sounds the same).
  function slack(n) { return n < 4 ? -1 : n < 8 ? 1 : 2; }

  // The person or country a folded word that found nothing was probably
  // meant to be: `{name, kind, count}` or `null`. A name's word within a
  // few letters of it, or one more when it starts alike and sounds the
  // same; the closest, then the most written about.
  Index.prototype.suggest = function (word) {
    return this.names(word).then(function (names) {
      var w = Array.from(word), most = slack(w.length), key = sound(word), best = null;
      if (most < 0) return null;
      names.forEach(function (n) {
        n[3].forEach(function (nw) {
          var v = Array.from(nw);
          if (v.length < 4) return;
          var d = distance(w, v, most + 1);
          if (d > most && !(d === most + 1 && v[0] === w[0] && key.length >= 3 && sound(nw) === key)) return;
          if (!best || d < best.d) best = { d: d, name: n[0], kind: n[1], count: n[2] };
        });
      });
      return best && { name: best.name, kind: best.kind, count: best.count };
    });
  };

  api.excerptOf = excerptOf;
  api.bodyText = bodyText;
})(gazetteSearch);
