// forfait studio: the page. One module, no framework, no build step; served by
// `forfait studio` (src/cli/studio) with everything it needs. It talks only to the JSON API
// of the same origin, with the per-run token on every request.
//
// Offsets: the API gives each range twice; the page uses the `*16` ones (UTF-16 code
// units), which is how JavaScript strings and the <textarea> count.

// ------------------------------------------------------------------ small helpers

const $ = (id) => document.getElementById(id);

/** Builds an element: el('p', {class: 'x'}, 'text', child, ...). Text is never parsed as HTML. */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k === 'dataset') Object.assign(node.dataset, v);
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

function debounce(fn, ms) {
  let timer = 0;
  const run = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
  run.now = (...args) => {
    clearTimeout(timer);
    fn(...args);
  };
  return run;
}

/** Hands out tickets; only the last one handed out is current (answers to older ones are stale). */
function sequencer() {
  let last = 0;
  return { next: () => ++last, current: (t) => t === last };
}

/** `1240.00` → `1 240,00 €` (narrow no-break space between thousands, no-break space before €). */
function euros(amount) {
  if (amount === null || amount === undefined) return '—';
  const m = /^([-+]?)(\d+)(?:\.(\d+))?$/.exec(String(amount).trim());
  if (!m) return String(amount);
  const whole = m[2].replace(/\B(?=(\d{3})+(?!\d))/g, '\u202f');
  const cents = (m[3] || '').padEnd(2, '0');
  return `${m[1] === '-' ? '−' : ''}${whole},${cents}\u00a0€`;
}

/** A decimal string with a French comma: `22.5` → `22,5`. */
const frenchNumber = (s) => String(s).replace('.', ',');

const STATUS = {
  met: 'atteint',
  not_met: 'non atteint',
  neutralised: 'neutralisé',
  not_applicable: 'non applicable',
  paid: 'versé',
  not_paid: 'non versé',
  error: 'rejetée',
};
const statusWord = (s) => STATUS[s] || (s === null || s === undefined || s === '' ? '—' : String(s));
const statusBadge = (s) => el('span', { class: `st st-${s || 'none'}` }, statusWord(s));

const SOURCES = {
  automated: 'automatisé',
  declarative: 'déclaratif',
  declarative_prefilled: 'déclaratif, pré-rempli',
  prefilled: 'déclaratif, pré-rempli',
};

/** `aucune erreur`, `1 erreur`, `2 erreurs` (`none` is the word for zero, in the noun's gender). */
function plural(n, one, many, none = 'aucun') {
  return `${n === 0 ? none : n} ${n > 1 ? many : one}`;
}

/** Line and column (both from 1, the column in characters) of a UTF-16 offset. */
function lineColumn(text, offset) {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = [...before.slice(before.lastIndexOf('\n') + 1)].length + 1;
  return { line, column };
}

// ------------------------------------------------------------------ the API

const TOKEN = (() => {
  const meta = document.querySelector('meta[name="forfait-token"]');
  const content = meta ? meta.content : '';
  // A page opened from the files themselves (no server) still says what is wrong.
  return content && !content.startsWith('{{') ? content : new URLSearchParams(location.search).get('token') || '';
})();

class ApiError extends Error {
  constructor(message, status) {
    super(message);
    this.status = status;
  }
}

async function api(method, url, body) {
  const headers = { 'X-Forfait-Token': TOKEN };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError('le studio ne répond plus : le programme « forfait studio » est-il arrêté ?', 0);
  }
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (!response.ok) {
    throw new ApiError((data && data.error) || `le studio a répondu ${response.status}`, response.status);
  }
  return data;
}

const get = (url) => api('GET', url);
const post = (url, body) => api('POST', url, body);
const query = (params) => new URLSearchParams(params).toString();

/** Marks a panel busy while `promise` runs (screen readers, and the tests, can wait on it). */
async function busy(panel, promise) {
  const node = $(panel);
  node.setAttribute('aria-busy', 'true');
  try {
    return await promise;
  } finally {
    node.setAttribute('aria-busy', 'false');
  }
}

// ------------------------------------------------------------------ messages

function say(message) {
  $('status').textContent = message;
}

function alarm(error) {
  const box = $('alert');
  if (!error) {
    box.hidden = true;
    box.textContent = '';
    return;
  }
  box.hidden = false;
  box.textContent = `Erreur : ${error.message || error}`;
}

// ------------------------------------------------------------------ Markdown (the server's texts)

/** Inline Markdown: `code` and **bold**; everything else stays text. */
function inline(text) {
  const out = [];
  const re = /`([^`]+)`|\*\*([^*]+)\*\*/g;
  let last = 0;
  let m;
  while ((m = re.exec(text))) {
    if (m.index > last) out.push(unescaped(text.slice(last, m.index)));
    out.push(m[1] !== undefined ? el('code', {}, m[1]) : el('strong', {}, unescaped(m[2])));
    last = re.lastIndex;
  }
  if (last < text.length) out.push(unescaped(text.slice(last)));
  return out;
}

/** The rulebooks' own text as the changelog escapes it (`\*`, `\[`, `&lt;`, `&amp;`), as
 *  it reads. */
function unescaped(text) {
  return text
    .replace(/\\([!-\/:-@[-`{-~])/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The Markdown the server writes (headings, nested lists, tables, quotes, code blocks,
 *  paragraphs, a folded part's `<details>`), as DOM nodes. */
function markdown(source, headingShift = 1) {
  const root = document.createDocumentFragment();
  let box = root; // where blocks go: the page, or an open <details>
  const lines = String(source || '').replace(/\r\n/g, '\n').split('\n');
  let para = null;
  let lists = []; // stack of {indent, ul}
  let table = null;
  let fence = null; // the <pre> of an open ``` block
  const close = () => {
    para = null;
    lists = [];
    table = null;
  };
  for (const line of lines) {
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    const bullet = /^(\s*)[-*]\s+(.*)$/.exec(line);
    const quote = /^>\s?(.*)$/.exec(line);
    const summary = /^<summary>(.*)<\/summary>$/.exec(line.trim());
    if (!fence && /^<details\b[^>]*>$/.test(line.trim())) {
      close();
      const details = el('details');
      root.append(details);
      box = details;
      continue;
    }
    if (!fence && line.trim() === '</details>') {
      close();
      box = root;
      continue;
    }
    if (!fence && summary) {
      close();
      box.append(el('summary', {}, inline(summary[1])));
      continue;
    }
    if (fence) {
      if (/^```/.test(line)) fence = null;
      else fence.append(`${fence.childNodes.length ? '\n' : ''}${line}`);
    } else if (/^```/.test(line)) {
      close();
      fence = el('pre');
      box.append(fence);
    } else if (quote) {
      close();
      box.append(el('blockquote', {}, el('p', {}, inline(quote[1]))));
    } else if (!line.trim()) {
      close();
    } else if (heading) {
      close();
      const level = Math.min(6, heading[1].length + headingShift);
      box.append(el(`h${level}`, {}, inline(heading[2])));
    } else if (bullet) {
      para = null;
      table = null;
      const indent = bullet[1].length;
      while (lists.length && lists[lists.length - 1].indent > indent) lists.pop();
      if (!lists.length || lists[lists.length - 1].indent < indent) {
        const ul = el('ul');
        const parent = lists.length ? lists[lists.length - 1].ul.lastElementChild || lists[lists.length - 1].ul : box;
        parent.append(ul);
        lists.push({ indent, ul });
      }
      lists[lists.length - 1].ul.append(el('li', {}, inline(bullet[2])));
    } else if (/^\s*\|/.test(line)) {
      lists = [];
      para = null;
      const cells = line.trim().replace(/^\||\|$/g, '').split('|').map((c) => c.trim());
      if (cells.every((c) => /^:?-{3,}:?$/.test(c))) continue;
      if (!table) {
        table = el('table', { class: 'grid' }, el('thead'), el('tbody'));
        table.querySelector('thead').append(el('tr', {}, cells.map((c) => el('th', { scope: 'col' }, inline(c)))));
        box.append(table);
      } else {
        table.querySelector('tbody').append(el('tr', {}, cells.map((c) => el('td', {}, inline(c)))));
      }
    } else {
      lists = [];
      table = null;
      if (!para) {
        para = el('p');
        box.append(para);
      } else {
        para.append(' ');
      }
      const hardBreak = / {2,}$/.test(line);
      para.append(...inline(line.trim()));
      if (hardBreak) para.append(el('br'));
    }
  }
  return root;
}

// ------------------------------------------------------------------ state and screens

const state = {
  folder: '',
  rulebooks: [],
  path: null, // the open rulebook, relative to the folder
  saved: '', // its text as last read or written
  analysis: null, // the last analysis answer that matches the editor's text
  tab: 'referentiels',
};

const TABS = ['referentiels', 'modifier', 'simuler', 'exemples', 'page', 'comparer'];

/** What each screen does when it is shown, or when the text changes while it is shown. */
const onShow = {};
const onText = {};

function showTab(name, { focus = false } = {}) {
  if (!TABS.includes(name)) name = 'referentiels';
  if (name !== state.tab) say('');
  state.tab = name;
  for (const t of TABS) {
    const tab = $(`tab-${t}`);
    const selected = t === name;
    tab.setAttribute('aria-selected', String(selected));
    tab.tabIndex = selected ? 0 : -1;
    $(`panel-${t}`).hidden = !selected;
  }
  if (focus) $(`tab-${name}`).focus();
  remember();
  if (onShow[name]) onShow[name]();
}

/** The screen and the rulebook are kept in the address (`#modifier/fami/2024-x.forfait`). */
function remember() {
  const hash = `#${state.tab}${state.path ? `/${state.path}` : ''}`;
  if (location.hash !== hash) history.replaceState(null, '', `${location.pathname}${location.search}${hash}`);
}

function setupTabs() {
  const list = document.querySelector('[role="tablist"]');
  list.addEventListener('click', (e) => {
    const tab = e.target.closest('[role="tab"]');
    if (tab) showTab(tab.id.replace('tab-', ''));
  });
  list.addEventListener('keydown', (e) => {
    const i = TABS.indexOf(state.tab);
    const to = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: TABS.length - 1 }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    showTab(TABS[(to + TABS.length) % TABS.length], { focus: true });
  });
}

/** The text every screen works on: the editor's, saved or not. */
const currentText = () => $('source').value;

/** The analysis answers the editor's current text (not an earlier one). */
const analysed = () => Boolean(state.analysis) && !state.analysis.stale;

function needRulebook(panel) {
  const open = Boolean(state.path);
  const note = $(panel).querySelector('.no-rulebook');
  if (!open && !note) {
    $(panel).prepend(el('p', { class: 'alert-soft no-rulebook' }, 'Ouvrez d\'abord un référentiel dans l\'onglet « Référentiels ».'));
  } else if (open && note) {
    note.remove();
  }
  return open;
}

// ------------------------------------------------------------------ Référentiels

const STATE_WORDS = { clean: 'propre', warnings: 'avertissements', errors: 'erreurs' };

function stateLabel(rb) {
  if (rb.state === 'errors') return `erreurs (${rb.errors})`;
  if (rb.state === 'warnings') return `avertissements (${rb.warnings})`;
  return STATE_WORDS[rb.state] || rb.state;
}

async function loadRulebooks() {
  try {
    const data = await busy('panel-referentiels', get('/api/rulebooks'));
    state.folder = data.folder;
    state.rulebooks = data.rulebooks || [];
    state.batches = data.batches || [];
    renderRulebooks();
  } catch (e) {
    alarm(e);
  }
}

function renderRulebooks() {
  $('folder').textContent = `Dossier : ${state.folder} — ${plural(state.rulebooks.length, 'référentiel', 'référentiels')}`;
  const rows = [...state.rulebooks]
    .sort((a, b) => String(a.scheme).localeCompare(String(b.scheme), 'fr') || (b.exercice || 0) - (a.exercice || 0))
    .map((rb) => {
      const count = Array.isArray(rb.examples) ? rb.examples.length : rb.examples;
      return el('tr', { dataset: { path: rb.path }, class: rb.path === state.path ? 'open' : '' },
        el('td', {},
          el('button', { type: 'button', class: 'link', onclick: () => openRulebook(rb.path) }, rb.title || rb.path),
          el('div', { class: 'muted small' }, rb.path)),
        el('td', {}, rb.scheme || '—'),
        el('td', {}, rb.exercice ?? '—'),
        el('td', {}, el('span', { class: `pill state-${rb.state}` }, stateLabel(rb))),
        el('td', {}, count ?? '—'));
    });
  $('rulebooks').tBodies[0].replaceChildren(...rows);
  fillCompareChoices();
}

async function openRulebook(path, { tab = 'modifier' } = {}) {
  if (state.path && state.path !== path && currentText() !== state.saved
    && !confirm(`Les modifications de ${state.path} ne sont pas enregistrées. Les abandonner ?`)) return;
  try {
    const file = await busy('panel-modifier', get(`/api/file?${query({ path })}`));
    alarm(null);
    state.path = file.path || path;
    state.saved = file.text;
    state.examplesNames = null;
    editor.load(file.text);
    const rb = state.rulebooks.find((r) => r.path === state.path);
    $('current').textContent = rb && rb.title ? `${rb.title} — ${state.path}` : state.path;
    $('edit-name').textContent = state.path;
    renderRulebooks();
    showTab(tab);
    if (tab === 'modifier') $('source').focus();
  } catch (e) {
    alarm(e);
  }
}

// ------------------------------------------------------------------ Modifier: the editor

const editor = (() => {
  const area = $('source');
  const pre = $('highlight');
  const gutter = $('gutter-lines');
  const box = $('editor');
  let tokens = []; // {start16, end16, kind}, moved with the edits until the next analysis
  let diags = []; // the analysis' diagnostics, moved likewise
  let lastText = '';
  let gutterKey = '';
  const analyses = sequencer();

  /** Keeps ranges right while the next analysis is on its way: shift what follows an edit. */
  function shiftRanges(before, after) {
    let p = 0;
    const max = Math.min(before.length, after.length);
    while (p < max && before.charCodeAt(p) === after.charCodeAt(p)) p++;
    let s = 0;
    while (s < max - p && before.charCodeAt(before.length - 1 - s) === after.charCodeAt(after.length - 1 - s)) s++;
    const oldEnd = before.length - s;
    const delta = after.length - before.length;
    const move = (r) => {
      if (r.end16 <= p) return r;
      if (r.start16 >= oldEnd) return { ...r, start16: r.start16 + delta, end16: r.end16 + delta };
      return null; // the edit is inside it: drop it until the analysis answers
    };
    tokens = tokens.map(move).filter(Boolean);
    diags = diags.map(move).filter(Boolean);
  }

  /** The highlighted copy under the textarea: tokens coloured, diagnostics underlined. */
  function render() {
    const text = area.value;
    const n = text.length;
    const marks = diags.map((d) => {
      let start = Math.max(0, Math.min(d.start16, n));
      let end = Math.max(start, Math.min(d.end16, n));
      if (end === start) {
        if (start === n && n > 0) start -= 1;
        end = Math.min(n, start + 1);
      }
      return { start, end, cls: d.severity === 'error' ? 'u-error' : 'u-warning' };
    });
    const cuts = new Set([0, n]);
    for (const t of tokens) cuts.add(Math.min(t.start16, n)).add(Math.min(t.end16, n));
    for (const m of marks) cuts.add(m.start).add(m.end);
    const points = [...cuts].sort((a, b) => a - b);
    const frag = document.createDocumentFragment();
    let ti = 0;
    for (let i = 0; i + 1 < points.length; i++) {
      const a = points[i];
      const b = points[i + 1];
      while (ti < tokens.length && tokens[ti].end16 <= a) ti++;
      const tok = ti < tokens.length && tokens[ti].start16 <= a ? tokens[ti] : null;
      const mark = marks.find((m) => m.start <= a && a < m.end && m.cls === 'u-error') || marks.find((m) => m.start <= a && a < m.end);
      const cls = [tok ? `t-${tok.kind}` : '', mark ? mark.cls : ''].filter(Boolean).join(' ');
      const piece = text.slice(a, b);
      frag.append(cls ? el('span', { class: cls }, piece) : document.createTextNode(piece));
    }
    frag.append('\n'); // so that a last empty line has its height
    pre.replaceChildren(frag);
    renderGutter(text);
  }

  function renderGutter(text) {
    const count = text.split('\n').length;
    const marked = new Map();
    for (const d of diags) {
      const { line } = lineColumn(text, d.start16);
      if (marked.get(line) !== 'error') marked.set(line, d.severity);
    }
    const key = `${count}|${[...marked].join(',')}`;
    if (key === gutterKey) return;
    gutterKey = key;
    const frag = document.createDocumentFragment();
    for (let i = 1; i <= count; i++) {
      frag.append(el('div', { class: marked.has(i) ? `g-${marked.get(i)}` : null }, String(i)));
    }
    gutter.replaceChildren(frag);
  }

  function syncScroll() {
    pre.style.transform = `translate(${-area.scrollLeft}px, ${-area.scrollTop}px)`;
    gutter.style.transform = `translateY(${-area.scrollTop}px)`;
    completion.close();
    hover.hide();
  }

  const analyseSoon = debounce(analyse, 300);

  async function analyse() {
    const text = area.value;
    const ticket = analyses.next();
    try {
      const answer = await post('/api/analyse', { path: state.path, text });
      if (!analyses.current(ticket) || area.value !== text) return; // stale: a newer one follows
      tokens = (answer.tokens || []).slice().sort((a, b) => a.start16 - b.start16);
      diags = (answer.diagnostics || []).slice().sort((a, b) => a.start16 - b.start16);
      state.analysis = answer;
      box.dataset.analysed = 'true';
      render();
      renderDiagnostics(text);
      for (const t of TABS) if (t === state.tab && onText[t]) onText[t]();
    } catch (e) {
      if (analyses.current(ticket)) say(`Vérification impossible : ${e.message}`);
    }
  }

  function changed() {
    const text = area.value;
    shiftRanges(lastText, text);
    lastText = text;
    box.dataset.analysed = 'false';
    state.analysis = state.analysis && { ...state.analysis, stale: true };
    render();
    syncScroll();
    updateDirty();
    analyseSoon();
  }

  function updateDirty() {
    $('edit-dirty').hidden = area.value === state.saved;
  }

  /** A new document: no undo history across rulebooks. */
  function load(text) {
    area.disabled = false;
    area.value = text;
    lastText = text;
    tokens = [];
    diags = [];
    state.analysis = null;
    area.setSelectionRange(0, 0);
    area.scrollTop = 0;
    area.scrollLeft = 0;
    syncScroll();
    render();
    $('diagnostics').replaceChildren();
    $('diag-summary').textContent = 'Vérification…';
    updateDirty();
    analyseSoon.now();
  }

  /** Replaces [start, end) as typing would (the browser's undo keeps it). */
  function replace(start, end, text) {
    area.focus();
    area.setSelectionRange(start, end);
    if (!document.execCommand('insertText', false, text)) {
      area.setRangeText(text, start, end, 'end');
      area.dispatchEvent(new Event('input'));
    }
  }

  /** Applies edits (UTF-16 ranges of the current text), last first so the others stay right. */
  function applyEdits(edits) {
    for (const e of [...edits].sort((a, b) => b.start16 - a.start16)) replace(e.start16, e.end16, e.text);
  }

  function setText(text) {
    if (text === area.value) return;
    const caret = area.selectionStart;
    replace(0, area.value.length, text);
    area.setSelectionRange(Math.min(caret, text.length), Math.min(caret, text.length));
  }

  function goTo(offset) {
    area.focus();
    area.setSelectionRange(offset, offset);
    const { line } = lineColumn(area.value, offset);
    const lineHeight = parseFloat(getComputedStyle(area).lineHeight) || 20;
    const top = (line - 1) * lineHeight;
    if (top < area.scrollTop || top > area.scrollTop + area.clientHeight - 2 * lineHeight) {
      area.scrollTop = Math.max(0, top - area.clientHeight / 3);
    }
  }

  /** The screen rectangle of the character at `offset`, measured on the highlighted copy. */
  function rectAt(offset) {
    const walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
    let seen = 0;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const len = node.data.length;
      if (offset <= seen + len) {
        const range = document.createRange();
        const at = Math.min(offset - seen, len);
        range.setStart(node, at);
        range.setEnd(node, Math.min(at + 1, len));
        const rects = range.getClientRects();
        return rects[0] || range.getBoundingClientRect();
      }
      seen += len;
    }
    return pre.getBoundingClientRect();
  }

  /** Where the character at `offset` is, in the editor box's coordinates, at the textarea's
   *  current scroll (the copy's own transform may lag a frame behind while typing). */
  function placeOf(offset) {
    const r = rectAt(offset);
    const origin = pre.getBoundingClientRect();
    const code = pre.parentElement.getBoundingClientRect();
    const editorBox = box.getBoundingClientRect();
    const left = r.left - origin.left - area.scrollLeft + code.left - editorBox.left;
    const top = r.top - origin.top - area.scrollTop + code.top - editorBox.top;
    return { left, top, bottom: top + r.height, height: editorBox.height, width: editorBox.width };
  }

  /** The offset of the character under the pointer, or -1 (the copy under the textarea is
   *  asked, the textarea let through for that one question). */
  function offsetAt(x, y) {
    area.style.pointerEvents = 'none';
    pre.style.pointerEvents = 'auto';
    const range = document.caretRangeFromPoint ? document.caretRangeFromPoint(x, y) : null;
    area.style.pointerEvents = '';
    pre.style.pointerEvents = '';
    if (!range || !pre.contains(range.startContainer)) return -1;
    const walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
    let seen = 0;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node === range.startContainer) return seen + range.startOffset;
      seen += node.data.length;
    }
    return -1;
  }

  const tokenAt = (offset) => tokens.find((t) => t.start16 <= offset && offset < t.end16)
    || tokens.find((t) => t.end16 === offset);

  area.addEventListener('input', (e) => {
    changed();
    completion.afterInput(e);
  });
  area.addEventListener('scroll', syncScroll);
  area.addEventListener('blur', () => setTimeout(() => {
    if (document.activeElement !== area) completion.close();
  }, 0));

  return { load, render, applyEdits, setText, goTo, placeOf, offsetAt, tokenAt, analyseNow: () => analyseSoon.now(), updateDirty };
})();

// ------------------------------------------------------------------ Modifier: diagnostics and fixes

function renderDiagnostics(text) {
  const diags = (state.analysis && state.analysis.diagnostics) || [];
  const errors = diags.filter((d) => d.severity === 'error').length;
  const warnings = diags.length - errors;
  $('diag-summary').textContent = diags.length
    ? `${plural(errors, 'erreur', 'erreurs', 'aucune')}, ${plural(warnings, 'avertissement', 'avertissements')}`
    : 'Aucun problème : le référentiel se vérifie.';
  const pill = $('edit-state');
  pill.className = `pill state-${errors ? 'errors' : warnings ? 'warnings' : 'clean'}`;
  pill.textContent = errors ? `${plural(errors, 'erreur', 'erreurs', 'aucune')}` : warnings ? `${plural(warnings, 'avertissement', 'avertissements')}` : 'propre';
  const items = [...diags].sort((a, b) => a.start16 - b.start16).map((d) => {
    const { line, column } = lineColumn(text, d.start16);
    return el('li', { class: `diag diag-${d.severity}`, dataset: { code: d.code || '' } },
      el('div', { class: 'diag-head' },
        el('span', { class: `sev sev-${d.severity}` }, d.severity === 'error' ? 'Erreur' : 'Avertissement'),
        el('button', { type: 'button', class: 'link goto', onclick: () => editor.goTo(d.start16),
          'aria-label': `Aller à la ligne ${line}, colonne ${column}` }, `ligne ${line}, colonne ${column}`),
        d.code ? el('code', { class: 'diag-code' }, d.code) : null),
      el('p', { class: 'diag-message' }, inline(d.message || '')),
      d.help ? el('p', { class: 'diag-help' }, 'Aide : ', inline(d.help)) : null,
      (d.fixes || []).length
        ? el('div', { class: 'fixes' }, d.fixes.map((f) => el('button', {
          type: 'button', class: 'fix', onclick: () => applyFix(f),
        }, 'Corriger : ', inline(f.title))))
        : null);
  });
  $('diagnostics').replaceChildren(...items);
}

function applyFix(fix) {
  // The fix's offsets are those of the text that was checked.
  if (!analysed()) {
    say('Le texte a changé depuis la vérification : la correction sera proposée à nouveau dans un instant.');
    return;
  }
  editor.applyEdits(fix.edits || []);
  editor.analyseNow();
  say(`Correction appliquée : ${fix.title.replace(/`/g, '')}`);
}

// ------------------------------------------------------------------ Modifier: completion

const completion = (() => {
  const list = $('completion');
  const area = $('source');
  const asks = sequencer();
  let items = [];
  let active = 0;
  let range = null; // {start16, end16}: what the chosen name replaces

  function close() {
    if (list.hidden) return;
    list.hidden = true;
    list.replaceChildren();
    area.removeAttribute('aria-activedescendant');
    items = [];
  }

  async function ask() {
    const text = area.value;
    const offset16 = area.selectionStart;
    const ticket = asks.next();
    try {
      const answer = await post('/api/complete', { path: state.path, text, offset16 });
      if (!asks.current(ticket) || area.value !== text || area.selectionStart !== offset16) return;
      items = (answer.items || []).slice(0, 200);
      if (!items.length) return close();
      range = { start16: answer.start16 ?? offset16, end16: answer.end16 ?? offset16 };
      active = 0;
      show(offset16);
    } catch {
      close();
    }
  }

  function show(offset16) {
    list.replaceChildren(...items.map((it, i) => el('li', {
      id: `completion-${i}`, role: 'option', 'aria-selected': String(i === active),
      onmousedown: (e) => {
        e.preventDefault();
        accept(i);
      },
    }, el('span', { class: 'c-label' }, it.label), it.detail ? el('span', { class: 'c-detail' }, it.detail) : null)));
    list.hidden = false;
    const at = editor.placeOf(Math.max(0, (range.start16 ?? offset16)));
    list.style.left = `${Math.max(0, Math.min(at.left, at.width - list.offsetWidth - 4))}px`;
    const below = at.bottom + 2;
    list.style.top = `${below + list.offsetHeight > at.height ? Math.max(0, at.top - list.offsetHeight - 2) : below}px`;
    highlight();
  }

  function highlight() {
    [...list.children].forEach((li, i) => li.setAttribute('aria-selected', String(i === active)));
    const li = list.children[active];
    if (li) {
      area.setAttribute('aria-activedescendant', li.id);
      li.scrollIntoView({ block: 'nearest' });
    }
  }

  function accept(i) {
    const it = items[i];
    if (!it) return;
    // Letters typed since the proposals came are part of the word the name replaces.
    const caret = area.selectionStart;
    const typed = area.value.slice(range.start16, caret);
    const end16 = caret >= range.end16 && /^[a-z0-9_]*$/.test(typed) ? caret : range.end16;
    const { start16 } = range;
    close();
    editor.applyEdits([{ start16, end16, text: it.insert ?? it.label }]);
  }

  /** After typing a letter of a name (not a digit starting a number), propose names. */
  function afterInput(e) {
    const typed = e.inputType === 'insertText' && typeof e.data === 'string' && e.data.length === 1 ? e.data : null;
    const word = /[a-z0-9_]*$/.exec(area.value.slice(0, area.selectionStart))[0];
    if (typed && /[a-z0-9_]/.test(typed) && /^[a-z_]/.test(word)) ask();
    else close();
  }

  area.addEventListener('keydown', (e) => {
    if (e.ctrlKey && (e.key === ' ' || e.code === 'Space')) {
      e.preventDefault();
      ask();
      return;
    }
    if (list.hidden) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      active = (active + (e.key === 'ArrowDown' ? 1 : -1) + items.length) % items.length;
      highlight();
    } else if (e.key === 'Enter' || e.key === 'Tab') {
      e.preventDefault();
      accept(active);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      close();
    } else if (e.key === 'ArrowLeft' || e.key === 'ArrowRight' || e.key === 'Home' || e.key === 'End') {
      close();
    }
  });
  area.addEventListener('mousedown', close);

  return { close, afterInput };
})();

// ------------------------------------------------------------------ Modifier: hover

const hover = (() => {
  const tip = $('hover');
  const area = $('source');
  const asks = sequencer();
  const NAMES = new Set(['keyword', 'input', 'indicator', 'group', 'list', 'value', 'profession']);

  function hide() {
    asks.next();
    tip.hidden = true;
  }

  async function at(offset16) {
    const tok = editor.tokenAt(offset16);
    if (!tok || !NAMES.has(tok.kind)) return hide();
    const text = area.value;
    const ticket = asks.next();
    try {
      const answer = await post('/api/hover', { path: state.path, text, offset16 });
      if (!asks.current(ticket) || area.value !== text || !answer.markdown) return answer.markdown ? null : hide();
      tip.replaceChildren(markdown(answer.markdown, 3));
      tip.hidden = false;
      const at = editor.placeOf(tok.start16);
      tip.style.left = `${Math.max(0, Math.min(at.left, at.width - tip.offsetWidth - 4))}px`;
      const below = at.bottom + 4;
      tip.style.top = `${below + tip.offsetHeight > at.height ? Math.max(0, at.top - tip.offsetHeight - 4) : below}px`;
    } catch {
      hide();
    }
  }

  const onMove = debounce((x, y) => {
    const offset = editor.offsetAt(x, y);
    if (offset < 0) return hide();
    at(offset);
  }, 350);

  area.addEventListener('mousemove', (e) => {
    if (!tip.hidden) tip.hidden = true;
    onMove(e.clientX, e.clientY);
  });
  area.addEventListener('mouseleave', () => {
    onMove(-1, -1);
    hide();
  });
  area.addEventListener('keydown', (e) => {
    if (e.ctrlKey && (e.key === 'i' || e.key === 'I')) {
      e.preventDefault();
      at(area.selectionStart);
    } else if (e.key === 'Escape') {
      hide();
    } else if (!e.ctrlKey) {
      tip.hidden = true;
    }
  });

  return { hide };
})();

// ------------------------------------------------------------------ Modifier: save and format

async function save() {
  if (!state.path) return;
  const text = currentText();
  try {
    const answer = await busy('panel-modifier', api('PUT', '/api/file', { path: state.path, text }));
    alarm(null);
    state.saved = answer.text;
    if (currentText() === text) editor.setText(answer.text);
    editor.updateDirty();
    say(answer.text === text ? `Enregistré : ${state.path}` : `Enregistré dans la présentation canonique : ${state.path}`);
    loadRulebooks();
  } catch (e) {
    alarm(new Error(`non enregistré : ${e.message}`));
  }
}

async function formatText() {
  const text = currentText();
  try {
    const answer = await post('/api/format', { path: state.path, text });
    alarm(null);
    if (currentText() === text) editor.setText(answer.text);
    say(answer.text === text ? 'Le texte est déjà dans la présentation canonique.' : 'Texte mis en forme (non enregistré).');
  } catch (e) {
    alarm(new Error(`mise en forme impossible : ${e.message}`));
  }
}

function setupEditing() {
  $('save').addEventListener('click', save);
  $('format').addEventListener('click', formatText);
  document.addEventListener('keydown', (e) => {
    if ((e.ctrlKey || e.metaKey) && (e.key === 's' || e.key === 'S')) {
      e.preventDefault();
      save();
    }
  });
  window.addEventListener('beforeunload', (e) => {
    if (state.path && currentText() !== state.saved) e.preventDefault();
  });
  onShow.modifier = () => needRulebook('panel-modifier');
}

// ------------------------------------------------------------------ Simuler

(() => {
  const form = $('sim-form');
  const result = $('sim-result');
  const runs = sequencer();
  let fieldsKey = '';
  let fields = [];

  function control(f) {
    const id = `f-${f.name}`;
    const common = { id, name: f.name, 'aria-required': f.required ? 'true' : null, 'aria-describedby': `${id}-note` };
    if (f.type === 'yes_no') {
      return el('select', common, el('option', { value: '' }, '— non renseigné —'),
        el('option', { value: 'oui' }, 'oui'), el('option', { value: 'non' }, 'non'));
    }
    if (f.type === 'choice') {
      return el('select', common, el('option', { value: '' }, '— non renseigné —'),
        (f.choices || []).map((c) => el('option', { value: c.name }, c.label && c.label !== c.name ? c.label : c.name)));
    }
    if (f.type === 'date') return el('input', { ...common, type: 'date' });
    if (f.type === 'count' || f.type === 'decimal') {
      return el('input', { ...common, type: 'text', inputmode: f.type === 'count' ? 'numeric' : 'decimal', autocomplete: 'off' });
    }
    return el('input', { ...common, type: 'text', autocomplete: 'off' });
  }

  /** What a field left blank counts as (`missing means ...`), in the form's words. */
  function defaultWord(f) {
    const d = String(f.default);
    if (f.type === 'yes_no') return /^(yes|oui|true|1)$/i.test(d) ? 'oui' : 'non';
    if (f.type === 'choice') return ((f.choices || []).find((c) => c.name === d) || {}).label || d;
    if (d === '') return '(vide)';
    if (d === 'none') return 'aucune valeur';
    return f.type === 'decimal' ? frenchNumber(d) : d;
  }

  function note(f) {
    const parts = [];
    if (f.unit) parts.push(f.unit);
    if (f.source) parts.push(SOURCES[f.source] || f.source);
    if (f.required) parts.push('obligatoire');
    else if (f.default !== null && f.default !== undefined) parts.push(`si non renseigné : ${defaultWord(f)}`);
    return parts.join(' · ');
  }

  /** Rebuilds the form when the rulebook's inputs change, keeping what was typed. */
  function build(inputs) {
    const key = JSON.stringify(inputs);
    if (key === fieldsKey) return;
    const kept = values();
    fieldsKey = key;
    fields = inputs;
    form.replaceChildren(...inputs.map((f) => el('div', { class: `field field-${f.type}` },
      el('label', { for: `f-${f.name}` }, f.label || f.name, f.required ? el('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null),
      control(f),
      el('p', { id: `f-${f.name}-note`, class: 'note' }, el('code', {}, f.name), note(f) ? ` — ${note(f)}` : ''))));
    fill(kept);
  }

  function values() {
    const out = {};
    for (const node of form.elements) if (node.name && node.value.trim()) out[node.name] = node.value;
    return out;
  }

  /** The declaration sent: strings, the decimal comma made a point for numbers. */
  function declaration() {
    const out = {};
    for (const f of fields) {
      const node = form.elements.namedItem(f.name);
      const value = node ? node.value.trim() : '';
      if (!value) continue;
      out[f.name] = f.type === 'count' || f.type === 'decimal' ? value.replace(/,/g, '.') : value;
    }
    return out;
  }

  function fill(decl) {
    for (const f of fields) {
      const node = form.elements.namedItem(f.name);
      if (!node) continue;
      let v = decl[f.name];
      if (v === undefined || v === null) v = '';
      if (f.type === 'yes_no' && v !== '') v = /^(true|oui|yes|1)$/i.test(String(v)) ? 'oui' : 'non';
      else if (f.type === 'decimal' && v !== '') v = frenchNumber(v);
      else if (f.type === 'date' && /^\d\d\/\d\d\/\d{4}$/.test(String(v))) v = String(v).split('/').reverse().join('-');
      node.value = String(v);
    }
  }

  const runSoon = debounce(run, 300);

  async function run() {
    if (state.tab !== 'simuler' || !state.path || !analysed() || !state.analysis.inputs) return;
    const text = currentText();
    const decl = declaration();
    const ticket = runs.next();
    try {
      const answer = await busy('panel-simuler', post('/api/simulate', { path: state.path, text, declaration: decl }));
      if (!runs.current(ticket)) return;
      alarm(null);
      show(answer);
    } catch (e) {
      if (runs.current(ticket)) result.replaceChildren(el('p', { class: 'alert-soft' }, `Simulation impossible : ${e.message}`));
    }
  }

  function show(answer) {
    const o = answer.outcome || {};
    const parts = [];
    // The fields in cause are marked in the form; the French words are the statement's
    // (the outcome's own messages are the JSON contract's, in English).
    const wrong = new Set((o.errors || []).map((err) => err.field).filter(Boolean));
    for (const f of fields) {
      const node = form.elements.namedItem(f.name);
      if (node) node.setAttribute('aria-invalid', String(wrong.has(f.name)));
    }
    if (o.status === 'rejected') {
      const labelOf = (name) => (fields.find((f) => f.name === name) || {}).label || name;
      parts.push(el('p', { class: 'total rejected' }, el('span', {}, 'Déclaration rejetée'),
        el('strong', { id: 'sim-total' }, 'aucun versement')),
      el('p', {}, 'forfait ne verse jamais un montant partiel : complétez ou corrigez ',
        wrong.size > 1 ? 'ces champs' : 'ce champ', ' (le détail est dans le relevé ci-dessous).'),
      el('ul', { class: 'errors' }, [...wrong].map((name) => el('li', {}, labelOf(name), ' ', el('code', {}, name)))));
    } else {
      const total = o.total || {};
      parts.push(el('p', { class: 'total' }, el('span', {}, 'Total versé'),
        el('strong', { id: 'sim-total' }, euros(total.euros)),
        total.points ? el('span', { class: 'muted' }, ` (${frenchNumber(total.points)} points)`) : null));
      parts.push(el('h3', {}, 'Relevé des paiements'), table(['Ligne', 'Statut', 'Montant', 'Pourquoi'],
        (o.payments || []).map((p) => [el('span', {}, p.label || p.name, ' ', el('code', {}, p.name)),
          statusBadge(p.status), euros(p.euros), p.reason || ''])));
      parts.push(el('h3', {}, 'Indicateurs'), table(['Indicateur', 'Section', 'Statut', 'Explication'],
        (o.indicators || []).map((i) => [el('span', {}, i.label || i.name, ' ', el('code', {}, i.name)),
          i.section ? `§ ${i.section}` : '', statusBadge(i.status), i.neutralisation ? `${i.explanation || ''} — ${i.neutralisation}` : i.explanation || '']),
        { id: 'sim-indicators' }));
    }
    const whatIf = answer.what_if || [];
    if (whatIf.length) {
      parts.push(el('h3', {}, 'Et si…'), el('ul', { class: 'what-if' }, whatIf.map((w) => el('li', {}, whatIfText(w)))));
    }
    if (answer.tree) parts.push(el('h3', {}, 'Explication'), el('ul', { class: 'tree', id: 'sim-tree' }, treeNode(answer.tree)));
    if (answer.statement) parts.push(el('h3', {}, 'Relevé, tel que forfait l\'écrit'), el('pre', { class: 'statement' }, answer.statement));
    result.replaceChildren(...parts);
    // Said once, short: the tables above are read on demand.
    $('sim-announce').textContent = o.status === 'rejected' ? 'Déclaration rejetée' : `Total versé : ${euros((o.total || {}).euros)}`;
  }

  function whatIfText(w) {
    if (typeof w === 'string') return inline(w);
    if (w.text || w.message) return inline(w.text || w.message);
    const who = w.label || w.indicator || w.name || '';
    return `${who} : ${euros(w.total_if_met ?? w.total ?? w.euros)}`;
  }

  /** The explanation tree, whatever its exact shape: a text and children. */
  function treeNode(node) {
    if (Array.isArray(node)) return node.map(treeNode);
    if (node === null || typeof node !== 'object') return el('li', {}, String(node));
    const label = node.text || node.label || node.title || node.summary || node.name || '';
    const kids = node.children || node.nodes || node.items || [];
    const holds = node.holds === true ? 'holds' : node.holds === false ? 'fails' : null;
    return el('li', { class: holds },
      node.status ? statusBadge(node.status) : null, node.status ? ' ' : null, inline(String(label)),
      kids.length ? el('ul', {}, kids.map(treeNode)) : null);
  }

  function table(heads, rows, attrs = {}) {
    return el('table', { class: 'grid', ...attrs },
      el('thead', {}, el('tr', {}, heads.map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, rows.map((r) => el('tr', {}, r.map((c) => el('td', {}, c))))));
  }

  /** The form follows the text's inputs; while the text has errors, it waits. */
  function refresh() {
    if (!needRulebook('panel-simuler')) return;
    const a = state.analysis;
    const note = $('sim-unavailable');
    if (!a) return;
    if (!a.inputs) {
      note.hidden = false;
      note.textContent = 'Le référentiel a des erreurs : corrigez-les dans l\'onglet « Modifier », la simulation reprendra ensuite.';
      return;
    }
    note.hidden = true;
    build(a.inputs);
    runSoon.now();
  }

  async function exampleNames() {
    if (state.examplesNames) return state.examplesNames;
    const rb = state.rulebooks.find((r) => r.path === state.path);
    if (rb && Array.isArray(rb.examples)) {
      state.examplesNames = rb.examples.map((e) => (typeof e === 'string' ? e : e.name));
    } else {
      const answer = await post('/api/examples', { path: state.path, text: state.saved });
      state.examplesNames = (answer.cases || []).map((c) => c.name);
    }
    return state.examplesNames;
  }

  async function fillExamples() {
    const pick = $('example-pick');
    try {
      const names = await exampleNames();
      const chosen = pick.value;
      pick.replaceChildren(el('option', { value: '' }, '— choisir un exemple —'), ...names.map((n) => el('option', { value: n }, n)));
      if (names.includes(chosen)) pick.value = chosen;
    } catch (e) {
      say(`Exemples indisponibles : ${e.message}`);
    }
  }

  async function load() {
    const name = $('example-pick').value;
    if (!name) return;
    try {
      const decl = await get(`/api/example?${query({ path: state.path, name })}`);
      fill(decl);
      $('example-name').value = `${name}-bis`;
      say(`Exemple « ${name} » chargé dans le formulaire.`);
      runSoon.now();
    } catch (e) {
      alarm(e);
    }
  }

  async function saveExample(ev) {
    ev.preventDefault();
    const input = $('example-name');
    const name = input.value.trim();
    if (!input.checkValidity()) {
      alarm(new Error('nom d\'exemple invalide : minuscules, chiffres et tirets, sans accent'));
      input.focus();
      return;
    }
    const body = { path: state.path, name, declaration: declaration() };
    try {
      try {
        await post('/api/example/save', body);
      } catch (e) {
        if (e.status !== 409 || !confirm(`L'exemple « ${name} » existe déjà. Le remplacer ?`)) throw e;
        await post('/api/example/save', { ...body, overwrite: true });
      }
      alarm(null);
      state.examplesNames = null;
      say(`Exemple « ${name} » enregistré.`);
      fillExamples();
    } catch (e) {
      alarm(new Error(`exemple non enregistré : ${e.message}`));
    }
  }

  form.addEventListener('input', () => runSoon());
  form.addEventListener('change', () => runSoon());
  form.addEventListener('submit', (e) => e.preventDefault());
  $('example-load').addEventListener('click', load);
  $('form-clear').addEventListener('click', () => {
    fill({});
    runSoon.now();
  });
  $('save-example').addEventListener('submit', saveExample);
  onShow.simuler = () => {
    if (!state.path) return needRulebook('panel-simuler');
    fillExamples();
    refresh();
  };
  onText.simuler = refresh;
})();

// ------------------------------------------------------------------ Exemples

(() => {
  const runs = sequencer();

  const runSoon = debounce(async () => {
    if (state.tab !== 'exemples' || !needRulebook('panel-exemples') || !analysed()) return;
    if (!state.analysis.checks) {
      $('examples-summary').className = 'summary bad';
      $('examples-summary').textContent = 'Le référentiel a des erreurs : corrigez-les dans l\'onglet « Modifier » pour exécuter les exemples.';
      return;
    }
    const text = currentText();
    const ticket = runs.next();
    try {
      const answer = await busy('panel-exemples', post('/api/examples', { path: state.path, text }));
      if (!runs.current(ticket) || currentText() !== text) return;
      alarm(null);
      show(answer);
    } catch (e) {
      if (runs.current(ticket)) $('examples-summary').textContent = `Exemples non exécutés : ${e.message}`;
    }
  }, 300);

  function show(answer) {
    const cases = answer.cases || [];
    const failed = answer.failed ?? cases.filter((c) => !c.passed).length;
    const passed = answer.passed ?? cases.length - failed;
    $('examples-summary').textContent = `${passed} cas sur ${cases.length} réussis${failed ? `, ${failed} en échec` : ''}.`;
    $('examples-summary').className = `summary ${failed ? 'bad' : 'good'}`;
    const badge = $('examples-badge');
    badge.hidden = !failed;
    badge.textContent = failed ? String(failed) : '';
    badge.setAttribute('aria-label', `${failed} en échec`);

    const cov = answer.coverage;
    const covNodes = [];
    if (cov) {
      covNodes.push(el('p', {}, `Couverture : ${cov.covered} éléments sur ${cov.items} exercés par les exemples.`));
      const missing = cov.missing || [];
      if (missing.length) {
        covNodes.push(el('p', {}, 'Non exercés par aucun exemple :'),
          el('ul', { class: 'missing' }, missing.map((m) => el('li', {},
            inline(typeof m === 'string' ? m : m.text || m.label || m.name || JSON.stringify(m))))));
      }
    }
    $('coverage').replaceChildren(...covNodes);

    const rows = cases.map((c) => el('tr', { class: c.passed ? 'pass' : 'fail', dataset: { case: c.name, passed: String(c.passed) } },
      el('th', { scope: 'row' }, el('code', {}, c.name)),
      el('td', {}, el('span', { class: `st ${c.passed ? 'st-met' : 'st-fail'}` }, c.passed ? '✓ réussi' : '✗ en échec')),
      el('td', {}, total(c.expected_total)),
      el('td', { class: c.expected_total !== c.actual_total ? 'diff' : null }, total(c.actual_total)),
      el('td', {},
        stated(c).length
          ? el('ul', { class: 'statuses' }, stated(c).map((s) => el('li', { class: s.ok ? 'ok' : 'ko' },
            el('code', {}, s.indicator), ` : attendu ${statusWord(s.expected)}, obtenu ${statusWord(s.actual)} `,
            el('span', { 'aria-hidden': 'true' }, s.ok ? '✓' : '✗'))))
          : el('span', { class: 'muted' }, 'total seulement'),
        !c.passed && otherFailures(c).length
          ? el('ul', { class: 'failures' }, otherFailures(c).map((f) => el('li', {}, inline(f))))
          : null)));
    $('examples').tBodies[0].replaceChildren(...rows);
  }

  // A rejected declaration: "error" expected, no actual total.
  const total = (t) => (t === 'error' || t === null || t === undefined ? 'rejetée' : euros(t));
  /** The failures not already shown as an indicator's line (those are worded above). */
  const otherFailures = (c) => {
    const shown = stated(c).filter((s) => !s.ok).map((s) => `\`${s.indicator}\``);
    return (c.failures || []).map((f) => (typeof f === 'string' ? f : f.message || JSON.stringify(f)))
      .filter((f) => !shown.some((name) => f.startsWith(name)));
  };
  /** The statuses expected.csv states, and any that did not come out as expected. */
  const stated = (c) => (c.statuses || []).filter((s) => (s.expected !== null && s.expected !== undefined && s.expected !== '') || !s.ok);

  onShow.exemples = () => runSoon.now();
  onText.exemples = () => runSoon();
})();

// ------------------------------------------------------------------ Page

(() => {
  const runs = sequencer();
  const frame = $('page-frame');
  const runSoon = debounce(async () => {
    if (state.tab !== 'page' || !needRulebook('panel-page') || !analysed()) return;
    $('page-stale').hidden = state.analysis.checks;
    if (!state.analysis.checks) return;
    const text = currentText();
    const ticket = runs.next();
    try {
      const answer = await busy('panel-page', post('/api/page', { path: state.path, text }));
      if (!runs.current(ticket)) return;
      alarm(null);
      frame.srcdoc = answer.html;
    } catch (e) {
      if (runs.current(ticket)) alarm(new Error(`page non produite : ${e.message}`));
    }
  }, 600);
  onShow.page = () => runSoon.now();
  onText.page = () => runSoon();
})();

// ------------------------------------------------------------------ Comparer

function fillCompareChoices() {
  const select = $('compare-against');
  const chosen = state.compareChoice && state.compareChoice.path === state.path ? state.compareChoice.value : null;
  const current = state.rulebooks.find((r) => r.path === state.path);
  const others = state.rulebooks.filter((r) => r.path !== state.path);
  const options = [el('option', { value: 'git:HEAD' }, 'la dernière version enregistrée (git HEAD)')];
  for (const r of others) options.push(el('option', { value: `path:${r.path}` }, `${r.title || r.path} (${r.path})`));
  select.replaceChildren(...options);
  // By default, last year's rulebook of the same scheme, if there is one.
  const previous = current && others
    .filter((r) => r.scheme === current.scheme && (r.exercice || 0) < (current.exercice || 0))
    .sort((a, b) => (b.exercice || 0) - (a.exercice || 0))[0];
  if ([...select.options].some((o) => o.value === chosen)) select.value = chosen;
  else if (previous) select.value = `path:${previous.path}`;
  $('compare-batches').replaceChildren(...(state.batches || []).map((b) => el('option', { value: b })));
}

(() => {
  const runs = sequencer();
  let shownFor = '';

  async function compare(ev) {
    if (ev) ev.preventDefault();
    if (!needRulebook('panel-comparer')) return;
    const choice = $('compare-against').value;
    const against = choice.startsWith('git:') ? { git: choice.slice(4) } : { path: choice.slice(5) };
    const text = currentText();
    const body = { path: state.path, text, against };
    const batch = $('compare-batch').value.trim();
    if (batch) body.batch = batch;
    const ticket = runs.next();
    try {
      const answer = await busy('panel-comparer', post('/api/compare', body));
      if (!runs.current(ticket)) return;
      alarm(null);
      shownFor = `${choice}|${batch}|${text}`;
      const md = answer.changelog_markdown || '';
      $('impact').replaceChildren(...(md.includes('**Impact') ? [] : impact(answer.impact)));
      $('changelog').replaceChildren(markdown(answer.changelog_markdown || '', 1));
    } catch (e) {
      if (runs.current(ticket)) {
        $('impact').replaceChildren();
        $('changelog').replaceChildren(el('p', { class: 'alert-soft' }, `Comparaison impossible : ${e.message}`));
      }
    }
  }

  /** The impact: its summary and the payment lines that moved, with why. */
  function impact(data) {
    if (!data) return [];
    if (typeof data === 'string') return [markdown(data, 2)];
    const out = [el('h3', {}, 'Impact')];
    if (data.summary_text) out.push(el('p', {}, inline(data.summary_text)));
    const lines = data.lines || [];
    if (lines.length) {
      out.push(el('ul', {}, lines.map((l) => el('li', {},
        el('code', {}, l.name || l.line || ''), ` : ${/^\d/.test(String(l.difference)) ? '+' : ''}${euros(l.difference)}`,
        (l.causes || []).length ? el('ul', {}, l.causes.map((c) => el('li', {}, inline(c.text || '')))) : null))));
    }
    return out;
  }

  $('compare-form').addEventListener('submit', compare);
  $('compare-against').addEventListener('change', () => {
    state.compareChoice = { path: state.path, value: $('compare-against').value };
    compare();
  });
  onShow.comparer = () => {
    if (!needRulebook('panel-comparer')) return;
    fillCompareChoices();
    const key = `${$('compare-against').value}|${$('compare-batch').value.trim()}|${currentText()}`;
    if (key !== shownFor) compare();
  };
})();

// ------------------------------------------------------------------ start

/** Goes where the address says (`#simuler/fami/2024-x.forfait`): on start, or when it is edited. */
async function follow() {
  const [tab, ...rest] = location.hash.replace(/^#/, '').split('/');
  const path = rest.join('/');
  if (path && path !== state.path && state.rulebooks.some((r) => r.path === path)) {
    await openRulebook(path, { tab: TABS.includes(tab) ? tab : 'modifier' });
  } else if (tab !== state.tab || !document.body.dataset.ready) {
    showTab(TABS.includes(tab) ? tab : 'referentiels');
  }
}

async function start() {
  setupTabs();
  setupEditing();
  if (!TOKEN) alarm(new Error('jeton absent : ouvrez l\'adresse que « forfait studio » a affichée'));
  await loadRulebooks();
  await follow();
  window.addEventListener('hashchange', follow);
  document.body.dataset.ready = 'true';
}

start();
