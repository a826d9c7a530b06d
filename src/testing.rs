//! `forfait test`: the test cases kept beside a rulebook, and what they leave untested.
//!
//! A rulebook `X.forfait` has its cases in `X.examples/`: one declaration per `NAME.json`,
//! and `expected.csv` with a row per case: `example,total_eur`, then optionally one column
//! per indicator (named after it) holding the expected status (`met`, `not_met`,
//! `neutralised`, `not_applicable`; an empty cell checks nothing). An expected total of
//! `error` means the declaration must be rejected.

use std::collections::BTreeMap;

use crate::declaration::{self, InputFormat, ReadOptions, Record, Rejection};
use crate::eval::{evaluate, ConditionTrace, EvalOptions, Outcome, PaymentStatus, Status};
use crate::model::{CompiledRulebook, Expr};

/// One row of `expected.csv`.
#[derive(Clone, Debug)]
pub struct Case {
    pub example: String,
    /// The expected total in euros (`490.00`, or `490`: compared as amounts), or `None` when
    /// the declaration must be rejected (`error`).
    pub total: Option<rust_decimal::Decimal>,
    /// Expected statuses, by indicator name.
    pub statuses: BTreeMap<String, String>,
}

/// What is wrong with `expected.csv` (the command line words it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExpectationError {
    /// The CSV reader's words.
    Header(String),
    HeaderStart,
    NotAnIndicator {
        column: String,
        rulebook: String,
    },
    /// The CSV reader's words.
    Row(String),
    NoExample {
        line: u64,
    },
    ListedTwice {
        line: u64,
        example: String,
        first: u64,
    },
    BadTotal {
        line: u64,
        total: String,
    },
    BadStatus {
        line: u64,
        status: String,
        indicator: String,
    },
}

/// Reads `expected.csv`. Errors name the line and say what was expected.
pub fn read_expectations(
    rulebook: &CompiledRulebook,
    text: &str,
) -> Result<Vec<Case>, ExpectationError> {
    let mut reader = ::csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| ExpectationError::Header(e.to_string()))?
        .clone();
    if headers.get(0) != Some("example") || headers.get(1) != Some("total_eur") {
        return Err(ExpectationError::HeaderStart);
    }
    for name in headers.iter().skip(2) {
        if !rulebook.indicators.iter().any(|i| i.head.name == name) {
            return Err(ExpectationError::NotAnIndicator {
                column: name.to_string(),
                rulebook: rulebook.meta.name.clone(),
            });
        }
    }
    let mut cases = Vec::new();
    // The line each example is listed on: a case listed twice would count twice.
    let mut listed: BTreeMap<String, u64> = BTreeMap::new();
    for row in reader.records() {
        let row = row.map_err(|e| ExpectationError::Row(e.to_string()))?;
        let line = row.position().map_or(0, |p| p.line());
        let example = row.get(0).unwrap_or("").trim().to_string();
        if example.is_empty() {
            return Err(ExpectationError::NoExample { line });
        }
        if let Some(first) = listed.insert(example.clone(), line) {
            return Err(ExpectationError::ListedTwice {
                line,
                example,
                first,
            });
        }
        let total = row.get(1).unwrap_or("").trim();
        let total = match total {
            "error" => None,
            t if t.parse::<rust_decimal::Decimal>().is_ok() => t.parse().ok(),
            t => {
                return Err(ExpectationError::BadTotal {
                    line,
                    total: t.to_string(),
                })
            }
        };
        let mut statuses = BTreeMap::new();
        for (name, cell) in headers.iter().zip(row.iter()).skip(2) {
            let cell = cell.trim();
            if cell.is_empty() {
                continue;
            }
            if !["met", "not_met", "neutralised", "not_applicable"].contains(&cell) {
                return Err(ExpectationError::BadStatus {
                    line,
                    status: cell.to_string(),
                    indicator: name.to_string(),
                });
            }
            statuses.insert(name.to_string(), cell.to_string());
        }
        cases.push(Case {
            example,
            total,
            statuses,
        });
    }
    Ok(cases)
}

/// What running one case found.
#[derive(Clone, Debug)]
pub struct CaseResult {
    pub case: Case,
    /// The outcome, when the declaration was evaluated.
    pub outcome: Option<Outcome>,
    /// Why it was rejected, when it was.
    pub rejection: Option<Rejected>,
    /// Each way the result differs from the expectation; empty when the case passes.
    pub failures: Vec<Failure>,
}

/// Why a case's declaration was rejected.
#[derive(Clone, Debug)]
pub enum Rejected {
    /// Read, but the rules need these inputs, which it does not give.
    Missing(Vec<String>),
    /// The record itself.
    Record(Rejection),
}

/// One way a case's result differs from what `expected.csv` says (the command line words
/// it).
#[derive(Clone, Debug)]
pub enum Failure {
    /// The case's file holds this many declarations, not one.
    NotOneDeclaration {
        file: String,
        count: usize,
    },
    Total {
        expected: rust_decimal::Decimal,
        got: rust_decimal::Decimal,
    },
    RejectedInstead {
        expected: rust_decimal::Decimal,
        rejection: Option<Rejected>,
    },
    EvaluatedInstead {
        total: rust_decimal::Decimal,
    },
    /// An indicator's status (as `expected.csv` writes them: `met`, `not_met`, ...).
    Status {
        indicator: String,
        expected: String,
        actual: &'static str,
    },
}

impl CaseResult {
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

/// Runs one case: `text` is the content of the case's declaration file.
pub fn run_case(rulebook: &CompiledRulebook, file: &str, text: &str, case: &Case) -> CaseResult {
    let records = declaration::read_str(
        rulebook,
        file,
        text,
        InputFormat::from_path(file),
        ReadOptions::default(),
    );
    let mut result = CaseResult {
        case: case.clone(),
        outcome: None,
        rejection: None,
        failures: Vec::new(),
    };
    if records.len() != 1 {
        result.failures.push(Failure::NotOneDeclaration {
            file: file.to_string(),
            count: records.len(),
        });
        return result;
    }
    let options = EvalOptions::default();
    match records.into_iter().next() {
        Some(Record::Declaration(d, _)) => match evaluate(rulebook, &d, options) {
            Ok(outcome) => result.outcome = Some(outcome),
            Err(missing) => {
                let fields: Vec<String> = missing
                    .needed
                    .iter()
                    .map(|(slot, _)| rulebook.inputs[*slot].name.clone())
                    .collect();
                result.rejection = Some(Rejected::Missing(fields));
            }
        },
        Some(Record::Rejected(r)) => result.rejection = Some(Rejected::Record(r)),
        None => {}
    }
    match (&case.total, &result.outcome) {
        (Some(expected), Some(outcome)) => {
            if outcome.total_euros != *expected {
                result.failures.push(Failure::Total {
                    expected: *expected,
                    got: outcome.total_euros,
                });
            }
        }
        (Some(expected), None) => result.failures.push(Failure::RejectedInstead {
            expected: *expected,
            rejection: result.rejection.clone(),
        }),
        (None, Some(outcome)) => result.failures.push(Failure::EvaluatedInstead {
            total: outcome.total_euros,
        }),
        (None, None) => {}
    }
    if let Some(outcome) = &result.outcome {
        for (name, expected) in &case.statuses {
            if let Some(i) = rulebook
                .indicators
                .iter()
                .position(|ind| &ind.head.name == name)
            {
                let actual = outcome.indicators[i].status.as_str();
                if actual != expected {
                    result.failures.push(Failure::Status {
                        indicator: name.clone(),
                        expected: expected.clone(),
                        actual,
                    });
                }
            }
        }
    }
    result
}

/// One thing `accept` changed in `expected.csv`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// A case's total (`None`: the declaration is rejected, `error`).
    Total {
        example: String,
        from: Option<rust_decimal::Decimal>,
        to: Option<rust_decimal::Decimal>,
    },
    /// An indicator's status, in a cell that said one.
    Status {
        example: String,
        indicator: String,
        from: String,
        to: &'static str,
    },
    /// A case file `expected.csv` did not list, added with its total.
    Added {
        example: String,
        total: Option<rust_decimal::Decimal>,
    },
}

/// `expected.csv` (`text`) with what the cases actually gave written in, after a deliberate
/// change of the rules (`forfait test --accept`): the same header and rows, in their order,
/// each total set to the actual one, and each status cell that names a status set to the
/// actual one (an empty cell checked nothing and stays empty); a row appended for each of
/// `added` (case files it did not list), with its total. A case whose file does not hold one
/// declaration is left as it was. Returns the new text and what changed.
pub fn accept(
    rulebook: &CompiledRulebook,
    text: &str,
    results: &[CaseResult],
    added: &[CaseResult],
) -> Result<(String, Vec<Change>), ExpectationError> {
    // The total as a result gives it: `None` when rejected; no answer when the case cannot
    // say (its file does not hold one declaration).
    let actual_total = |r: &CaseResult| -> Option<Option<rust_decimal::Decimal>> {
        let unreadable = r
            .failures
            .iter()
            .any(|f| matches!(f, Failure::NotOneDeclaration { .. }));
        (!unreadable).then(|| r.outcome.as_ref().map(|o| o.total_euros))
    };
    let written = |total: Option<rust_decimal::Decimal>| match total {
        Some(t) => t.to_string(),
        None => "error".to_string(),
    };
    let mut reader = ::csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| ExpectationError::Header(e.to_string()))?
        .clone();
    // The file's own line ends (French Excel writes CRLF).
    let terminator = if text.contains("\r\n") {
        ::csv::Terminator::CRLF
    } else {
        ::csv::Terminator::Any(b'\n')
    };
    let mut out = ::csv::WriterBuilder::new()
        .terminator(terminator)
        .from_writer(Vec::new());
    let mut changes = Vec::new();
    let write = |out: &mut ::csv::Writer<Vec<u8>>, cells: &[String]| {
        out.write_record(cells)
            .map_err(|e| ExpectationError::Row(e.to_string()))
    };
    write(
        &mut out,
        &headers.iter().map(str::to_string).collect::<Vec<_>>(),
    )?;
    for row in reader.records() {
        let row = row.map_err(|e| ExpectationError::Row(e.to_string()))?;
        let mut cells: Vec<String> = row.iter().map(str::to_string).collect();
        let example = cells
            .first()
            .map(|c| c.trim().to_string())
            .unwrap_or_default();
        let result = results.iter().find(|r| r.case.example == example);
        if let Some((result, total)) = result.and_then(|r| Some((r, actual_total(r)?))) {
            if total != result.case.total {
                changes.push(Change::Total {
                    example: example.clone(),
                    from: result.case.total,
                    to: total,
                });
                cells[1] = written(total);
            }
            if let Some(outcome) = &result.outcome {
                for (cell, name) in cells.iter_mut().zip(headers.iter()).skip(2) {
                    let said = cell.trim();
                    let Some(i) = rulebook
                        .indicators
                        .iter()
                        .position(|ind| ind.head.name == name)
                    else {
                        continue;
                    };
                    let actual = outcome.indicators[i].status.as_str();
                    if !said.is_empty() && said != actual {
                        changes.push(Change::Status {
                            example: example.clone(),
                            indicator: name.to_string(),
                            from: said.to_string(),
                            to: actual,
                        });
                        *cell = actual.to_string();
                    }
                }
            }
        }
        write(&mut out, &cells)?;
    }
    for result in added {
        let Some(total) = actual_total(result) else {
            continue;
        };
        let mut cells = vec![String::new(); headers.len()];
        cells[0] = result.case.example.clone();
        cells[1] = written(total);
        write(&mut out, &cells)?;
        changes.push(Change::Added {
            example: result.case.example.clone(),
            total,
        });
    }
    let bytes = out
        .into_inner()
        .map_err(|e| ExpectationError::Row(e.to_string()))?;
    Ok((String::from_utf8_lossy(&bytes).into_owned(), changes))
}

/// What the cases of a rulebook exercise, and what they leave untested.
#[derive(Clone, Debug, Default)]
pub struct Coverage {
    /// Each item that could be exercised, and whether a case did.
    pub items: Vec<(CoverageItem, bool)>,
}

/// Something a case can exercise (the command line words it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CoverageItem {
    /// An indicator with this status.
    Status {
        indicator: String,
        status: Status,
    },
    /// A part of an indicator's `met when` (in French words), true or false.
    Branch {
        indicator: String,
        condition: String,
        holds: bool,
    },
    /// The gate of a payment blocking a met rule.
    GateBlocking {
        owner: String,
    },
    GatePassed {
        owner: String,
    },
    /// An amount variant chosen: the one `when` this condition (in French words), or the
    /// `otherwise` one.
    Amount {
        owner: String,
        when: Option<String>,
    },
}

impl Coverage {
    pub fn covered(&self) -> usize {
        self.items.iter().filter(|(_, c)| *c).count()
    }

    pub fn uncovered(&self) -> impl Iterator<Item = &CoverageItem> {
        self.items.iter().filter(|(_, c)| !c).map(|(t, _)| t)
    }
}

/// Coverage of the outcomes: each indicator met and not met (and, where it can be,
/// neutralised and not applicable), each branch of each condition both true and false,
/// each gate both passed and blocking, each amount variant chosen.
pub fn coverage(rulebook: &CompiledRulebook, outcomes: &[&Outcome]) -> Coverage {
    let mut items = Vec::new();
    let render = |e: &Expr| crate::french::condition(rulebook, e);
    for (i, ind) in rulebook.indicators.iter().enumerate() {
        let seen = |s: Status| outcomes.iter().any(|o| o.indicators[i].status == s);
        let status = |status: Status| CoverageItem::Status {
            indicator: ind.head.name.clone(),
            status,
        };
        let always_neutralised = ind.neutralisations.iter().any(|n| n.when.is_none());
        if always_neutralised {
            // Neutralised whatever the declaration: met and not met cannot happen.
            items.push((status(Status::Neutralised), seen(Status::Neutralised)));
            continue;
        }
        items.push((status(Status::Met), seen(Status::Met)));
        items.push((status(Status::NotMet), seen(Status::NotMet)));
        if ind.applies.is_some() {
            items.push((status(Status::NotApplicable), seen(Status::NotApplicable)));
        }
        if !ind.neutralisations.is_empty() {
            items.push((status(Status::Neutralised), seen(Status::Neutralised)));
        }
        // Branches of `met when`: every node of the condition seen true and seen false.
        let traces: Vec<&ConditionTrace> = outcomes
            .iter()
            .filter(|o| matches!(o.indicators[i].status, Status::Met | Status::NotMet))
            .filter_map(|o| o.indicators[i].met.as_ref())
            .collect();
        let compound = matches!(ind.met.expr, Expr::Not(_) | Expr::All(_) | Expr::Any(_));
        let mut index = 0;
        branches(
            &ind.met.expr,
            &traces,
            &mut index,
            &mut |node_expr, idx, traces| {
                // A one-node condition is covered by "met" and "not met" above.
                if !compound || matches!(node_expr, Expr::Const(_)) {
                    return;
                }
                for value in [true, false] {
                    let seen = traces
                        .iter()
                        .any(|t| t.nodes.get(idx).is_some_and(|n| n.holds == value));
                    items.push((
                        CoverageItem::Branch {
                            indicator: ind.head.name.clone(),
                            condition: render(node_expr),
                            holds: value,
                        },
                        seen,
                    ));
                }
            },
        );
    }
    for (p, payment) in rulebook.payments.iter().enumerate() {
        let owner = rulebook.target_name(payment.owner);
        if !rulebook.gates(payment.owner).is_empty() {
            let blocked = outcomes
                .iter()
                .any(|o| matches!(o.payments[p].status, PaymentStatus::GateNotMet(_)));
            let passed = outcomes
                .iter()
                .any(|o| o.payments[p].status == PaymentStatus::Paid);
            items.push((
                CoverageItem::GateBlocking {
                    owner: owner.to_string(),
                },
                blocked,
            ));
            items.push((
                CoverageItem::GatePassed {
                    owner: owner.to_string(),
                },
                passed,
            ));
        }
        for (v, variant) in payment.variants.iter().enumerate() {
            if payment.variants.len() < 2 {
                break;
            }
            let chosen = outcomes.iter().any(|o| o.payments[p].variant == Some(v));
            items.push((
                CoverageItem::Amount {
                    owner: owner.to_string(),
                    when: variant.when.as_ref().map(|w| render(&w.expr)),
                },
                chosen,
            ));
        }
    }
    Coverage { items }
}

/// Walks `expr` in the pre-order of its trace nodes, calling `visit` on each node.
fn branches<'e>(
    expr: &'e Expr,
    traces: &[&ConditionTrace],
    index: &mut usize,
    visit: &mut dyn FnMut(&'e Expr, usize, &[&ConditionTrace]),
) {
    let here = *index;
    *index += 1;
    visit(expr, here, traces);
    match expr {
        Expr::Not(inner) => branches(inner, traces, index, visit),
        Expr::All(parts) | Expr::Any(parts) => {
            for p in parts {
                branches(p, traces, index, visit);
            }
        }
        _ => {}
    }
}
