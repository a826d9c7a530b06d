//! `forfait doc`: the documentation page of every shipped rulebook, in Markdown and HTML,
//! snapshotted (the content hash masked as `sha256:[hash]`); and the HTML page is
//! self-contained, escapes every label and keeps its headings and table headers in order.
//! The shipped pages are the command's (`forfait doc`), with their worked examples.

// A test that cannot read its own fixtures should stop loudly.
#![allow(clippy::panic)]

mod common;
use common::{compiled, forfait, root, scratch, shipped_rulebooks as shipped, shown, stdout};

use forfait::model::InputType;
use forfait::{compile, CompiledRulebook};

fn markdown(rulebook: &CompiledRulebook) -> String {
    forfait::doc::markdown::render(&forfait::doc::build(rulebook))
        .replace(&rulebook.meta.content_hash, "sha256:[hash]")
}

fn html(rulebook: &CompiledRulebook) -> String {
    forfait::doc::html::render(&forfait::doc::build(rulebook))
}

/// The page `forfait doc` writes of the rulebook at `path` (`markdown` or `html`), with the
/// worked examples of its examples folder.
fn page(path: &std::path::Path, format: &str) -> String {
    let output = forfait(&["doc", &path.to_string_lossy(), "--format", format]);
    assert!(output.status.success(), "forfait doc {}", path.display());
    stdout(&output)
}

#[test]
fn markdown_pages() {
    insta::glob!("../rulebooks", "*/*.forfait", |path| {
        let rulebook = compiled(path);
        insta::assert_snapshot!(
            page(path, "markdown").replace(&rulebook.meta.content_hash, "sha256:[hash]")
        );
    });
}

#[test]
fn html_pages() {
    insta::glob!("../rulebooks", "*/*.forfait", |path| {
        let rulebook = compiled(path);
        insta::assert_snapshot!(
            page(path, "html").replace(&rulebook.meta.content_hash, "sha256:[hash]")
        );
    });
}

/// Each indicator's card shows one example of the rulebook's, worked through its condition
/// with the example's numbers, the status, and the example's file; one where it is met
/// when there is one; none when the rulebook has no examples.
#[test]
fn worked_examples_come_from_the_rulebooks_examples() {
    let nb = '\u{a0}';
    let dentists = root().join("rulebooks/fami/2024-chirurgiens-dentistes.forfait");
    let md = page(&dentists, "markdown");
    let line = format!(
        "- **Exemple** : 700 actes FSE sur 1{nb}000 = 70,0{nb}% ≥ 70{nb}% → atteint \
         *(exemple `teletransmission-700-sur-1000.json`)*\n"
    );
    assert!(md.contains(&line), "{md}");
    // One line a card: every indicator of the dentists' rulebook has an example that
    // evaluates it, and every one of them is met.
    let indicators = compiled(&dentists).indicators.len();
    assert_eq!(md.matches("- **Exemple** : ").count(), indicators, "{md}");
    assert_eq!(
        md.matches("→ atteint *(exemple").count(),
        indicators,
        "{md}"
    );
    assert!(md.contains(
        "- **Exemple** : Dispositif de prise en charge coordonnée auquel le professionnel \
         participe = Réunions de concertation pluridisciplinaire ; 4 réunions ≥ 4 → atteint \
         *(exemple `coordination-4-reunions-de-concertation.json`)*"
    ));
    let html = page(&dentists, "html");
    assert!(html.contains(&format!(
        "<dt>Exemple</dt><dd>700 actes FSE sur 1{nb}000 = 70,0{nb}% ≥ 70{nb}% → atteint \
         <small class=\"example-source\">(exemple <code>teletransmission-700-sur-1000.json</code>)</small></dd>"
    )));

    // The rulebook alone: no example, no line.
    let alone = scratch("doc", "no-examples");
    let copy = alone.join("2024-chirurgiens-dentistes.forfait");
    let _ = std::fs::copy(&dentists, &copy);
    for format in ["markdown", "html"] {
        let text = page(&copy, format);
        assert!(!text.contains("Exemple"), "{format}: {text}");
    }

    // Only an example where the rate is not met: that one, not met, and how far.
    let examples = alone.join("2024-chirurgiens-dentistes.examples");
    let _ = std::fs::create_dir(&examples);
    let _ = std::fs::copy(
        root().join(
            "rulebooks/fami/2024-chirurgiens-dentistes.examples/teletransmission-699-sur-1000.json",
        ),
        examples.join("teletransmission-699-sur-1000.json"),
    );
    let md = page(&copy, "markdown");
    assert!(
        md.contains(&format!(
            "- **Exemple** : 699 actes FSE sur 1{nb}000 = 69,9{nb}% ; seuil ≥ 70{nb}% ; \
             1 acte FSE de plus l'aurait atteint → non atteint \
             *(exemple `teletransmission-699-sur-1000.json`)*"
        )),
        "{}: {md}",
        shown(&copy)
    );
}

/// HTML escaping, written independently of the renderer's.
fn escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Every text of the rulebook that a reader must find on the page, as written.
fn labels(rulebook: &CompiledRulebook) -> Vec<String> {
    let meta = &rulebook.meta;
    let mut out = vec![meta.title.clone(), meta.guide.clone(), meta.scheme.clone()];
    for input in &rulebook.inputs {
        out.push(input.label.clone());
        if let InputType::Choice(choices) = &input.ty {
            out.extend(choices.iter().filter_map(|c| c.label.clone()));
        }
    }
    out.extend(rulebook.lists.iter().map(|l| l.label.clone()));
    for ind in &rulebook.indicators {
        out.push(ind.head.label.clone());
        out.extend(ind.evidence.clone());
        out.extend(ind.head.quotes.iter().cloned());
        out.extend(ind.neutralisations.iter().map(|n| n.words.clone()));
    }
    for group in &rulebook.groups {
        out.push(group.head.label.clone());
        out.extend(group.head.quotes.iter().cloned());
    }
    out.extend(rulebook.stated_totals.iter().map(|t| t.label.clone()));
    out
}

fn assert_sound_page(name: &str, rulebook: &CompiledRulebook, page: &str) {
    assert!(
        page.starts_with("<!DOCTYPE html>\n<html lang=\"fr\">"),
        "{name}: doctype and lang"
    );
    // Self-contained: nothing to fetch, nothing to run.
    for forbidden in [
        "http:", "https:", "//", "<script", "<link", "<img", "src=", "@import", "url(",
    ] {
        let found = match forbidden {
            // `//` only where a URL could start (an attribute), not in French text.
            "//" => page.contains("=\"//"),
            _ => page.contains(forbidden),
        };
        assert!(
            !found,
            "{name}: the page must load nothing, but holds `{forbidden}`"
        );
    }
    for label in labels(rulebook) {
        assert!(
            page.contains(&escaped(&label)),
            "{name}: the page does not show, escaped: {label}"
        );
    }
    // Every table header says what it heads.
    assert_eq!(
        page.matches("<th ").count() + page.matches("<th>").count(),
        page.matches("<th scope=\"").count(),
        "{name}: every <th> has a scope"
    );
    // Headings never skip a level: h1, then h2, h3, h4.
    let mut level = 0;
    for part in page.split("<h").skip(1) {
        if let Some(d) = part.chars().next().and_then(|c| c.to_digit(10)) {
            assert!(d <= level + 1, "{name}: <h{d}> after <h{level}>");
            level = d;
        }
    }
    assert_eq!(page.matches("<h1>").count(), 1, "{name}: one <h1>");
}

#[test]
fn html_pages_are_self_contained_and_escape_every_label() {
    for path in shipped() {
        let rulebook = compiled(&path);
        assert_sound_page(&path.display().to_string(), &rulebook, &html(&rulebook));
        assert_sound_page(&path.display().to_string(), &rulebook, &page(&path, "html"));
    }
}

/// The language reference's illustrations exercise what no shipped rulebook does: a group
/// inside a group, a neutralisation for everyone, dates and decimals, `not`.
#[test]
fn markdown_page_of_the_illustrations() {
    let rulebook = compiled(&root().join("tests/cases/check/docs-illustrations.forfait"));
    insta::assert_snapshot!(markdown(&rulebook));
}

/// Every test rulebook that checks makes a sound page.
#[test]
fn html_pages_of_the_test_rulebooks_are_sound() {
    let mut pages = 0;
    let dir = root().join("tests/cases/check");
    for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        let path = entry.path();
        let Ok(source) = std::fs::read_to_string(&path) else {
            continue;
        };
        if let Ok(c) = compile(&path.display().to_string(), &source) {
            assert_sound_page(&path.display().to_string(), &c.rulebook, &html(&c.rulebook));
            pages += 1;
        }
    }
    assert!(
        pages >= 3,
        "expected test rulebooks that check, found {pages}"
    );
}

/// Labels with `<`, `&`, `"`, « » and ’ are escaped, never written raw.
#[test]
fn html_escapes_markup_in_labels() {
    let source = r#"
rulebook demo "Démo <b>gras</b> & « guillemets »"
  scheme "FAMI"
  exercice 2024
  paid in 2025
  guide "Guide \"test\" d’exemple"
  currency EUR
  professions (infirmier "Infirmiers <IDEL>", orthoptiste "Orthoptistes & co")

input taux_fse "Actes FSE <script>alert(1)</script>" count automated unit "actes" missing is error
input actes "Total des actes & « autres »" count automated missing is error

indicator tele "Taux < 70 % & plus’"
  section "1.4"
  automated
  evidence "Pas de <justificatif>"
  applies when profession = infirmier
  met when taux_fse / actes >= 70 %
  neutralised when profession = orthoptiste "Neutralisé <pour> eux & elles"
  quote "« Le guide » dit <ceci> & cela"
  independent
  pays 100 EUR

stated total "TOTAL <max> & plus" 100 EUR
"#;
    let rulebook = match compile("demo.forfait", source) {
        Ok(c) => c.rulebook,
        Err(report) => panic!("{}", report.render_human()),
    };
    let page = html(&rulebook);
    assert_sound_page("demo", &rulebook, &page);
    for raw in [
        "<b>gras",
        "<script>",
        "<IDEL>",
        "< 70",
        "<justificatif>",
        "<pour>",
        "<ceci>",
        "<max>",
    ] {
        assert!(!page.contains(raw), "raw markup on the page: {raw}");
    }
    assert!(page.contains("Taux &lt; 70 % &amp; plus’"));
    assert!(page.contains("uniquement pour : infirmiers &lt;IDEL&gt;"));
    assert!(page.contains(
        "taux : Actes FSE &lt;script&gt;alert(1)&lt;/script&gt; / Total des actes &amp; « autres » ≥ 70 %"
    ));
}

/// The page speaks to a professional: the rulebook's name, its digest and the tools that
/// made and checked it are in the technical footer only; an amount never wraps in
/// Markdown either; a label inside a sentence loses its capital; in HTML a code name
/// never wraps mid-word.
#[test]
fn pages_speak_to_professionals_and_keep_the_technical_words_in_a_footer() {
    for path in shipped() {
        let rulebook = compiled(&path);
        for (page, footer_starts) in [
            (markdown(&rulebook), "---\n\n**Informations techniques**"),
            (html(&rulebook), "<footer>"),
        ] {
            let (main, footer) = page
                .split_once(footer_starts)
                .unwrap_or_else(|| panic!("{}: no technical footer", path.display()));
            for word in [
                "Rulebook",
                "rulebook",
                "Empreinte",
                "sha256",
                "forfait check",
            ] {
                assert!(
                    !main.contains(word),
                    "{}: `{word}` in the main text",
                    path.display()
                );
            }
            for word in ["Rulebook", "sha256:", "forfait check", "forfait doc"] {
                assert!(
                    footer.contains(word),
                    "{}: no `{word}` in the footer",
                    path.display()
                );
            }
        }
    }
    let dentists = compiled(&root().join("rulebooks/fami/2024-chirurgiens-dentistes.forfait"));
    let md = markdown(&dentists);
    assert!(md.contains("| **1\u{a0}240\u{a0}€** | vérifié |"), "{md}");
    assert!(!md.contains("490 €"), "an amount that can wrap");
    assert!(md.contains(
        "- **Versement** : versé seulement si « indicateurs obligatoires (pré-requis) » (§1) est atteint"
    ));
    assert!(md.contains(
        "compris dans les 490\u{a0}€ du groupe « indicateurs obligatoires (pré-requis) »"
    ));
    let page = html(&dentists);
    assert!(page.contains("white-space: nowrap"));
}
