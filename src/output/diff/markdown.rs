//! The Markdown changelog: a title, the impact in short (when declarations were given),
//! the changes by part, then the impact's details in tables.

use rust_decimal::Decimal;

use super::words::{
    cause_text, changed_words, declarations, sentence, summary_line, threshold_text,
};
use super::{Compared, Sides, TOP};
use crate::diff::{
    CauseImpact, Change, DeclarationImpact, Diff, Impact, Kind, LineImpact, Part,
    SideResult as Side, Summary,
};
use crate::french;
use crate::french::{pages, signed_euros};
use crate::lang::typography::glued_amounts;
use crate::model::CompiledRulebook;

/// A part's heading, in the words of the documentation page where it has one.
fn title(part: Part) -> &'static str {
    match part {
        Part::Header => "En-tête",
        Part::Professions => "Professions",
        Part::IndicatorsAdded => "Indicateurs ajoutés",
        Part::IndicatorsRemoved => "Indicateurs retirés",
        Part::IndicatorsModified => "Indicateurs modifiés",
        Part::Groups => "Groupes",
        Part::Payments => "Paiements",
        Part::StatedTotals => pages::TOTALS,
        Part::Inputs => pages::INPUTS,
        Part::Lists => pages::LISTS,
    }
}

/// A part with more changes than this is folded (`<details>`), its count in the summary.
/// `markdown="1"` asks Python-Markdown (with its `md_in_html` extension) to read the list
/// inside as CommonMark does; CommonMark renderers ignore it.
const FOLDED_OVER: usize = 10;

/// How deep a nested list is indented: four spaces, which CommonMark and Python-Markdown
/// both read as a list inside the item above (Python-Markdown needs four).
const NESTED: &str = "    ";

/// The rulebooks' own text (labels, names, ids, the guide's words) as Markdown text: what
/// could become markup under CommonMark or Python-Markdown is escaped (`\*`, `\[`, `\``,
/// `\_` at the edge of a word, `&lt;`, an entity's `&amp;`), and an amount never wraps
/// (no-break spaces in `1 240,00 €`, `70 %`).
pub(super) fn md(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let word = |k: Option<&char>| k.is_some_and(|c| c.is_alphanumeric());
    let mut out = String::with_capacity(text.len());
    for (i, c) in chars.iter().enumerate() {
        match c {
            '\\' | '`' | '*' | '[' | ']' => {
                out.push('\\');
                out.push(*c);
            }
            // `a_b` is no emphasis for either; `_a_` would be.
            '_' if !(word(i.checked_sub(1).and_then(|b| chars.get(b)))
                && word(chars.get(i + 1))) =>
            {
                out.push_str("\\_");
            }
            '<' => out.push_str("&lt;"),
            '&' if is_entity(&chars[i + 1..]) => out.push_str("&amp;"),
            c => out.push(*c),
        }
    }
    glued_amounts(&out)
}

/// `lt;`, `#39;`: what after a `&` a renderer would read as an entity.
fn is_entity(rest: &[char]) -> bool {
    let name = rest
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || **c == '#')
        .count();
    name > 0 && rest.get(name) == Some(&';')
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
    md(text).replace('|', "\\|").replace('\n', " ")
}

fn meta_line(rb: &CompiledRulebook, source: &str) -> String {
    format!(
        "`{}` : {} (`{}`, exercice {}, {})",
        source.replace('`', "'"),
        md(&rb.meta.title),
        rb.meta.name,
        rb.meta.exercice,
        crate::output::text::short_hash(&rb.meta.content_hash)
    )
}

/// Where the changelog sits in a page: the level of its title's heading (its parts one
/// below), and whether it has its title (`forfait review` writes its own).
#[derive(Clone, Copy, Debug)]
pub struct Layout {
    pub depth: usize,
    pub title: bool,
}

impl Layout {
    /// `forfait diff`'s: a page of its own, titled at level 2.
    pub const ALONE: Layout = Layout {
        depth: 2,
        title: true,
    };

    /// A heading `below` levels under the title: `### `.
    fn heading(self, below: usize) -> String {
        format!("{} ", "#".repeat((self.depth + below).min(6)))
    }
}

/// The Markdown changelog: a title, the impact in short (when declarations were given),
/// the changes by part, then the impact's details.
pub fn markdown(c: &Compared<'_>, diff: &Diff) -> String {
    markdown_in(c, diff, Layout::ALONE)
}

/// `forfait diff`'s title: `forfait diff : a (exercice 2023) → b (exercice 2024)`.
pub fn title_line(c: &Compared<'_>) -> String {
    format!("forfait diff : {}", sides_line(c))
}

/// The two rulebooks compared: `a (exercice 2023) → b (exercice 2024)`.
pub fn sides_line(c: &Compared<'_>) -> String {
    format!(
        "{} (exercice {}) → {} (exercice {})",
        md(&c.old.meta.name),
        c.old.meta.exercice,
        md(&c.new.meta.name),
        c.new.meta.exercice
    )
}

/// [`markdown`], laid out in a larger page.
pub fn markdown_in(c: &Compared<'_>, diff: &Diff, layout: Layout) -> String {
    let sides = Sides::of(c);
    let mut out = String::new();
    if layout.title {
        out.push_str(&format!("{}{}\n\n", layout.heading(0), title_line(c)));
    }
    if let Some(profession) = &diff.profession {
        let label = [c.new, c.old]
            .iter()
            .flat_map(|rb| crate::profession::professions(rb))
            .find(|(name, _)| name == profession)
            .and_then(|(_, label)| label);
        out.push_str(&format!(
            "{}\n\n",
            only_for(&md(profession), label.as_deref().map(md).as_deref())
        ));
    }
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
            out.push_str(&format!("{}{}\n\n", layout.heading(1), title(part)));
            let folded = mine.len() > FOLDED_OVER;
            if folded {
                out.push_str(&format!(
                    "<details markdown=\"1\">\n<summary>{}</summary>\n\n",
                    changes_count(mine.len())
                ));
            }
            for ch in mine {
                out.push_str(&format!("- {}\n", md(&sentence(ch))));
                for note in sub_lines(ch) {
                    out.push_str(&format!("{NESTED}- {}\n", md(note)));
                }
                if let Some(words) = word_diff(ch) {
                    out.push_str(&format!("{NESTED}- {words}\n"));
                }
            }
            if folded {
                out.push_str("\n</details>\n");
            }
            out.push('\n');
        }
    }
    if let Some(impact) = &diff.impact {
        out.push_str(&impact_details(impact, &sides, layout));
    }
    out.push_str(&format!(
        "Ancien : {}  \nNouveau : {}\n",
        meta_line(c.old, c.old_source),
        meta_line(c.new, c.new_source)
    ));
    out
}

/// `Seulement ce qui concerne ...`: over a changelog limited to one profession.
fn only_for(name: &str, label: Option<&str>) -> String {
    let who = match label {
        Some(label) => format!("« {label} » (`{name}`)"),
        None => format!("`{name}`"),
    };
    format!(
        "Seulement ce qui concerne la profession {who} : les changements qui ne concernent que d'autres professions ne sont pas listés, l'impact ne compte que ses déclarations."
    )
}

/// `12 changements`, in a folded part's summary.
fn changes_count(n: usize) -> String {
    format!("{} changements", french::count(n as u64))
}

/// The words a changed label changed, for a label long enough that they are hard to see
/// (`md` escaped).
fn word_diff(change: &Change) -> Option<String> {
    let labels = matches!(
        change.kind,
        Kind::TitleChanged
            | Kind::GuideChanged
            | Kind::ProfessionLabelChanged
            | Kind::LabelChanged
            | Kind::InputLabelChanged
    );
    let (old, new) = (change.old.as_deref()?, change.new.as_deref()?);
    labels.then(|| changed_words(old, new, md)).flatten()
}

/// The impact in short, at the top: the summary, the totals, and each line that moved with
/// the rule changes that moved it.
fn impact_head(c: &Compared<'_>, impact: &Impact, changes: &[Change]) -> String {
    let sides = Sides::of(c);
    let s = impact.summary();
    let mut out = format!(
        "**Impact sur {} ({}) : {}.**\n\n",
        declarations(s.declarations),
        md(&impact.files.join(", ")),
        glued_amounts(&summary_line(&s, c))
    );
    let tagged = |amount: Decimal, year: Option<u16>| match year {
        Some(y) => format!("{} en {y}", french::euros(amount)),
        None => french::euros(amount),
    };
    out.push_str(&glued_amounts(&format!(
        "Total versé aux déclarations évaluées des deux côtés : {} → {} ({}).",
        tagged(s.old_total, sides.years.map(|y| y.0)),
        tagged(s.new_total, sides.years.map(|y| y.1)),
        signed_euros(s.difference())
    )));
    for (paid, by, rejected_by) in [
        (s.old_only_total, sides.by_old(), sides.by_new()),
        (s.new_only_total, sides.by_new(), sides.by_old()),
    ] {
        if paid > Decimal::ZERO {
            out.push_str(&glued_amounts(&format!(
                " Hors comparaison : {} versés {by} à des déclarations rejetées {rejected_by}.",
                french::euros(paid)
            )));
        }
    }
    out.push_str("\n\n");
    if impact.lines.is_empty() {
        out.push_str("Aucun montant ne change.\n\n");
    } else {
        out.push_str("Ce qui a changé les montants, ligne de paiement par ligne de paiement :\n\n");
        for line in &impact.lines {
            out.push_str(&line_bullets(line, changes, c));
        }
        out.push('\n');
    }
    out.push_str(&thresholds(impact));
    out
}

/// Each threshold that moved, and how many declarations of the batch lie between its two
/// values (none: the batch does not measure it).
fn thresholds(impact: &Impact) -> String {
    if impact.thresholds.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "Seuils modifiés, et les déclarations du lot entre l'ancienne et la nouvelle valeur :\n\n",
    );
    for t in &impact.thresholds {
        out.push_str(&format!(
            "- Seuil de « {} » — {}\n",
            md(&t.rule),
            md(&threshold_text(t))
        ));
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
        "{} : {} pour {}",
        md(&line.line),
        glued_amounts(&moved),
        declarations(line.declarations)
    );
    let why = |cause: &CauseImpact| {
        format!(
            "{}{}",
            md(&cause_text(line, &cause.cause, changes, c)),
            examples(cause)
        )
    };
    match line.causes.as_slice() {
        [one] => {
            let text = md(&cause_text(line, &one.cause, changes, c));
            format!("- {head} ({text}){}\n", examples(one))
        }
        causes => {
            let mut out = format!("- {head}\n");
            for cause in causes {
                out.push_str(&format!(
                    "{NESTED}- {} pour {} : {}\n",
                    glued_amounts(&signed_euros(cause.difference)),
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
    format!(" — {}{more}", md(&cause.examples.join(", ")))
}

/// A Markdown table row.
fn row<S: AsRef<str>>(cells: &[S]) -> String {
    let cells: Vec<&str> = cells.iter().map(AsRef::as_ref).collect();
    format!("| {} |\n", glued_amounts(&cells.join(" | ")))
}

/// A Markdown table's heading and alignment rows; the columns from `numbers_from` on
/// are aligned right.
fn table(headings: &[&str], numbers_from: usize) -> String {
    let aligns: Vec<&str> = (0..headings.len())
        .map(|k| if k < numbers_from { "---" } else { "---:" })
        .collect();
    row(headings) + &row(&aligns)
}

fn impact_details(impact: &Impact, sides: &Sides, layout: Layout) -> String {
    let mut out = format!("{}Impact sur les déclarations\n\n", layout.heading(1));
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
    // `name` is Markdown already.
    let summary_row = |name: &str, s: &Summary| {
        row(&[
            name.to_string(),
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
            &cell(profession.as_deref().unwrap_or("(inconnue)")),
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
        out.push_str(&format!("{}{heading}\n\n", layout.heading(2)));
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
    out.push_str(&rejected(impact.rejected(), sides, layout));
    out
}

/// The declarations one side (or both) rejected, with the reasons.
fn rejected(rejected: Vec<&DeclarationImpact>, sides: &Sides, layout: Layout) -> String {
    if rejected.is_empty() {
        return String::new();
    }
    let mut out = format!("{}Rejetées\n\n", layout.heading(2));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rulebooks_text_is_escaped_and_its_amounts_glued() {
        assert_eq!(
            md("<img src=x> *gras* [lien](u) `code` _x_ a_b \\ R&D &lt;"),
            "&lt;img src=x> \\*gras\\* \\[lien\\](u) \\`code\\` \\_x\\_ a_b \\\\ R&D &amp;lt;"
        );
        assert_eq!(
            md("1 240,00 € et 70 % ou 22,5 points"),
            "1\u{a0}240,00\u{a0}€ et 70\u{a0}% ou 22,5\u{a0}points"
        );
        assert_eq!(md("2019 → 2021"), "2019 → 2021");
    }

    #[test]
    fn a_changed_label_shows_the_words_it_changed() {
        let words = changed_words(
            "Disposer d'un logiciel métier compatible DMP avant le 31 décembre 2019",
            "Disposer d'un logiciel métier compatible DMP",
            md,
        );
        assert_eq!(
            words.as_deref(),
            Some("mots changés : « avant le 31 décembre 2019 » retiré")
        );
        let words = changed_words(
            "participation à une maison de santé pluriprofessionnelle (MSP)",
            "participation à une maison de santé pluri-professionnelle (MSP)",
            md,
        );
        assert_eq!(
            words.as_deref(),
            Some("mots changés : « pluri-professionnelle » au lieu de « pluriprofessionnelle »")
        );
        // Short labels (under eight words), or nothing in common: the line says it all.
        assert_eq!(changed_words("Indicateurs obligatoires", "Socle", md), None);
        assert_eq!(changed_words("a b c", "a b d", md), None);
    }
}
