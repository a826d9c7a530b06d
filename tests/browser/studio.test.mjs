// The studio in a real browser: what a policy officer does, step by step, in Debian's
// Chromium driven by playwright-core.
//
//   FORFAIT_BIN=target/debug/forfait node tests/browser/studio.test.mjs
//
// It copies rulebooks/ to a scratch folder, starts `$FORFAIT_BIN studio --no-browser
// --port 0 FOLDER`, reads the address it prints, drives the page and stops the server.
// When FORFAIT_BIN is unset or has no `studio` subcommand, the test is skipped (and says so).
//
// Options:
//   --mock                  run against tests/browser/mock-server.mjs instead (it uses the
//                           command line of FORFAIT_BIN, else target/debug/forfait)
//   --update-screenshots    write the screenshots to docs/images/studio-*.png (else to
//                           tests/browser/out/)
// Environment: CHROMIUM (default /usr/bin/chromium).
//
// No sleeps: every step waits for what the page shows, with a generous time limit.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const argv = process.argv.slice(2);
const useMock = argv.includes('--mock');
const shotsDir = argv.includes('--update-screenshots') ? path.join(root, 'docs', 'images') : path.join(here, 'out');
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
const WAIT = 45_000; // a debug build on a busy 2-core machine can be slow; a failure still shows fast enough

const RULEBOOK = 'fami/2024-chirurgiens-dentistes.forfait';
const LAST_YEAR = 'fami/2022-chirurgiens-dentistes.forfait';

// ------------------------------------------------------------------ which server

function resolveBinary() {
  const bin = process.env.FORFAIT_BIN && path.resolve(process.env.FORFAIT_BIN);
  if (useMock) return { mock: true, bin: bin || path.join(root, 'target', 'debug', 'forfait') };
  if (!bin) return { skip: 'FORFAIT_BIN is not set: set it to a forfait binary that has the `studio` subcommand (or pass --mock)' };
  if (!fs.existsSync(bin)) return { skip: `FORFAIT_BIN=${bin} does not exist` };
  const help = spawnSync(bin, ['studio', '--help'], { encoding: 'utf8' });
  if (help.status !== 0) return { skip: `${bin} has no \`studio\` subcommand yet (\`forfait studio --help\` exited ${help.status})` };
  return { bin };
}

const target = resolveBinary();
if (!target.skip && !fs.existsSync(chromiumPath)) target.skip = `no Chromium at ${chromiumPath} (apt-get install chromium, or set CHROMIUM)`;
if (target.skip) console.log(`# studio browser tests skipped: ${target.skip}`);

/** Starts the server on a copy of rulebooks/; resolves with its address once it prints it. */
function startServer(folder) {
  const cmd = target.mock
    ? [process.execPath, [path.join(here, 'mock-server.mjs'), '--no-browser', '--port', '0', folder]]
    : [target.bin, ['studio', '--no-browser', '--port', '0', folder]];
  const child = spawn(cmd[0], cmd[1], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, FORFAIT_BIN: target.bin, LANG: 'fr_FR.UTF-8' },
  });
  let out = '';
  let err = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`the studio printed no address within ${WAIT} ms`)), WAIT);
    const fail = (e) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${e.message}\nstdout: ${out}\nstderr: ${err}`));
    };
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    // The address may come on either stream; the first one that prints it wins.
    const look = () => {
      const m = /http:\/\/127\.0\.0\.1:\d+\/\?token=[^\s"'<>]+/.exec(`${out}\n${err}`);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[0], stderr: () => err });
      }
    };
    child.stdout.on('data', (chunk) => { out += chunk; look(); });
    child.stderr.on('data', (chunk) => { err += chunk; look(); });
    child.on('error', fail);
    child.on('exit', (code) => fail(new Error(`the studio exited (${code}) before printing its address`)));
  });
}

function stopServer(child) {
  if (!child || child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

// ------------------------------------------------------------------ waiting on the page

/** Waits until the text of `selector` (white space collapsed) matches `re`; says what it was if not. */
async function waitText(page, selector, re, timeout = WAIT) {
  try {
    await page.waitForFunction(([sel, src, flags]) => {
      const node = document.querySelector(sel);
      return Boolean(node) && new RegExp(src, flags).test(node.innerText.replace(/\s+/g, ' ').trim());
    }, [selector, re.source, re.flags], { timeout });
  } catch {
    const actual = await page.evaluate((sel) => {
      const node = document.querySelector(sel);
      return node ? node.innerText.replace(/\s+/g, ' ').trim().slice(0, 600) : '(absent)';
    }, selector);
    throw new Error(`${selector} never matched ${re}; it shows: ${actual}`);
  }
}

/** Selects `what` in the editor's text (its `nth` occurrence after `after`) and types `text` over it. */
async function typeOver(page, what, text, after = '') {
  const area = page.locator('#source');
  await area.focus();
  const found = await area.evaluate((node, [w, a]) => {
    const from = a ? node.value.indexOf(a) : 0;
    const start = from < 0 ? -1 : node.value.indexOf(w, from);
    if (start >= 0) node.setSelectionRange(start, start + w.length);
    return start;
  }, [what, after]);
  assert.ok(found >= 0, `\`${after}…${what}\` is not in the editor`);
  await page.keyboard.type(text);
}

async function shot(page, screen) {
  fs.mkdirSync(shotsDir, { recursive: true });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(shotsDir, `studio-${screen}.png`) });
}

async function openTab(page, name) {
  await page.click(`#tab-${name}`);
  await page.locator(`#panel-${name}`).waitFor({ state: 'visible' });
}

// ------------------------------------------------------------------ the policy officer

test('the studio in Chromium: edit, check, run the examples, simulate, compare', { skip: target.skip || false }, async (t) => {
  const { chromium } = await import('playwright-core');
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'forfait-studio-test-'));
  const folder = path.join(scratch, 'rulebooks');
  fs.cpSync(path.join(root, 'rulebooks'), folder, { recursive: true });
  let server = null;
  let browser = null;
  const problems = []; // the page's own errors: a CSP refusal, an exception

  try {
    server = await startServer(folder);
    browser = await chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      // Root has no sandbox here; the rest keeps Chromium off the (closed) network.
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'fr-FR', deviceScaleFactor: 1 });
    context.setDefaultTimeout(WAIT);
    // The page works offline: anything it asks of another address is refused and reported.
    const origin = new URL(server.url).origin;
    await context.route((u) => u.origin !== origin && u.protocol !== 'about:' && u.protocol !== 'data:', (route) => {
      problems.push(`asked another address: ${route.request().url()}`);
      return route.abort();
    });
    const page = await context.newPage();
    page.on('pageerror', (e) => problems.push(`exception: ${e.message}`));
    // A refused answer is said by its response below; the console's copy names no address.
    page.on('console', (m) => { if (m.type() === 'error' && !/^Failed to load resource/.test(m.text())) problems.push(`console: ${m.text()}`); });
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
    page.on('response', async (r) => {
      if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) {
        problems.push(`${r.request().method()} ${new URL(r.url()).pathname} → ${r.status()} ${await r.text().catch(() => '')}`);
      }
    });

    // One step after another; once one fails, the next ones say so instead of failing too.
    let failed = null;
    const step = async (name, fn) => {
      await t.test(name, { skip: failed ? `an earlier step failed: ${failed}` : false }, async () => {
        try {
          await fn();
        } catch (e) {
          failed = name;
          throw e;
        }
      });
    };

    await step('Référentiels: the folder\'s rulebooks, with scheme, exercice and state', async () => {
      await page.goto(server.url);
      await page.waitForSelector('body[data-ready="true"]');
      assert.equal(await page.getAttribute('html', 'lang'), 'fr');
      const row = page.locator(`#rulebooks tr[data-path="${RULEBOOK}"]`);
      await row.waitFor();
      const cells = await row.locator('td').allInnerTexts();
      assert.match(cells[0], /FAMI 2024 : chirurgiens-dentistes libéraux/);
      assert.equal(cells[1], 'FAMI');
      assert.equal(cells[2], '2024');
      assert.equal(cells[3], 'propre');
      assert.equal(await page.locator('#rulebooks tbody tr').count(), 5);
      await shot(page, 'referentiels');
    });

    await step('Modifier: open the 2024 dentists\' rulebook, highlighted and clean', async () => {
      await page.locator(`#rulebooks tr[data-path="${RULEBOOK}"] button`).click();
      await page.waitForSelector('#editor[data-analysed="true"]');
      await waitText(page, '#diag-summary', /Aucun problème/);
      assert.match(await page.inputValue('#source'), /^rulebook fami_2024_chirurgiens_dentistes/m);
      assert.ok(await page.locator('#highlight .t-keyword').count() > 50, 'keywords are highlighted');
      assert.ok(await page.locator('#gutter-lines div').count() > 200, 'lines are numbered');
    });

    await step('70 % → 75 %: the example teletransmission-700-sur-1000 turns red', async () => {
      await openTab(page, 'modifier');
      await typeOver(page, '70', '75', 'met when actes_fse / actes_total >= ');
      assert.match(await page.inputValue('#source'), /actes_total >= 75 %/);
      await page.waitForSelector('#editor[data-analysed="true"]');
      await openTab(page, 'exemples');
      const row = '#examples tr[data-case="teletransmission-700-sur-1000"]';
      await page.waitForSelector(`${row}[data-passed="false"]`);
      await waitText(page, row, /en échec/);
      await waitText(page, row, /teletransmission : attendu atteint, obtenu non atteint/);
      const background = await page.locator(`${row} td`).first().evaluate((n) => getComputedStyle(n).backgroundColor);
      assert.equal(background, 'rgb(251, 233, 231)', 'the failing row is shown in red');
      assert.equal(await page.getAttribute('#examples tr[data-case="socle-seul"]', 'data-passed'), 'true');
      await waitText(page, '#examples-summary', /39 cas sur 40 réussis, 1 en échec/);
      await waitText(page, '#examples-badge', /^1$/);
      await shot(page, 'exemples');

      // Back to 70 %: the example passes again, live.
      await openTab(page, 'modifier');
      await typeOver(page, '75', '70', 'met when actes_fse / actes_total >= ');
      await openTab(page, 'exemples');
      await page.waitForSelector(`${row}[data-passed="true"]`);
      await waitText(page, '#examples-summary', /^40 cas sur 40 réussis\.$/);
      await waitText(page, '#coverage', /Couverture : 46 éléments sur 46 exercés/);
    });

    await step('a misspelt name: its diagnostic, underlined, and its fix', async () => {
      await openTab(page, 'modifier');
      await typeOver(page, 'horaires_annuaire', 'horaire_annuaire', 'met when ');
      await page.keyboard.press('Escape'); // closes the name proposals, if any are open
      const item = '#diagnostics li[data-code="forfait::check::unknown_name"]';
      await page.waitForSelector(item);
      await waitText(page, item, /Erreur ligne \d+, colonne 12 forfait::check::unknown_name/);
      await waitText(page, item, /entrée inconnue horaire_annuaire/);
      await waitText(page, item, /Aide : vouliez-vous dire horaires_annuaire/);
      await waitText(page, '#highlight .u-error', /^horaire_annuaire$/);
      await waitText(page, '#edit-state', /1 erreur/);
      const fix = page.locator(`${item} button.fix`, { hasText: 'horaires_annuaire' });
      assert.match(await fix.innerText(), /^Corriger : remplacer par/);
      await shot(page, 'modifier');

      await fix.click();
      await waitText(page, '#diag-summary', /Aucun problème/);
      assert.equal(await page.locator('#diagnostics li').count(), 0);
      assert.equal(await page.locator('#highlight .u-error').count(), 0);
      assert.match(await page.inputValue('#source'), /met when horaires_annuaire\n/);
    });

    await step('completion: Ctrl-Espace proposes the names, and one is written', async () => {
      await typeOver(page, 'horaires_annuaire', 'horaires_an', 'met when ');
      await page.keyboard.press('Control+Space');
      const option = page.locator('#completion li', { hasText: 'horaires_annuaire' }).first();
      await option.waitFor();
      await option.click();
      await page.waitForSelector('#completion', { state: 'hidden' });
      assert.match(await page.inputValue('#source'), /met when horaires_annuaire\n/);
      await page.waitForSelector('#editor[data-analysed="true"]');
      await waitText(page, '#diag-summary', /Aucun problème/);
    });

    await step('Ctrl-I (or the pointer) describes the name under the cursor', async () => {
      const area = page.locator('#source');
      await area.evaluate((node) => {
        const at = node.value.indexOf('requires socle') + 'requires so'.length;
        node.setSelectionRange(at, at);
      });
      await page.keyboard.press('Control+i');
      await waitText(page, '#hover', /Indicateurs obligatoires \(pré-requis\)/);
      await page.keyboard.press('Escape');
      await page.waitForSelector('#hover', { state: 'hidden' });
    });

    await step('Ctrl-S saves the text in the canonical layout', async () => {
      await typeOver(page, '  section "1.3"\n', '  section   "1.3"\n');
      await page.waitForSelector('#edit-dirty', { state: 'visible' });
      await page.keyboard.press('Control+s');
      await waitText(page, '#status', /Enregistré/);
      await page.waitForSelector('#edit-dirty', { state: 'hidden' });
      assert.match(await page.inputValue('#source'), /\n {2}section "1\.3"\n/);
      const written = fs.readFileSync(path.join(folder, RULEBOOK), 'utf8');
      assert.equal(written, fs.readFileSync(path.join(root, 'rulebooks', RULEBOOK), 'utf8'), 'the file is written back, canonical');
    });

    await step('Simuler: the form, filled by hand, pays 590,00 €', async () => {
      await openTab(page, 'simuler');
      await page.locator('#f-actes_fse').waitFor();
      assert.match(await page.locator('label[for="f-equipement_dmp"]').innerText(), /Équipement d'accès au DMP/);
      await page.selectOption('#f-equipement_dmp', 'logiciel_compatible');
      await page.fill('#f-flux_dmp', '12');
      await page.selectOption('#f-cdc_sesam_vitale', 'oui');
      await page.selectOption('#f-horaires_annuaire', 'oui');
      await page.fill('#f-actes_fse', '1800,0'); // a French decimal comma, as staff type it
      await page.fill('#f-actes_total', '2000');
      await page.selectOption('#f-type_messagerie', 'mssante_personnelle');
      await page.selectOption('#f-dispositif_coordination', { label: 'Maison de santé pluri-professionnelle (MSP)' });
      await waitText(page, '#sim-total', /^590,00\s€$/);
      await waitText(page, '#sim-indicators', /Implication dans une démarche de prise en charge coordonnée des patients coordination § 1\.6 atteint/);
      await waitText(page, '#sim-indicators', /aller_vers § 1\.7\.1 non atteint/);
      await shot(page, 'simuler');
    });

    await step('Page: the documentation page as the professional sees it', async () => {
      await openTab(page, 'page');
      const frame = page.frameLocator('#page-frame');
      await frame.locator('body', { hasText: 'chirurgiens-dentistes' }).waitFor();
      await shot(page, 'page');
    });

    await step('Comparer: against the 2022 rulebook, the new indicators are named', async () => {
      await openTab(page, 'comparer');
      assert.equal(await page.inputValue('#compare-against'), `path:${LAST_YEAR}`, 'last year\'s rulebook is proposed first');
      await waitText(page, '#changelog', /Indicateurs ajoutés/);
      const added = page.locator('#changelog h4', { hasText: 'Indicateurs ajoutés' }).locator('xpath=following-sibling::ul[1]');
      const text = await added.innerText();
      assert.match(text, /Indicateur « aller_vers » ajouté : 300,00\s€/);
      assert.match(text, /Indicateur « accueil_stagiaire » ajouté : 350,00\s€/);
      await waitText(page, '#changelog', /fami_2022_chirurgiens_dentistes \(exercice 2022\) → fami_2024_chirurgiens_dentistes \(exercice 2024\)/);
      await shot(page, 'comparer');
    });

    await step('Simuler: an example loaded into the form, the form saved as an example', async () => {
      await openTab(page, 'simuler');
      await page.locator('#example-pick option[value="aller-vers-sans-socle"]').waitFor({ state: 'attached' });
      await page.selectOption('#example-pick', 'aller-vers-sans-socle');
      await page.click('#example-load');
      await waitText(page, '#sim-total', /^300,00\s€$/);
      await page.fill('#example-name', 'essai-du-studio');
      await page.click('#save-example button[type="submit"]');
      await waitText(page, '#status', /Exemple « essai-du-studio » enregistré/);
      const saved = path.join(folder, RULEBOOK.replace(/\.forfait$/, '.examples'), 'essai-du-studio.json');
      assert.ok(fs.existsSync(saved), `${saved} is written`);
      const written = JSON.parse(fs.readFileSync(saved, 'utf8'));
      assert.equal(written.lieux_aller_vers, 'Foyer-centre d\'hébergement Saint-Martin');
      assert.equal(String(written.interventions_aller_vers), '3');
    });

    await t.test('the page raised no error and asked nothing of another address', () => {
      assert.deepEqual(problems, []);
    });
  } finally {
    if (browser) await browser.close();
    await stopServer(server && server.child);
    fs.rmSync(scratch, { recursive: true, force: true });
  }
});
