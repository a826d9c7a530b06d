//! The documentation page in Markdown: the same content as the HTML page, for a
//! repository's wiki or a pull request.

use std::fmt::Write;

use super::{Amount, Document, Fact, Row, Section};
use crate::french::{self, labels::Phrase, pages, pages::Markup, GuideSection};
use crate::lang::typography::glued_amounts;

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

/// Markdown's marks for the sentences of `french::pages`.
struct Md;

impl Markup for Md {
    fn text(&self, text: &str) -> String {
        escape(text)
    }
    fn code(&self, name: &str) -> String {
        code(name)
    }
    fn strong(&self, words: &str) -> String {
        format!("**{words}**")
    }
}

/// A table's header row and its alignment row (`right` columns aligned right).
fn table_head(columns: &[&str], right: &[usize], out: &mut String) {
    let _ = writeln!(out, "| {} |", columns.join(" | "));
    let rules: Vec<&str> = (0..columns.len())
        .map(|c| if right.contains(&c) { "---:" } else { "---" })
        .collect();
    let _ = writeln!(out, "| {} |", rules.join(" | "));
}

pub fn render(doc: &Document) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", escape(&doc.title));
    let _ = writeln!(
        out,
        "{}\n",
        pages::kicker(&escape(&doc.scheme), doc.exercice, doc.paid_in)
    );
    for (term, fact) in doc.facts() {
        let value = match fact {
            Fact::Text(t) => escape(&t),
            Fact::Name(n) | Fact::Hash(n) => code(&n),
        };
        let _ = writeln!(out, "- **{term}** : {value}");
    }
    out.push('\n');
    if let Some((label, name)) = &doc.only {
        let _ = writeln!(out, "{}\n", pages::only_for(&Md, label, name));
    }
    overview(doc, &mut out);
    for section in &doc.sections {
        details(section, &mut out);
    }
    inputs(doc, &mut out);
    lists(doc, &mut out);
    totals(doc, &mut out);
    let _ = writeln!(out, "---\n\n**{}**\n", pages::TECHNICAL);
    for line in pages::technical(&Md, &doc.name, &code(&doc.content_hash)) {
        let _ = writeln!(out, "- {line}");
    }
    // An amount, a count or a rate never wraps (`1 240 €`, `70 %`), as on the HTML page.
    glued_amounts(&out)
}

fn overview(doc: &Document, out: &mut String) {
    let _ = writeln!(out, "## {}\n", pages::OVERVIEW);
    table_head(&pages::OVERVIEW_COLUMNS, &[3], out);
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
                    pages::shared_amount(&escape(amount))
                }
                Amount::InGroup { .. } => pages::SHARED_AMOUNT_AGAIN.into(),
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
        let _ = writeln!(out, "{}.\n", pages::guide_part(&Md, part));
    }
    if let Some(g) = &section.group {
        let _ = writeln!(out, "{}.\n", pages::group_note(&Md, g));
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
    if let Some(example) = &row.example {
        let _ = writeln!(
            out,
            "- **{}** : {} *{}*",
            pages::EXAMPLE,
            escape(&example.text),
            pages::example_source(&Md, &example.file)
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
    let _ = writeln!(
        out,
        "## {}\n\n{}\n",
        pages::INPUTS,
        pages::inputs_intro(&Md)
    );
    table_head(&pages::INPUTS_COLUMNS, &[], out);
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
            "### {}\n",
            pages::values_of(&Md, &input.name, &input.label)
        );
        values_table(&input.values, out);
    }
}

fn values_table(values: &[(String, String)], out: &mut String) {
    table_head(&pages::VALUES_COLUMNS, &[], out);
    for (name, label) in values {
        let _ = writeln!(out, "| {} | {} |", code(name), escape(label));
    }
    out.push('\n');
}

fn lists(doc: &Document, out: &mut String) {
    if doc.lists.is_empty() {
        return;
    }
    let _ = writeln!(out, "## {}\n", pages::LISTS);
    for list in &doc.lists {
        let _ = writeln!(
            out,
            "### {}{}\n\n{}\n",
            list.guide_section
                .as_ref()
                .map(|s| format!("{} · ", escape(s.text())))
                .unwrap_or_default(),
            escape(&list.label),
            pages::list_summary(
                &Md,
                &list.name,
                list.members.len(),
                &list.input,
                &super::names_or(&list.used_by, "", code)
            )
        );
        values_table(&list.members, out);
    }
}

fn totals(doc: &Document, out: &mut String) {
    let _ = writeln!(out, "## {}\n", pages::TOTALS);
    if doc.totals.is_empty() {
        let _ = writeln!(out, "{}\n", pages::NO_TOTALS);
    } else {
        let _ = writeln!(out, "{}\n", pages::totals_intro(&Md));
        table_head(&pages::TOTALS_COLUMNS, &[4, 5], out);
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
