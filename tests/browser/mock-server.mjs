// A stand-in for `forfait studio`, for working on the page before the Rust server exists.
//
//   node tests/browser/mock-server.mjs [FOLDER] [--port N]
//
// It serves src/cli/studio/assets/ (index.html with `{{TOKEN}}` replaced) and answers the
// studio's JSON API as the contract says, computing what it can with the command line
// (`check --error-format json`, `eval --format json`, `explain`, `fmt`, `doc`, `diff`), so
// the page can be driven through a real editing session. What the command line does not
// give (tokens, symbols, the form fields, completion, hover) is approximated here with
// regular expressions: good enough to develop the page, never a reference. Node's built-in
// modules only. It prints `http://127.0.0.1:PORT/?token=...` as the real server does.
//
// The binary is $FORFAIT_BIN, else target/debug/forfait.

import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const assets = path.join(root, 'src', 'cli', 'studio', 'assets');
const bin = process.env.FORFAIT_BIN || path.join(root, 'target', 'debug', 'forfait');

const args = process.argv.slice(2);
let port = 0;
let folder = path.join(root, 'rulebooks');
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--port') port = Number(args[++i]);
  else if (args[i] === '--no-browser') continue;
  else folder = path.resolve(args[i]);
}
const token = crypto.randomBytes(16).toString('hex');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'forfait-mock-'));
process.on('exit', () => fs.rmSync(scratch, { recursive: true, force: true }));
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(0));

// ---------------------------------------------------------------- the command line

function run(argv, { allowFail = true } = {}) {
  const r = spawnSync(bin, ['--lang', 'fr', ...argv], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (!allowFail && r.status !== 0) throw new Error(r.stderr || r.stdout);
  return r;
}

/** Writes `text` as a rulebook in a fresh scratch folder, under the file name of `rel`. */
function scratchRulebook(rel, text) {
  const dir = fs.mkdtempSync(path.join(scratch, 'r-'));
  const file = path.join(dir, path.basename(rel || 'referentiel.forfait'));
  fs.writeFileSync(file, text);
  return file;
}

function inside(rel) {
  const p = path.resolve(folder, rel || '');
  if (!p.startsWith(folder + path.sep)) throw httpError(400, `chemin hors du dossier : ${rel}`);
  return p;
}

function httpError(status, message) {
  return Object.assign(new Error(message), { status });
}

// ---------------------------------------------------------------- offsets

const enc = new TextEncoder();
/** UTF-16 offset of a UTF-8 byte offset of `text`. */
function to16(text, byte) {
  return Buffer.from(text).subarray(0, byte).toString('utf8').length;
}
function toByte(text, off16) {
  return enc.encode(text.slice(0, off16)).length;
}

// ---------------------------------------------------------------- analysis

const KEYWORDS = new Set(('rulebook scheme exercice paid in guide currency EUR point value professions input ' +
  'yes/no count decimal date text one of automated declarative prefilled unit missing is error means list ' +
  'indicator section evidence applies when met neutralised quote requires independent pays per otherwise ' +
  'group all-of each-of stated total for and or not yes no none points').split(' '));

function symbolsOf(text) {
  const symbols = [];
  const re = /^(input|list|indicator|group) ([a-z][a-z0-9_]*) "([^"]*)"/gm;
  let m;
  while ((m = re.exec(text))) {
    const start = m.index + m[1].length + 1;
    symbols.push({ name: m[2], kind: m[1], label: m[3], start, end: start + m[2].length });
  }
  const values = /^\s+([a-z][a-z0-9_]*) "([^"]*)",?$/gm;
  while ((m = values.exec(text))) {
    const start = m.index + m[0].indexOf(m[1]);
    symbols.push({ name: m[1], kind: 'value', label: m[2], start, end: start + m[1].length });
  }
  return symbols;
}

function tokensOf(text, symbols) {
  const kinds = new Map();
  for (const s of symbols) if (!kinds.has(s.name)) kinds.set(s.name, s.kind === 'value' ? 'value' : s.kind);
  const tokens = [];
  const re = /(#[^\n]*)|("(?:[^"\\\n]|\\.)*"?)|(\d+(?:[.-]\d+)*)|(yes\/no|all-of|each-of|[a-zA-Z_][a-zA-Z0-9_]*)|(>=|<=|!=|[<>=≥≤≠/%()*,+-])/g;
  let m;
  while ((m = re.exec(text))) {
    const kind = m[1] ? 'comment' : m[2] ? 'string' : m[3] ? 'number' : m[5] ? 'operator'
      : KEYWORDS.has(m[4]) ? 'keyword' : kinds.get(m[4]) || 'input';
    tokens.push({ start: m.index, end: m.index + m[0].length, kind });
  }
  return tokens;
}

/** The form fields, read from the `input` items (approximate, as everything here). */
function inputsOf(text) {
  const fields = [];
  const prof = /professions \(([\s\S]*?)\)\n/.exec(text);
  if (prof) {
    const choices = [...prof[1].matchAll(/([a-z][a-z0-9_]*)(?: "([^"]*)")?/g)].map((c) => ({ name: c[1], label: c[2] || c[1] }));
    fields.push({ name: 'profession', label: 'Profession', type: 'choice', unit: null, source: null,
      required: choices.length > 1, default: choices.length === 1 ? choices[0].name : null, choices });
  }
  const items = text.split(/\n(?=input |list |indicator |group |stated )/);
  for (const item of items) {
    const head = /^input ([a-z][a-z0-9_]*) "([^"]*)"/.exec(item);
    if (!head) continue;
    const body = item.replace(/#[^\n]*/g, '');
    let type = 'text';
    let choices = null;
    if (/\n\s+one of \(/.test(body)) {
      type = 'choice';
      const list = /one of \(([\s\S]*?)\)\n/.exec(body)[1];
      choices = [...list.matchAll(/([a-z][a-z0-9_]*)(?: "([^"]*)")?/g)].map((c) => ({ name: c[1], label: c[2] || c[1] }));
    } else {
      const t = /\n\s+(yes\/no|count|decimal|date|text)\b/.exec(body);
      type = t ? { 'yes/no': 'yes_no' }[t[1]] || t[1] : 'text';
    }
    const source = /\b(automated|declarative prefilled|declarative)\b/.exec(body);
    const unit = /\n\s+unit "([^"]*)"/.exec(body);
    const missing = /\n\s+missing (is error|means (.*))/.exec(body);
    fields.push({
      name: head[1], label: head[2], type, unit: unit ? unit[1] : null,
      source: source ? source[1].replace(' ', '_') : null,
      required: !!missing && missing[1] === 'is error',
      default: missing && missing[2] ? missing[2].trim().replace(/^"(.*)"$/, '$1') : null,
      choices,
    });
  }
  return fields;
}

function analyse(text, rel) {
  const file = scratchRulebook(rel, text);
  const r = run(['check', '--error-format', 'json', file]);
  let reported = [];
  try { reported = JSON.parse(r.stdout)[0] || []; } catch { reported = []; }
  const diagnostics = reported.map((d) => {
    const label = (d.labels || [])[0] || { offset: 0, length: 0, line: 1, column: 1 };
    const start16 = to16(text, label.offset);
    const end16 = to16(text, label.offset + label.length);
    const fixes = [];
    const guess = /vouliez-vous dire `([^`]+)`/.exec(d.help || '');
    if (guess) {
      fixes.push({ title: `remplacer par \`${guess[1]}\``,
        edits: [{ start: label.offset, end: label.offset + label.length, start16, end16, text: guess[1] }] });
    }
    return { code: d.code, severity: d.severity, message: d.message, help: d.help || null,
      start: label.offset, end: label.offset + label.length, start16, end16,
      line: label.line, column: label.column, fixes };
  });
  const symbols = symbolsOf(text);
  const tokens = tokensOf(text, symbols).map((t) => ({ ...t, start16: t.start, end16: t.end,
    start: toByte(text, t.start), end: toByte(text, t.end) }));
  const errors = diagnostics.some((d) => d.severity === 'error');
  return { diagnostics, tokens, symbols, inputs: errors ? null : inputsOf(text), checks: !errors };
}

// ---------------------------------------------------------------- the other answers

function header(text) {
  const get = (re) => (re.exec(text) || [])[1] || null;
  return { title: get(/^rulebook [a-z0-9_]+ "([^"]*)"/m), scheme: get(/^\s+scheme "([^"]*)"/m),
    exercice: Number(get(/^\s+exercice (\d+)/m)) || null };
}

function examplesDir(rel) {
  return inside(rel).replace(/\.forfait$/, '.examples');
}

function exampleNames(rel) {
  const dir = examplesDir(rel);
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
}

function listRulebooks() {
  const found = [];
  (function walk(dir) {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.forfait')) found.push(path.relative(folder, p));
    }
  })(folder);
  return found.sort().map((rel) => {
    const text = fs.readFileSync(inside(rel), 'utf8');
    const { diagnostics } = analyse(text, rel);
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    const warnings = diagnostics.length - errors;
    return { path: rel, ...header(text), state: errors ? 'errors' : warnings ? 'warnings' : 'clean',
      errors, warnings, examples: exampleNames(rel).length };
  });
}

function simulate(text, declaration, rel) {
  const file = scratchRulebook(rel, text);
  const decl = path.join(path.dirname(file), 'declaration.json');
  fs.writeFileSync(decl, JSON.stringify({ id: 'simulation', ...declaration }));
  const r = run(['eval', '--format', 'json', file, decl]);
  let outcome;
  try { outcome = JSON.parse(r.stdout)[0]; } catch { throw httpError(400, (r.stderr || r.stdout).trim()); }
  const statement = run(['explain', file, decl]).stdout;
  const what_if = (outcome.indicators || []).filter((i) => i.total_if_met).map((i) => ({
    indicator: i.name, label: i.label, total_if_met: i.total_if_met,
    text: `déclarer « ${i.name} » porterait le total à ${i.total_if_met.replace('.', ',')} €`,
  }));
  return { outcome, statement, tree: null, what_if };
}

function parseCsv(text) {
  const [head, ...rows] = text.trim().split(/\r?\n/).map((l) => l.split(','));
  return rows.map((r) => Object.fromEntries(head.map((h, i) => [h, r[i] || ''])));
}

function examples(rel, text) {
  const file = scratchRulebook(rel, text);
  const src = examplesDir(rel);
  const dst = file.replace(/\.forfait$/, '.examples');
  fs.cpSync(src, dst, { recursive: true });
  const expected = parseCsv(fs.readFileSync(path.join(dst, 'expected.csv'), 'utf8'));
  const files = expected.map((e) => path.join(dst, `${e.example}.json`));
  const r = run(['eval', '--format', 'json', file, ...files]);
  let outcomes = [];
  try { outcomes = JSON.parse(r.stdout); } catch { throw httpError(400, (r.stderr || r.stdout).trim()); }
  const cases = expected.map((e, i) => {
    const o = outcomes[i] || {};
    const actual = o.status === 'evaluated' ? o.total.euros : 'error';
    const statuses = Object.entries(e).filter(([k, v]) => k !== 'example' && k !== 'total_eur' && v)
      .map(([indicator, exp]) => {
        const act = ((o.indicators || []).find((x) => x.name === indicator) || {}).status || null;
        return { indicator, expected: exp, actual: act, ok: exp === act };
      });
    const failures = [];
    const money = (t) => (t === 'error' ? 'rejetée' : `${t.replace('.', ',')} €`);
    if (actual !== e.total_eur) failures.push(`total : attendu ${money(e.total_eur)}, obtenu ${money(actual)}`);
    return { name: e.example, passed: failures.length === 0, expected_total: e.total_eur,
      actual_total: actual, statuses, failures };
  });
  const covRun = run(['test', '--coverage', file]);
  const cov = covRun.stdout + covRun.stderr;
  const m = /couverture\s*:\s*(\d+) éléments? sur (\d+)/.exec(cov) || [0, 0, 0];
  const passed = cases.filter((c) => c.passed).length;
  return { cases, passed, failed: cases.length - passed,
    coverage: { covered: Number(m[1]), items: Number(m[2]),
      missing: [...cov.matchAll(/^\s+non exercés?\s*:\s*(.*)$/gm)].map((x) => x[1]) } };
}

function compare(rel, text, against) {
  const file = scratchRulebook(rel, text);
  let old;
  if (against && against.path) old = inside(against.path);
  else if (against && against.git) old = `${against.git}:${path.relative(root, inside(rel))}`;
  else throw httpError(400, 'comparer avec quoi ?');
  const r = run(['diff', old, file]);
  if (r.status !== 0) throw httpError(400, (r.stderr || r.stdout).trim());
  return { changelog_markdown: r.stdout, changelog_html: null, impact: null };
}

// ---------------------------------------------------------------- HTTP

const routes = {
  'GET /api/rulebooks': () => ({ folder, rulebooks: listRulebooks() }),
  'GET /api/file': (q) => ({ path: q.get('path'), text: fs.readFileSync(inside(q.get('path')), 'utf8') }),
  'PUT /api/file': (_, b) => {
    const file = scratchRulebook(b.path, b.text);
    const r = run(['fmt', file]);
    if (r.status !== 0) throw httpError(400, (r.stderr || r.stdout).trim());
    const written = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(inside(b.path), written);
    return { path: b.path, text: written };
  },
  'POST /api/analyse': (_, b) => analyse(b.text, b.path),
  'POST /api/complete': (_, b) => {
    const before = b.text.slice(0, b.offset16);
    const word = /[a-z0-9_]*$/.exec(before)[0];
    const start16 = b.offset16 - word.length;
    const seen = new Set();
    const items = symbolsOf(b.text).filter((s) => s.name.startsWith(word) && !seen.has(s.name) && seen.add(s.name))
      .map((s) => ({ label: s.name, detail: `${s.kind} — ${s.label}`, insert: s.name })).slice(0, 50);
    return { items, start16, end16: b.offset16 };
  },
  'POST /api/hover': (_, b) => {
    const at = b.offset16;
    const s = symbolsOf(b.text).find((x) => {
      const w = b.text.slice(0, at).match(/[a-z0-9_]*$/)[0] + b.text.slice(at).match(/^[a-z0-9_]*/)[0];
      return x.name === w;
    });
    return { markdown: s ? `**${s.kind}** \`${s.name}\`\n\n${s.label}` : null };
  },
  'POST /api/format': (_, b) => {
    const file = scratchRulebook(b.path, b.text);
    const r = run(['fmt', file]);
    if (r.status !== 0) throw httpError(400, (r.stderr || r.stdout).trim());
    return { text: fs.readFileSync(file, 'utf8') };
  },
  'POST /api/simulate': (_, b) => simulate(b.text, b.declaration || {}, b.path),
  'POST /api/examples': (_, b) => examples(b.path, b.text),
  'GET /api/example': (q) => JSON.parse(fs.readFileSync(path.join(examplesDir(q.get('path')), `${q.get('name')}.json`), 'utf8')),
  'POST /api/example/save': (_, b) => {
    if (!/^[a-z0-9][a-z0-9-]*$/.test(b.name)) throw httpError(400, `nom d'exemple invalide : ${b.name}`);
    const target = path.join(examplesDir(b.path), `${b.name}.json`);
    if (fs.existsSync(target) && !b.overwrite) throw httpError(409, `l'exemple « ${b.name} » existe déjà`);
    fs.writeFileSync(target, JSON.stringify({ id: b.name, ...b.declaration }, null, 2) + '\n');
    return { path: path.relative(folder, target), name: b.name };
  },
  'POST /api/page': (_, b) => {
    const file = scratchRulebook(b.path, b.text);
    const r = run(['doc', '--format', 'html', file]);
    if (r.status !== 0) throw httpError(400, (r.stderr || r.stdout).trim());
    return { html: r.stdout };
  },
  'POST /api/compare': (_, b) => compare(b.path, b.text, b.against),
};

const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };
const csp = "default-src 'self'; style-src 'self' 'unsafe-inline'";

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://127.0.0.1');
  const send = (status, body, type = 'application/json; charset=utf-8') => {
    res.writeHead(status, { 'Content-Type': type, 'Content-Security-Policy': csp, 'Cache-Control': 'no-store' });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };
  if (!url.pathname.startsWith('/api/')) {
    const name = url.pathname === '/' ? 'index.html' : url.pathname.slice(1);
    if (!['index.html', 'app.js', 'app.css'].includes(name)) return send(404, 'introuvable', 'text/plain');
    let body = fs.readFileSync(path.join(assets, name), 'utf8');
    if (name === 'index.html') body = body.replace('{{TOKEN}}', token);
    return send(200, body, types[path.extname(name)]);
  }
  if (req.headers['x-forfait-token'] !== token) return send(403, { error: 'jeton absent ou invalide' });
  const route = routes[`${req.method} ${url.pathname}`];
  if (!route) return send(404, { error: `pas de route ${req.method} ${url.pathname}` });
  let raw = '';
  req.setEncoding('utf8');
  req.on('data', (c) => { raw += c; });
  req.on('end', () => {
    try {
      const body = raw ? JSON.parse(raw) : null;
      send(200, route(url.searchParams, body));
    } catch (e) {
      send(e.status || 500, { error: e.message });
    }
  });
});

server.listen(port, '127.0.0.1', () => {
  console.log(`forfait studio (maquette) : ${folder}`);
  console.log(`http://127.0.0.1:${server.address().port}/?token=${token}`);
});
