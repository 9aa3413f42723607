// Relevance against Pagefind: for each query, the articles Pagefind finds
// in Hugo's build of an archive (its own client, pagefind.js, loaded over
// HTTP; each result's address read from its fragment on disk, since
// fetching thousands of fragments one by one takes minutes) and the articles gazette's client finds in gazette's build of the
// same archive (search/search.js under node), compared by address
// (/YYYY/MM/slug/, the same in both builds; Pagefind's other pages, such
// as Hugo's tag lists, are left out). Prints, per query, how many each
// finds, how many Pagefind finds that gazette does not (with a few), and
// how many gazette finds that Pagefind does not.
//
//   python3 -m http.server -d HUGO_OUTPUT PORT &   (with Pagefind's index in it)
//   node --experimental-network-imports bench/search_relevance.mjs \
//       http://127.0.0.1:PORT HUGO_OUTPUT GAZETTE_OUTPUT 'query' ['query'...]
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';

const [hugo, hugoDir, ours, ...queries] = process.argv.slice(2);
const require = createRequire(import.meta.url);
const api = require(path.resolve(ours, 'search/search.js'));
const ARTICLE = /^\/\d{4}\/\d{2}\/[^/]+\/$/;

function gazette() {
  return new api.Index((p, binary) => {
    const bytes = fs.readFileSync(path.join(ours, 'search', p.split('?')[0]));
    return Promise.resolve(binary ? Uint8Array.from(bytes).buffer : bytes.toString('utf8'));
  });
}

async function gazetteFinds(q) {
  const index = gazette();
  const res = await index.query({ q, counts: false });
  const records = await index.records(Array.from(res.docs));
  return { urls: new Set(records.map((r) => r.u)), missing: res.missing };
}

// A result's address, from its fragment (gzip: `pagefind_dcd` and JSON).
function fragmentUrl(id) {
  const bytes = zlib.gunzipSync(fs.readFileSync(path.join(hugoDir, 'pagefind/fragment', `${id}.pf_fragment`)));
  return JSON.parse(bytes.toString('utf8').replace(/^pagefind_dcd/, '')).url;
}

async function pagefindFinds(pagefind, q) {
  const res = await pagefind.search(q);
  const urls = new Set();
  res.results.forEach((r) => {
    const u = fragmentUrl(r.id).replace(/index\.html$/, '');
    if (ARTICLE.test(u)) urls.add(u);
  });
  return urls;
}

const pagefind = await import(`${hugo}/pagefind/pagefind.js`);
await pagefind.options({ basePath: `${hugo}/pagefind/` });
await pagefind.init();
console.log('| query | Pagefind | gazette | Pagefind only | gazette only | a few Pagefind only |');
console.log('|---|---:|---:|---:|---:|---|');
for (const q of queries) {
  const theirs = await pagefindFinds(pagefind, q);
  const mine = await gazetteFinds(q);
  const onlyTheirs = [...theirs].filter((u) => !mine.urls.has(u));
  const onlyMine = [...mine.urls].filter((u) => !theirs.has(u));
  const note = mine.missing.length ? ` (gazette: no article has ${mine.missing.join(', ')})` : '';
  console.log(`| \`${q}\`${note} | ${theirs.size} | ${mine.urls.size} | ${onlyTheirs.length} | ${onlyMine.length} | ${onlyTheirs.slice(0, 3).join(' ')} |`);
}
process.exit(0);
