//! `forfait test`: run the cases kept beside each rulebook; `--coverage` says what they
//! leave untested, `--min N` fails a rulebook whose cases exercise less than N % of it,
//! `--format junit` writes the run for a CI server.
//!
//! A run never passes by testing nothing: a path that does not exist, or paths with no case
//! at all, is an error (a typo in a CI path must be red). A case file that `expected.csv`
//! does not list fails, naming it, rather than being skipped.
//!
//! The report for a person goes to standard output; with `--format junit`, the XML goes
//! there instead (or to `--output`) and the report to standard error. A file of `--output`
//! is written whole or not at all.

use std::collections::BTreeSet;
use std::path::Path;

use forfait::diagnostics::Lang;
use forfait::output::text::indicator_reason;
use forfait::testing::{
    self, coverage, decode_expected, encode_expected, read_expected, run_case, Case, CaseResult,
};
use rust_decimal::Decimal;

use super::junit::{self, Suite};
use super::results::{outln, same_file, write_whole, Printer};
use super::words::{headings, status, Say};
use super::{load, read, tell, Exit};

/// What `forfait test` is asked.
pub struct TestArgs<'a> {
    pub paths: &'a [String],
    /// List what the cases leave untested.
    pub coverage: bool,
    /// `--min`, as written: the least coverage, in %, of each rulebook.
    pub min: Option<&'a str>,
    pub accept: bool,
    /// JUnit XML rather than the text report.
    pub junit: bool,
    pub output: Option<&'a str>,
    pub lang: Lang,
}

/// Where the text report goes.
enum Report {
    Stdout(Printer),
    /// Standard output holds the XML.
    Stderr,
    /// `--output` in text: kept, to be written whole.
    Kept(String),
}

impl Report {
    fn line(&mut self, text: &str) {
        match self {
            Report::Stdout(printer) => outln!(printer, "{text}"),
            Report::Stderr => eprintln!("{text}"),
            Report::Kept(kept) => {
                kept.push_str(text);
                kept.push('\n');
            }
        }
    }

    fn say(&mut self, say: Say<'_>, lang: Lang) {
        self.line(&say.text(lang));
    }
}

pub fn test(args: TestArgs<'_>) -> Exit {
    let lang = args.lang;
    let paths = if args.paths.is_empty() {
        vec!["rulebooks".to_string()]
    } else {
        args.paths.to_vec()
    };
    if let Some(missing) = paths.iter().find(|p| !Path::new(p).exists()) {
        tell(lang, Say::NothingToTest { path: missing });
        return Exit::Usage;
    }
    let min = match args.min {
        None => None,
        Some(written) => match testing::threshold(written) {
            Some(n) => Some(n),
            None => {
                tell(lang, Say::BadMin { value: written });
                return Exit::Usage;
            }
        },
    };
    let mut report = match (args.junit, args.output) {
        (true, None) => Report::Stderr,
        (false, Some(_)) => Report::Kept(String::new()),
        _ => Report::Stdout(Printer::new(lang)),
    };
    let mut run = Run {
        lang,
        accept: args.accept,
        coverage: args.coverage || min.is_some(),
        list_uncovered: args.coverage,
        min,
        passed: 0,
        failed: 0,
        usage_error: false,
        suites: Vec::new(),
        read: Vec::new(),
    };
    for path in super::fmt::rulebook_files(&paths) {
        run.rulebook(&path, &mut report);
    }
    let (passed, failed) = (run.passed, run.failed);
    report.say(Say::Tally { passed, failed }, lang);
    let mut exit = if run.usage_error {
        Exit::Usage
    } else if passed + failed == 0 {
        tell(
            lang,
            Say::NoTestCase {
                paths: &paths.join(", "),
            },
        );
        Exit::Usage
    } else if failed > 0 {
        Exit::Problems
    } else {
        Exit::Ok
    };
    let written = match (&report, args.junit) {
        (Report::Kept(text), _) => Some(text.clone()),
        (_, true) => Some(junit::render(&run.suites)),
        _ => None,
    };
    if let Some(document) = written {
        match args.output {
            Some(target) => {
                if let Some(input) = run
                    .read
                    .iter()
                    .find(|input| same_file(input, Path::new(target)))
                {
                    tell(lang, Say::OutputIsInput { target, input });
                    return Exit::Usage;
                }
                match write_whole(target, document.as_bytes()) {
                    Ok(()) => tell(lang, Say::Wrote { path: target }),
                    Err(e) => {
                        tell(lang, Say::NotCompleted { target, error: &e });
                        exit = Exit::Usage;
                    }
                }
            }
            None => {
                let mut printer = Printer::new(lang);
                printer.print(format_args!("{document}"));
                return printer.finish(exit);
            }
        }
    }
    match report {
        Report::Stdout(printer) => printer.finish(exit),
        _ => exit,
    }
}

/// A run over the rulebooks: its tally, and the suites for JUnit.
struct Run {
    lang: Lang,
    accept: bool,
    /// Work out the coverage (`--coverage` or `--min`).
    coverage: bool,
    /// List what no case exercises (`--coverage`; `--min` alone gives the figure only).
    list_uncovered: bool,
    min: Option<Decimal>,
    passed: usize,
    failed: usize,
    usage_error: bool,
    suites: Vec<Suite>,
    /// Every file read, which `--output` must not be.
    read: Vec<String>,
}

impl Run {
    /// A test of `suite` that passed, or failed with `lines` (which the report shows).
    fn record(
        &mut self,
        suite: &mut Suite,
        name: &str,
        file: Option<&str>,
        lines: &[String],
        report: &mut Report,
    ) {
        for line in lines {
            report.line(line);
        }
        if lines.is_empty() {
            self.passed += 1;
        } else {
            self.failed += 1;
        }
        suite.push(name, file, lines);
    }

    fn rulebook(&mut self, path: &str, report: &mut Report) {
        let lang = self.lang;
        let examples = Path::new(path).with_extension("examples");
        let expected_path = examples.join("expected.csv");
        let expected_name = expected_path.to_string_lossy().into_owned();
        if !expected_path.exists() {
            let say = Say::NoCases {
                path,
                expected: &expected_name,
            };
            report.say(say, lang);
            return;
        }
        let mut suite = Suite::new(path);
        self.read.push(path.to_string());
        let rulebook = match load(path, false, lang) {
            Ok(r) => r,
            Err(_) => {
                let lines = [Say::RulebookDoesNotCheck { path }.text(lang)];
                self.record(&mut suite, "forfait check", Some(path), &lines, report);
                self.suites.push(suite);
                return;
            }
        };
        self.read.push(expected_name.clone());
        let (expected_text, encoding) = match std::fs::read(&expected_path) {
            Ok(bytes) => match decode_expected(&bytes, &expected_name) {
                Ok(decoded) => decoded,
                Err(e) => {
                    tell(lang, Say::Verdict(&e));
                    self.usage_error = true;
                    return;
                }
            },
            Err(e) => {
                tell(
                    lang,
                    Say::CannotRead {
                        path: &expected_name,
                        error: &e,
                    },
                );
                self.usage_error = true;
                return;
            }
        };
        let expected = match read_expected(&rulebook, &expected_text) {
            Ok(e) => e,
            Err(e) => {
                let say = Say::BadExpectations {
                    file: &expected_name,
                    error: &e,
                };
                let lines = [say.text(lang)];
                self.record(
                    &mut suite,
                    "expected.csv",
                    Some(&expected_name),
                    &lines,
                    report,
                );
                self.suites.push(suite);
                return;
            }
        };
        let cases = expected.cases;
        let mut added: Vec<CaseResult> = Vec::new();
        for unlisted in unlisted_case_files(&examples, &cases) {
            let stem = Path::new(&unlisted)
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            if self.accept {
                if let Ok(text) = read(&unlisted, lang) {
                    let case = Case {
                        maximum: testing::is_maximum(&stem),
                        example: stem,
                        total: None,
                        statuses: Default::default(),
                    };
                    added.push(run_case(&rulebook, &unlisted, &text, &case));
                    continue;
                }
            }
            let say = Say::UnlistedCase {
                file: &unlisted,
                expected: &expected_name,
            };
            let lines = [say.text(lang)];
            self.record(&mut suite, &stem, Some(&unlisted), &lines, report);
        }
        let mut results: Vec<CaseResult> = Vec::new();
        let mut ok = 0;
        for case in &cases {
            let file = examples.join(format!("{}.json", case.example));
            let file_name = file.to_string_lossy().into_owned();
            self.read.push(file_name.clone());
            let text = match read(&file_name, lang) {
                Ok(t) => t,
                Err(_) => {
                    let lines = [Say::CaseUnreadable { file: &file_name }.text(lang)];
                    self.record(&mut suite, &case.example, Some(&file_name), &lines, report);
                    continue;
                }
            };
            let result = run_case(&rulebook, &file_name, &text, case);
            let lines = if result.passed() || (self.accept && acceptable(&result)) {
                ok += 1;
                Vec::new()
            } else {
                failure_lines(&rulebook, &file_name, &result, lang)
            };
            self.record(&mut suite, &case.example, Some(&file_name), &lines, report);
            results.push(result);
        }
        if self.accept {
            self.accept(
                &rulebook,
                &expected_name,
                &expected_text,
                encoding,
                &results,
                &added,
                &mut suite,
                report,
            );
        }
        let say = Say::CasesPass {
            path,
            passed: ok,
            cases: results.len(),
        };
        report.say(say, lang);
        if self.coverage {
            let outcomes: Vec<&forfait::Outcome> =
                results.iter().filter_map(|r| r.outcome.as_ref()).collect();
            let cov = coverage(&rulebook, &outcomes);
            let say = Say::Coverage {
                covered: cov.covered(),
                items: cov.items.len(),
            };
            report.say(say, lang);
            if self.list_uncovered {
                for item in cov.uncovered() {
                    report.say(Say::NotExercised(item), lang);
                }
            }
            if let Some(min) = self.min {
                let (covered, items) = (cov.covered(), cov.items.len());
                let enough =
                    Decimal::from(covered) * Decimal::ONE_HUNDRED >= min * Decimal::from(items);
                let lines = if enough {
                    Vec::new()
                } else {
                    vec![Say::CoverageBelow {
                        path,
                        covered,
                        items,
                        min,
                    }
                    .text(lang)]
                };
                self.record(&mut suite, "coverage", None, &lines, report);
            }
        }
        self.suites.push(suite);
    }

    /// `--accept`: writes the results into `expected.csv`, in the form it is written in.
    #[allow(clippy::too_many_arguments)]
    fn accept(
        &mut self,
        rulebook: &forfait::CompiledRulebook,
        expected_name: &str,
        expected_text: &str,
        encoding: testing::FileEncoding,
        results: &[CaseResult],
        added: &[CaseResult],
        suite: &mut Suite,
        report: &mut Report,
    ) {
        let lang = self.lang;
        match testing::accept(rulebook, expected_text, results, added) {
            Ok((_, changes)) if changes.is_empty() => {}
            Ok((text, changes)) => {
                let (bytes, written) = encode_expected(&text, encoding);
                if let Err(e) = write_whole(expected_name, &bytes) {
                    tell(
                        lang,
                        Say::CannotWrite {
                            target: expected_name,
                            error: &e,
                        },
                    );
                    self.usage_error = true;
                    return;
                }
                for change in &changes {
                    report.say(Say::Accepted(change), lang);
                }
                let dialect = read_expected(rulebook, &text)
                    .map(|e| e.dialect)
                    .unwrap_or_default();
                let say = Say::ExpectationsWritten {
                    file: expected_name,
                    changes: changes.len(),
                    dialect: &dialect,
                    encoding: written,
                };
                report.say(say, lang);
                for result in added.iter().filter(|r| acceptable(r)) {
                    let file = format!("{}.json", result.case.example);
                    self.record(suite, &result.case.example, Some(&file), &[], report);
                }
            }
            Err(e) => {
                let say = Say::BadExpectations {
                    file: expected_name,
                    error: &e,
                };
                let lines = [say.text(lang)];
                self.record(suite, "expected.csv", Some(expected_name), &lines, report);
            }
        }
    }
}

/// A case `--accept` can write the result of: its file holds one declaration.
fn acceptable(result: &CaseResult) -> bool {
    !result
        .failures
        .iter()
        .any(|f| matches!(f, forfait::testing::Failure::NotOneDeclaration { .. }))
}

/// The `.json` files of the examples folder that no row of `expected.csv` names.
fn unlisted_case_files(examples: &Path, cases: &[Case]) -> Vec<String> {
    let listed: BTreeSet<&str> = cases.iter().map(|c| c.example.as_str()).collect();
    let Ok(entries) = std::fs::read_dir(examples) else {
        return Vec::new();
    };
    let mut unlisted: Vec<String> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .filter(|p| {
            p.file_stem()
                .is_some_and(|stem| !listed.contains(stem.to_string_lossy().as_ref()))
        })
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    unlisted.sort();
    unlisted
}

/// The failure, and per indicator what was expected, what came out, and the values that
/// decided it: the lines the report shows.
pub(crate) fn failure_lines(
    rulebook: &forfait::CompiledRulebook,
    file: &str,
    result: &CaseResult,
    lang: Lang,
) -> Vec<String> {
    let mut lines = vec![Say::Fail { file }.text(lang)];
    for f in &result.failures {
        lines.push(Say::Failure(f).text(lang));
    }
    let Some(outcome) = &result.outcome else {
        return lines;
    };
    let words = headings(lang);
    let width = rulebook
        .indicators
        .iter()
        .map(|i| i.head.name.len())
        .chain([words.indicator.chars().count()])
        .max()
        .unwrap_or(0);
    lines.push(format!(
        "  {:<width$}  {:<14}  {:<14}  {}",
        words.indicator, words.expected, words.actual, words.decided_by
    ));
    for (i, ind) in rulebook.indicators.iter().enumerate() {
        let expected = result
            .case
            .statuses
            .get(&ind.head.name)
            .map_or("-", String::as_str);
        lines.push(format!(
            "  {:<width$}  {:<14}  {:<14}  {}",
            ind.head.name,
            status(lang, expected),
            status(lang, outcome.indicators[i].status.as_str()),
            indicator_reason(rulebook, outcome, i)
        ));
    }
    lines
}
