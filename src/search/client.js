/* gazette search: the browser side of the static index under /search/.
   Loads the entry file, then only the shards of the query's words and the
   record chunks of the results it shows. Text from the index is only ever
   set as text (textContent), never as markup. The folding of words must
   match src/words/fold.rs. Under node (the tests), `module.exports` is the
   index reader without the page parts. */
(function () {
  'use strict';

  // ---- words: the same steps as words/fold.rs ---------------------------
  var SPELLED = { 'ø': 'o', 'ł': 'l', 'đ': 'd', 'ð': 'd', 'ß': 'ss', 'æ': 'ae', 'œ': 'oe', 'þ': 'th', 'ı': 'i', 'ħ': 'h' };
  var MAX_WORD = 40;
  var MARK = /\p{M}/u;
  var ALNUM = /[\p{Alphabetic}\p{N}]/u;
  var segmenter = new Intl.Segmenter('en', { granularity: 'word' });

  function fold(word) {
    var stem = word.replace(/['\u2019][sS]$/, '');
    if (stem) word = stem;
    var out = '', n = 0;
    for (var c of word.normalize('NFKD')) {
      if (MARK.test(c)) continue;
      for (var l of c.toLowerCase()) {
        var s = SPELLED[l];
        if (s === undefined && !ALNUM.test(l)) continue;
        if (n === MAX_WORD) return out;
        n += 1;
        out += s === undefined ? l : s;
      }
    }
    return out;
  }

  function words(text) {
    var out = [];
    for (var seg of segmenter.segment(text)) {
      if (!seg.isWordLike) continue;
      var w = fold(seg.segment);
      if (w) out.push(w);
    }
    return out;
  }

  // Code point order, as the index sorts terms (UTF-8 byte order).
  function cmp(a, b) {
    var ia = a[Symbol.iterator](), ib = b[Symbol.iterator]();
    for (;;) {
      var x = ia.next(), y = ib.next();
      if (x.done || y.done) return (x.done ? 0 : 1) - (y.done ? 0 : 1);
      var d = x.value.codePointAt(0) - y.value.codePointAt(0);
      if (d) return d;
    }
  }

  // ---- sets: see sets.rs -----------------------------------------------
  function readSet(bytes, at, docs) {
    var tag = bytes[at.i++];
    if (tag === 1) {
      var len = (docs + 7) >> 3, ids = [];
      for (var b = 0; b < len; b++) {
        var v = bytes[at.i + b];
        for (var k = 0; v; k++, v >>= 1) if (v & 1) ids.push(b * 8 + k);
      }
      at.i += len;
      return Int32Array.from(ids);
    }
    var count = varint(bytes, at), prev = 0;
    var out = new Int32Array(count);
    for (var j = 0; j < count; j++) { prev += varint(bytes, at); out[j] = prev; }
    return out;
  }

  function varint(bytes, at) {
    var n = 0, mul = 1, b;
    do { b = bytes[at.i++]; n += (b & 0x7f) * mul; mul *= 128; } while (b >= 0x80);
    return n;
  }

  function intersect(a, b) {
    var out = [], i = 0, j = 0;
    while (i < a.length && j < b.length) {
      if (a[i] < b[j]) i++; else if (a[i] > b[j]) j++; else { out.push(a[i]); i++; j++; }
    }
    return Int32Array.from(out);
  }

  function union(sets, docs) {
    var seen = new Uint8Array(docs), out = [];
    sets.forEach(function (s) { s.forEach(function (d) { seen[d] = 1; }); });
    for (var d = 0; d < docs; d++) if (seen[d]) out.push(d);
    return Int32Array.from(out);
  }

  // ---- the index ---------------------------------------------------------
  var decoder = new TextDecoder();
  var PREFIX_SHARDS = 4, PREFIX_TERMS = 100;
  var FILTERS = ['person', 'country', 'tag', 'source'];

  // `load(path, binary)` fetches a file under /search/ (an ArrayBuffer when
  // binary, else text); `base` is that folder's URL, for the records' links.
  // `page(url)`, optional, fetches an article's page (its HTML), for the
  // excerpts.
  function Index(load, page) {
    this.load = load;
    this.page = page;
    this.bytes = 0;
    this.shards = new Map();
    this.chunks = new Map();
    this.texts = new Map();
  }

  Index.prototype.fetch = function (path, binary) {
    var self = this;
    return this.load(path, binary).then(function (data) {
      self.bytes += binary ? data.byteLength : new TextEncoder().encode(data).length;
      return data;
    });
  };

  Index.prototype.entry = function () {
    if (!this.entryP) this.entryP = this.fetch('index.json', false).then(JSON.parse);
    return this.entryP;
  };

  Index.prototype.shard = function (n) {
    var self = this;
    if (!this.shards.has(n)) {
      this.shards.set(n, this.entry().then(function (e) {
        return self.fetch('words/' + n + '.bin?v=' + e.build, true).then(function (buf) {
          return parseShard(new Uint8Array(buf), e.docs);
        });
      }));
    }
    return this.shards.get(n);
  };

  // A shard's records: a word's (its sets and its stem) and a word
  // family's (`^stem`: the words of the archive that have the stem).
  function parseShard(bytes, docs) {
    var terms = new Map(), at = { i: 0 };
    while (at.i < bytes.length) {
      var term = readString(bytes, at);
      if (term.charAt(0) === '^') {
        var stem = term.slice(1), members = [];
        for (var n = varint(bytes, at); n > 0; n--) members.push(readRelative(bytes, at, stem));
        terms.set(term, { members: members });
        continue;
      }
      var any = readSet(bytes, at, docs);
      var strong = readSet(bytes, at, docs);
      terms.set(term, { any: any, strong: strong, stem: readRelative(bytes, at, term) });
    }
    return terms;
  }

  function readString(bytes, at) {
    var len = varint(bytes, at);
    var s = decoder.decode(bytes.subarray(at.i, at.i + len));
    at.i += len;
    return s;
  }

  // A string written after `base`: the characters it shares with it, then
  // the rest (see put_relative in build.rs).
  function readRelative(bytes, at, base) {
    var shared = varint(bytes, at), head = '', n = 0;
    if (shared) for (var c of base) { head += c; if (++n === shared) break; }
    return head + readString(bytes, at);
  }

  // The sets of the most used filter values (filters.bin), for the counts.
  Index.prototype.counted = function () {
    var self = this;
    if (!this.countedP) {
      this.countedP = this.entry().then(function (e) {
        return self.fetch('filters.bin?v=' + e.build, true).then(function (buf) {
          var bytes = new Uint8Array(buf), at = { i: 0 }, sets = new Map();
          while (at.i < bytes.length) {
            var term = readString(bytes, at);
            sets.set(term, readSet(bytes, at, e.docs));
          }
          return sets;
        });
      });
    }
    return this.countedP;
  };

  // The documents of one filter value: from filters.bin when it is one of
  // the counted values, else from its shard.
  Index.prototype.filterSet = function (f, value) {
    var self = this, term = '~' + f + ':' + value;
    return this.entry().then(function (e) {
      var counted = e.filters[f].slice(0, e.counted).some(function (v) { return v[0] === value; });
      if (counted) return self.counted().then(function (sets) { return sets.get(term) || new Int32Array(0); });
      return self.lookup(term).then(function (h) { return h ? h.any : new Int32Array(0); });
    });
  };

  // The shard that would hold `term`: the last one starting at or before it.
  function shardOf(e, term) {
    var lo = 0, hi = e.shards.length - 1, found = -1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (cmp(e.shards[mid], term) <= 0) { found = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return found;
  }

  Index.prototype.lookup = function (term) {
    var self = this;
    return this.entry().then(function (e) {
      var n = shardOf(e, term);
      if (n < 0) return null;
      return self.shard(n).then(function (s) { return s.get(term) || null; });
    });
  };

  // Terms starting with `prefix` (for a last word still being typed), as
  // `{term, any, strong}`.
  Index.prototype.prefixed = function (prefix) {
    var self = this;
    return this.entry().then(function (e) {
      var first = Math.max(shardOf(e, prefix), 0), wanted = [first];
      for (var n = first + 1; n < e.shards.length && n < first + PREFIX_SHARDS; n++) {
        if (!e.shards[n].startsWith(prefix)) break;
        wanted.push(n);
      }
      return Promise.all(wanted.map(function (n) { return self.shard(n); })).then(function (shards) {
        var found = [];
        shards.forEach(function (s) {
          s.forEach(function (rec, term) {
            if (found.length < PREFIX_TERMS && term.startsWith(prefix) && rec.any) {
              found.push({ term: term, any: rec.any, strong: rec.strong });
            }
          });
        });
        return found;
      });
    });
  };

  // Several words' documents as one: `{any, strong, forms}`.
  function combine(found, docs) {
    return {
      any: union(found.map(function (f) { return f.any; }), docs),
      strong: union(found.map(function (f) { return f.strong; }), docs),
      forms: found.map(function (f) { return f.term; }),
    };
  }

  // The words of the archive whose stem is `stem`, with their documents
  // (`null` when no word has it).
  Index.prototype.family = function (stem, docs) {
    var self = this;
    return this.lookup('^' + stem).then(function (f) {
      if (!f || !f.members) return null;
      return Promise.all(f.members.map(function (m) {
        return self.lookup(m).then(function (h) { return h && { term: m, any: h.any, strong: h.strong }; });
      })).then(function (found) {
        found = found.filter(Boolean);
        return found.length ? combine(found, docs) : null;
      });
    });
  };

  // The stems tried for a word the archive lacks: see `guesses` in stems.rs.
  function guesses(word) {
    var chars = Array.from(word), out = [];
    for (var len = chars.length; len >= Math.max(3, chars.length - 5); len--) {
      var p = chars.slice(0, len).join('');
      if (p.endsWith('y')) out.push(p.slice(0, -1) + 'i');
      out.push(p);
    }
    return out;
  }

  // One query word: every document with a form of it (`any`, `strong`),
  // those with the word itself (`exact`, ranked higher) and the forms found
  // (marked in the results); `null` when nothing matches. A word of the
  // archive brings its family (the stem the index gave it); a word the
  // archive lacks, when last, the words it starts (still being typed),
  // else the family of the first of its guesses that is a stem.
  Index.prototype.word = function (w, last, docs) {
    var self = this;
    return this.lookup(w).then(function (hit) {
      if (hit) {
        return self.family(hit.stem, docs).then(function (f) {
          f = f || { any: hit.any, strong: hit.strong, forms: [w] };
          f.exact = hit.any;
          return f;
        });
      }
      return (last ? self.prefixed(w) : Promise.resolve([])).then(function (found) {
        if (found.length) {
          var f = combine(found, docs);
          f.exact = f.any;
          return f;
        }
        var tries = guesses(w);
        var next = function (i) {
          if (i === tries.length) return null;
          return self.family(tries[i], docs).then(function (g) {
            if (!g) return next(i + 1);
            g.exact = new Int32Array(0);
            return g;
          });
        };
        return next(0);
      });
    });
  };

  function yearDocs(e, year) {
    var y = e.years.find(function (y) { return String(y[0]) === String(year); }), out = [];
    if (y) y[1].forEach(function (run) { for (var d = run[0]; d < run[1]; d++) out.push(d); });
    return Int32Array.from(out);
  }

  // Answers {q, filters: {person: [slug], ..., year: [y]}, sort}: the
  // matching documents in order, the counts of filter values among them,
  // and the words matched (for marking).
  Index.prototype.query = function (req) {
    var self = this;
    return this.entry().then(function (e) {
      var parts = parse(req.q);
      var toks = parts.words, filters = req.filters || {};
      var labels = parts.phrases.map(function (p) { return p.join(' '); });
      var hits = toks.map(function (t, i) {
        return self.word(t, parts.open && i === toks.length - 1, e.docs);
      }).concat(parts.phrases.map(function (p) { return self.phrase(p); }));
      var sets = [];
      FILTERS.forEach(function (f) {
        (filters[f] || []).forEach(function (v) { sets.push(self.filterSet(f, v)); });
      });
      return Promise.all([Promise.all(hits), Promise.all(sets)]).then(function (got) {
        var filterSets = got[1];
        (filters.year || []).forEach(function (y) { filterSets.push(yearDocs(e, y)); });
        return answer(self, e, toks.concat(labels), got[0], filterSets, req);
      });
    });
  };

  // A query's words outside double quotes (distinct; the last one open to
  // completion when the query ends with it: `open`) and its phrases (the
  // words of each quoted run, distinct; an unclosed quote runs to the end).
  // Mirrored by `parse` in the tests' brute-force scan.
  var QUOTES = /["\u201c\u201d\u201e]/;
  function parse(q) {
    var parts = (q || '').split(QUOTES), plain = [], phrases = new Map();
    parts.forEach(function (part, i) {
      var ws = words(part);
      if (i % 2 === 0) plain = plain.concat(ws);
      else if (ws.length) phrases.set(ws.join(' '), ws);
    });
    var open = parts.length % 2 === 1 && words(parts[parts.length - 1]).length > 0;
    return { words: Array.from(new Set(plain)), phrases: Array.from(phrases.values()), open: open };
  }

  // Where each word of shard `n` is: the `pos/` file beside it, cut into
  // the words' parts, by word (families have none).
  Index.prototype.positionsFile = function (n) {
    var self = this;
    if (!this.posFiles) this.posFiles = new Map();
    if (!this.posFiles.has(n)) {
      this.posFiles.set(n, Promise.all([this.entry(), this.shard(n)]).then(function (got) {
        return self.fetch('pos/' + n + '.bin?v=' + got[0].build, true).then(function (buf) {
          var bytes = new Uint8Array(buf), at = { i: 0 }, parts = new Map();
          got[1].forEach(function (rec, term) {
            if (rec.members) return;
            var len = varint(bytes, at);
            parts.set(term, bytes.subarray(at.i, at.i + len));
            at.i += len;
          });
          return parts;
        });
      }));
    }
    return this.posFiles.get(n);
  };

  // A word's positions in each of its documents: Map(doc -> Int32Array).
  Index.prototype.positions = function (term, rec) {
    var self = this;
    return this.entry().then(function (e) {
      return self.positionsFile(shardOf(e, term));
    }).then(function (parts) {
      var bytes = parts.get(term), at = { i: 0 }, out = new Map();
      for (var k = 0; k < rec.any.length; k++) {
        var count = varint(bytes, at), list = new Int32Array(count), p = 0;
        for (var j = 0; j < count; j++) { p += varint(bytes, at); list[j] = p; }
        out.set(rec.any[k], list);
      }
      return out;
    });
  };

  // The documents where the words `ws` stand next to one another, in that
  // order, in one sentence (each word as written: no other forms), as a
  // word's hit; `null` when there are none.
  Index.prototype.phrase = function (ws) {
    var self = this;
    return Promise.all(ws.map(function (w) { return self.lookup(w); })).then(function (recs) {
      if (recs.some(function (r) { return !r; })) return null;
      var docs = recs[0].any;
      recs.slice(1).forEach(function (r) { docs = intersect(docs, r.any); });
      if (!docs.length) return null;
      return Promise.all(ws.map(function (w, i) { return self.positions(w, recs[i]); })).then(function (at) {
        var found = Array.from(docs).filter(function (d) {
          return adjacent(at.map(function (m) { return m.get(d); }));
        });
        if (!found.length) return null;
        var set = Int32Array.from(found);
        return { any: set, exact: set, strong: new Int32Array(0), forms: Array.from(new Set(ws)) };
      });
    });
  };

  // Whether some position p of the first list has p + k in the k-th.
  function adjacent(lists) {
    return lists[0].some(function (p) {
      return lists.every(function (list, k) { return has(list, p + k); });
    });
  }

  function has(sorted, x) {
    var lo = 0, hi = sorted.length - 1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (sorted[mid] === x) return true;
      if (sorted[mid] < x) lo = mid + 1; else hi = mid - 1;
    }
    return false;
  }

  // The answer: the documents of every word that matches something and of
  // every filter. A word that matches nothing is left out and named
  // (`missing`), so that the page can say so and offer a name instead.
  function answer(index, e, toks, hits, filterSets, req) {
    var found = hits.filter(Boolean);
    var missing = toks.filter(function (t, i) { return !hits[i]; });
    var forms = [];
    found.forEach(function (h) { forms = forms.concat(h.forms); });
    var empty = { docs: [], terms: toks, forms: forms, missing: missing, counts: null, total: 0 };
    if (!found.length && !filterSets.length) return missing.length ? Object.assign(empty, { counts: {} }) : empty;
    var docs = null;
    found.forEach(function (h) { docs = docs ? intersect(docs, h.any) : h.any; });
    filterSets.forEach(function (s) { docs = docs ? intersect(docs, s) : s; });
    var order = Array.from(docs);
    if (req.sort === 'relevance' && found.length) order = byRelevance(e, found, order);
    var counted = req.counts === false ? Promise.resolve(null) : counts(index, e, docs, req.filters || {});
    return counted.then(function (c) {
      return { docs: order, terms: toks, forms: forms, missing: missing, counts: c, total: order.length };
    });
  }

  // Best match first: each word's weight (rarer words weigh more) for a
  // document with one of its forms, twice that with the word itself, and
  // more when it is in the title, summary or names; then newest first.
  function byRelevance(e, hits, order) {
    var score = new Float64Array(e.docs);
    var add = function (set, w) { for (var j = 0; j < set.length; j++) score[set[j]] += w; };
    hits.forEach(function (h) {
      var idf = Math.log(1 + e.docs / Math.max(h.any.length, 1));
      add(h.any, idf / 2);
      add(h.exact, idf / 2);
      add(h.strong, 2 * idf);
    });
    return order.sort(function (a, b) { return score[b] - score[a] || a - b; });
  }

  // Counts among `docs` of every year and of the counted values of each
  // filter kind (and the ones chosen), most frequent first, zeros left out
  // (but for chosen ones).
  function counts(index, e, docs, chosen) {
    var mark = new Uint8Array(e.docs);
    for (var i = 0; i < docs.length; i++) mark[docs[i]] = 1;
    var inDocs = function (set) {
      var n = 0;
      for (var k = 0; k < set.length; k++) n += mark[set[k]];
      return n;
    };
    var out = { year: [] };
    e.years.forEach(function (y) {
      var n = 0;
      y[1].forEach(function (run) { for (var d = run[0]; d < run[1]; d++) n += mark[d]; });
      if (n) out.year.push([String(y[0]), String(y[0]), n]);
    });
    return Promise.all(FILTERS.map(function (f) {
      var values = e.filters[f].slice(0, e.counted).map(function (v) { return [v[0], v[1]]; });
      var kept = chosen[f] || [];
      kept.forEach(function (slug) {
        if (!values.some(function (v) { return v[0] === slug; })) values.push([slug, nameOf(e, f, slug)]);
      });
      return Promise.all(values.map(function (v) {
        return index.filterSet(f, v[0]).then(function (set) { return [v[0], v[1], inDocs(set)]; });
      })).then(function (list) {
        out[f] = list.filter(function (v) { return v[2] > 0 || kept.indexOf(v[0]) >= 0; })
          .sort(function (a, b) { return b[2] - a[2]; });
      });
    })).then(function () { return out; });
  }

  function nameOf(e, f, slug) {
    var v = e.filters[f].find(function (v) { return v[0] === slug; });
    return v ? v[1] : slug.replace(/-/g, ' ');
  }

  Index.prototype.records = function (docs) {
    var self = this;
    return this.entry().then(function (e) {
      var chunks = Array.from(new Set(docs.map(function (d) { return Math.floor(d / e.chunk); })));
      return Promise.all(chunks.map(function (c) {
        if (!self.chunks.has(c)) {
          self.chunks.set(c, self.fetch('docs/' + c + '.json?v=' + e.build, false).then(JSON.parse));
        }
        return self.chunks.get(c);
      })).then(function () {
        return Promise.all(docs.map(function (d) {
          return self.chunks.get(Math.floor(d / e.chunk)).then(function (r) { return r[d % e.chunk]; });
        }));
      });
    });
  };

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

  var api = { fold: fold, words: words, Index: Index, guesses: guesses, excerptOf: excerptOf, bodyText: bodyText };
  if (typeof module !== 'undefined' && module.exports) { module.exports = api; return; }

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
})();
