//! The documentation page in Markdown: the same content as the HTML page, for a
//! repository's wiki or a pull request.

use std::fmt::Write;

use super::{Amount, Document, Fact, Row, Section};
use crate::french::{self, labels::Phrase, pages, GuideSection};

/// Escapes text so that Markdown shows it as written (in a table cell too).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '*' | '_' | '`' | '[' | ']' | '|' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn code(name: &str) -> String {
    format!("`{name}`")
}

pub fn render(doc: &Document) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", escape(&doc.title));
    let _ = writeln!(
        out,
        "{} · exercice {} · versé en {}\n",
        escape(&doc.scheme),
        doc.exercice,
        doc.paid_in
    );
    for (term, fact) in doc.facts() {
        let value = match fact {
            Fact::Text(t) => escape(&t),
            Fact::Name(n) | Fact::Hash(n) => code(&n),
        };
        let _ = writeln!(out, "- **{term}** : {value}");
    }
    out.push('\n');
    overview(doc, &mut out);
    for section in &doc.sections {
        details(section, &mut out);
    }
    inputs(doc, &mut out);
    lists(doc, &mut out);
    totals(doc, &mut out);
    let _ = writeln!(
        out,
        "---\n\nEmpreinte du rulebook {} : {}. Toute modification du fichier, même d'un commentaire, \
         change cette empreinte. Page produite par `forfait doc`.",
        code(&doc.name),
        code(&doc.content_hash)
    );
    out
}

fn overview(doc: &Document, out: &mut String) {
    out.push_str("## Tableau des indicateurs\n\n");
    out.push_str("| Champ | Indicateur | Section | Montant | Type d'indicateur | Justificatif |\n");
    out.push_str("| --- | --- | --- | ---: | --- | --- |\n");
    for section in &doc.sections {
        let mut previous: Option<&Amount> = None;
        for (r, row) in section.rows.iter().enumerate() {
            let champ = if r == 0 {
                format!(
                    "**{}** ({})",
                    escape(&section.title),
                    escape(&section.summary)
                )
            } else {
                String::new()
            };
            let indent = "↳ ".repeat(row.depth);
            let mut label = if row.is_group {
                format!("{indent}*{}*", escape(&row.label))
            } else {
                format!("{indent}{}", escape(&row.label))
            };
            for note in row
                .applies
                .iter()
                .chain(row.neutralisations.iter().map(|n| &n.short))
            {
                let _ = write!(label, " ({})", escape(note));
            }
            let amount = match &row.amount {
                Amount::Own { cell, .. } => escape(cell),
                Amount::InGroup { amount, .. } if previous != Some(&row.amount) => {
                    format!("{} pour l'ensemble", escape(amount))
                }
                Amount::InGroup { .. } => "(compris)".into(),
                Amount::None => "—".into(),
            };
            previous = Some(&row.amount);
            let _ = writeln!(
                out,
                "| {champ} | {label} | {} | {amount} | {} | {} |",
                escape(row.guide_section.as_ref().map_or("—", GuideSection::text)),
                row.source.unwrap_or("—"),
                escape(row.evidence.as_deref().unwrap_or(if row.is_group {
                    "—"
                } else {
                    pages::NOT_SPECIFIED
                }))
            );
        }
    }
    for t in &doc.totals {
        let _ = writeln!(
            out,
            "| **{}**{} | | | **{}** | {} | |",
            escape(&t.label),
            t.profile
                .as_deref()
                .map(|p| format!(" ({})", escape(p)))
                .unwrap_or_default(),
            escape(&t.amount),
            pages::VERIFIED
        );
    }
    out.push('\n');
}

/// One amount, or its variants as a nested list.
fn variants_text(variants: &[String]) -> String {
    match variants {
        [one] => escape(one),
        many => format!(
            "{}{}",
            pages::BY_PROFILE,
            many.iter()
                .map(|v| format!("\n  - {}", escape(v)))
                .collect::<String>()
        ),
    }
}

fn phrase(p: &Phrase, indent: usize, out: &mut String) {
    let pad = "  ".repeat(indent);
    let list = |intro: &str, parts: &[Phrase], out: &mut String| {
        out.push_str(intro);
        out.push('\n');
        for part in parts {
            let _ = write!(out, "{pad}  - ");
            phrase(part, indent + 1, out);
        }
    };
    match p {
        Phrase::Leaf(text) => {
            out.push_str(&escape(text));
            out.push('\n');
        }
        Phrase::All(parts) => list(french::ALL_HEADING, parts, out),
        Phrase::Any(parts) => list(french::ANY_HEADING, parts, out),
        Phrase::Not(inner) => list(
            french::NOT_HEADING,
            std::slice::from_ref(inner.as_ref()),
            out,
        ),
    }
}

fn details(section: &Section, out: &mut String) {
    let _ = writeln!(
        out,
        "## {}{}\n",
        section
            .guide_section
            .as_ref()
            .and_then(GuideSection::numbered)
            .map(|s| format!("{} · ", escape(s)))
            .unwrap_or_default(),
        escape(&section.title)
    );
    if let Some(part) = section
        .guide_section
        .as_ref()
        .and_then(GuideSection::part)
        .filter(|s| *s != section.title)
    {
        let _ = writeln!(out, "Partie du guide : « {} ».\n", escape(part));
    }
    if let Some(g) = &section.group {
        let _ = writeln!(out, "Groupe {}.\n", code(g));
    }
    for sentence in &section.rule {
        let _ = writeln!(out, "{}\n", escape(sentence));
    }
    for q in &section.quotes {
        let _ = writeln!(out, "> « {} »\n", escape(q));
    }
    for row in &section.rows {
        row_detail(row, out);
    }
}

fn row_detail(row: &Row, out: &mut String) {
    let _ = writeln!(
        out,
        "{} {}{}\n",
        if row.depth == 0 { "###" } else { "####" },
        row.guide_section
            .as_ref()
            .and_then(GuideSection::numbered)
            .map(|s| format!("{} · ", escape(s)))
            .unwrap_or_default(),
        escape(&row.label)
    );
    let _ = writeln!(
        out,
        "- **{}** : {}",
        pages::rule_term(row.is_group),
        code(&row.name)
    );
    if let Some(part) = row.guide_section.as_ref().and_then(GuideSection::part) {
        let _ = writeln!(out, "- **{}** : « {} »", pages::GUIDE_PART, escape(part));
    }
    if let Some(source) = row.source {
        let _ = writeln!(out, "- **{}** : {source}", pages::SOURCE);
    }
    let amount = match &row.amount {
        Amount::Own { variants, .. } => variants_text(variants),
        Amount::InGroup { group, amount } => pages::in_group(&escape(amount), &escape(group)),
        Amount::None => pages::NO_AMOUNT.into(),
    };
    let _ = writeln!(out, "- **{}** : {amount}", pages::AMOUNT);
    let _ = write!(out, "- **{}** : ", pages::condition_term(row.is_group));
    phrase(&row.met, 0, out);
    if let Some(applies) = &row.applies {
        let _ = writeln!(out, "- **{}** : {}", pages::APPLIES, escape(applies));
    }
    for n in &row.neutralisations {
        let _ = writeln!(out, "- **{}** : {}", pages::NEUTRALISED, escape(&n.full));
    }
    if let Some(payment) = &row.payment {
        let _ = writeln!(out, "- **{}** : {}", pages::PAYMENT, escape(payment));
    }
    if !row.is_group {
        let _ = writeln!(
            out,
            "- **{}** : {}",
            pages::EVIDENCE,
            escape(row.evidence.as_deref().unwrap_or(pages::NOT_SPECIFIED))
        );
    }
    if !row.quotes.is_empty() {
        let _ = writeln!(out, "- **{}** :", pages::QUOTES);
        for (i, q) in row.quotes.iter().enumerate() {
            if i > 0 {
                out.push_str("  >\n");
            }
            let _ = writeln!(out, "  > « {} »", escape(q));
        }
    }
    out.push('\n');
}

fn inputs(doc: &Document, out: &mut String) {
    out.push_str(
        "## Données de la déclaration\n\nChaque déclaration porte un identifiant (`id`) et ces données, \
         nommées comme dans la première colonne (fichier JSON ou CSV ; `forfait schema` en donne le schéma JSON).\n\n\
         | Donnée | Libellé | Type | Source | Si elle manque | Lue par |\n| --- | --- | --- | --- | --- | --- |\n",
    );
    for input in &doc.inputs {
        let read_by = super::names_or(&input.read_by, "—", code);
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {read_by} |",
            code(&input.name),
            escape(&input.label),
            escape(&input.ty),
            input.source,
            escape(&input.missing)
        );
    }
    out.push('\n');
    for input in doc.inputs.iter().filter(|i| i.values.len() > 1) {
        let _ = writeln!(
            out,
            "### Valeurs de {} ({})\n",
            code(&input.name),
            escape(&input.label)
        );
        values_table(&input.values, out);
    }
}

fn values_table(values: &[(String, String)], out: &mut String) {
    out.push_str("| Valeur à déclarer | Libellé |\n| --- | --- |\n");
    for (name, label) in values {
        let _ = writeln!(out, "| {} | {} |", code(name), escape(label));
    }
    out.push('\n');
}

fn lists(doc: &Document, out: &mut String) {
    if doc.lists.is_empty() {
        return;
    }
    out.push_str("## Listes\n\n");
    for list in &doc.lists {
        let _ = writeln!(
            out,
            "### {}{}\n\nListe {} : {} valeurs de « {} »{}.\n",
            list.guide_section
                .as_ref()
                .map(|s| format!("{} · ", escape(s.text())))
                .unwrap_or_default(),
            escape(&list.label),
            code(&list.name),
            list.members.len(),
            escape(&list.input),
            if list.used_by.is_empty() {
                String::new()
            } else {
                format!(
                    " ; utilisée par {}",
                    super::names_or(&list.used_by, "", code)
                )
            }
        );
        values_table(&list.members, out);
    }
}

fn totals(doc: &Document, out: &mut String) {
    out.push_str("## Totaux du guide\n\n");
    if doc.totals.is_empty() {
        out.push_str("Le rulebook ne recopie aucun total du guide.\n\n");
    } else {
        out.push_str(
            "`forfait check` a calculé, pour chaque profil (chaque combinaison des valeurs à choix qui décident \
             d'un montant), le plus que les règles peuvent verser dans le périmètre de chaque total, et l'a trouvé \
             **égal au total du guide** : ce maximum calculé est celui de la dernière colonne. Une page n'est \
             produite que pour un rulebook qui passe ce contrôle.\n\n\
             | Total du guide | Section | Périmètre | Profil | Montant du guide | Maximum calculé |\n\
             | --- | --- | --- | --- | ---: | ---: |\n",
        );
        for t in &doc.totals {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} ✓ |",
                escape(&t.label),
                escape(t.guide_section.as_ref().map_or("—", GuideSection::text)),
                escape(&t.scope),
                escape(t.profile.as_deref().unwrap_or(pages::ALL_PROFILES)),
                escape(&t.amount),
                escape(&t.amount)
            );
        }
        out.push('\n');
    }
    if !doc.uncounted.is_empty() {
        let _ = writeln!(out, "{}\n", pages::UNCOUNTED);
        for u in &doc.uncounted {
            let _ = writeln!(out, "- {}", escape(u));
        }
        out.push('\n');
    }
}
