//! `forfait fmt`: the one canonical layout of a rulebook.
//!
//! The layout is written from the AST, so it depends on nothing but the rules: clauses in
//! their fixed order, one per line, indented by two spaces; one blank line between items;
//! lists on one line when they fit in 100 columns, else one element a line. Comments are
//! kept exactly, where they were: a comment on its own line stays before the clause or item
//! it preceded; an indented comment right after an item stays with that item; a comment at
//! the end of a line stays at the end of that line.
//!
//! Formatting never changes meaning: `tests/fmt.rs` re-parses every formatted rulebook and
//! checks that the AST (which ignores spans) is the same, and that formatting is idempotent.

use crate::syntax::ast::*;

/// Lines longer than this are split where the layout allows (lists of names or values).
const WIDTH: usize = 100;
const INDENT: &str = "  ";

/// Formats a parsed rulebook; `source` is the text it was parsed from (for comments).
pub fn format(rulebook: &Rulebook, source: &str) -> String {
    let mut out = Writer {
        lines: Vec::new(),
        comments: rulebook
            .comments
            .iter()
            .map(|c| PendingComment::new(c, source))
            .collect(),
        next_comment: 0,
    };
    header(&mut out, &rulebook.header);
    let starts: Vec<usize> = rulebook.items.iter().map(|i| item_span(i).start).collect();
    for (i, item) in rulebook.items.iter().enumerate() {
        // Indented comments right after the previous item belong to it.
        let end_of_previous = if i == 0 {
            rulebook.header.span.end
        } else {
            item_span(&rulebook.items[i - 1]).end
        };
        out.trailing_comments(end_of_previous, starts[i]);
        out.blank();
        out.comments_before(starts[i], "");
        match item {
            Item::Input(x) => input(&mut out, x),
            Item::List(x) => list(&mut out, x),
            Item::Indicator(x) => indicator(&mut out, x),
            Item::Group(x) => group(&mut out, x),
            Item::StatedTotal(x) => stated_total(&mut out, x),
        }
    }
    let end = rulebook
        .items
        .last()
        .map_or(rulebook.header.span.end, |i| item_span(i).end);
    out.trailing_comments(end, usize::MAX);
    if out.next_comment < out.comments.len() {
        out.blank();
        out.comments_before(usize::MAX, "");
    }
    let mut text = out.lines.join("\n");
    text.push('\n');
    text
}

fn item_span(item: &Item) -> Span {
    match item {
        Item::Input(x) => x.span,
        Item::List(x) => x.span,
        Item::Indicator(x) => x.span,
        Item::Group(x) => x.span,
        Item::StatedTotal(x) => x.span,
    }
}

/// A comment of the source, with what the layout needs to know of its place.
struct PendingComment {
    start: usize,
    text: String,
    /// Alone on its line (else it ends a line of code).
    standalone: bool,
    /// Starts after some indentation.
    indented: bool,
    /// A blank line separates it from what comes before.
    blank_before: bool,
    /// A blank line separates it from what comes after (a section title, a file header).
    blank_after: bool,
}

impl PendingComment {
    fn new(comment: &Comment, source: &str) -> PendingComment {
        // A lone carriage return ends a comment too (the grammar says so).
        let line_start = source[..comment.span.start]
            .rfind(['\n', '\r'])
            .map_or(0, |i| i + 1);
        let before_on_line = &source[line_start..comment.span.start];
        let previous_lines = &source[..line_start];
        let blank_before = previous_lines
            .trim_end_matches('\n')
            .rsplit('\n')
            .next()
            .is_some_and(|l| l.trim().is_empty())
            && previous_lines.ends_with("\n\n");
        // A blank line follows, and something follows it (not just the end of the file).
        let after = &source[comment.span.end.min(source.len())..];
        let mut next_lines = after.split('\n').skip(1);
        let blank_after = next_lines.next().is_some_and(|l| l.trim().is_empty())
            && next_lines.any(|l| !l.trim().is_empty());
        PendingComment {
            blank_after,
            start: comment.span.start,
            text: comment.text.trim_end().to_string(),
            standalone: before_on_line.trim().is_empty(),
            indented: !before_on_line.is_empty(),
            blank_before,
        }
    }
}

struct Writer {
    lines: Vec<String>,
    comments: Vec<PendingComment>,
    next_comment: usize,
}

impl Writer {
    fn line(&mut self, indent: &str, text: &str) {
        self.lines.push(format!("{indent}{text}"));
    }

    /// One blank line, never two, never at the top.
    fn blank(&mut self) {
        if self.lines.last().is_some_and(|l| !l.is_empty()) {
            self.lines.push(String::new());
        }
    }

    /// Writes the comments that start before `offset`: own-line ones at `indent`, end-of-
    /// line ones after the last line written.
    fn comments_before(&mut self, offset: usize, indent: &str) {
        while let Some(c) = self.comments.get(self.next_comment) {
            if c.start >= offset {
                break;
            }
            let (standalone, blank_before, blank_after, text) =
                (c.standalone, c.blank_before, c.blank_after, c.text.clone());
            if standalone || self.lines.is_empty() {
                if blank_before && !self.lines.is_empty() {
                    self.blank();
                }
                self.line(indent, &text);
                if blank_after {
                    self.blank();
                }
            } else if let Some(last) = self.lines.last_mut() {
                last.push_str("  ");
                last.push_str(&text);
            }
            self.next_comment += 1;
        }
    }

    /// After an item ends: the end-of-line comment on its last line, and the indented
    /// comments that follow it before the next item, stay with it.
    fn trailing_comments(&mut self, item_end: usize, next_start: usize) {
        while let Some(c) = self.comments.get(self.next_comment) {
            if c.start < item_end || c.start >= next_start {
                break;
            }
            let belongs = !c.standalone || (c.indented && !c.blank_before);
            if !belongs {
                break;
            }
            self.comments_before(c.start + 1, INDENT);
        }
    }
}

fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

fn header(out: &mut Writer, h: &Header) {
    out.comments_before(h.span.start, "");
    out.line(
        "",
        &format!("rulebook {} {}", h.name.text, quoted(&h.title.value)),
    );
    let clauses: [(usize, String); 5] = [
        (
            h.scheme.span.start,
            format!("scheme {}", quoted(&h.scheme.value)),
        ),
        (
            h.exercice.span.start,
            format!("exercice {:04}", h.exercice.value),
        ),
        (
            h.paid_in.span.start,
            format!("paid in {:04}", h.paid_in.value),
        ),
        (
            h.guide.span.start,
            format!("guide {}", quoted(&h.guide.value)),
        ),
        (h.currency.start, "currency EUR".to_string()),
    ];
    for (start, text) in clauses {
        out.comments_before(start, INDENT);
        out.line(INDENT, &text);
    }
    if let Some(pv) = &h.point_value {
        out.comments_before(pv.span.start, INDENT);
        out.line(INDENT, &format!("point value {}", amount(pv)));
    }
    out.comments_before(h.professions_span.start, INDENT);
    enum_values(out, "professions", &h.professions);
}

/// `KEYWORD (a "A", b "B")` on one line if it fits, else one value a line.
fn enum_values(out: &mut Writer, keyword: &str, values: &[EnumValue]) {
    let one = |v: &EnumValue| match &v.label {
        Some(l) => format!("{} {}", v.name.text, quoted(&l.value)),
        None => v.name.text.clone(),
    };
    let inline = format!(
        "{keyword} ({})",
        values.iter().map(one).collect::<Vec<_>>().join(", ")
    );
    if INDENT.len() + inline.chars().count() <= WIDTH {
        out.line(INDENT, &inline);
        return;
    }
    out.line(INDENT, &format!("{keyword} ("));
    for v in values {
        out.comments_before(v.name.span.start, "    ");
        out.line("    ", &format!("{},", one(v)));
    }
    out.line(INDENT, ")");
}

fn names(list: &[Name]) -> Vec<String> {
    list.iter().map(|n| n.text.clone()).collect()
}

/// `PREFIX(a, b)` on one line if it fits, else one name a line.
fn name_list(out: &mut Writer, prefix: &str, list: &[Name]) {
    let inline = format!("{prefix}({})", names(list).join(", "));
    if INDENT.len() + inline.chars().count() <= WIDTH {
        out.line(INDENT, &inline);
        return;
    }
    out.line(INDENT, &format!("{prefix}("));
    for n in list {
        out.comments_before(n.span.start, "    ");
        out.line("    ", &format!("{},", n.text));
    }
    out.line(INDENT, ")");
}

fn source_word(source: Source) -> &'static str {
    match source {
        Source::Automated => "automated",
        Source::Declarative => "declarative",
        Source::DeclarativePrefilled => "declarative prefilled",
    }
}

fn input(out: &mut Writer, x: &Input) {
    out.line(
        "",
        &format!("input {} {}", x.name.text, quoted(&x.label.value)),
    );
    out.comments_before(x.ty_span.start, INDENT);
    match &x.ty {
        InputType::OneOf(values) => {
            enum_values(out, "one of", values);
            out.line(INDENT, source_word(x.source));
        }
        other => {
            let ty = match other {
                InputType::YesNo => "yes/no",
                InputType::Count => "count",
                InputType::Decimal => "decimal",
                InputType::Date => "date",
                InputType::Text | InputType::OneOf(_) => "text",
            };
            out.line(INDENT, &format!("{ty} {}", source_word(x.source)));
        }
    }
    if let Some(unit) = &x.unit {
        out.comments_before(unit.span.start, INDENT);
        out.line(INDENT, &format!("unit {}", quoted(&unit.value)));
    }
    out.comments_before(x.missing_span.start, INDENT);
    let missing = match &x.missing {
        Missing::Error => "missing is error".to_string(),
        Missing::None => "missing means none".to_string(),
        Missing::Means(l) => format!("missing means {}", literal(l)),
    };
    out.line(INDENT, &missing);
}

fn literal(l: &Literal) -> String {
    match l {
        Literal::Number(n, _) => n.to_string(),
        Literal::Date(d, _) => d.to_string(),
        Literal::Text(t) => quoted(&t.value),
        Literal::YesNo(b, _) => if *b { "yes" } else { "no" }.into(),
        Literal::Name(n) => n.text.clone(),
    }
}

fn list(out: &mut Writer, x: &List) {
    out.line(
        "",
        &format!(
            "list {} {} of {}",
            x.name.text,
            quoted(&x.label.value),
            x.of_input.text
        ),
    );
    if let Some(s) = &x.section {
        out.comments_before(s.span.start, INDENT);
        out.line(INDENT, &format!("section {}", quoted(&s.value)));
    }
    if let Some(first) = x.values.first() {
        out.comments_before(first.span.start, INDENT);
    }
    name_list(out, "", &x.values);
}

fn indicator(out: &mut Writer, x: &Indicator) {
    out.line(
        "",
        &format!("indicator {} {}", x.name.text, quoted(&x.label.value)),
    );
    out.comments_before(x.section.span.start, INDENT);
    out.line(INDENT, &format!("section {}", quoted(&x.section.value)));
    out.line(INDENT, source_word(x.source));
    if let Some(e) = &x.evidence {
        out.comments_before(e.span.start, INDENT);
        out.line(INDENT, &format!("evidence {}", quoted(&e.value)));
    }
    if let Some(a) = &x.applies {
        out.comments_before(a.span().start, INDENT);
        out.line(INDENT, &format!("applies when {}", condition(a)));
    }
    out.comments_before(x.met.span().start, INDENT);
    out.line(INDENT, &format!("met when {}", condition(&x.met)));
    for n in &x.neutralisations {
        out.comments_before(n.span.start, INDENT);
        match &n.when {
            Some(w) => out.line(
                INDENT,
                &format!(
                    "neutralised when {} {}",
                    condition(w),
                    quoted(&n.words.value)
                ),
            ),
            None => out.line(INDENT, &format!("neutralised {}", quoted(&n.words.value))),
        }
    }
    quotes(out, &x.quotes);
    gating(out, &x.gating);
    if let Some(p) = &x.pays {
        pays(out, p);
    }
}

fn quotes(out: &mut Writer, quotes: &[Text]) {
    for q in quotes {
        out.comments_before(q.span.start, INDENT);
        out.line(INDENT, &format!("quote {}", quoted(&q.value)));
    }
}

fn gating(out: &mut Writer, g: &Option<Gating>) {
    match g {
        Some(Gating::Requires(name)) => {
            out.comments_before(name.span.start, INDENT);
            out.line(INDENT, &format!("requires {}", name.text));
        }
        Some(Gating::Independent(span)) => {
            out.comments_before(span.start, INDENT);
            out.line(INDENT, "independent");
        }
        None => {}
    }
}

/// `pays A`, or variants aligned under the first amount.
fn pays(out: &mut Writer, p: &Pays) {
    for (i, v) in p.variants.iter().enumerate() {
        out.comments_before(v.span.start, INDENT);
        let mut text = amount(&v.amount);
        if let Some(per) = &v.per {
            text.push_str(&format!(" per {}", per.text));
        }
        match &v.guard {
            Guard::Always => {}
            Guard::When(c) => text.push_str(&format!(" when {}", condition(c))),
            Guard::Otherwise(_) => text.push_str(" otherwise"),
        }
        let prefix = if i == 0 { "pays " } else { "     " };
        out.line(INDENT, &format!("{prefix}{text}"));
    }
}

fn amount(a: &Amount) -> String {
    match a.unit {
        AmountUnit::Euros => format!("{} EUR", a.value),
        AmountUnit::Points => format!("{} points", a.value),
    }
}

fn group(out: &mut Writer, x: &Group) {
    out.line(
        "",
        &format!("group {} {}", x.name.text, quoted(&x.label.value)),
    );
    if let Some(s) = &x.section {
        out.comments_before(s.span.start, INDENT);
        out.line(INDENT, &format!("section {}", quoted(&s.value)));
    }
    let keyword = match x.kind {
        GroupKind::AllOf => "all-of ",
        GroupKind::EachOf => "each-of ",
    };
    if let Some(first) = x.members.first() {
        out.comments_before(first.span.start, INDENT);
    }
    name_list(out, keyword, &x.members);
    quotes(out, &x.quotes);
    gating(out, &x.gating);
    if let Some(p) = &x.pays {
        pays(out, p);
    }
}

fn stated_total(out: &mut Writer, x: &StatedTotal) {
    out.line(
        "",
        &format!(
            "stated total {} {}",
            quoted(&x.label.value),
            amount(&x.amount)
        ),
    );
    if let Some(s) = &x.section {
        out.comments_before(s.span.start, INDENT);
        out.line(INDENT, &format!("section {}", quoted(&s.value)));
    }
    if let Some(scope) = &x.scope {
        if let Some(first) = scope.first() {
            out.comments_before(first.span.start, INDENT);
        }
        name_list(out, "of ", scope);
    }
    if let Some(p) = &x.profile {
        out.comments_before(p.span().start, INDENT);
        out.line(INDENT, &format!("for {}", condition(p)));
    }
}

/// A condition on one line: `or` loosest, then `and`, then `not`. Parentheses are written
/// where precedence needs them, and around an `and` inside an `or`, for the reader.
pub fn condition(c: &Condition) -> String {
    match c {
        Condition::Or(parts, _) => parts
            .iter()
            .map(|p| match p {
                Condition::And(..) | Condition::Or(..) => format!("({})", condition(p)),
                _ => condition(p),
            })
            .collect::<Vec<_>>()
            .join(" or "),
        Condition::And(parts, _) => parts
            .iter()
            .map(|p| match p {
                Condition::Or(..) | Condition::And(..) => format!("({})", condition(p)),
                _ => condition(p),
            })
            .collect::<Vec<_>>()
            .join(" and "),
        Condition::Not(inner, _) => match inner.as_ref() {
            // `not (not x)`, not `not not x`: long runs of `not` are refused by the parser.
            Condition::Or(..)
            | Condition::And(..)
            | Condition::Not(..)
            | Condition::Compare { .. }
            | Condition::Member { .. } => format!("not ({})", condition(inner)),
            _ => format!("not {}", condition(inner)),
        },
        Condition::Compare {
            left, op, right, ..
        } => format!("{} {} {}", operand(left), op.symbol(), operand(right)),
        Condition::Member {
            operand: o, set, ..
        } => match set {
            SetRef::List(name) => format!("{} in {}", operand(o), name.text),
            SetRef::Values(values, _) => {
                format!("{} in ({})", operand(o), names(values).join(", "))
            }
        },
        Condition::Holds(o) => operand(o),
    }
}

fn operand(o: &Operand) -> String {
    match o {
        Operand::Name(n) => n.text.clone(),
        Operand::Ratio(a, b, _) => format!("{} / {}", a.text, b.text),
        Operand::Number(n, _) => n.to_string(),
        Operand::Percent(p, _) => format!("{p} %"),
        Operand::Fraction(a, b, _) => format!("{a}/{b}"),
        Operand::Date(d, _) => d.to_string(),
        Operand::Text(t) => quoted(&t.value),
        Operand::YesNo(b, _) => if *b { "yes" } else { "no" }.into(),
    }
}
