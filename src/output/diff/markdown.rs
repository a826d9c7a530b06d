//! The Markdown changelog: a title, the impact in short (when declarations were given),
//! the changes by part, then the impact's details in tables.

use rust_decimal::Decimal;

use super::words::{cause_text, declarations, sentence, summary_line};
use super::{Compared, Sides, TOP};
use crate::diff::{
    CauseImpact, Change, DeclarationImpact, Diff, Impact, Kind, LineImpact, Part,
    SideResult as Side, Summary,
};
use crate::french;
use crate::french::signed_euros;
use crate::model::CompiledRulebook;

fn title(part: Part) -> &'static str {
    match part {
        Part::Header => "En-tête",
        Part::Professions => "Professions",
        Part::IndicatorsAdded => "Indicateurs ajoutés",
        Part::IndicatorsRemoved => "Indicateurs retirés",
        Part::IndicatorsModified => "Indicateurs modifiés",
        Part::Groups => "Groupes",
        Part::Payments => "Paiements",
        Part::StatedTotals => "Totaux annoncés",
        Part::Inputs => "Données de la déclaration",
        Part::Lists => "Listes",
    }
}

/// The notes shown under a change's line (the others are in the line itself).
fn sub_lines(change: &Change) -> &[String] {
    match change.kind {
        Kind::IndicatorAdded
        | Kind::IndicatorRemoved
        | Kind::GroupAdded
        | Kind::GroupRemoved
        | Kind::InputAdded
        | Kind::InputRemoved => &change.notes,
        _ => &[],
    }
}

fn result_text(r: &Side) -> String {
    match r {
        Side::Paid(d) => french::euros(*d),
        Side::NotCovered => "profession non couverte".into(),
        Side::Rejected(reason) => format!("rejetée ({reason})"),
    }
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

fn meta_line(rb: &CompiledRulebook, source: &str) -> String {
    format!(
        "`{source}` : {} (`{}`, exercice {}, {})",
        rb.meta.title,
        rb.meta.name,
        rb.meta.exercice,
        crate::output::text::short_hash(&rb.meta.content_hash)
    )
}

/// The Markdown changelog: a title, the impact in short (when declarations were given),
/// the changes by part, then the impact's details.
pub fn markdown(c: &Compared<'_>, diff: &Diff) -> String {
    let sides = Sides::of(c);
    let mut out = format!(
        "## forfait diff : {} (exercice {}) → {} (exercice {})\n\n",
        c.old.meta.name, c.old.meta.exercice, c.new.meta.name, c.new.meta.exercice
    );
    if let Some(impact) = &diff.impact {
        out.push_str(&impact_head(c, impact, &diff.changes));
    }
    if diff.is_empty() {
        out.push_str("Aucune différence de règles.\n\n");
    } else {
        for part in Part::ALL {
            let mine: Vec<&Change> = diff.changes.iter().filter(|ch| ch.part == part).collect();
            if mine.is_empty() {
                continue;
            }
            out.push_str(&format!("### {}\n\n", title(part)));
            for ch in mine {
                out.push_str(&format!("- {}\n", sentence(ch)));
                for note in sub_lines(ch) {
                    out.push_str(&format!("  - {note}\n"));
                }
            }
            out.push('\n');
        }
    }
    if let Some(impact) = &diff.impact {
        out.push_str(&impact_details(impact, &sides));
    }
    out.push_str(&format!(
        "Ancien : {}  \nNouveau : {}\n",
        meta_line(c.old, c.old_source),
        meta_line(c.new, c.new_source)
    ));
    out
}

/// The impact in short, at the top: the summary, the totals, and each line that moved with
/// the rule changes that moved it.
fn impact_head(c: &Compared<'_>, impact: &Impact, changes: &[Change]) -> String {
    let sides = Sides::of(c);
    let s = impact.summary();
    let mut out = format!(
        "**Impact sur {} ({}) : {}.**\n\n",
        declarations(s.declarations),
        impact.files.join(", "),
        summary_line(&s, c)
    );
    let tagged = |amount: Decimal, year: Option<u16>| match year {
        Some(y) => format!("{} en {y}", french::euros(amount)),
        None => french::euros(amount),
    };
    out.push_str(&format!(
        "Total versé aux déclarations évaluées des deux côtés : {} → {} ({}).",
        tagged(s.old_total, sides.years.map(|y| y.0)),
        tagged(s.new_total, sides.years.map(|y| y.1)),
        signed_euros(s.difference())
    ));
    for (paid, by, rejected_by) in [
        (s.old_only_total, sides.by_old(), sides.by_new()),
        (s.new_only_total, sides.by_new(), sides.by_old()),
    ] {
        if paid > Decimal::ZERO {
            out.push_str(&format!(
                " Hors comparaison : {} versés {by} à des déclarations rejetées {rejected_by}.",
                french::euros(paid)
            ));
        }
    }
    out.push_str("\n\n");
    if impact.lines.is_empty() {
        out.push_str("Aucun montant ne change.\n\n");
        return out;
    }
    out.push_str("Ce qui a changé les montants, ligne de paiement par ligne de paiement :\n\n");
    for line in &impact.lines {
        out.push_str(&line_bullets(line, changes, c));
    }
    out.push('\n');
    out
}

/// One line that moved: what it gained and lost, and why (one sub-bullet per cause when
/// there are several).
fn line_bullets(line: &LineImpact, changes: &[Change], c: &Compared<'_>) -> String {
    let total = |keep: fn(&Decimal) -> bool| -> Decimal {
        line.causes.iter().map(|c| c.difference).filter(keep).sum()
    };
    let (gained, lost) = (total(|d| *d > Decimal::ZERO), total(|d| *d < Decimal::ZERO));
    let moved = if gained > Decimal::ZERO && lost < Decimal::ZERO {
        format!(
            "{} et {} (net {})",
            signed_euros(gained),
            signed_euros(lost),
            signed_euros(line.difference)
        )
    } else {
        signed_euros(line.difference)
    };
    let head = format!(
        "{} : {moved} pour {}",
        line.line,
        declarations(line.declarations)
    );
    let why = |cause: &CauseImpact| {
        format!(
            "{}{}",
            cause_text(line, &cause.cause, changes, c),
            examples(cause)
        )
    };
    match line.causes.as_slice() {
        [one] => {
            let text = cause_text(line, &one.cause, changes, c);
            format!("- {head} ({text}){}\n", examples(one))
        }
        causes => {
            let mut out = format!("- {head}\n");
            for cause in causes {
                out.push_str(&format!(
                    "  - {} pour {} : {}\n",
                    signed_euros(cause.difference),
                    declarations(cause.declarations),
                    why(cause)
                ));
            }
            out
        }
    }
}

fn examples(cause: &CauseImpact) -> String {
    let more = if cause.declarations > cause.examples.len() {
        ", …"
    } else {
        ""
    };
    format!(" — {}{more}", cause.examples.join(", "))
}

/// A Markdown table row.
fn row<S: AsRef<str>>(cells: &[S]) -> String {
    let cells: Vec<&str> = cells.iter().map(AsRef::as_ref).collect();
    format!("| {} |\n", cells.join(" | "))
}

/// A Markdown table's heading and alignment rows; the columns from `numbers_from` on
/// are aligned right.
fn table(headings: &[&str], numbers_from: usize) -> String {
    let aligns: Vec<&str> = (0..headings.len())
        .map(|k| if k < numbers_from { "---" } else { "---:" })
        .collect();
    row(headings) + &row(&aligns)
}

fn impact_details(impact: &Impact, sides: &Sides) -> String {
    let mut out = String::from("### Impact sur les déclarations\n\n");
    let professions = impact.professions();
    let (old_total, new_total) = (
        format!("Total {}", sides.old),
        format!("Total {}", sides.new),
    );
    out.push_str(&table(
        &[
            "Profession",
            "Déclarations",
            "Gagnent",
            "Perdent",
            "Inchangées",
            "Rejetées",
            &old_total,
            &new_total,
            "Écart",
        ],
        1,
    ));
    let summary_row = |name: &str, s: &Summary| {
        row(&[
            cell(name),
            s.declarations.to_string(),
            s.gain.to_string(),
            s.lose.to_string(),
            s.unchanged.to_string(),
            s.rejected().to_string(),
            french::euros(s.old_total),
            french::euros(s.new_total),
            signed_euros(s.difference()),
        ])
    };
    for (profession, s) in &professions {
        out.push_str(&summary_row(
            profession.as_deref().unwrap_or("(inconnue)"),
            s,
        ));
    }
    if professions.len() > 1 {
        out.push_str(&summary_row("**Total**", &impact.summary()));
    }
    out.push('\n');
    for (heading, list) in [
        ("Plus fortes hausses", impact.biggest_gains(TOP)),
        ("Plus fortes baisses", impact.biggest_losses(TOP)),
    ] {
        out.push_str(&format!("#### {heading}\n\n"));
        if list.is_empty() {
            out.push_str("Aucune.\n\n");
            continue;
        }
        out.push_str(&table(&["Déclaration", &sides.old, &sides.new, "Écart"], 1));
        for d in list {
            out.push_str(&row(&[
                cell(&d.id),
                result_text(&d.old),
                result_text(&d.new),
                signed_euros(d.difference().unwrap_or_default()),
            ]));
        }
        out.push('\n');
    }
    out.push_str(&rejected(impact.rejected(), sides));
    out
}

/// The declarations one side (or both) rejected, with the reasons.
fn rejected(rejected: Vec<&DeclarationImpact>, sides: &Sides) -> String {
    if rejected.is_empty() {
        return String::new();
    }
    let mut out = String::from("#### Rejetées\n\n");
    out.push_str(&table(&["Déclaration", &sides.old, &sides.new], 3));
    for d in rejected {
        out.push_str(&row(&[
            cell(&d.id),
            cell(&result_text(&d.old)),
            cell(&result_text(&d.new)),
        ]));
    }
    out.push('\n');
    out
}
