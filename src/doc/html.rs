//! The documentation page as one self-contained HTML file: inline CSS, no script, no font,
//! image or link to load; printable; real headings and tables with `<th scope>`.

use std::fmt::Write;

use super::{Amount, Document, Fact, Row, Section};
use crate::french::{self, labels::Phrase, pages, pages::Markup, GuideSection};
use crate::lang::typography::glued_amounts;

/// Escapes text for HTML content and double-quoted attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = r#"
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 80rem; padding: 1.5rem 2rem 3rem; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif; color: #1e1e1e; background: #fff; }
header .kicker { margin: 0; color: #3a3a8c; font-weight: 600; text-transform: uppercase; letter-spacing: .04em; font-size: .85rem; }
h1 { margin: .2rem 0 1rem; font-size: 1.75rem; line-height: 1.2; color: #000091; }
h2 { margin: 2.2rem 0 .6rem; padding-bottom: .25rem; border-bottom: 2px solid #000091; font-size: 1.3rem; color: #000091; }
h3 { margin: 1.2rem 0 .4rem; font-size: 1.05rem; }
h4 { margin: 1rem 0 .4rem; font-size: 1rem; }
a { color: #000091; }
code { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .85em; background: #f0f0f5; padding: 0 .25em; border-radius: 3px; white-space: nowrap; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1.2rem; margin: 0 0 1rem; }
dl.meta dt { font-weight: 600; }
dl.meta dd { margin: 0; }
.hash { white-space: normal; overflow-wrap: anywhere; }
nav.toc { background: #f5f5fe; border: 1px solid #dcdcf5; padding: .6rem 1.2rem; border-radius: 4px; }
nav.toc h2 { border: 0; margin: .2rem 0; font-size: 1.05rem; }
nav.toc ol { margin: .2rem 0 .4rem; padding-left: 1.4rem; columns: 2; }
table { width: 100%; border-collapse: collapse; margin: .6rem 0 1.2rem; font-size: .92rem; }
caption { text-align: left; font-weight: 600; padding: .3rem 0; }
th, td { border: 1px solid #c9c9dc; padding: .35rem .5rem; text-align: left; vertical-align: top; }
thead th { background: #e3e3fd; }
tbody th[scope=row] { font-weight: normal; }
th[scope=rowgroup] { background: #f5f5fe; font-weight: 600; }
th .summary { display: block; margin-top: .3em; font-weight: normal; font-size: .9em; color: #444; }
table.overview, table.inputs, table.totals { table-layout: fixed; }
.c-total { width: 18%; } .c-perimetre { width: 35%; } .c-profil { width: 14%; } .c-montant-t { width: 13%; }
table.overview th, table.overview td, table.inputs th, table.inputs td { overflow-wrap: break-word; }
table.values { width: auto; min-width: 50%; }
.c-donnee { width: 17%; } .c-libelle { width: 30%; } .c-source { width: 11%; } .c-manque { width: 17%; } .c-lue { width: 13%; }
.c-champ { width: 14%; } .c-indicateur { width: 30%; } .c-section { width: 7%; }
.c-montant { width: 15%; } .c-type { width: 12%; } .c-justificatif { width: 22%; }
.amount { text-align: right; }
td.shared { vertical-align: middle; text-align: center; font-weight: 600; }
tfoot th, tfoot td { font-weight: 700; background: #f4f4f4; }
.depth-1 { padding-left: 1.5rem; }
.depth-2 { padding-left: 2.5rem; }
.group-row { font-style: italic; }
.rule p { margin: .3rem 0; }
article.rule-detail { border: 1px solid #dcdcdc; border-left: 4px solid #000091; border-radius: 3px; padding: .3rem 1rem .6rem; margin: .8rem 0; }
article.nested { margin-left: 1.5rem; }
article.rule-detail dl { display: grid; grid-template-columns: 12rem 1fr; gap: .3rem 1rem; margin: .3rem 0 0; }
article.rule-detail dt { font-weight: 600; color: #333; }
article.rule-detail dd { margin: 0; }
dd ul { margin: .2rem 0; padding-left: 1.3rem; }
blockquote { margin: .25rem 0; padding: .15rem .8rem; border-left: 3px solid #b5b5c8; color: #333; font-style: italic; }
.note { color: #444; font-size: .92em; font-weight: normal; }
.example-source { color: #444; }
.verified { color: #18753c; font-weight: 600; }
footer { margin-top: 2.5rem; padding-top: .6rem; border-top: 1px solid #ccc; color: #555; font-size: .85rem; }
@page { size: A4; margin: 14mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 9.5pt; }
  nav.toc { display: none; }
  a { color: inherit; text-decoration: none; }
  h2, h3, h4 { break-after: avoid; }
  table { font-size: 8.5pt; }
  th, td { padding: .2rem .3rem; }
  thead { display: table-header-group; }
  tfoot { display: table-row-group; }
  article.rule-detail, blockquote { break-inside: avoid; }
  article.rule-detail dl { grid-template-columns: 9rem 1fr; }
  .c-champ { width: 15%; } .c-indicateur { width: 26%; } .c-section { width: 9%; }
  .c-montant { width: 13%; } .c-type { width: 13%; } .c-justificatif { width: 24%; }
}
"#;

pub fn render(doc: &Document) -> String {
    let mut out = String::new();
    let title = escape(&doc.title);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"forfait doc\">\n\
         <title>{title} — règles du forfait</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
    );
    header(doc, &mut out);
    toc(doc, &mut out);
    out.push_str("<main>\n");
    overview(doc, &mut out);
    for section in &doc.sections {
        details(section, &mut out);
    }
    inputs(doc, &mut out);
    lists(doc, &mut out);
    totals(doc, &mut out);
    out.push_str("</main>\n");
    let _ = writeln!(
        out,
        "<footer>\n<p><strong>{}</strong></p>",
        pages::TECHNICAL
    );
    let hash = format!("<code class=\"hash\">{}</code>", escape(&doc.content_hash));
    for line in pages::technical(&Html, &doc.name, &hash) {
        let _ = writeln!(out, "<p>{line}</p>");
    }
    out.push_str(
        "<p>La page ne charge aucune ressource extérieure.</p>\n</footer>\n</body>\n</html>\n",
    );
    out
}

fn header(doc: &Document, out: &mut String) {
    let _ = writeln!(
        out,
        "<header>\n<p class=\"kicker\">{}</p>\n<h1>{}</h1>\n<dl class=\"meta\">",
        pages::kicker(&escape(&doc.scheme), doc.exercice, doc.paid_in),
        escape(&doc.title)
    );
    for (term, fact) in doc.facts() {
        let value = match fact {
            Fact::Text(t) => escape(&t),
            Fact::Name(n) => format!("<code>{}</code>", escape(&n)),
            Fact::Hash(h) => format!("<code class=\"hash\">{}</code>", escape(&h)),
        };
        let _ = writeln!(out, "<dt>{term}</dt><dd>{value}</dd>");
    }
    out.push_str("</dl>\n");
    if let Some((label, name)) = &doc.only {
        let _ = writeln!(
            out,
            "<p class=\"only\">{}</p>",
            pages::only_for(&Html, label, name)
        );
    }
    out.push_str("</header>\n");
}

fn toc(doc: &Document, out: &mut String) {
    let _ = writeln!(
        out,
        "<nav class=\"toc\" aria-label=\"{c}\">\n<h2>{c}</h2>\n<ol>\n<li><a href=\"#tableau\">{}</a></li>",
        pages::OVERVIEW,
        c = pages::CONTENTS
    );
    for s in &doc.sections {
        let _ = writeln!(
            out,
            "<li><a href=\"#sec-{}\">{}</a></li>",
            escape(&s.id),
            escape(&s.title)
        );
    }
    let _ = writeln!(out, "<li><a href=\"#donnees\">{}</a></li>", pages::INPUTS);
    if !doc.lists.is_empty() {
        let _ = writeln!(out, "<li><a href=\"#listes\">{}</a></li>", pages::LISTS);
    }
    let _ = writeln!(
        out,
        "<li><a href=\"#totaux\">{}</a></li>\n</ol>\n</nav>",
        pages::TOTALS
    );
}

/// The guide's table: one row group per section.
fn overview(doc: &Document, out: &mut String) {
    let _ = writeln!(
        out,
        "<section id=\"tableau\">\n<h2>{}</h2>\n<table class=\"overview\">\n\
         <colgroup><col class=\"c-champ\"><col class=\"c-indicateur\"><col class=\"c-section\">\
         <col class=\"c-montant\"><col class=\"c-type\"><col class=\"c-justificatif\"></colgroup>\n\
         <caption>{}</caption>",
        pages::OVERVIEW,
        pages::OVERVIEW_CAPTION
    );
    table_head(&pages::OVERVIEW_COLUMNS, &[3], out);
    for section in &doc.sections {
        out.push_str("<tbody>\n");
        let mut shared_left = 0;
        for (r, row) in section.rows.iter().enumerate() {
            out.push_str("<tr>");
            if r == 0 {
                let _ = write!(
                    out,
                    "<th scope=\"rowgroup\" rowspan=\"{}\"><a href=\"#sec-{}\">{}</a>\
                     <span class=\"summary\">{}</span></th>",
                    section.rows.len(),
                    escape(&section.id),
                    escape(&section.title),
                    escape(&section.summary)
                );
            }
            let class = match (row.depth, row.is_group) {
                (0, false) => String::new(),
                (d, g) => format!(
                    " class=\"depth-{}{}\"",
                    d.min(2),
                    if g { " group-row" } else { "" }
                ),
            };
            let notes: String = row
                .applies
                .iter()
                .chain(row.neutralisations.iter().map(|n| &n.short))
                .map(|n| format!("<span class=\"summary\">{}</span>", escape(n)))
                .collect();
            let _ = write!(
                out,
                "<th scope=\"row\"{class}><a href=\"#{}\">{}</a>{notes}</th><td>{}</td>",
                escape(&row.id),
                escape(&row.label),
                escape(row.guide_section.as_ref().map_or("—", GuideSection::text))
            );
            match &row.amount {
                Amount::Own { cell, .. } => {
                    let _ = write!(out, "<td class=\"amount\">{}</td>", money(cell));
                }
                Amount::InGroup { amount, .. } if shared_left == 0 => {
                    shared_left = section.rows[r..]
                        .iter()
                        .take_while(|x| x.amount == row.amount)
                        .count();
                    let _ = write!(
                        out,
                        "<td class=\"amount shared\" rowspan=\"{shared_left}\">{}</td>",
                        money(amount)
                    );
                }
                Amount::InGroup { .. } => {}
                Amount::None => out.push_str("<td class=\"amount\">—</td>"),
            }
            shared_left = shared_left.saturating_sub(1);
            let _ = writeln!(
                out,
                "<td>{}</td><td>{}</td></tr>",
                escape(row.source.unwrap_or("—")),
                escape(row.evidence.as_deref().unwrap_or(if row.is_group {
                    "—"
                } else {
                    pages::NOT_SPECIFIED
                }))
            );
        }
        out.push_str("</tbody>\n");
    }
    if !doc.totals.is_empty() {
        out.push_str("<tfoot>\n");
        for t in &doc.totals {
            let _ = writeln!(
                out,
                "<tr><th scope=\"row\" colspan=\"3\">{}{}</th><td class=\"amount\">{}</td><td colspan=\"2\"><span class=\"verified\">{}</span></td></tr>",
                escape(&t.label),
                t.profile
                    .as_deref()
                    .map(|p| format!(" <span class=\"note\">({})</span>", escape(p)))
                    .unwrap_or_default(),
                money(&t.amount),
                pages::VERIFIED,
            );
        }
        out.push_str("</tfoot>\n");
    }
    out.push_str("</table>\n</section>\n");
}

/// HTML's marks for the sentences of `french::pages`.
struct Html;

impl Markup for Html {
    fn text(&self, text: &str) -> String {
        escape(text)
    }
    fn code(&self, name: &str) -> String {
        format!("<code>{}</code>", escape(name))
    }
    fn strong(&self, words: &str) -> String {
        format!("<strong>{words}</strong>")
    }
}

/// A table's header row (`right` columns are amounts, aligned right).
fn table_head(columns: &[&str], right: &[usize], out: &mut String) {
    out.push_str("<thead><tr>");
    for (c, column) in columns.iter().enumerate() {
        let class = if right.contains(&c) {
            " class=\"amount\""
        } else {
            ""
        };
        let _ = write!(out, "<th scope=\"col\"{class}>{column}</th>");
    }
    out.push_str("</tr></thead>\n");
}

/// A name in code that may break after its underscores: `cdc_<wbr>sesam_<wbr>vitale`.
fn name(text: &str) -> String {
    format!("<code>{}</code>", escape(text).replace('_', "_<wbr>"))
}

/// An amount that does not break across lines: `1&nbsp;120&nbsp;€`.
fn money(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    for (i, c) in chars.iter().enumerate() {
        let glue = *c == ' '
            && i > 0
            && chars[i - 1].is_ascii_digit()
            && chars
                .get(i + 1)
                .is_some_and(|n| n.is_ascii_digit() || *n == '€' || *n == 'p');
        if glue {
            out.push_str("&nbsp;");
        } else {
            out.push_str(&escape(&c.to_string()));
        }
    }
    out
}

/// One amount, or its variants as a list.
fn variants_text(variants: &[String]) -> String {
    match variants {
        [one] => money(one),
        many => format!(
            "{}<ul>{}</ul>",
            pages::BY_PROFILE,
            many.iter()
                .map(|v| format!("<li>{}</li>", money(v)))
                .collect::<String>()
        ),
    }
}

fn phrase(p: &Phrase) -> String {
    let list = |intro: &str, parts: &[Phrase]| {
        let items: String = parts
            .iter()
            .map(|p| format!("<li>{}</li>", phrase(p)))
            .collect();
        format!("{intro}<ul>{items}</ul>")
    };
    match p {
        Phrase::Leaf(text) => escape(text),
        Phrase::All(parts) => list(french::ALL_HEADING, parts),
        Phrase::Any(parts) => list(french::ANY_HEADING, parts),
        Phrase::Not(inner) => list(french::NOT_HEADING, std::slice::from_ref(inner.as_ref())),
    }
}

fn details(section: &Section, out: &mut String) {
    let _ = writeln!(
        out,
        "<section id=\"sec-{}\" class=\"rule\">\n<h2>{}{}</h2>",
        escape(&section.id),
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
        let _ = writeln!(
            out,
            "<p class=\"note\">{}</p>",
            pages::guide_part(&Html, part)
        );
    }
    if let Some(g) = &section.group {
        let _ = writeln!(out, "<p class=\"note\">{}</p>", pages::group_note(&Html, g));
    }
    for sentence in &section.rule {
        let _ = writeln!(out, "<p>{}</p>", escape(sentence));
    }
    for q in &section.quotes {
        let _ = writeln!(out, "<blockquote>« {} »</blockquote>", escape(q));
    }
    for row in &section.rows {
        row_detail(row, out);
    }
    out.push_str("</section>\n");
}

fn row_detail(row: &Row, out: &mut String) {
    let level = if row.depth == 0 { 3 } else { 4 };
    let _ = writeln!(
        out,
        "<article id=\"{}\" class=\"rule-detail{}\">\n<h{level}>{}{}</h{level}>\n<dl>",
        escape(&row.id),
        if row.depth > 0 { " nested" } else { "" },
        row.guide_section
            .as_ref()
            .and_then(GuideSection::numbered)
            .map(|s| format!("{} · ", escape(s)))
            .unwrap_or_default(),
        escape(&row.label)
    );
    let mut item = |term: &str, value: String| {
        let _ = writeln!(out, "<dt>{term}</dt><dd>{value}</dd>");
    };
    item(
        pages::rule_term(row.is_group),
        format!("<code>{}</code>", escape(&row.name)),
    );
    if let Some(part) = row.guide_section.as_ref().and_then(GuideSection::part) {
        item(pages::GUIDE_PART, format!("« {} »", escape(part)));
    }
    if let Some(source) = row.source {
        item(pages::SOURCE, escape(source));
    }
    item(
        pages::AMOUNT,
        match &row.amount {
            Amount::Own { variants, .. } => variants_text(variants),
            Amount::InGroup { group, amount } => pages::in_group(&escape(amount), &escape(group)),
            Amount::None => pages::NO_AMOUNT.into(),
        },
    );
    item(pages::condition_term(row.is_group), phrase(&row.met));
    if let Some(applies) = &row.applies {
        item(pages::APPLIES, escape(applies));
    }
    for n in &row.neutralisations {
        item(pages::NEUTRALISED, escape(&n.full));
    }
    if let Some(payment) = &row.payment {
        item(pages::PAYMENT, escape(payment));
    }
    if !row.is_group {
        item(
            pages::EVIDENCE,
            escape(row.evidence.as_deref().unwrap_or(pages::NOT_SPECIFIED)),
        );
    }
    if let Some(example) = &row.example {
        item(
            pages::EXAMPLE,
            format!(
                "{} <small class=\"example-source\">{}</small>",
                escape(&glued_amounts(&example.text)),
                pages::example_source(&Html, &example.file)
            ),
        );
    }
    if !row.quotes.is_empty() {
        let quotes: String = row
            .quotes
            .iter()
            .map(|q| format!("<blockquote>« {} »</blockquote>", escape(q)))
            .collect();
        item(pages::QUOTES, quotes);
    }
    out.push_str("</dl>\n</article>\n");
}

fn inputs(doc: &Document, out: &mut String) {
    let _ = writeln!(
        out,
        "<section id=\"donnees\">\n<h2>{}</h2>\n<p>{}</p>\n<table class=\"inputs\">\n\
         <colgroup><col class=\"c-donnee\"><col class=\"c-libelle\"><col class=\"c-type\"><col class=\"c-source\">\
         <col class=\"c-manque\"><col class=\"c-lue\"></colgroup>\n<caption>{}</caption>",
        pages::INPUTS,
        pages::inputs_intro(&Html),
        pages::INPUTS_CAPTION
    );
    table_head(&pages::INPUTS_COLUMNS, &[], out);
    out.push_str("<tbody>\n");
    for input in &doc.inputs {
        let read_by = super::names_or(&input.read_by, "—", name);
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\" id=\"input-{}\">{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{read_by}</td></tr>",
            escape(&input.name),
            name(&input.name),
            escape(&input.label),
            escape(&input.ty),
            escape(input.source),
            escape(&input.missing)
        );
    }
    out.push_str("</tbody>\n</table>\n");
    for input in doc.inputs.iter().filter(|i| i.values.len() > 1) {
        let _ = writeln!(
            out,
            "<h3>{}</h3>",
            pages::values_of(&Html, &input.name, &input.label)
        );
        values_table(&input.values, out);
    }
    out.push_str("</section>\n");
}

fn values_table(values: &[(String, String)], out: &mut String) {
    out.push_str("<table class=\"values\">\n");
    table_head(&pages::VALUES_COLUMNS, &[], out);
    out.push_str("<tbody>\n");
    for (name, label) in values {
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\"><code>{}</code></th><td>{}</td></tr>",
            escape(name),
            escape(label)
        );
    }
    out.push_str("</tbody>\n</table>\n");
}

fn lists(doc: &Document, out: &mut String) {
    if doc.lists.is_empty() {
        return;
    }
    let _ = writeln!(out, "<section id=\"listes\">\n<h2>{}</h2>", pages::LISTS);
    for list in &doc.lists {
        let _ = writeln!(
            out,
            "<h3 id=\"list-{}\">{}{}</h3>\n<p>{}</p>",
            escape(&list.name),
            list.guide_section
                .as_ref()
                .map(|s| format!("{} · ", escape(s.text())))
                .unwrap_or_default(),
            escape(&list.label),
            pages::list_summary(
                &Html,
                &list.name,
                list.members.len(),
                &list.input,
                &super::names_or(&list.used_by, "", |n| Html.code(n))
            )
        );
        values_table(&list.members, out);
    }
    out.push_str("</section>\n");
}

fn totals(doc: &Document, out: &mut String) {
    let _ = writeln!(out, "<section id=\"totaux\">\n<h2>{}</h2>", pages::TOTALS);
    if doc.totals.is_empty() {
        let _ = writeln!(out, "<p>{}</p>", pages::NO_TOTALS);
    } else {
        let _ = writeln!(
            out,
            "<p>{}</p>\n<table class=\"totals\">\n\
             <colgroup><col class=\"c-total\"><col class=\"c-section\"><col class=\"c-perimetre\"><col class=\"c-profil\">\
             <col class=\"c-montant-t\"><col class=\"c-montant-t\"></colgroup>\n<caption>{}</caption>",
            pages::totals_intro(&Html),
            pages::TOTALS_CAPTION
        );
        table_head(&pages::TOTALS_COLUMNS, &[4, 5], out);
        out.push_str("<tbody>\n");
        for t in &doc.totals {
            let _ = writeln!(
                out,
                "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td><td class=\"amount\">{}</td>\
                 <td class=\"amount\"><span class=\"verified\">{} ✓</span></td></tr>",
                escape(&t.label),
                escape(t.guide_section.as_ref().map_or("—", GuideSection::text)),
                escape(&t.scope),
                escape(t.profile.as_deref().unwrap_or(pages::ALL_PROFILES)),
                money(&t.amount),
                money(&t.amount)
            );
        }
        out.push_str("</tbody>\n</table>\n");
    }
    if !doc.uncounted.is_empty() {
        let _ = writeln!(out, "<p>{}</p>\n<ul>", pages::UNCOUNTED);
        for u in &doc.uncounted {
            let _ = writeln!(out, "<li>{}</li>", escape(u));
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</section>\n");
}
