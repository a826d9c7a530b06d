//! The diff in French sentences, for both renderings: one line per change, a change in a
//! few words (to say why an amount moved), the cause of a moved line, and the impact's
//! summary.

use super::{Compared, Sides};
use crate::diff::{Cause, Change, Kind, Leaf, LineImpact, Part, Summary, ThresholdImpact};
use crate::eval::Status;
use crate::french;
use crate::french::signed_euros;

/// How a change reads.
enum Form {
    /// `what : old → new` (`what old → new` in a few words).
    FromTo(String),
    /// The same, the two texts quoted: `Libellé de « x » : « old » → « new »`.
    Quoted(String),
    /// A sentence of its own.
    Own(String),
}

impl Form {
    /// The form's text, `separator` between what changed and how.
    fn text(self, separator: &str, old: &str, new: &str) -> String {
        match self {
            Form::FromTo(what) => format!("{what}{separator}{old} → {new}"),
            Form::Quoted(what) => format!("{what}{separator}« {old} » → « {new} »"),
            Form::Own(text) => text,
        }
    }
}

/// A change's rule, old and new texts (empty when absent).
fn texts(change: &Change) -> (&str, &str, &str) {
    (
        change.rule.as_deref().unwrap_or(""),
        change.old.as_deref().unwrap_or(""),
        change.new.as_deref().unwrap_or(""),
    )
}

/// One change as one line of French: `Seuil de « teletransmission » : 70 % → 2/3`.
pub fn sentence(change: &Change) -> String {
    use Form::{FromTo, Own, Quoted};
    let (rule, old, new) = texts(change);
    let notes = change.notes.join(", ");
    let of = |what: &str| format!("{what} « {rule} »");
    let by_part = |total: String, list: &str, other: &str| match change.part {
        Part::StatedTotals => total,
        Part::Lists => of(list),
        _ => of(other),
    };
    let form = match change.kind {
        Kind::RulebookRenamed => FromTo("Nom".into()),
        Kind::TitleChanged => Quoted("Titre".into()),
        Kind::SchemeChanged => FromTo(french::SCHEME.into()),
        Kind::ExerciceChanged => FromTo(french::EXERCICE.into()),
        Kind::PaidInChanged => FromTo(french::PAID_IN.into()),
        Kind::GuideChanged => Quoted(french::GUIDE.into()),
        Kind::ProfessionAdded => Own(format!("Profession ajoutée : {new}")),
        Kind::ProfessionRemoved => Own(format!("Profession retirée : {old}")),
        Kind::ProfessionLabelChanged => Quoted(of("Libellé de la profession")),
        Kind::IndicatorAdded => Own(format!("Indicateur « {rule} » ajouté : {new}")),
        Kind::IndicatorRemoved => Own(format!("Indicateur « {rule} » retiré : {old}")),
        Kind::IndicatorRenamed => Own(format!("Indicateur « {old} » renommé « {new} »")),
        Kind::LabelChanged => Quoted(by_part(
            "Libellé du total du guide".into(),
            "Libellé de la liste",
            "Libellé de",
        )),
        Kind::SectionChanged => FromTo(by_part(
            of("Section du total du guide"),
            "Section de la liste",
            "Section de",
        )),
        Kind::SourceChanged => FromTo(format!("{} de « {rule} »", french::pages::SOURCE)),
        Kind::ApplicabilityChanged => FromTo(of("Applicabilité de")),
        Kind::ConditionChanged => FromTo(of("Condition de")),
        Kind::ThresholdChanged => FromTo(of("Seuil de")),
        Kind::NeutralisationAdded => Own(format!("« {rule} » neutralisé {notes} : « {new} »")),
        Kind::NeutralisationLifted => Own(format!(
            "Neutralisation de « {rule} » levée ({notes}) : « {old} »"
        )),
        Kind::NeutralisationChanged => FromTo(of("Neutralisation de")),
        Kind::GatingChanged => FromTo(of("Conditionnement de")),
        Kind::GroupAdded => Own(format!("Groupe « {rule} » ajouté : {new}")),
        Kind::GroupRemoved => Own(format!("Groupe « {rule} » retiré : {old}")),
        Kind::GroupRenamed => Own(format!("Groupe « {old} » renommé « {new} »")),
        Kind::GroupKindChanged => FromTo(of("Type du groupe")),
        Kind::MembersChanged => Own(format!(
            "Membres de « {rule} » : {}",
            change.notes.join(" ; ")
        )),
        Kind::PaymentAdded => Own(format!("« {rule} » paie désormais : {new}")),
        Kind::PaymentRemoved => Own(format!("« {rule} » ne paie plus (payait {old})")),
        Kind::AmountChanged | Kind::PerChanged if notes.is_empty() => FromTo(of("Montant de")),
        Kind::AmountChanged | Kind::PerChanged => FromTo(format!("{} ({notes})", of("Montant de"))),
        Kind::VariantsChanged => FromTo(of("Montants de")),
        Kind::PointValueChanged => FromTo(french::POINT_VALUE.into()),
        Kind::StatedTotalAdded => Own(format!(
            "Total du guide « {rule} » ajouté : {new} ({notes})"
        )),
        Kind::StatedTotalRemoved => Own(format!(
            "Total du guide « {rule} » retiré : {old} ({notes})"
        )),
        Kind::StatedTotalChanged => FromTo(of("Total du guide")),
        Kind::StatedTotalScopeChanged => FromTo(of("Périmètre du total du guide")),
        Kind::InputAdded => Own(format!("Donnée « {rule} » ajoutée : {new}")),
        Kind::InputRemoved => Own(format!("Donnée « {rule} » retirée : {old}")),
        Kind::InputLabelChanged => Quoted(of("Libellé de la donnée")),
        Kind::InputTypeChanged => FromTo(of("Type de la donnée")),
        Kind::InputSourceChanged => FromTo(of("Source de la donnée")),
        Kind::InputUnitChanged => FromTo(of("Unité de la donnée")),
        Kind::InputMissingChanged => FromTo(format!("Donnée « {rule} » manquante")),
        Kind::ListAdded => Own(format!("Liste « {rule} » ajoutée : {new}")),
        Kind::ListRemoved => Own(format!("Liste « {rule} » retirée : {old}")),
        Kind::ListChanged if !change.notes.is_empty() => {
            Own(format!("Liste « {rule} » : {}", change.notes.join(" ; ")))
        }
        Kind::ListChanged => FromTo(of("Liste")),
    };
    form.text(" : ", old, new)
}

/// A change in a few words, to say why an amount moved: `seuil 70 % → 2/3`.
fn short(change: &Change, sides: &Sides) -> String {
    use Form::{FromTo, Own};
    let (rule, old, new) = texts(change);
    let of = |what: &str| format!("{what} « {rule} »");
    let form = match change.kind {
        Kind::ThresholdChanged => FromTo("seuil".into()),
        Kind::ConditionChanged => FromTo("condition".into()),
        Kind::ApplicabilityChanged => FromTo("applicabilité".into()),
        Kind::NeutralisationAdded => Own(sides.event("neutralisation ajoutée")),
        Kind::NeutralisationLifted => Own(sides.event("neutralisation levée")),
        Kind::NeutralisationChanged => Own(sides.event("neutralisation changée")),
        Kind::IndicatorAdded => Own(sides.event("indicateur ajouté")),
        Kind::IndicatorRemoved => Own(sides.event("indicateur retiré")),
        Kind::GroupAdded => Own(sides.event("groupe ajouté")),
        Kind::GroupRemoved => Own(sides.event("groupe retiré")),
        Kind::GroupKindChanged => FromTo(of("type du groupe")),
        Kind::MembersChanged => Own(format!(
            "membres de « {rule} » changés ({})",
            change.notes.join(" ; ")
        )),
        Kind::InputAdded => Own(format!("donnée « {rule} » ajoutée")),
        Kind::InputRemoved => Own(format!("donnée « {rule} » retirée")),
        Kind::InputTypeChanged => FromTo(of("type de la donnée")),
        Kind::InputMissingChanged => FromTo(format!("« {rule} » manquante")),
        Kind::GatingChanged => FromTo(of("conditionnement de")),
        Kind::AmountChanged | Kind::PerChanged => FromTo("montant".into()),
        Kind::VariantsChanged => Own(format!("montants de « {rule} » changés")),
        Kind::PointValueChanged => FromTo("valeur du point".into()),
        _ => Own(sentence(change)),
    };
    form.text(" ", old, new)
}

/// The words a changed text changed, word by word (`similar`): `mots changés : « avant le
/// 31 décembre 2019 » retiré ; « pluri-professionnelle » au lieu de « pluriprofessionnelle »`.
/// `None` for a short text (under eight words) or one rewritten more than kept (under half
/// its words in common): the line says it all. `text` writes a piece of the rulebook's text
/// for the page.
pub fn changed_words(old: &str, new: &str, text: impl Fn(&str) -> String) -> Option<String> {
    use similar::{ChangeTag, TextDiff};
    let diff = TextDiff::from_words(old, new);
    let mut pieces = Vec::new();
    let mut kept = 0;
    let (mut removed, mut added) = (String::new(), String::new());
    let flush = |removed: &mut String, added: &mut String, pieces: &mut Vec<String>| {
        let (r, a) = (removed.trim(), added.trim());
        let piece = match (r.is_empty(), a.is_empty()) {
            (true, true) => None,
            (false, true) => Some(format!("« {} » retiré", text(r))),
            (true, false) => Some(format!("« {} » ajouté", text(a))),
            (false, false) => Some(format!("« {} » au lieu de « {} »", text(a), text(r))),
        };
        pieces.extend(piece);
        removed.clear();
        added.clear();
    };
    for change in diff.iter_all_changes() {
        match change.tag() {
            ChangeTag::Equal if change.value().trim().is_empty() => {
                // A space between two changed words belongs to the change.
                removed.push_str(change.value());
                added.push_str(change.value());
            }
            ChangeTag::Equal => {
                kept += 1;
                flush(&mut removed, &mut added, &mut pieces);
            }
            ChangeTag::Delete => removed.push_str(change.value()),
            ChangeTag::Insert => added.push_str(change.value()),
        }
    }
    flush(&mut removed, &mut added, &mut pieces);
    let words = old
        .split_whitespace()
        .count()
        .max(new.split_whitespace().count());
    (!pieces.is_empty() && words >= 8 && kept * 2 >= words)
        .then(|| format!("mots changés : {}", pieces.join(" ; ")))
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
    let line_is = |text: String| format!("« {} » {text}", line.line);
    match cause {
        Cause::OnlyNew if has(&[Kind::IndicatorAdded, Kind::GroupAdded], &line.new_name) => {
            line_is(sides.event("ajouté"))
        }
        Cause::OnlyNew => line_is(sides.now("payé")),
        Cause::OnlyOld
            if has(
                &[Kind::IndicatorRemoved, Kind::GroupRemoved],
                &line.old_name,
            ) =>
        {
            line_is(sides.event("retiré"))
        }
        Cause::OnlyOld => line_is(sides.now("non payé")),
        Cause::Amount {
            old,
            new,
            changes: found,
        } => {
            let text = format!(
                "{}, {}",
                sides.before(&format!("payé {}", french::euros(*old))),
                sides.now(&french::euros(*new))
            );
            with_reasons(text, shorts(found, changes, &sides), ", ")
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
            let text = format!(
                "« {target} » {}, {}",
                sides.now(status_word(*new)),
                sides.before(status_word(*old))
            );
            let mut parts: Vec<String> = leaves
                .iter()
                .map(|leaf| leaf_text(leaf, target, changes, &sides))
                .collect();
            parts.extend(gating);
            parts.retain(|p| !p.is_empty());
            with_reasons(text, parts, " ; ")
        }
    }
}

/// `text : a, b` (the reasons joined by `separator`), or `text` when there is none.
fn with_reasons(mut text: String, reasons: Vec<String>, separator: &str) -> String {
    if !reasons.is_empty() {
        text.push_str(&format!(" : {}", reasons.join(separator)));
    }
    text
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

/// How many declarations of the batch lie between a threshold's two values: `aucune
/// déclaration entre 70 % et 75 % : l'effet de ce seuil n'est pas mesuré par ce lot`, `3
/// déclarations entre 70 % et 2/3`.
pub fn threshold_text(t: &ThresholdImpact) -> String {
    let place = if t.same_value() {
        format!("à {} exactement", t.old)
    } else {
        format!("entre {} et {}", t.old, t.new)
    };
    match t.between {
        0 => {
            format!("aucune déclaration {place} : l'effet de ce seuil n'est pas mesuré par ce lot")
        }
        n => format!("{} {place}", declarations(n)),
    }
}

pub(super) fn declarations(n: usize) -> String {
    if n == 1 {
        "1 déclaration".into()
    } else {
        format!("{n} déclarations")
    }
}

/// `none` for zero (or nothing), else `1 one` or `n many`.
fn counted(n: usize, none: Option<&str>, one: &str, many: &str) -> Option<String> {
    match n {
        0 => none.map(str::to_string),
        1 => Some(format!("1 {one}")),
        n => Some(format!("{n} {many}")),
    }
}

/// `12 déclarations gagnent (+3 600,00 €), 3 perdent (−300,00 €), 85 inchangées`, and the
/// rejections.
pub fn summary_line(s: &Summary, sides: &Compared<'_>) -> String {
    let names = Sides::of(sides);
    let (gains, losses) = (signed_euros(s.gain_euros), signed_euros(s.lose_euros));
    let rejected_by = |by: &str| [format!("rejetée {by}"), format!("rejetées {by}")];
    let by_old = rejected_by(&format!("{} seulement", names.by_old()));
    let by_new = rejected_by(&format!("{} seulement", names.by_new()));
    let both = rejected_by("des deux côtés");
    let parts = [
        counted(
            s.gain,
            Some("aucune déclaration ne gagne"),
            &format!("déclaration gagne ({gains})"),
            &format!("déclarations gagnent ({gains})"),
        ),
        counted(
            s.lose,
            Some("aucune ne perd"),
            &format!("perd ({losses})"),
            &format!("perdent ({losses})"),
        ),
        counted(
            s.unchanged,
            Some("aucune inchangée"),
            "inchangée",
            "inchangées",
        ),
        counted(s.rejected_old_only, None, &by_old[0], &by_old[1]),
        counted(s.rejected_new_only, None, &by_new[0], &by_new[1]),
        counted(s.rejected_both, None, &both[0], &both[1]),
        (s.not_covered > 0).then(|| format!("dont {} pour profession non couverte", s.not_covered)),
    ];
    parts.into_iter().flatten().collect::<Vec<_>>().join(", ")
}
