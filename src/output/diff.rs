//! `forfait diff` as a plain-French changelog in Markdown, ready to paste into a pull
//! request (the impact first, then the rule changes, then the impact's details), or JSON.

use rust_decimal::Decimal;
use serde_json::{json, Value as Json};

use super::french;
use crate::diff::{
    Cause, CauseImpact, Change, DeclarationImpact, Diff, Impact, Kind, Leaf, LineImpact, Part,
    SideResult as Side, Summary,
};
use crate::eval::Status;
use crate::model::CompiledRulebook;

/// The two rulebooks compared, and how the user named them (a path, or `REV:PATH`).
#[derive(Clone, Copy, Debug)]
pub struct Compared<'a> {
    pub old: &'a CompiledRulebook,
    pub new: &'a CompiledRulebook,
    pub old_source: &'a str,
    pub new_source: &'a str,
}

/// How many declarations the lists of biggest gains and losses show.
pub const TOP: usize = 10;

/// How the text names each side: by exercice (`en 2024`), or, for two versions of one
/// exercice, `auparavant` / `désormais`.
struct Sides {
    /// Column headings: `2023` / `2024`, or `avant` / `après`.
    old: String,
    new: String,
    /// `None` for two versions of one exercice.
    years: Option<(u16, u16)>,
}

impl Sides {
    fn of(c: &Compared<'_>) -> Sides {
        let (a, b) = (c.old.meta.exercice, c.new.meta.exercice);
        if a == b {
            Sides {
                old: "avant".into(),
                new: "après".into(),
                years: None,
            }
        } else {
            Sides {
                old: a.to_string(),
                new: b.to_string(),
                years: Some((a, b)),
            }
        }
    }

    /// `non atteint en 2024`, `désormais non atteint`.
    fn now(&self, what: &str) -> String {
        match self.years {
            Some((_, b)) => format!("{what} en {b}"),
            None => format!("désormais {what}"),
        }
    }

    /// `atteint en 2023`, `auparavant atteint`.
    fn before(&self, what: &str) -> String {
        match self.years {
            Some((a, _)) => format!("{what} en {a}"),
            None => format!("auparavant {what}"),
        }
    }

    /// `ajouté en 2024`, `ajouté`: an event of the new side.
    fn event(&self, what: &str) -> String {
        match self.years {
            Some((_, b)) => format!("{what} en {b}"),
            None => what.to_string(),
        }
    }

    /// `par 2024`, `par la nouvelle version`.
    fn by_new(&self) -> String {
        match self.years {
            Some((_, b)) => format!("par {b}"),
            None => "par la nouvelle version".into(),
        }
    }

    fn by_old(&self) -> String {
        match self.years {
            Some((a, _)) => format!("par {a}"),
            None => "par l'ancienne version".into(),
        }
    }
}

/// `+650,00 €`, `−100,00 €` (a true minus sign), `0,00 €`.
pub fn signed_euros(amount: Decimal) -> String {
    if amount > Decimal::ZERO {
        format!("+{}", french::euros(amount))
    } else if amount < Decimal::ZERO {
        format!("−{}", french::euros(-amount))
    } else {
        french::euros(amount)
    }
}

/// Money in JSON: a string with two decimals, as in the evaluation contract.
fn money(amount: Decimal) -> String {
    let mut a = amount;
    a.rescale(2);
    a.to_string()
}

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

/// One change as one line of French: `Seuil de « teletransmission » : 70 % → 2/3`.
pub fn sentence(change: &Change) -> String {
    let rule = change.rule.as_deref().unwrap_or("");
    let old = change.old.as_deref().unwrap_or("");
    let new = change.new.as_deref().unwrap_or("");
    let notes = change.notes.join(", ");
    let from_to = format!("{old} → {new}");
    match change.kind {
        Kind::RulebookRenamed => format!("Nom : {from_to}"),
        Kind::TitleChanged => format!("Titre : « {old} » → « {new} »"),
        Kind::SchemeChanged => format!("Dispositif : {from_to}"),
        Kind::ExerciceChanged => format!("Exercice : {from_to}"),
        Kind::PaidInChanged => format!("Année de paiement : {from_to}"),
        Kind::GuideChanged => format!("Guide : « {old} » → « {new} »"),
        Kind::ProfessionAdded => format!("Profession ajoutée : {new}"),
        Kind::ProfessionRemoved => format!("Profession retirée : {old}"),
        Kind::ProfessionLabelChanged => {
            format!("Libellé de la profession « {rule} » : « {old} » → « {new} »")
        }
        Kind::IndicatorAdded => format!("Indicateur « {rule} » ajouté : {new}"),
        Kind::IndicatorRemoved => format!("Indicateur « {rule} » retiré : {old}"),
        Kind::IndicatorRenamed => format!("Indicateur « {old} » renommé « {new} »"),
        Kind::LabelChanged => match change.part {
            Part::StatedTotals => format!("Libellé du total annoncé : « {old} » → « {new} »"),
            Part::Lists => format!("Libellé de la liste « {rule} » : « {old} » → « {new} »"),
            _ => format!("Libellé de « {rule} » : « {old} » → « {new} »"),
        },
        Kind::SectionChanged => match change.part {
            Part::StatedTotals => format!("Section du total annoncé « {rule} » : {from_to}"),
            Part::Lists => format!("Section de la liste « {rule} » : {from_to}"),
            _ => format!("Section de « {rule} » : {from_to}"),
        },
        Kind::SourceChanged => format!("Type de « {rule} » : {from_to}"),
        Kind::ApplicabilityChanged => format!("Applicabilité de « {rule} » : {from_to}"),
        Kind::ConditionChanged => format!("Condition de « {rule} » : {from_to}"),
        Kind::ThresholdChanged => format!("Seuil de « {rule} » : {from_to}"),
        Kind::NeutralisationAdded => format!("« {rule} » neutralisé {notes} : « {new} »"),
        Kind::NeutralisationLifted => {
            format!("Neutralisation de « {rule} » levée ({notes}) : « {old} »")
        }
        Kind::NeutralisationChanged => format!("Neutralisation de « {rule} » : {from_to}"),
        Kind::GatingChanged => format!("Conditionnement de « {rule} » : {from_to}"),
        Kind::GroupAdded => format!("Groupe « {rule} » ajouté : {new}"),
        Kind::GroupRemoved => format!("Groupe « {rule} » retiré : {old}"),
        Kind::GroupRenamed => format!("Groupe « {old} » renommé « {new} »"),
        Kind::GroupKindChanged => format!("Type du groupe « {rule} » : {from_to}"),
        Kind::MembersChanged => format!("Membres de « {rule} » : {}", change.notes.join(" ; ")),
        Kind::PaymentAdded => format!("« {rule} » paie désormais : {new}"),
        Kind::PaymentRemoved => format!("« {rule} » ne paie plus (payait {old})"),
        Kind::AmountChanged | Kind::PerChanged => {
            if notes.is_empty() {
                format!("Montant de « {rule} » : {from_to}")
            } else {
                format!("Montant de « {rule} » ({notes}) : {from_to}")
            }
        }
        Kind::VariantsChanged => format!("Montants de « {rule} » : {from_to}"),
        Kind::PointValueChanged => format!("Valeur du point : {from_to}"),
        Kind::StatedTotalAdded => format!("Total annoncé « {rule} » ajouté : {new} ({notes})"),
        Kind::StatedTotalRemoved => format!("Total annoncé « {rule} » retiré : {old} ({notes})"),
        Kind::StatedTotalChanged => format!("Total annoncé « {rule} » : {from_to}"),
        Kind::StatedTotalScopeChanged => {
            format!("Portée du total annoncé « {rule} » : {from_to}")
        }
        Kind::InputAdded => format!("Donnée « {rule} » ajoutée : {new}"),
        Kind::InputRemoved => format!("Donnée « {rule} » retirée : {old}"),
        Kind::InputLabelChanged => {
            format!("Libellé de la donnée « {rule} » : « {old} » → « {new} »")
        }
        Kind::InputTypeChanged => format!("Type de la donnée « {rule} » : {from_to}"),
        Kind::InputSourceChanged => format!("Source de la donnée « {rule} » : {from_to}"),
        Kind::InputUnitChanged => format!("Unité de la donnée « {rule} » : {from_to}"),
        Kind::InputMissingChanged => {
            format!("Donnée « {rule} » manquante : {from_to}")
        }
        Kind::ListAdded => format!("Liste « {rule} » ajoutée : {new}"),
        Kind::ListRemoved => format!("Liste « {rule} » retirée : {old}"),
        Kind::ListChanged if !change.notes.is_empty() => {
            format!("Liste « {rule} » : {}", change.notes.join(" ; "))
        }
        Kind::ListChanged => format!("Liste « {rule} » : {from_to}"),
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

/// A change in a few words, to say why an amount moved: `seuil 70 % → 2/3`.
fn short(change: &Change, sides: &Sides) -> String {
    let rule = change.rule.as_deref().unwrap_or("");
    let old = change.old.as_deref().unwrap_or("");
    let new = change.new.as_deref().unwrap_or("");
    match change.kind {
        Kind::ThresholdChanged => format!("seuil {old} → {new}"),
        Kind::ConditionChanged => format!("condition {old} → {new}"),
        Kind::ApplicabilityChanged => format!("applicabilité {old} → {new}"),
        Kind::NeutralisationAdded => sides.event("neutralisation ajoutée"),
        Kind::NeutralisationLifted => sides.event("neutralisation levée"),
        Kind::NeutralisationChanged => sides.event("neutralisation changée"),
        Kind::IndicatorAdded => sides.event("indicateur ajouté"),
        Kind::IndicatorRemoved => sides.event("indicateur retiré"),
        Kind::GroupAdded => sides.event("groupe ajouté"),
        Kind::GroupRemoved => sides.event("groupe retiré"),
        Kind::GroupKindChanged => format!("type du groupe « {rule} » {old} → {new}"),
        Kind::MembersChanged => {
            format!(
                "membres de « {rule} » changés ({})",
                change.notes.join(" ; ")
            )
        }
        Kind::InputAdded => format!("donnée « {rule} » ajoutée"),
        Kind::InputRemoved => format!("donnée « {rule} » retirée"),
        Kind::InputTypeChanged => format!("type de la donnée « {rule} » {old} → {new}"),
        Kind::InputMissingChanged => format!("« {rule} » manquante {old} → {new}"),
        Kind::GatingChanged => format!("conditionnement de « {rule} » {old} → {new}"),
        Kind::AmountChanged | Kind::PerChanged => format!("montant {old} → {new}"),
        Kind::VariantsChanged => format!("montants de « {rule} » changés"),
        Kind::PointValueChanged => format!("valeur du point {old} → {new}"),
        _ => sentence(change),
    }
}

fn status_word(s: Option<Status>) -> &'static str {
    match s {
        Some(s) => french::status(s),
        None => "absent",
    }
}

fn shorts(indices: &[usize], changes: &[Change], sides: &Sides) -> Vec<String> {
    indices
        .iter()
        .filter_map(|k| changes.get(*k))
        .map(|c| short(c, sides))
        .collect()
}

/// Why one line moved for a set of declarations, in one phrase.
pub fn cause_text(
    line: &LineImpact,
    cause: &Cause,
    changes: &[Change],
    c: &Compared<'_>,
) -> String {
    let sides = Sides::of(c);
    let has = |kinds: &[Kind], name: &Option<String>| {
        changes
            .iter()
            .any(|c| kinds.contains(&c.kind) && c.rule.is_some() && c.rule == *name)
    };
    match cause {
        Cause::OnlyNew => {
            if has(&[Kind::IndicatorAdded, Kind::GroupAdded], &line.new_name) {
                format!("« {} » {}", line.line, sides.event("ajouté"))
            } else {
                format!("« {} » {}", line.line, sides.now("payé"))
            }
        }
        Cause::OnlyOld => {
            if has(
                &[Kind::IndicatorRemoved, Kind::GroupRemoved],
                &line.old_name,
            ) {
                format!("« {} » {}", line.line, sides.event("retiré"))
            } else {
                format!("« {} » {}", line.line, sides.now("non payé"))
            }
        }
        Cause::Amount {
            old,
            new,
            changes: found,
        } => {
            let mut text = format!(
                "{}, {}",
                sides.before(&format!("payé {}", french::euros(*old))),
                sides.now(&french::euros(*new))
            );
            let why = shorts(found, changes, &sides);
            if !why.is_empty() {
                text.push_str(&format!(" : {}", why.join(", ")));
            }
            text
        }
        Cause::Status {
            target,
            old,
            new,
            leaves,
            changes: gating,
        } => {
            let gating = shorts(gating, changes, &sides);
            if old == new {
                // The rule it waits on is as it was: the waiting itself changed.
                let mut parts = gating;
                parts.push(format!("« {target} » {}", status_word(*new)));
                return parts.join(" ; ");
            }
            let mut text = format!(
                "« {target} » {}, {}",
                sides.now(status_word(*new)),
                sides.before(status_word(*old))
            );
            let mut parts: Vec<String> = leaves
                .iter()
                .map(|leaf| leaf_text(leaf, target, changes, &sides))
                .collect();
            parts.extend(gating);
            let parts: Vec<String> = parts.into_iter().filter(|p| !p.is_empty()).collect();
            if !parts.is_empty() {
                text.push_str(&format!(" : {}", parts.join(" ; ")));
            }
            text
        }
    }
}

fn leaf_text(leaf: &Leaf, target: &str, changes: &[Change], sides: &Sides) -> String {
    let why = shorts(&leaf.changes, changes, sides);
    if leaf.rule == target {
        return why.join(", ");
    }
    let mut text = format!(
        "« {} » {} → {}",
        leaf.rule,
        status_word(leaf.old),
        status_word(leaf.new)
    );
    if !why.is_empty() {
        text.push_str(&format!(", {}", why.join(", ")));
    }
    text
}

fn declarations(n: usize) -> String {
    if n == 1 {
        "1 déclaration".into()
    } else {
        format!("{n} déclarations")
    }
}

/// `12 déclarations gagnent (+3 600,00 €), 3 perdent (−300,00 €), 85 inchangées`, and the
/// rejections.
pub fn summary_line(s: &Summary, sides: &Compared<'_>) -> String {
    let names = Sides::of(sides);
    let mut parts = Vec::new();
    parts.push(match s.gain {
        0 => "aucune déclaration ne gagne".to_string(),
        1 => format!("1 déclaration gagne ({})", signed_euros(s.gain_euros)),
        n => format!("{n} déclarations gagnent ({})", signed_euros(s.gain_euros)),
    });
    parts.push(match s.lose {
        0 => "aucune ne perd".to_string(),
        1 => format!("1 perd ({})", signed_euros(s.lose_euros)),
        n => format!("{n} perdent ({})", signed_euros(s.lose_euros)),
    });
    parts.push(match s.unchanged {
        0 => "aucune inchangée".to_string(),
        1 => "1 inchangée".to_string(),
        n => format!("{n} inchangées"),
    });
    let rejected = |n: usize, by: String| match n {
        0 => None,
        1 => Some(format!("1 rejetée {by}")),
        n => Some(format!("{n} rejetées {by}")),
    };
    parts.extend(rejected(
        s.rejected_old_only,
        format!("{} seulement", names.by_old()),
    ));
    parts.extend(rejected(
        s.rejected_new_only,
        format!("{} seulement", names.by_new()),
    ));
    parts.extend(rejected(s.rejected_both, "des deux côtés".to_string()));
    match s.not_covered {
        0 => {}
        1 => parts.push("dont 1 pour profession non couverte".into()),
        n => parts.push(format!("dont {n} pour profession non couverte")),
    }
    parts.join(", ")
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
        super::text::short_hash(&rb.meta.content_hash)
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
    if s.old_only_total > Decimal::ZERO {
        out.push_str(&format!(
            " Hors comparaison : {} versés {} à des déclarations rejetées {}.",
            french::euros(s.old_only_total),
            sides.by_old(),
            sides.by_new()
        ));
    }
    if s.new_only_total > Decimal::ZERO {
        out.push_str(&format!(
            " Hors comparaison : {} versés {} à des déclarations rejetées {}.",
            french::euros(s.new_only_total),
            sides.by_new(),
            sides.by_old()
        ));
    }
    out.push_str("\n\n");
    if impact.lines.is_empty() {
        out.push_str("Aucun montant ne change.\n\n");
        return out;
    }
    out.push_str("Ce qui a changé les montants, ligne de paiement par ligne de paiement :\n\n");
    for line in &impact.lines {
        let gained: Decimal = line
            .causes
            .iter()
            .map(|c| c.difference)
            .filter(|d| *d > Decimal::ZERO)
            .sum();
        let lost: Decimal = line
            .causes
            .iter()
            .map(|c| c.difference)
            .filter(|d| *d < Decimal::ZERO)
            .sum();
        let head = if gained > Decimal::ZERO && lost < Decimal::ZERO {
            format!(
                "{} : {} et {} (net {}) pour {}",
                line.line,
                signed_euros(gained),
                signed_euros(lost),
                signed_euros(line.difference),
                declarations(line.declarations)
            )
        } else {
            format!(
                "{} : {} pour {}",
                line.line,
                signed_euros(line.difference),
                declarations(line.declarations)
            )
        };
        match line.causes.as_slice() {
            [one] => out.push_str(&format!(
                "- {head} ({}){}\n",
                cause_text(line, &one.cause, changes, c),
                examples(one)
            )),
            causes => {
                out.push_str(&format!("- {head}\n"));
                for cause in causes {
                    out.push_str(&format!(
                        "  - {} pour {} : {}{}\n",
                        signed_euros(cause.difference),
                        declarations(cause.declarations),
                        cause_text(line, &cause.cause, changes, c),
                        examples(cause)
                    ));
                }
            }
        }
    }
    out.push('\n');
    out
}

fn examples(cause: &CauseImpact) -> String {
    let more = if cause.declarations > cause.examples.len() {
        ", …"
    } else {
        ""
    };
    format!(" — {}{more}", cause.examples.join(", "))
}

fn impact_details(impact: &Impact, sides: &Sides) -> String {
    let mut out = String::from("### Impact sur les déclarations\n\n");
    let professions = impact.professions();
    out.push_str(&format!(
        "| Profession | Déclarations | Gagnent | Perdent | Inchangées | Rejetées | Total {} | Total {} | Écart |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n",
        sides.old, sides.new
    ));
    let mut row = |name: &str, s: &Summary| {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
            cell(name),
            s.declarations,
            s.gain,
            s.lose,
            s.unchanged,
            s.rejected(),
            french::euros(s.old_total),
            french::euros(s.new_total),
            signed_euros(s.difference())
        ));
    };
    for (profession, s) in &professions {
        row(profession.as_deref().unwrap_or("(inconnue)"), s);
    }
    if professions.len() > 1 {
        row("**Total**", &impact.summary());
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
        out.push_str(&format!(
            "| Déclaration | {} | {} | Écart |\n| --- | ---: | ---: | ---: |\n",
            sides.old, sides.new
        ));
        for d in list {
            out.push_str(&format!(
                "| {} | {} | {} | {} |\n",
                cell(&d.id),
                result_text(&d.old),
                result_text(&d.new),
                signed_euros(d.difference().unwrap_or_default())
            ));
        }
        out.push('\n');
    }
    let rejected = impact.rejected();
    if !rejected.is_empty() {
        out.push_str("#### Rejetées\n\n");
        out.push_str(&format!(
            "| Déclaration | {} | {} |\n| --- | --- | --- |\n",
            sides.old, sides.new
        ));
        for d in rejected {
            out.push_str(&format!(
                "| {} | {} | {} |\n",
                cell(&d.id),
                cell(&result_text(&d.old)),
                cell(&result_text(&d.new))
            ));
        }
        out.push('\n');
    }
    out
}

// ------------------------------------------------------------------ JSON

fn meta_json(rb: &CompiledRulebook, source: &str) -> Json {
    json!({
        "source": source,
        "name": rb.meta.name,
        "title": rb.meta.title,
        "scheme": rb.meta.scheme,
        "exercice": rb.meta.exercice,
        "hash": rb.meta.content_hash,
    })
}

pub fn change_json(change: &Change) -> Json {
    json!({
        "part": change.part.as_str(),
        "kind": change.kind.as_str(),
        "rule": change.rule,
        "old": change.old,
        "new": change.new,
        "notes": change.notes,
        "text": sentence(change),
    })
}

fn result_json(r: &Side) -> Json {
    match r {
        Side::Paid(d) => json!({"status": "evaluated", "euros": money(*d)}),
        Side::NotCovered => json!({"status": "not_covered"}),
        Side::Rejected(reason) => json!({"status": "rejected", "reason": reason}),
    }
}

fn summary_json(s: &Summary) -> Json {
    json!({
        "declarations": s.declarations,
        "gain": s.gain,
        "gain_euros": money(s.gain_euros),
        "lose": s.lose,
        "lose_euros": money(s.lose_euros),
        "unchanged": s.unchanged,
        "rejected": {
            "old_only": s.rejected_old_only,
            "new_only": s.rejected_new_only,
            "both": s.rejected_both,
            "not_covered": s.not_covered,
        },
        "old_total": money(s.old_total),
        "new_total": money(s.new_total),
        "difference": money(s.difference()),
        "old_only_total": money(s.old_only_total),
        "new_only_total": money(s.new_only_total),
    })
}

fn declaration_json(d: &DeclarationImpact) -> Json {
    json!({
        "id": d.id,
        "file": d.file,
        "profession": d.profession,
        "old": result_json(&d.old),
        "new": result_json(&d.new),
        "difference": d.difference().map(money),
    })
}

pub fn impact_json(c: &Compared<'_>, impact: &Impact, changes: &[Change]) -> Json {
    let lines: Vec<Json> = impact
        .lines
        .iter()
        .map(|line| {
            let causes: Vec<Json> = line
                .causes
                .iter()
                .map(|cause| {
                    json!({
                        "text": cause_text(line, &cause.cause, changes, c),
                        "changes": cause_changes(&cause.cause),
                        "difference": money(cause.difference),
                        "declarations": cause.declarations,
                        "examples": cause.examples,
                    })
                })
                .collect();
            json!({
                "line": line.line,
                "old_name": line.old_name,
                "new_name": line.new_name,
                "difference": money(line.difference),
                "declarations": line.declarations,
                "causes": causes,
            })
        })
        .collect();
    let professions: Vec<Json> = impact
        .professions()
        .iter()
        .map(|(p, s)| {
            let mut j = summary_json(s);
            if let Some(obj) = j.as_object_mut() {
                obj.insert("profession".into(), json!(p));
            }
            j
        })
        .collect();
    json!({
        "files": impact.files,
        "summary": summary_json(&impact.summary()),
        "summary_text": summary_line(&impact.summary(), c),
        "lines": lines,
        "professions": professions,
        "biggest_gains": impact.biggest_gains(TOP).into_iter().map(declaration_json).collect::<Vec<_>>(),
        "biggest_losses": impact.biggest_losses(TOP).into_iter().map(declaration_json).collect::<Vec<_>>(),
        "declarations": impact.declarations.iter().map(declaration_json).collect::<Vec<_>>(),
    })
}

/// The changelog entries a cause cites, by index in `changes`.
fn cause_changes(cause: &Cause) -> Vec<usize> {
    let mut found: Vec<usize> = Vec::new();
    let mut add = |k: usize| {
        if !found.contains(&k) {
            found.push(k);
        }
    };
    match cause {
        Cause::OnlyNew | Cause::OnlyOld => {}
        Cause::Amount { changes, .. } => changes.iter().for_each(|k| add(*k)),
        Cause::Status {
            leaves, changes, ..
        } => {
            leaves
                .iter()
                .flat_map(|l| l.changes.iter())
                .chain(changes.iter())
                .for_each(|k| add(*k));
        }
    }
    found
}

/// `{"old": ..., "new": ..., "identical": ..., "changes": [...], "impact": {...}}`; the
/// impact only when declarations were given.
pub fn json(c: &Compared<'_>, diff: &Diff) -> String {
    let mut doc = json!({
        "old": meta_json(c.old, c.old_source),
        "new": meta_json(c.new, c.new_source),
        "identical": diff.is_empty(),
        "changes": diff.changes.iter().map(change_json).collect::<Vec<_>>(),
    });
    if let (Some(impact), Some(obj)) = (&diff.impact, doc.as_object_mut()) {
        obj.insert("impact".into(), impact_json(c, impact, &diff.changes));
    }
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}
