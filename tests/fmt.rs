//! `forfait fmt` never changes meaning and is idempotent, on every rulebook the project
//! has; shipped rulebooks are canonical; `tests/cases/fmt/*.forfait` show the layout.

#![allow(clippy::panic, clippy::expect_used, clippy::unwrap_used)]

mod common;
use common::{files, root};

use forfait::output;
use forfait::record::Evaluated;
use forfait::{compile, evaluate_file, fmt, parse, EvalOptions};

fn format(source: &str) -> Option<String> {
    parse(source).ok().map(|ast| fmt::format(&ast, source))
}

#[test]
fn formatting_keeps_the_rules_and_the_comments_and_is_idempotent() {
    let mut formatted_count = 0;
    for dir in ["rulebooks", "tests/cases"] {
        for path in files(dir, "forfait") {
            let source = std::fs::read_to_string(&path).unwrap();
            let Ok(before) = parse(&source) else {
                continue; // a broken rulebook of the diagnostics corpus
            };
            let over_limits = compile("case", &source).is_err_and(|report| {
                report
                    .diagnostics
                    .iter()
                    .any(|d| matches!(d, forfait::Error::ConditionTooDeep { .. }))
            });
            if over_limits {
                continue; // nested beyond what forfait accepts: nothing to keep
            }
            let once = fmt::format(&before, &source);
            let after = parse(&once).unwrap_or_else(|e| {
                panic!(
                    "{}: the formatted text does not parse: {e:?}\n{once}",
                    path.display()
                )
            });
            assert_eq!(
                before,
                after,
                "{}: formatting changed the rules",
                path.display()
            );
            let texts = |r: &forfait::syntax::ast::Rulebook| -> Vec<String> {
                r.comments
                    .iter()
                    .map(|c| c.text.trim_end().to_string())
                    .collect()
            };
            assert_eq!(
                texts(&before),
                texts(&after),
                "{}: comments changed",
                path.display()
            );
            assert_eq!(
                format(&once).as_deref(),
                Some(once.as_str()),
                "{}: not idempotent",
                path.display()
            );
            formatted_count += 1;
        }
    }
    assert!(formatted_count >= 10, "found {formatted_count} rulebooks");
}

#[test]
fn shipped_rulebooks_are_canonical_and_evaluate_the_same_formatted() {
    for path in files("rulebooks", "forfait") {
        let source = std::fs::read_to_string(&path).unwrap();
        let once = format(&source).unwrap();
        assert_eq!(
            once,
            source,
            "{} is not canonical: run `forfait fmt {}`",
            path.display(),
            path.display()
        );

        // Evaluate the examples with the rulebook as formatted from a scrambled layout:
        // every clause on one line, the layout fmt must undo.
        let scrambled: String = source
            .lines()
            .filter(|l| !l.trim_start().starts_with('#'))
            .map(str::trim)
            .collect::<Vec<_>>()
            .join(" ");
        let reformatted = format(&scrambled).expect("the scrambled rulebook parses");
        let original = compile("original", &source).expect("checks").rulebook;
        let again = compile("reformatted", &reformatted)
            .expect("checks")
            .rulebook;
        let examples = path.with_extension("examples");
        for example in files(
            examples.strip_prefix(root()).unwrap().to_str().unwrap(),
            "json",
        ) {
            let text = std::fs::read_to_string(&example).unwrap();
            let render = |rb: &forfait::CompiledRulebook| {
                let records: Vec<Evaluated> =
                    evaluate_file(rb, "example.json", &text, EvalOptions::default());
                output::json::render(rb, &records).replace(&rb.meta.content_hash, "[hash]")
            };
            assert_eq!(render(&original), render(&again), "{}", example.display());
        }
    }
}

#[test]
fn layout_cases() {
    insta::glob!("cases/fmt/*.forfait", |path| {
        let source = std::fs::read_to_string(path).unwrap();
        let formatted = format(&source).expect("the case parses");
        insta::assert_snapshot!(format!(
            "--- before\n{}\n--- forfait fmt\n{formatted}",
            source.trim_end()
        ));
    });
}

#[test]
fn no_break_spaces_pasted_from_a_pdf_become_spaces_except_in_quotes() {
    let source =
        std::fs::read_to_string("tests/cases/check/syntax-no-break-spaces.forfait").unwrap();
    assert!(source.contains('\u{202F}') && source.contains("490\u{A0}EUR"));
    let once = format(&source).unwrap();
    assert!(once.contains("  automated\n") && once.contains(">= 70 %\n"));
    assert!(once.contains("pays 490 EUR\n"));
    assert!(once.contains("\"Coordination\u{A0}: prise en charge\""));
    assert_eq!(
        once.matches(['\u{A0}', '\u{202F}']).count(),
        1,
        "only the label's no-break space is kept"
    );
}
