//! What each word of a rulebook is, for colouring it: the lexer's words, the names by
//! what the name index says they are.

use super::index::SymbolKind;
use super::{keywords, lexer, Analysis, Span, SymbolId};

/// What a word is, for colouring it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Highlight {
    Keyword,
    Name(SymbolKind),
    Text,
    Number,
    Comment,
    Operator,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Highlighted {
    pub span: Span,
    pub highlight: Highlight,
    /// Where the name is defined (not a use).
    pub definition: bool,
}

impl Analysis {
    /// Every keyword, name, text, number, comment and sign, in source order.
    pub fn highlights(&self) -> Vec<Highlighted> {
        lexer::tokens(&self.text)
            .into_iter()
            .filter_map(|t| {
                let highlight = match t.kind {
                    lexer::TokenKind::Text => Highlight::Text,
                    lexer::TokenKind::Number => Highlight::Number,
                    lexer::TokenKind::Comment => Highlight::Comment,
                    lexer::TokenKind::Operator => Highlight::Operator,
                    lexer::TokenKind::Word => return Some(self.word_highlight(t.span)),
                    _ => return None,
                };
                Some(Highlighted {
                    span: t.span,
                    highlight,
                    definition: false,
                })
            })
            .collect()
    }

    fn word_highlight(&self, span: Span) -> Highlighted {
        let word = &self.text[span.start..span.end];
        let kind_of = |id: SymbolId| self.index.symbol(id).map(|s| s.kind);
        let occurrence = self
            .index
            .at(span.start)
            .filter(|o| o.span.start == span.start && o.span.end == span.end);
        let (highlight, definition) = match occurrence {
            Some(o) => (
                Highlight::Name(o.symbol.and_then(kind_of).unwrap_or(SymbolKind::Input)),
                o.definition,
            ),
            None if keywords::KEYWORDS.contains(&word) => (Highlight::Keyword, false),
            None => (
                Highlight::Name(
                    self.index
                        .item(word)
                        .and_then(kind_of)
                        .unwrap_or(SymbolKind::Input),
                ),
                false,
            ),
        };
        Highlighted {
            span,
            highlight,
            definition,
        }
    }
}
