//! The impact of a rule change on a set of declarations: both rulebooks run over the same
//! declarations, each declaration's result on both sides, the counts and totals, and the
//! payment lines that moved (the attribution of each difference to its cause is in
//! `causes`).

use rust_decimal::Decimal;

use super::pairing::Ctx;
use super::thresholds::{Probes, ThresholdImpact};
use super::Change;
use crate::declaration::Record;
use crate::eval::Status;
use crate::matrix::{self, Cell, Evaluated};
use crate::model::{CompiledRulebook, Target};

/// A declaration file to run both rulebooks over.
#[derive(Clone, Copy, Debug)]
pub struct ImpactFile<'a> {
    /// The file's name as the user gave it (its extension chooses JSON or CSV).
    pub name: &'a str,
    pub text: &'a str,
}

/// What one rulebook made of one declaration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SideResult {
    Paid(Decimal),
    /// The rulebook does not cover the declaration's profession.
    NotCovered,
    /// The declaration lacks something the rulebook needs, or has a value it refuses.
    Rejected(String),
}

impl SideResult {
    pub fn paid(&self) -> Option<Decimal> {
        match self {
            SideResult::Paid(d) => Some(*d),
            _ => None,
        }
    }
}

/// One declaration under both rulebooks.
#[derive(Clone, Debug)]
pub struct DeclarationImpact {
    pub file: String,
    /// Its id (or `#N`, its position in the file, when neither side could read one).
    pub id: String,
    pub profession: Option<String>,
    pub old: SideResult,
    pub new: SideResult,
}

impl DeclarationImpact {
    /// New minus old, when both rulebooks evaluated it.
    pub fn difference(&self) -> Option<Decimal> {
        Some(self.new.paid()? - self.old.paid()?)
    }
}

/// Why a payment line pays another amount for a set of declarations.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cause {
    /// The line exists only in the new rulebook (a rule added, or a rule that now pays).
    OnlyNew,
    /// The line exists only in the old rulebook.
    OnlyOld,
    /// Paid on both sides, another amount; `changes` are the rule changes of its amounts.
    Amount {
        old: Decimal,
        new: Decimal,
        changes: Vec<usize>,
    },
    /// Paid on one side only: `target` (the owner, or the gate that did not pass) is met on
    /// one side and not on the other, because of the `leaves` below it that changed.
    Status {
        target: String,
        old: Option<Status>,
        new: Option<Status>,
        /// The indicators (or members) under `target` whose status changed and matters.
        leaves: Vec<Leaf>,
        /// Gating changes of the line's owner or of a group around it.
        changes: Vec<usize>,
    },
}

/// A rule whose status differs between the two rulebooks, with the changes that explain it
/// (indices in the changelog). `None` is a rule that is not there (or not in the group).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Leaf {
    pub rule: String,
    pub old: Option<Status>,
    pub new: Option<Status>,
    pub changes: Vec<usize>,
}

/// The declarations one cause moved on one line.
#[derive(Clone, Debug)]
pub struct CauseImpact {
    pub cause: Cause,
    pub difference: Decimal,
    pub declarations: usize,
    /// The first few ids, for a reviewer to look at.
    pub examples: Vec<String>,
}

/// One payment line (matched by its owner's name) over every declaration both rulebooks
/// evaluated.
#[derive(Clone, Debug)]
pub struct LineImpact {
    /// The owner's name in the new rulebook, or in the old one when it is gone.
    pub line: String,
    pub old_name: Option<String>,
    pub new_name: Option<String>,
    pub difference: Decimal,
    /// Declarations whose amount on this line changed.
    pub declarations: usize,
    /// Biggest first.
    pub causes: Vec<CauseImpact>,
}

#[derive(Clone, Debug)]
pub struct Impact {
    pub files: Vec<String>,
    /// Every record read, in file order.
    pub declarations: Vec<DeclarationImpact>,
    /// Lines that moved, biggest first.
    pub lines: Vec<LineImpact>,
    /// Each threshold that moved, with the declarations between its two values (none: the
    /// batch does not measure it), in changelog order.
    pub thresholds: Vec<ThresholdImpact>,
}

/// Counts and totals over some declarations.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub declarations: usize,
    pub gain: usize,
    pub gain_euros: Decimal,
    pub lose: usize,
    /// Negative (or zero).
    pub lose_euros: Decimal,
    pub unchanged: usize,
    pub rejected_old_only: usize,
    pub rejected_new_only: usize,
    pub rejected_both: usize,
    /// Of the rejected, those a rulebook refused because it does not cover their profession.
    pub not_covered: usize,
    /// Paid by each side to the declarations both evaluated.
    pub old_total: Decimal,
    pub new_total: Decimal,
    /// Paid by one side to declarations the other rejected.
    pub old_only_total: Decimal,
    pub new_only_total: Decimal,
}

impl Summary {
    pub fn rejected(&self) -> usize {
        self.rejected_old_only + self.rejected_new_only + self.rejected_both
    }

    pub fn difference(&self) -> Decimal {
        self.new_total - self.old_total
    }

    fn add(&mut self, d: &DeclarationImpact) {
        self.declarations += 1;
        if d.old == SideResult::NotCovered || d.new == SideResult::NotCovered {
            self.not_covered += 1;
        }
        match (d.old.paid(), d.new.paid()) {
            (Some(o), Some(n)) => {
                self.old_total += o;
                self.new_total += n;
                if n > o {
                    self.gain += 1;
                    self.gain_euros += n - o;
                } else if n < o {
                    self.lose += 1;
                    self.lose_euros += n - o;
                } else {
                    self.unchanged += 1;
                }
            }
            (Some(o), None) => {
                self.rejected_new_only += 1;
                self.old_only_total += o;
            }
            (None, Some(n)) => {
                self.rejected_old_only += 1;
                self.new_only_total += n;
            }
            (None, None) => self.rejected_both += 1,
        }
    }
}

impl Impact {
    pub fn summary(&self) -> Summary {
        let mut s = Summary::default();
        self.declarations.iter().for_each(|d| s.add(d));
        s
    }

    /// The summary per profession, in the order professions first appear (`None`: a
    /// declaration neither rulebook could read a profession from).
    pub fn professions(&self) -> Vec<(Option<String>, Summary)> {
        let mut out: Vec<(Option<String>, Summary)> = Vec::new();
        for d in &self.declarations {
            match out.iter_mut().find(|(p, _)| *p == d.profession) {
                Some((_, s)) => s.add(d),
                None => {
                    let mut s = Summary::default();
                    s.add(d);
                    out.push((d.profession.clone(), s));
                }
            }
        }
        out
    }

    /// The `n` biggest gains, biggest first (ties in file order).
    pub fn biggest_gains(&self, n: usize) -> Vec<&DeclarationImpact> {
        self.biggest(n, true)
    }

    /// The `n` biggest losses, biggest first (ties in file order).
    pub fn biggest_losses(&self, n: usize) -> Vec<&DeclarationImpact> {
        self.biggest(n, false)
    }

    fn biggest(&self, n: usize, gains: bool) -> Vec<&DeclarationImpact> {
        let mut moved: Vec<(&DeclarationImpact, Decimal)> = self
            .declarations
            .iter()
            .filter_map(|d| d.difference().map(|x| (d, x)))
            .filter(|(_, x)| {
                if gains {
                    *x > Decimal::ZERO
                } else {
                    *x < Decimal::ZERO
                }
            })
            .collect();
        moved.sort_by(|a, b| if gains { b.1.cmp(&a.1) } else { a.1.cmp(&b.1) });
        moved.into_iter().take(n).map(|(d, _)| d).collect()
    }

    /// Declarations one side (or both) did not evaluate.
    pub fn rejected(&self) -> Vec<&DeclarationImpact> {
        self.declarations
            .iter()
            .filter(|d| d.old.paid().is_none() || d.new.paid().is_none())
            .collect()
    }
}

/// A payment line present in either rulebook, by owner.
pub(super) struct Line {
    pub(super) old: Option<(usize, Target)>,
    pub(super) new: Option<(usize, Target)>,
}

/// Runs both rulebooks over the same declarations (read leniently: a field one rulebook
/// does not know is skipped, so that one file serves two years) and attributes every
/// difference to the payment lines that moved and the rule changes that moved them.
/// `changes` is what [`changes`](super::changes) returned for the same two rulebooks.
pub fn impact(
    old: &CompiledRulebook,
    new: &CompiledRulebook,
    changes: &[Change],
    files: &[ImpactFile<'_>],
) -> Impact {
    impact_for(old, new, changes, files, None)
}

/// [`impact`] on the declarations of `profession` only, when it is given (the others are
/// left out, as if the files held none of them).
pub(super) fn impact_for(
    old: &CompiledRulebook,
    new: &CompiledRulebook,
    changes: &[Change],
    files: &[ImpactFile<'_>],
    profession: Option<&str>,
) -> Impact {
    let cx = Ctx::new(old, new);
    let lines = cx.lines();
    let mut impacts: Vec<LineImpact> = lines
        .iter()
        .map(|l| {
            let old_name = l.old.map(|(_, t)| old.target_name(t).to_string());
            let new_name = l.new.map(|(_, t)| new.target_name(t).to_string());
            LineImpact {
                line: new_name
                    .clone()
                    .or_else(|| old_name.clone())
                    .unwrap_or_default(),
                old_name,
                new_name,
                difference: Decimal::ZERO,
                declarations: 0,
                causes: Vec::new(),
            }
        })
        .collect();
    let mut declarations = Vec::new();
    let mut probes = Probes::new(old, new, changes);
    for file in files {
        let old_records = matrix::read_leniently(old, file.name, file.text);
        let new_records = matrix::read_leniently(new, file.name, file.text);
        let count = old_records.len().max(new_records.len());
        let mut old_records = old_records.into_iter();
        let mut new_records = new_records.into_iter();
        for n in 0..count {
            let (old_record, new_record) = (old_records.next(), new_records.next());
            let between = probes.between(old_record.as_ref(), new_record.as_ref());
            let a = run(old, old_record);
            let b = run(new, new_record);
            let theirs = b.profession.as_deref().or(a.profession.as_deref());
            if profession.is_some_and(|p| theirs != Some(p)) {
                continue;
            }
            probes.count(&between);
            if let (Some(x), Some(y)) = (&a.outcome, &b.outcome) {
                cx.attribute(&lines, &mut impacts, x, y, changes);
            }
            declarations.push(DeclarationImpact {
                file: file.name.to_string(),
                id: b.id.or(a.id).unwrap_or_else(|| format!("#{}", n + 1)),
                profession: b.profession.or(a.profession),
                old: side(a.cell),
                new: side(b.cell),
            });
        }
    }
    let mut impacts: Vec<LineImpact> = impacts.into_iter().filter(|l| l.declarations > 0).collect();
    for l in &mut impacts {
        l.causes.sort_by(|a, b| {
            b.difference
                .abs()
                .cmp(&a.difference.abs())
                .then(b.declarations.cmp(&a.declarations))
        });
    }
    let gross = |l: &LineImpact| -> Decimal { l.causes.iter().map(|c| c.difference.abs()).sum() };
    impacts.sort_by(|a, b| {
        gross(b)
            .cmp(&gross(a))
            .then(b.declarations.cmp(&a.declarations))
            .then(a.line.cmp(&b.line))
    });
    Impact {
        files: files.iter().map(|f| f.name.to_string()).collect(),
        declarations,
        lines: impacts,
        thresholds: probes.finish(),
    }
}

/// One rulebook's reading and evaluation of one record (`None`: the file has fewer records
/// for this rulebook than for the other).
fn run(rb: &CompiledRulebook, record: Option<Record>) -> Evaluated {
    match record {
        Some(record) => matrix::evaluate_record(rb, record),
        None => Evaluated {
            id: None,
            profession: None,
            cell: Cell::Rejected {
                reason: "enregistrement non lu".into(),
            },
            outcome: None,
        },
    }
}

fn side(cell: Cell) -> SideResult {
    match cell {
        Cell::Paid { euros } => SideResult::Paid(euros),
        Cell::NotCovered => SideResult::NotCovered,
        Cell::Rejected { reason } => SideResult::Rejected(reason),
    }
}
