//! `forfait doc`: a rulebook as a documentation page, in French, for policy staff and
//! professionals. [`build`] turns a compiled rulebook into a [`Document`] (everything
//! worded, nothing laid out); [`html`] and [`markdown`] lay it out. No I/O here.
//!
//! The page follows the guide's own table: the prerequisites (`all-of` groups that other
//! rules require), the complementary indicators (paid only when their prerequisite is
//! met), the independent ones, and each `each-of` group (forfait structure's volet 2) as a
//! section of its own; then the declaration's inputs, the named lists and the totals.
//!
//! Given the rulebook's example declarations, evaluated ([`Example`]), each indicator's card
//! shows one worked example ([`WorkedExample`]): the values of an example that decided its
//! condition, and its status.

mod annexes;
pub mod html;
pub mod markdown;
mod sections;

use crate::eval::{Outcome, Status};
use crate::french::labels::{self as words, Phrase};
use crate::french::{self, GuideSection};
use crate::model::{AmountVariantDef, CompiledRulebook, Target, PROFESSION};
use crate::profession::ForProfession;
use crate::value::Value;

/// One of the example declarations kept beside a rulebook (`X.examples/NAME.json`),
/// evaluated with its trace: what a page's worked examples are taken from.
#[derive(Clone, Debug)]
pub struct Example {
    /// The file's name (`teletransmission-700-sur-1000.json`).
    pub file: String,
    pub outcome: Outcome,
}

/// An indicator's condition, worked on one example.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkedExample {
    /// `700 actes FSE sur 1 000 = 70,0 % ≥ 70 % → atteint`
    pub text: String,
    /// The example's file name.
    pub file: String,
}

/// A rulebook, worded for its readers.
#[derive(Clone, Debug)]
pub struct Document {
    pub title: String,
    /// The rulebook's name (`fami_2024_chirurgiens_dentistes`).
    pub name: String,
    pub scheme: String,
    pub exercice: u16,
    pub paid_in: u16,
    pub guide: String,
    /// The professions' labels (or names).
    pub professions: Vec<String>,
    /// `7 €`, for schemes that count points.
    pub point_value: Option<String>,
    /// `--profession`: the page shows only what concerns it (its label, its name).
    pub only: Option<(String, String)>,
    pub content_hash: String,
    pub sections: Vec<Section>,
    pub inputs: Vec<InputDoc>,
    pub lists: Vec<ListDoc>,
    pub totals: Vec<TotalDoc>,
    /// Payments that no stated total counts, with why (`payé par unité, sans maximum`).
    pub uncounted: Vec<String>,
}

/// The value of one fact in the page's header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fact {
    Text(String),
    /// A name from the rulebook, shown as code.
    Name(String),
    /// The content hash, shown as code.
    Hash(String),
}

impl Document {
    /// The header's facts, in order, with their French terms (the rulebook's name and
    /// content hash are the technical footer's, [`crate::french::pages::technical`]).
    pub fn facts(&self) -> Vec<(&'static str, Fact)> {
        let mut facts = vec![
            (french::SCHEME, Fact::Text(self.scheme.clone())),
            (french::EXERCICE, Fact::Text(self.exercice.to_string())),
            (french::PAID_IN, Fact::Text(self.paid_in.to_string())),
            (french::GUIDE, Fact::Text(self.guide.clone())),
            (
                french::professions(self.professions.len()),
                Fact::Text(self.professions.join(", ")),
            ),
        ];
        if let Some(point) = &self.point_value {
            facts.push((french::POINT_VALUE, Fact::Text(french::per_point(point))));
        }
        // The rulebook's name and digest are in the technical footer: a professional reads
        // the guide's facts first.
        facts
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SectionKind {
    /// An `all-of` group that other rules require (socle, volet 1), or the indicators
    /// required one by one.
    Prerequisite,
    /// Indicators paid only when their prerequisite is met.
    Complementary,
    /// Indicators paid whatever the others.
    Independent,
    /// An `each-of` group: each member measured and paid by itself.
    EachOf,
    /// An `all-of` group that nothing requires.
    Group,
    /// Indicators that pay nothing and gate nothing.
    Other,
}

/// A part of the guide's table.
#[derive(Clone, Debug)]
pub struct Section {
    /// For links: `socle`, `complementaires`.
    pub id: String,
    pub kind: SectionKind,
    /// The group's label, or `Indicateurs indépendants`.
    pub title: String,
    /// The group's name, for a group's section.
    pub group: Option<String>,
    /// `§1`
    pub guide_section: Option<GuideSection>,
    /// How the section pays, in sentences.
    pub rule: Vec<String>,
    /// The same, in a few words for the table: `tous requis`, `si « Volet 1 » est atteint`.
    pub summary: String,
    pub quotes: Vec<String>,
    pub rows: Vec<Row>,
}

/// One indicator, or a group inside a section.
#[derive(Clone, Debug)]
pub struct Row {
    /// `ind-teletransmission`, `grp-socle`
    pub id: String,
    pub name: String,
    pub label: String,
    /// Nesting inside the section: 0 for its own members.
    pub depth: usize,
    pub is_group: bool,
    /// `§1.4`
    pub guide_section: Option<GuideSection>,
    /// `Automatisé`, ...; `None` for a group.
    pub source: Option<&'static str>,
    pub amount: Amount,
    pub evidence: Option<String>,
    /// When an indicator is met; for a group, what it asks of its members.
    pub met: Phrase,
    /// `uniquement pour : infirmiers, orthophonistes, orthoptistes`
    pub applies: Option<String>,
    pub neutralisations: Vec<Neutralisation>,
    /// For a rule with its own amount: `versé seulement si « Indicateurs obligatoires
    /// (pré-requis) » (§1) est atteint`, `versé dès qu'il est atteint, ...`.
    pub payment: Option<String>,
    pub quotes: Vec<String>,
    /// One of the rulebook's examples worked through the indicator's condition; `None` for a
    /// group, or when no example evaluates it.
    pub example: Option<WorkedExample>,
}

#[derive(Clone, Debug)]
pub struct Neutralisation {
    /// For the table: `neutralisé pour : sages-femmes`, `neutralisé pour tous`.
    pub short: String,
    /// With the guide's words: `pour : sages-femmes — « Pour les sages-femmes cet
    /// indicateur est optionnel ... »`.
    pub full: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Amount {
    /// Its own `pays`: the table's cell (`1 120 €, 400 € ou 100 € selon le profil`), and
    /// each variant in full (`1 120 € pour : infirmiers, si ...`, ..., `sinon 100 €`).
    Own {
        cell: String,
        variants: Vec<String>,
    },
    /// Paid through the group around it, which pays `amount` when met.
    InGroup {
        group: String,
        amount: String,
    },
    None,
}

#[derive(Clone, Debug)]
pub struct InputDoc {
    pub name: String,
    pub label: String,
    /// `oui / non`, `nombre entier (actes FSE)`, `une valeur parmi 45`.
    pub ty: String,
    /// For a `one of`: each value's name and label.
    pub values: Vec<(String, String)>,
    pub source: &'static str,
    /// What a missing value means.
    pub missing: String,
    /// The indicators whose rules read it.
    pub read_by: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct ListDoc {
    pub name: String,
    pub label: String,
    pub guide_section: Option<GuideSection>,
    /// The label of the `one of` input it holds values of.
    pub input: String,
    pub members: Vec<(String, String)>,
    pub used_by: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct TotalDoc {
    pub label: String,
    pub guide_section: Option<GuideSection>,
    /// `1 240 €`, `835 points (5 845 €)`: the guide's figure, which `forfait check` found
    /// equal to the most the rules can pay.
    pub amount: String,
    /// What it totals: `tous les versements`, or the labels of its rules.
    pub scope: String,
    /// The profile it is stated for (`for`), in words.
    pub profile: Option<String>,
}

/// Builds the document of a rulebook that checked clean.
pub fn build(rulebook: &CompiledRulebook) -> Document {
    build_for(rulebook, None)
}

/// [`build_for`], with a worked example per indicator taken from `examples` (the rulebook's
/// example declarations, evaluated with trace; the command line reads them from
/// `X.examples/`).
pub fn build_with(
    rulebook: &CompiledRulebook,
    only: Option<&ForProfession<'_>>,
    examples: &[Example],
) -> Document {
    document(Page {
        rulebook,
        only,
        examples,
    })
}

/// The document of what concerns one profession only (see [`crate::profession`]): the
/// rules that can apply to it, the neutralisations and amounts that can hold for it, the
/// inputs and lists its rules read, the totals stated for it. `None`: the whole rulebook.
pub fn build_for(rulebook: &CompiledRulebook, only: Option<&ForProfession<'_>>) -> Document {
    build_with(rulebook, only, &[])
}

fn document(page: Page<'_>) -> Document {
    let (rulebook, only) = (page.rulebook, page.only);
    let meta = &rulebook.meta;
    let professions = match &rulebook.inputs[PROFESSION].ty {
        crate::model::InputType::Choice(choices) => choices
            .iter()
            .filter(|c| only.is_none_or(|o| o.name() == c.name))
            .map(|c| c.label.clone().unwrap_or_else(|| c.name.clone()))
            .collect(),
        _ => Vec::new(),
    };
    Document {
        title: meta.title.clone(),
        name: meta.name.clone(),
        scheme: meta.scheme.clone(),
        exercice: meta.exercice,
        paid_in: meta.paid_in,
        guide: meta.guide.clone(),
        professions,
        point_value: meta.point_value.map(french::money),
        only: only.map(|o| {
            (
                o.label().unwrap_or(o.name()).to_string(),
                o.name().to_string(),
            )
        }),
        content_hash: meta.content_hash.clone(),
        sections: sections::sections(&page),
        inputs: annexes::inputs(&page),
        lists: annexes::lists(&page),
        totals: annexes::totals(&page),
        uncounted: annexes::uncounted(&page),
    }
}

/// The rulebook a page is about, and the profession it is limited to, if any.
#[derive(Clone, Copy)]
pub(crate) struct Page<'a> {
    pub(crate) rulebook: &'a CompiledRulebook,
    pub(crate) only: Option<&'a ForProfession<'a>>,
    /// The rulebook's examples, evaluated: the worked examples are taken from them.
    pub(crate) examples: &'a [Example],
}

impl Page<'_> {
    /// The rule belongs on the page.
    pub(crate) fn shows(&self, target: Target) -> bool {
        self.only.is_none_or(|o| o.concerns(target))
    }

    /// The worked example of indicator `i`: from an example that evaluated its condition
    /// (and, on one profession's page, declares that profession); one where it is met
    /// rather than not; then one whose file is named after the indicator
    /// (`teletransmission-700-sur-1000.json`), then the maximum example
    /// ([`crate::testing::is_maximum`]), then any other; then the first file by name.
    pub(crate) fn worked_example(&self, i: usize) -> Option<WorkedExample> {
        let rulebook = self.rulebook;
        let ind = &rulebook.indicators[i];
        let named = ind.head.name.replace('_', "-");
        let mut candidates: Vec<(u8, &Example, &crate::eval::ConditionTrace, Status)> = self
            .examples
            .iter()
            .filter(|e| self.declares_profession(&e.outcome))
            .filter_map(|e| {
                let result = e.outcome.indicators.get(i)?;
                let trace = result.met.as_ref()?;
                let rank = match result.status {
                    Status::Met => 0,
                    Status::NotMet => 3,
                    Status::Neutralised | Status::NotApplicable => return None,
                };
                let stem = e.file.strip_suffix(".json").unwrap_or(&e.file);
                let rank = rank
                    + if stem.contains(&named) {
                        0
                    } else if crate::testing::is_maximum(stem) {
                        1
                    } else {
                        2
                    };
                Some((rank, e, trace, result.status))
            })
            .collect();
        candidates.sort_by(|a, b| (a.0, &a.1.file).cmp(&(b.0, &b.1.file)));
        let (_, example, trace, status) = candidates.into_iter().next()?;
        Some(WorkedExample {
            text: french::explanation::worked_example(
                rulebook,
                &ind.met.expr,
                trace,
                &example.outcome.values,
                status,
            ),
            file: example.file.clone(),
        })
    }

    /// The outcome is of the page's profession, when the page is limited to one.
    fn declares_profession(&self, outcome: &Outcome) -> bool {
        let Some(only) = self.only else {
            return true;
        };
        match outcome.values.get(PROFESSION) {
            Some(Value::Choice(c)) => self.rulebook.choice_name(PROFESSION, *c) == only.name(),
            _ => false,
        }
    }

    /// The amounts of a payment line the page shows.
    pub(crate) fn variants(&self, p: usize) -> Vec<AmountVariantDef> {
        let payment = &self.rulebook.payments[p];
        match self.only {
            Some(o) => o.variants(payment),
            None => payment.variants.clone(),
        }
    }
}

/// `« Indicateurs obligatoires (pré-requis) » (§1)`; a section that is not numbered is
/// quoted, or left out when it only repeats the label.
pub(crate) fn cite(rulebook: &CompiledRulebook, target: Target) -> String {
    cite_label(rulebook, target, &rulebook.rule(target).label)
}

/// [`cite`] inside a sentence: the label loses its capital (`versé seulement si
/// « indicateurs obligatoires (pré-requis) » (§1) est atteint`).
pub(crate) fn cite_in_sentence(rulebook: &CompiledRulebook, target: Target) -> String {
    let label = french::pages::mid_sentence(&rulebook.rule(target).label);
    cite_label(rulebook, target, &label)
}

fn cite_label(rulebook: &CompiledRulebook, target: Target, label: &str) -> String {
    match rulebook.section(target).map(GuideSection::of) {
        Some(GuideSection::Numbered(s)) => format!("« {label} » ({s})"),
        Some(GuideSection::Part(s)) if s != label => {
            format!("« {label} » (partie « {s} » du guide)")
        }
        _ => format!("« {label} »"),
    }
}

/// `versé seulement si « A » (§1) est atteint`, `... si « A » et « B » sont atteints`.
pub(crate) fn gate_words(rulebook: &CompiledRulebook, gates: &[Target]) -> String {
    let cited: Vec<String> = gates
        .iter()
        .map(|g| cite_in_sentence(rulebook, *g))
        .collect();
    format!("versé seulement {}", french::if_met(&cited))
}

/// The wording of a payment line's amounts (those the page shows, [`Page::variants`]): the
/// table's cell, and each variant in full.
pub(crate) fn variants_words(
    rulebook: &CompiledRulebook,
    variants: &[AmountVariantDef],
) -> (String, Vec<String>) {
    let amounts: Vec<String> = variants
        .iter()
        .map(|v| words::variant_amount(rulebook, v))
        .collect();
    match amounts.as_slice() {
        [] => return (crate::french::pages::NO_AMOUNT.to_string(), amounts),
        [one] => return (one.clone(), amounts),
        _ => {}
    }
    let cell = format!("{} selon le profil", french::or_list(&amounts));
    let full = variants
        .iter()
        .zip(&amounts)
        .map(|(v, a)| match &v.when {
            Some(c) => format!(
                "{a} {}",
                words::whom(
                    rulebook,
                    &c.expr,
                    ["pour", "pour toutes les professions sauf", "si"]
                )
            ),
            None => format!("sinon {a}"),
        })
        .collect();
    (cell, full)
}

/// Names written one way (`each`) and joined by commas, or `empty` when there is none:
/// the "lue par" and "utilisée par" cells of both page formats.
pub(crate) fn names_or(names: &[String], empty: &str, each: impl Fn(&str) -> String) -> String {
    if names.is_empty() {
        empty.to_string()
    } else {
        names.iter().map(|n| each(n)).collect::<Vec<_>>().join(", ")
    }
}
