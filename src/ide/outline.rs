//! The outline of a rulebook, and where its items fold.

use crate::syntax::ast::Item;

use super::{Analysis, Span};

/// One entry of the outline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Symbol {
    pub name: String,
    /// The label, in the guide's words.
    pub detail: Option<String>,
    pub kind: OutlineKind,
    /// The whole item.
    pub span: Span,
    /// Its name (what the editor selects).
    pub name_span: Span,
    pub children: Vec<Symbol>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutlineKind {
    Header,
    Input,
    Choice,
    List,
    Indicator,
    Group,
    StatedTotal,
}

impl Analysis {
    /// The outline: the header, inputs (with their values), lists, indicators, groups and
    /// stated totals, with their labels.
    pub fn symbols(&self) -> Vec<Symbol> {
        let Some(rulebook) = &self.rulebook else {
            return Vec::new();
        };
        let header = &rulebook.header;
        let mut out = vec![Symbol {
            name: header.name.text.clone(),
            detail: Some(header.title.value.clone()),
            kind: OutlineKind::Header,
            span: header.span,
            name_span: header.name.span,
            children: Vec::new(),
        }];
        let named = |kind, name: &crate::syntax::ast::Name, label: &str, span, children| Symbol {
            name: name.text.clone(),
            detail: Some(label.to_string()),
            kind,
            span,
            name_span: name.span,
            children,
        };
        for item in &rulebook.items {
            out.push(match item {
                Item::Input(x) => {
                    let children = match &x.ty {
                        crate::syntax::ast::InputType::OneOf(values) => values
                            .iter()
                            .map(|v| Symbol {
                                name: v.name.text.clone(),
                                detail: v.label.as_ref().map(|l| l.value.clone()),
                                kind: OutlineKind::Choice,
                                span: v.label.as_ref().map_or(v.name.span, |l| {
                                    Span::new(v.name.span.start, l.span.end)
                                }),
                                name_span: v.name.span,
                                children: Vec::new(),
                            })
                            .collect(),
                        _ => Vec::new(),
                    };
                    named(
                        OutlineKind::Input,
                        &x.name,
                        &x.label.value,
                        x.span,
                        children,
                    )
                }
                Item::List(x) => named(
                    OutlineKind::List,
                    &x.name,
                    &x.label.value,
                    x.span,
                    Vec::new(),
                ),
                Item::Indicator(x) => named(
                    OutlineKind::Indicator,
                    &x.name,
                    &x.label.value,
                    x.span,
                    Vec::new(),
                ),
                Item::Group(x) => named(
                    OutlineKind::Group,
                    &x.name,
                    &x.label.value,
                    x.span,
                    Vec::new(),
                ),
                Item::StatedTotal(x) => Symbol {
                    name: x.label.value.clone(),
                    detail: self
                        .text
                        .get(x.amount.span.start..x.amount.span.end)
                        .map(str::to_string),
                    kind: OutlineKind::StatedTotal,
                    span: x.span,
                    name_span: x.label.span,
                    children: Vec::new(),
                },
            });
        }
        out
    }

    /// One range per item (the header included), from its keyword to its last clause; an
    /// item that does not parse folds as written.
    pub fn folding(&self) -> Vec<Span> {
        let mut out: Vec<Span> = Vec::new();
        if let Some(rulebook) = &self.rulebook {
            out.push(rulebook.header.span);
            for item in &rulebook.items {
                out.push(match item {
                    Item::Input(x) => x.span,
                    Item::List(x) => x.span,
                    Item::Indicator(x) => x.span,
                    Item::Group(x) => x.span,
                    Item::StatedTotal(x) => x.span,
                });
            }
        }
        for chunk in &self.broken {
            let text = &self.text[chunk.start..chunk.end];
            let trimmed = text.trim_end().len();
            out.push(Span::new(chunk.start, chunk.start + trimmed));
        }
        out.sort_by_key(|s| s.start);
        out
    }
}
