// Orama baseline for nexuskb's relevance benchmark: one Orama database per language (its own
// tokenizer, stemmer and stop words), every query searched in each language database, the hits
// merged by score into distinct items.
//
// Usage: node run.mjs <corpus.json> <queries.json>   (both written by nexuskb-relevance)
//   corpus.json  {"documents": [{"id", "lang", "title", "summary", "body", "kind", "section",
//                 "actors": [], "regions": [], "themes": [], "practices": []}]}
//   queries.json {"depth": 100, "queries": [{"id", "query", "filters": {facet: [values]}}]}
// Prints on stdout {"engine", "orama_version", "node_version", "settings", "queries": [{"id",
// "matched", "ms", "hits": [{"id", "lang", "score"}]}]}: hits are distinct items, best first, at
// most `depth`, each standing for its best-scoring language version.
// Exit codes: 0 done; 2 bad usage or input; 3 the npm packages are not installed (npm ci here).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

const here = new URL('.', import.meta.url);

let orama;
const languages = {};
// One row per language: the Orama tokenizer language and the stemmer and stop-word modules.
const kLanguages = {
  en: 'english',
  fr: 'french',
  ar: 'arabic',
};
try {
  orama = await import('@orama/orama');
  for (const [lang, name] of Object.entries(kLanguages)) {
    const { stemmer } = await import(`@orama/stemmers/${name}`);
    const { stopwords } = await import(`@orama/stopwords/${name}`);
    languages[lang] = { name, stemmer, stopwords };
  }
} catch (e) {
  process.stderr.write(
    `the @orama npm packages are not installed (${e.code ?? e.message}): run \`npm ci\` in ` +
      'bench/relevance/orama, or NEXUSKB_BENCH=1 scripts/bootstrap\n',
  );
  process.exit(3);
}
const version = createRequire(here)('@orama/orama/package.json').version;

// Title boost 2 and summary 1.5: Orama adds per-field BM25 scores multiplied by the boost, and
// larger boosts (5) let a single title word outrank everything else.
const kBoost = { title: 2, summary: 1.5 };
const kProperties = ['title', 'summary', 'body'];

// Facet filter -> [document field, Orama where operator]. `lang` picks the databases instead.
const kFacets = {
  kind: ['kind', 'in'],
  section: ['section', 'in'],
  actor: ['actors', 'containsAny'],
  region: ['regions', 'containsAny'],
  theme: ['themes', 'containsAny'],
  practice: ['practices', 'containsAny'],
};

const kSchema = {
  title: 'string',
  summary: 'string',
  body: 'string',
  kind: 'enum',
  section: 'enum',
  actors: 'enum[]',
  regions: 'enum[]',
  themes: 'enum[]',
  practices: 'enum[]',
};

function fail(message) {
  process.stderr.write(`run.mjs: ${message}\n`);
  process.exit(2);
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    return fail(`${path}: ${e.message}`);
  }
}

function toDocument(d) {
  const doc = {
    id: d.id,
    title: d.title,
    summary: d.summary,
    body: d.body,
    kind: d.kind,
    actors: d.actors,
    regions: d.regions,
    themes: d.themes,
    practices: d.practices.map(String),
  };
  if (d.section) doc.section = d.section;  // Orama rejects an empty enum value
  return doc;
}

async function buildDatabases(documents) {
  const dbs = {};
  for (const [lang, { name, stemmer, stopwords }] of Object.entries(languages)) {
    const docs = documents.filter((d) => d.lang === lang).map(toDocument);
    const db = orama.create({
      schema: kSchema,
      components: { tokenizer: { language: name, stemming: true, stemmer, stopWords: stopwords } },
    });
    await orama.insertMultiple(db, docs, 500);
    dbs[lang] = db;
  }
  const unknown = documents.find((d) => !(d.lang in languages));
  if (unknown) fail(`document ${unknown.id}: no Orama language for '${unknown.lang}'`);
  return dbs;
}

function whereClause(filters) {
  const where = {};
  for (const [facet, values] of Object.entries(filters ?? {})) {
    if (facet === 'lang' || values.length === 0) continue;
    const spec = kFacets[facet];
    if (!spec) fail(`unknown facet filter '${facet}'`);
    where[spec[0]] = { [spec[1]]: values.map(String) };
  }
  return where;
}

async function searchAll(dbs, q, depth) {
  const langs = q.filters?.lang?.length ? q.filters.lang : Object.keys(dbs);
  // Orama has no phrase operator: the words of a quoted phrase are searched as words.
  const term = q.query.replaceAll('"', ' ');
  const where = whereClause(q.filters);
  const best = new Map();  // item id -> {id, lang, score}
  let matched = 0;
  const t0 = performance.now();
  for (const lang of langs) {
    if (!dbs[lang]) continue;
    const res = await orama.search(dbs[lang], {
      term,
      properties: kProperties,
      boost: kBoost,
      where,
      limit: depth,
    });
    matched += res.count;
    for (const hit of res.hits) {
      const prev = best.get(hit.id);
      if (!prev || hit.score > prev.score) best.set(hit.id, { id: hit.id, lang, score: hit.score });
    }
  }
  const hits = [...best.values()]
    .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .slice(0, depth);
  return { id: q.id, matched, ms: performance.now() - t0, hits };
}

if (process.argv.length !== 4) fail('usage: node run.mjs <corpus.json> <queries.json>');
const corpus = readJson(process.argv[2]);
const input = readJson(process.argv[3]);
const depth = input.depth ?? 100;
const dbs = await buildDatabases(corpus.documents ?? []);
const out = {
  engine: 'orama',
  orama_version: version,
  node_version: process.version,
  settings: {
    properties: kProperties,
    boost: kBoost,
    languages: Object.fromEntries(Object.entries(languages).map(([l, v]) => [l, v.name])),
  },
  queries: [],
};
for (const q of input.queries ?? []) out.queries.push(await searchAll(dbs, q, depth));
process.stdout.write(JSON.stringify(out) + '\n');
