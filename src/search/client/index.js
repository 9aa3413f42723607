/* gazette search, 1 of 3: the index reader. Loads the entry file, then
   only the shards of the query's words and the files beside them that a
   query needs (ranks to sort by relevance, the pairs of words of a
   phrase), and the record chunks of the results it shows. The folding of
   words must match src/words/fold.rs. Text from the index is only ever
   set as text (textContent), never as markup, by page.js. The three files
   are served as one, /search/search.js; under node (the tests) it
   exports the API (`gazetteSearch`) without the page parts. */
var gazetteSearch = (function () {
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

  // A shard's records: a word's (its articles and its stem) and a word
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
      terms.set(term, { any: any, stem: readRelative(bytes, at, term) });
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
  function shardOf(e, term) { return lastAtOrBefore(e.shards, term); }

  // The last of the sorted `starts` at or before `term` (-1 if none).
  function lastAtOrBefore(starts, term) {
    var lo = 0, hi = starts.length - 1, found = -1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (cmp(starts[mid], term) <= 0) { found = mid; lo = mid + 1; } else hi = mid - 1;
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
  // `{term, any}`.
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
              found.push({ term: term, any: rec.any, exact: true });
            }
          });
        });
        return found;
      });
    });
  };

  // Several words' documents as one hit: `{any, forms, parts}`, the parts
  // being the words (`{term, any, exact}`), for the ranking.
  function combine(found, docs) {
    return {
      any: union(found.map(function (f) { return f.any; }), docs),
      forms: found.map(function (f) { return f.term; }),
      parts: found,
    };
  }

  // The words of the archive whose stem is `stem`, with their documents
  // (`null` when no word has it).
  Index.prototype.family = function (stem, docs) {
    var self = this;
    return this.lookup('^' + stem).then(function (f) {
      if (!f || !f.members) return null;
      return Promise.all(f.members.map(function (m) {
        return self.lookup(m).then(function (h) { return h && { term: m, any: h.any, exact: false }; });
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

  // One query word: every document with a form of it (`any`), the forms
  // found (marked in the results) and each form's documents (`parts`, the
  // word itself `exact`, ranked higher); `null` when nothing matches. A word of the
  // archive brings its family (the stem the index gave it); a word the
  // archive lacks, when last, the words it starts (still being typed),
  // else the family of the first of its guesses that is a stem.
  Index.prototype.word = function (w, last, docs) {
    var self = this;
    return this.lookup(w).then(function (hit) {
      if (hit) {
        return self.family(hit.stem, docs).then(function (f) {
          f = f || combine([{ term: w, any: hit.any }], docs);
          f.parts.forEach(function (p) { p.exact = p.term === w; });
          return f;
        });
      }
      return (last ? self.prefixed(w) : Promise.resolve([])).then(function (found) {
        if (found.length) return combine(found, docs);
        var tries = guesses(w);
        var next = function (i) {
          if (i === tries.length) return null;
          return self.family(tries[i], docs).then(function (g) { return g || next(i + 1); });
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
      });
      var sets = [];
      FILTERS.forEach(function (f) {
        (filters[f] || []).forEach(function (v) { sets.push(self.filterSet(f, v)); });
      });
      return Promise.all([Promise.all(hits), Promise.all(sets)]).then(function (got) {
        var filterSets = got[1], within = null;
        (filters.year || []).forEach(function (y) { filterSets.push(yearDocs(e, y)); });
        got[0].filter(Boolean).map(function (h) { return h.any; }).concat(filterSets).forEach(function (s) {
          within = within ? intersect(within, s) : s;
        });
        return Promise.all(parts.phrases.map(function (p) { return self.phrase(p, within); })).then(function (phrases) {
          return answer(self, e, toks.concat(labels), got[0].concat(phrases), filterSets, req);
        });
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

  // A word's or a pair's part in a folder beside the shards (`rank/`,
  // `pairs/`; see beside.rs): the file its `starts.json` puts it in.
  Index.prototype.beside = function (dir, term) {
    var self = this;
    if (!this.besides) this.besides = new Map();
    var get = function (key, make) {
      if (!self.besides.has(key)) self.besides.set(key, make());
      return self.besides.get(key);
    };
    return this.entry().then(function (e) {
      return get(dir, function () {
        return self.fetch(dir + 'starts.json?v=' + e.build, false).then(JSON.parse);
      }).then(function (starts) {
        var n = lastAtOrBefore(starts, term);
        if (n < 0) return undefined;
        return get(dir + n, function () {
          return self.fetch(dir + n + '.bin?v=' + e.build, true).then(function (buf) {
            var bytes = new Uint8Array(buf), at = { i: 0 }, parts = new Map();
            while (at.i < bytes.length) {
              var key = readString(bytes, at), len = varint(bytes, at);
              parts.set(key, bytes.subarray(at.i, at.i + len));
              at.i += len;
            }
            return parts;
          });
        }).then(function (parts) { return parts.get(term); });
      });
    });
  };

  // A word's ranks in its documents, two to a byte (see postings.rs).
  Index.prototype.ranks = function (term) {
    return this.beside('rank/', term);
  };

  // Where a pair of words (`first second`, see pairs.rs) stands in each
  // of its documents: Map(doc -> Int32Array of the first word's
  // positions); empty when no article has the pair.
  Index.prototype.pair = function (first, second) {
    return this.beside('pairs/', first + ' ' + second).then(function (bytes) {
      var out = new Map(), at = { i: 0 }, doc = 0;
      while (bytes && at.i < bytes.length) {
        doc += varint(bytes, at);
        var list = [], p = 0, n;
        do { n = varint(bytes, at); p += Math.floor(n / 2); list.push(p); } while (n % 2);
        out.set(doc, Int32Array.from(list));
      }
      return out;
    });
  };

  // The documents where the words `ws` stand next to one another, in that
  // order, in one sentence (each word as written: no other forms), as a
  // word's hit; `null` when no article has them so. One word alone is the
  // word as written, wherever it is. A phrase loads the parts of its pairs
  // of words, each much smaller than the words' own. Of the documents
  // `within` (the rest of the query's, when it has more), those that have
  // the phrase; when none has, whether any article has it says whether it
  // is missing or merely finds nothing here.
  Index.prototype.phrase = function (ws, within) {
    var self = this;
    return Promise.all(ws.map(function (w) { return self.lookup(w); })).then(function (recs) {
      if (recs.some(function (r) { return !r; })) return null;
      var pairs = ws.slice(1).map(function (w, i) { return self.pair(ws[i], w); });
      return Promise.all(pairs).then(function (at) {
        var everywhere = ws.length === 1 ? recs[0].any : Int32Array.from(
          Array.from(at[0].keys()).filter(function (d) {
            return adjacent(at.map(function (m) { return m.get(d); }));
          }));
        if (!everywhere.length) return null;
        var parts = ws.map(function (w, i) { return { term: w, any: recs[i].any, exact: true }; });
        var found = within ? intersect(within, everywhere) : everywhere;
        return { any: found, forms: Array.from(new Set(ws)), parts: parts };
      });
    });
  };

  // Whether some position p of the first list has p + k in the k-th (none
  // when a list is missing).
  function adjacent(lists) {
    if (lists.some(function (l) { return !l; })) return false;
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
    var sorted = req.sort === 'relevance' && found.length ? byRelevance(index, e, found, order) : Promise.resolve(order);
    var counted = req.counts === false ? Promise.resolve(null) : counts(index, e, docs, req.filters || {});
    return Promise.all([sorted, counted]).then(function (got) {
      return { docs: got[0], terms: toks, forms: forms, missing: missing, counts: got[1], total: got[0].length };
    });
  }

  // Best match first (BM25F): for each word of the query, its weight (the
  // rarer the more) times how well the document matches it (its rank, from
  // the index: the word's count in the title, summary and body, weighed,
  // set against the field's usual length and saturating, and its being in
  // the article's names), the best of its forms, another form counting
  // less than the word itself; then newest first.
  function byRelevance(index, e, hits, order) {
    var parts = [];
    hits.forEach(function (h) { parts = parts.concat(h.parts); });
    return Promise.all(parts.map(function (p) { return index.ranks(p.term); })).then(function (ranks) {
      var score = new Float64Array(e.docs), best = new Float64Array(e.docs), k = 0;
      hits.forEach(function (h) {
        var df = h.any.length, idf = Math.log(1 + (e.docs - df + 0.5) / (df + 0.5));
        best.fill(0);
        h.parts.forEach(function (p) {
          var r = ranks[k++], factor = p.exact ? 1 : OTHER_FORM;
          for (var j = 0; j < p.any.length; j++) {
            var v = factor * ((r[j >> 1] >> (j & 1 ? 0 : 4)) & 15) / 15;
            if (v > best[p.any[j]]) best[p.any[j]] = v;
          }
        });
        for (var i = 0; i < order.length; i++) score[order[i]] += idf * best[order[i]];
      });
      return order.sort(function (a, b) { return score[b] - score[a] || a - b; });
    });
  }

  // What another form of a word counts for, against the word itself.
  var OTHER_FORM = 0.7;

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

  return { fold: fold, words: words, segmenter: segmenter, FILTERS: FILTERS, Index: Index, guesses: guesses };
})();
