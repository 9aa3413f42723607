// Queries a built site's search index with the browser client itself
// (search/search.js, run under node) and reports, per query: the results,
// the bytes a browser would download with an empty cache (the entry, the
// shards of the words and filters, the counted filter values, the ranks
// when sorted by relevance, the pairs of words of a phrase, the record chunks
// of the first page of 10 results, and the article pages the excerpts of
// those 10 are taken from), and the time to answer once those files are
// loaded (median of 20 runs over a warm cache, so only the client's own
// work counts).
//
//   node bench/search_query.js SITE_DIR 'QUERY JSON' ['QUERY JSON'...]
//
// A query is the client's request: {"q": "words", "filters": {"person":
// ["slug"], "year": ["2024"]}, "sort": "date"|"relevance"}.
'use strict';
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

const site = process.argv[2];
const api = require(path.resolve(site, 'search/search.js'));

// Every file loaded is also counted as a host that compresses would send
// it (gzip, level 6): `gzipped` bytes.
let gzipped = 0;
function read(file) {
  const bytes = fs.readFileSync(file);
  gzipped += zlib.gzipSync(bytes).length;
  return bytes;
}

function loader(dir) {
  return (p, binary) => {
    const bytes = read(path.join(dir, 'search', p.split('?')[0]));
    return Promise.resolve(binary ? Uint8Array.from(bytes).buffer : bytes.toString('utf8'));
  };
}

// An article's page, as the search page fetches it for an excerpt.
function pages(dir) {
  return (url) => Promise.resolve(read(path.join(dir, url, 'index.html')).toString('utf8'));
}

// The first page of results as the search page shows it: the records and
// their excerpts.
async function firstPage(index, res) {
  const recs = await index.records(res.docs.slice(0, 10));
  return Promise.all(recs.map((r) => index.excerpt(r, res.forms)));
}

async function measure(req) {
  gzipped = 0;
  const cold = new api.Index(loader(site), pages(site));
  const res = await cold.query(req);
  const excerpts = (await firstPage(cold, res)).filter(Boolean).length;
  const bytes = cold.bytes;
  const gz = gzipped;
  const times = [];
  for (let i = 0; i < 20; i++) {
    const t0 = process.hrtime.bigint();
    const again = await cold.query(req);
    await firstPage(cold, again);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  return { query: req, results: res.total, kb: bytes / 1024, gz: gz / 1024, ms: times[10], excerpts };
}

(async () => {
  for (const arg of process.argv.slice(3)) {
    const m = await measure(JSON.parse(arg));
    console.log(`${JSON.stringify(m.query)}\t${m.results}\t${m.kb.toFixed(1)}\t${m.gz.toFixed(1)}\t${m.ms.toFixed(1)}\t${m.excerpts}`);
  }
})().catch((e) => { console.error(e); process.exit(1); });
