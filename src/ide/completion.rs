//! What may be typed at a place: names in scope where a name goes, keywords where a clause
//! goes (in the canonical order of clauses, `fmt`'s). Works on text that does not parse,
//! as text being typed seldom does: the place is read from the words before it, the names
//! from what parsed.

use crate::syntax::ast::{self, Item, Rulebook, Span};

use super::hover::kind_word;
use super::index::{NameIndex, SymbolKind};
use super::keywords;
use super::lexer::{self, Token, TokenKind};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompletionKind {
    Keyword,
    Name(SymbolKind),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Completion {
    /// What is shown, and inserted.
    pub label: String,
    pub kind: CompletionKind,
    /// A name's label, or a keyword's line of the reference.
    pub detail: Option<String>,
    /// The order to show them in.
    pub order: u32,
}

/// What a completion replaces (the word being typed, possibly empty) and the choices.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Completions {
    pub replace: Span,
    pub items: Vec<Completion>,
}

/// The clauses of each kind of item in their canonical order; one number per place, so
/// that `automated`, `declarative` and `declarative prefilled` are one place.
const INDICATOR: &[(u32, &str)] = &[
    (0, "section"),
    (1, "automated"),
    (1, "declarative"),
    (1, "declarative prefilled"),
    (2, "evidence"),
    (3, "applies when"),
    (4, "met when"),
    (5, "neutralised"),
    (5, "neutralised when"),
    (6, "quote"),
    (7, "requires"),
    (7, "independent"),
    (8, "pays"),
];
const GROUP: &[(u32, &str)] = &[
    (0, "section"),
    (1, "all-of"),
    (1, "each-of"),
    (2, "quote"),
    (3, "requires"),
    (3, "independent"),
    (4, "pays"),
];
const INPUT: &[(u32, &str)] = &[
    (0, "yes/no"),
    (0, "count"),
    (0, "decimal"),
    (0, "date"),
    (0, "text"),
    (0, "one of"),
    (1, "automated"),
    (1, "declarative"),
    (1, "declarative prefilled"),
    (2, "unit"),
    (3, "missing is error"),
    (3, "missing means"),
    (3, "missing means none"),
];
const LIST: &[(u32, &str)] = &[(0, "section")];
const TOTAL: &[(u32, &str)] = &[(0, "section"), (1, "of"), (2, "for")];
const HEADER: &[(u32, &str)] = &[
    (0, "scheme"),
    (1, "exercice"),
    (2, "paid in"),
    (3, "guide"),
    (4, "currency EUR"),
    (5, "point value"),
    (6, "professions"),
];
const ITEMS: &[&str] = &["input", "list", "indicator", "group", "stated total"];
/// Clauses that may be written more than once.
const REPEATED: &[&str] = &["neutralised", "quote"];

/// The start of the item holding `offset`: its line starts with an item's keyword (as
/// `syntax` cuts a file to recover from errors); 0 for the header.
pub(super) fn item_start(source: &str, offset: usize) -> usize {
    let mut start = 0;
    let mut line_start = 0;
    for line in source.split_inclusive('\n') {
        if line_start > offset {
            break;
        }
        if line_start > 0 && ITEMS.iter().any(|k| line.starts_with(&format!("{k} "))) {
            start = line_start;
        }
        line_start += line.len();
    }
    start
}

struct Place<'a> {
    source: &'a str,
    /// The words of the item before the one being typed, comments left out.
    before: Vec<Token>,
}

impl<'a> Place<'a> {
    fn word(&self, back: usize) -> Option<&'a str> {
        let t = self.before.len().checked_sub(back + 1)?;
        self.before
            .get(t)
            .filter(|t| t.kind == TokenKind::Word || t.kind == TokenKind::Operator)
            .map(|t| t.text(self.source))
    }

    fn last(&self) -> Option<&Token> {
        self.before.last()
    }

    /// The word before the innermost `(` not yet closed, and the words after it.
    fn open_paren(&self) -> Option<(usize, Vec<&'a str>)> {
        let mut depth = 0usize;
        for (i, t) in self.before.iter().enumerate().rev() {
            match t.kind {
                TokenKind::CloseParen => depth += 1,
                TokenKind::OpenParen if depth == 0 => {
                    let inside = self.before[i + 1..]
                        .iter()
                        .filter(|t| t.kind == TokenKind::Word)
                        .map(|t| t.text(self.source))
                        .collect();
                    return Some((i, inside));
                }
                TokenKind::OpenParen => depth -= 1,
                _ => {}
            }
        }
        None
    }

    fn text_at(&self, i: usize) -> Option<&'a str> {
        self.before.get(i).map(|t| t.text(self.source))
    }
}

pub fn complete(
    source: &str,
    offset: usize,
    rulebook: Option<&Rulebook>,
    index: &NameIndex,
) -> Completions {
    let offset = super::lines::floor_char_boundary(source, offset);
    let start = item_start(source, offset);
    let mut tokens: Vec<Token> = lexer::tokens(&source[start..offset])
        .into_iter()
        .map(|t| Token {
            kind: t.kind,
            span: Span::new(t.span.start + start, t.span.end + start),
        })
        .collect();
    let mut replace = Span::new(offset, offset);
    if let Some(last) = tokens.last() {
        if last.span.end == offset {
            match last.kind {
                // Inside a comment or a text, or right after a closed text: nothing.
                TokenKind::Comment | TokenKind::Text => return Completions::default(),
                TokenKind::Word => {
                    replace = last.span;
                    tokens.pop();
                }
                _ => {}
            }
        }
    }
    tokens.retain(|t| t.kind != TokenKind::Comment);
    let place = Place {
        source,
        before: tokens,
    };
    let line_start = source[..replace.start]
        .rfind(['\n', '\r'])
        .map_or(0, |i| i + 1);
    let at_line_start = source[line_start..replace.start].trim().is_empty();
    let indented = replace.start > line_start;
    let items = Items {
        rulebook,
        index,
        out: Vec::new(),
    };
    let mut items = items;
    let item_kind = place.text_at(0).unwrap_or("rulebook");
    if !items.after_word(&place, item_kind) {
        if place.last().is_none() && start == 0 {
            // An empty file: it starts with its header.
            items.keyword("rulebook", 0);
        } else if at_line_start || place.last().is_none() {
            items.clauses(&place, item_kind);
            if !indented {
                items.item_keywords();
            }
        } else if in_condition(&place) {
            for (i, word) in ["and", "or"].iter().enumerate() {
                items.keyword(word, i as u32);
            }
        } else {
            items.clauses(&place, item_kind);
        }
    }
    let prefix = &source[replace.start..replace.end];
    let mut out = items.out;
    out.retain(|c| c.label.starts_with(prefix));
    out.sort_by(|a, b| (a.order, &a.label).cmp(&(b.order, &b.label)));
    out.dedup_by(|a, b| a.label == b.label);
    Completions {
        replace,
        items: out,
    }
}

/// Whether the words before end inside a condition: a `when` or `for` opened it, and no
/// clause keyword came since.
fn in_condition(place: &Place<'_>) -> bool {
    for t in place.before.iter().rev() {
        if t.kind != TokenKind::Word {
            continue;
        }
        match t.text(place.source) {
            "when" | "for" => return true,
            "section" | "evidence" | "quote" | "requires" | "independent" | "pays" | "unit"
            | "missing" | "otherwise" | "of" => return false,
            _ => {}
        }
    }
    false
}

struct Items<'r> {
    rulebook: Option<&'r Rulebook>,
    index: &'r NameIndex,
    out: Vec<Completion>,
}

impl Items<'_> {
    fn keyword(&mut self, label: &str, order: u32) {
        let first = label.split(' ').next().unwrap_or(label);
        let second = label.split(' ').nth(1);
        self.out.push(Completion {
            label: label.to_string(),
            kind: CompletionKind::Keyword,
            detail: keywords::reference(first, None)
                .or_else(|| second.and_then(|s| keywords::reference(s, Some(first))))
                .map(|r| r.line.to_string()),
            order,
        });
    }

    fn item_keywords(&mut self) {
        for k in ITEMS {
            self.keyword(k, 100);
        }
    }

    /// The clauses that may come after the last one written, in canonical order.
    fn clauses(&mut self, place: &Place<'_>, item_kind: &str) {
        let table = match item_kind {
            "indicator" => INDICATOR,
            "group" => GROUP,
            "input" => INPUT,
            "list" => LIST,
            "stated" => TOTAL,
            _ => HEADER,
        };
        // The last clause written: the furthest place whose first word appears.
        let words: Vec<&str> = place
            .before
            .iter()
            .skip(1)
            .filter(|t| t.kind == TokenKind::Word)
            .map(|t| t.text(place.source))
            .collect();
        let mut last: Option<(u32, &str)> = None;
        for w in &words {
            if let Some((p, clause)) = table.iter().find(|(_, c)| c.split(' ').next() == Some(*w)) {
                if last.is_none_or(|(q, _)| *p >= q) {
                    last = Some((*p, clause));
                }
            }
        }
        for (order, (p, clause)) in (0u32..).zip(table) {
            let first = clause.split(' ').next().unwrap_or(clause);
            let allowed = match last {
                None => true,
                Some((q, _)) => *p > q || (*p == q && REPEATED.contains(&first)),
            };
            if allowed {
                self.keyword(clause, order);
            }
        }
    }

    fn names(&mut self, filter: impl Fn(SymbolKind, &str) -> bool, skip: &[&str], order: u32) {
        let mut found = Vec::new();
        for s in &self.index.symbols {
            if s.kind.is_item() && filter(s.kind, &s.name) && !skip.contains(&s.name.as_str()) {
                found.push(Completion {
                    label: s.name.clone(),
                    kind: CompletionKind::Name(s.kind),
                    detail: Some(self.label(s.item, s.kind, &s.name)),
                    order,
                });
            }
        }
        self.out.extend(found);
    }

    fn label(&self, item: Option<usize>, kind: SymbolKind, name: &str) -> String {
        let label = item
            .and_then(|i| self.rulebook?.items.get(i))
            .and_then(|item| match item {
                Item::Input(x) => Some(x.label.value.clone()),
                Item::List(x) => Some(x.label.value.clone()),
                Item::Indicator(x) => Some(x.label.value.clone()),
                Item::Group(x) => Some(x.label.value.clone()),
                Item::StatedTotal(_) => None,
            });
        match label {
            Some(l) => format!("{} — {l}", kind_word(kind)),
            None if name == "profession" => "entrée — Profession".to_string(),
            None => kind_word(kind).to_string(),
        }
    }

    fn inputs(&mut self, order: u32) {
        self.names(|k, _| k == SymbolKind::Input, &[], order);
    }

    fn input_type(&self, name: &str) -> Option<&ast::InputType> {
        let symbol = self.index.symbol(self.index.item(name)?)?;
        match self.rulebook?.items.get(symbol.item?)? {
            Item::Input(input) => Some(&input.ty),
            _ => None,
        }
    }

    fn values(&mut self, input: &str, skip: &[&str]) {
        let Some(id) = self.index.item(input) else {
            return;
        };
        let found: Vec<Completion> = self
            .index
            .choices(id)
            .filter(|(_, s)| !skip.contains(&s.name.as_str()))
            .map(|(_, s)| Completion {
                label: s.name.clone(),
                kind: CompletionKind::Name(SymbolKind::Choice),
                detail: Some(format!("valeur de `{input}`")),
                order: 0,
            })
            .collect();
        self.out.extend(found);
    }

    /// Where a word has a known continuation: a name after `requires`, a value after
    /// `zone =`, a list after `in`... `false` when the place says nothing.
    fn after_word(&mut self, place: &Place<'_>, item_kind: &str) -> bool {
        if let Some((paren, inside)) = place.open_paren() {
            let before = place.text_at(paren.wrapping_sub(1)).unwrap_or("");
            let last_is_open = place
                .last()
                .is_some_and(|t| t.kind == TokenKind::OpenParen || t.kind == TokenKind::Comma);
            match before {
                "all-of" | "each-of" => {
                    self.names(|k, _| k.is_rule(), &inside, 0);
                    return true;
                }
                "of" if item_kind == "stated" => {
                    self.names(|k, _| k.is_rule(), &inside, 0);
                    return true;
                }
                "in" if last_is_open => {
                    let operand = place.text_at(paren.wrapping_sub(2)).unwrap_or("");
                    self.values(operand, &inside);
                    return true;
                }
                _ if item_kind == "list" && last_is_open => {
                    let input = place.text_at(4).unwrap_or("");
                    self.values(input, &inside);
                    return true;
                }
                "of" | "professions" => return last_is_open,
                _ => {}
            }
        }
        let Some(previous) = place.word(0) else {
            return false;
        };
        match previous {
            "when" | "and" | "or" | "not" | "for" => {
                self.inputs(0);
                self.keyword("not", 1);
                true
            }
            "requires" => {
                self.names(|k, _| k.is_rule(), &[], 0);
                true
            }
            "per" => {
                let counts: Vec<String> = self
                    .index
                    .symbols
                    .iter()
                    .filter(|s| {
                        s.kind == SymbolKind::Input
                            && matches!(self.input_type(&s.name), Some(ast::InputType::Count))
                    })
                    .map(|s| s.name.clone())
                    .collect();
                self.names(
                    |k, n| k == SymbolKind::Input && counts.iter().any(|c| c == n),
                    &[],
                    0,
                );
                true
            }
            "=" | "!=" | "≠" => {
                let operand = place.word(1).unwrap_or("");
                match self.input_type(operand) {
                    Some(ast::InputType::OneOf(_)) => self.values(operand, &[]),
                    Some(ast::InputType::YesNo) => {
                        self.keyword("yes", 0);
                        self.keyword("no", 0);
                    }
                    Some(_) => {}
                    None if operand == "profession" => self.values(operand, &[]),
                    None => self.inputs(0),
                }
                true
            }
            ">=" | "<=" | ">" | "<" | "≥" | "≤" => {
                self.inputs(0);
                true
            }
            "in" if place.word(1) != Some("paid") => {
                let operand = place.word(1).unwrap_or("");
                let lists: Vec<String> = self
                    .rulebook
                    .map(|r| {
                        r.items
                            .iter()
                            .filter_map(|i| match i {
                                Item::List(l) if l.of_input.text == operand => {
                                    Some(l.name.text.clone())
                                }
                                _ => None,
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                self.names(
                    |k, n| k == SymbolKind::List && lists.iter().any(|l| l == n),
                    &[],
                    0,
                );
                true
            }
            "of" if item_kind == "list" && place.before.len() == 4 => {
                let choices: Vec<String> = self
                    .index
                    .symbols
                    .iter()
                    .filter(|s| {
                        s.kind == SymbolKind::Input
                            && (s.builtin
                                || matches!(
                                    self.input_type(&s.name),
                                    Some(ast::InputType::OneOf(_))
                                ))
                    })
                    .map(|s| s.name.clone())
                    .collect();
                self.names(
                    |k, n| k == SymbolKind::Input && choices.iter().any(|c| c == n),
                    &[],
                    0,
                );
                true
            }
            "means" => {
                let input = place.text_at(1).unwrap_or("");
                match self.input_type(input) {
                    Some(ast::InputType::OneOf(_)) => self.values(input, &[]),
                    Some(ast::InputType::YesNo) => {
                        self.keyword("yes", 0);
                        self.keyword("no", 0);
                    }
                    _ => {}
                }
                self.keyword("none", 1);
                true
            }
            "missing" => {
                self.keyword("is error", 0);
                self.keyword("means", 0);
                true
            }
            "declarative" => {
                // `declarative prefilled`, or the next clause.
                self.keyword("prefilled", 0);
                false
            }
            _ => false,
        }
    }
}
