//! What an editor asks about a rulebook text: its diagnostics, what a name is and where it
//! is used, its outline, what may be typed at a place, its canonical layout, its colours.
//!
//! Pure, like the rest of the library: text and byte offsets in, plain data out. The
//! language server (`forfait lsp`) turns offsets into an editor's positions with
//! [`lines::LineIndex`]; a page in a browser can call the same functions. Diagnostics are
//! those of [`crate::parse`] and [`crate::check`] (there is no second checker); names
//! resolve from the AST (`index`).

pub mod completion;
pub mod diagnostics;
pub mod form;
mod highlight;
pub mod hover;
pub mod index;
pub mod keywords;
pub mod lexer;
pub mod lines;
mod outline;
mod rename;
mod words;

pub use crate::syntax::ast::Span;
pub use completion::{Completion, CompletionKind, Completions};
pub use diagnostics::{Diagnostic, Edit, Fix, Related, Severity};
pub use highlight::{Highlight, Highlighted};
pub use index::{NameIndex, SymbolId, SymbolKind};
pub use lines::{ColumnUnit, LineIndex, Position, Utf16Offsets};
pub use outline::{OutlineKind, Symbol};
pub use rename::RenameRefusal;

use crate::diagnostics::Error;
use crate::lang::Lang;
use crate::syntax::ast::Rulebook;

/// A rulebook text, analysed once; every question is then answered from it.
#[derive(Debug)]
pub struct Analysis {
    file_name: String,
    text: String,
    lines: LineIndex,
    /// The AST; when the text does not parse, that of the items that do (the others blanked
    /// out, so that offsets stay right). `None` when the header does not parse.
    rulebook: Option<Rulebook>,
    /// The text parses whole.
    parses: bool,
    /// The items blanked out because they do not parse.
    broken: Vec<Span>,
    index: NameIndex,
    errors: Vec<Error>,
}

/// What a hover shows: Markdown, over the word it is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hover {
    pub span: Span,
    pub markdown: String,
}

/// Why formatting was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DoesNotParse;

/// How many times the items that do not parse are blanked out and the rest parsed again.
const MAX_RECOVERY_ROUNDS: usize = 4;

const ITEM_STARTS: [&str; 5] = ["input ", "list ", "indicator ", "group ", "stated "];

/// The items of a text, by line (as `syntax` cuts a file to recover from errors): the
/// header first.
fn chunks(text: &str) -> Vec<Span> {
    let mut cuts = vec![0];
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if offset > 0 && ITEM_STARTS.iter().any(|s| line.starts_with(s)) {
            cuts.push(offset);
        }
        offset += line.len();
    }
    cuts.push(text.len());
    cuts.windows(2).map(|w| Span::new(w[0], w[1])).collect()
}

/// `text` with the bytes of `span` made spaces (line breaks kept), so that what is left
/// parses with the same offsets.
fn blank(text: &mut [u8], span: Span) {
    for b in text.iter_mut().take(span.end).skip(span.start) {
        if *b != b'\n' && *b != b'\r' {
            *b = b' ';
        }
    }
}

/// The first offset an error points at.
fn error_offset(error: &Error) -> usize {
    use miette::Diagnostic as _;
    error
        .labels()
        .and_then(|mut l| l.next())
        .map_or(0, |l| l.offset())
}

impl Analysis {
    /// Parses and checks `text`; `file_name` is the file's name (its leading year is
    /// compared with the `exercice`, as `forfait check` does).
    pub fn new(file_name: &str, text: &str) -> Analysis {
        let mut analysis = Analysis {
            file_name: file_name.to_string(),
            text: text.to_string(),
            lines: LineIndex::new(text),
            rulebook: None,
            parses: false,
            broken: Vec::new(),
            index: NameIndex::default(),
            errors: Vec::new(),
        };
        match crate::parse(text) {
            Ok(ast) => {
                analysis.errors = crate::check::check_file(&ast, text, file_name).diagnostics;
                analysis.index = NameIndex::new(&ast);
                analysis.rulebook = Some(ast);
                analysis.parses = true;
            }
            Err(errors) => {
                analysis.rulebook = analysis.parse_what_parses(&errors);
                if let Some(ast) = &analysis.rulebook {
                    analysis.index = NameIndex::new(ast);
                }
                analysis.name_unparsed_items();
                analysis.errors = errors;
            }
        }
        analysis
    }

    /// The items that parse, the others blanked out; `None` when the header is broken.
    fn parse_what_parses(&mut self, errors: &[Error]) -> Option<Rulebook> {
        let chunks = chunks(&self.text);
        let mut bytes = self.text.as_bytes().to_vec();
        let mut errors: Vec<usize> = errors.iter().map(error_offset).collect();
        // Each round blanks every item an error points at (one error per item, as `syntax`
        // recovers), so a round or two suffice; a few more, never one per item.
        for _ in 0..MAX_RECOVERY_ROUNDS {
            let mut blanked_any = false;
            for offset in &errors {
                // An item that ends too soon is reported where the next one starts: an
                // error at an item's first byte belongs to the item before.
                let i = chunks
                    .iter()
                    .position(|c| c.start < *offset && *offset <= c.end)
                    .unwrap_or(0);
                if i == 0 {
                    return None;
                }
                let chunk = chunks[i];
                if !self.broken.iter().any(|b| b.start == chunk.start) {
                    self.broken.push(chunk);
                    blank(&mut bytes, chunk);
                    blanked_any = true;
                }
            }
            if !blanked_any {
                return None;
            }
            let text = String::from_utf8_lossy(&bytes);
            match crate::parse(&text) {
                Ok(ast) => return Some(ast),
                Err(e) => errors = e.iter().map(error_offset).collect(),
            }
        }
        None
    }

    /// The names that the items that do not parse define (their second word).
    fn name_unparsed_items(&mut self) {
        for chunk in &self.broken {
            let words = lexer::tokens(&self.text[chunk.start..chunk.end]);
            let (Some(keyword), Some(name)) = (words.first(), words.get(1)) else {
                continue;
            };
            let kind = match keyword.text(&self.text[chunk.start..]) {
                "input" => SymbolKind::Input,
                "list" => SymbolKind::List,
                "indicator" => SymbolKind::Indicator,
                "group" => SymbolKind::Group,
                _ => continue,
            };
            let name_text = name.text(&self.text[chunk.start..]);
            if name.kind == lexer::TokenKind::Word && crate::syntax::is_name(name_text) {
                let span = Span::new(chunk.start + name.span.start, chunk.start + name.span.end);
                self.index.define_unparsed(name_text, kind, span);
            }
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn file_name(&self) -> &str {
        &self.file_name
    }

    pub fn lines(&self) -> &LineIndex {
        &self.lines
    }

    /// Whether the whole text parses.
    pub fn parses(&self) -> bool {
        self.parses
    }

    /// The AST (of what parses, when the text does not parse whole).
    pub fn rulebook(&self) -> Option<&Rulebook> {
        self.rulebook.as_ref()
    }

    pub fn index(&self) -> &NameIndex {
        &self.index
    }

    /// Every error and warning of `parse` and `check`, in source order, worded in `lang`.
    pub fn diagnostics(&self, lang: Lang) -> Vec<Diagnostic> {
        self.errors
            .iter()
            .map(|e| diagnostics::diagnostic(e, &self.text, lang))
            .collect()
    }

    /// The fixes of the diagnostics that touch `span`.
    pub fn fixes(&self, span: Span, lang: Lang) -> Vec<(Diagnostic, Fix)> {
        self.diagnostics(lang)
            .into_iter()
            .filter(|d| d.span.start <= span.end && span.start <= d.span.end)
            .flat_map(|d| {
                let fixes = d.fixes.clone();
                fixes.into_iter().map(move |f| (d.clone(), f))
            })
            .collect()
    }

    /// The symbol under `offset`: from the name index, or, in an item that does not
    /// parse, the word there if it names something.
    fn symbol_at(&self, offset: usize) -> Option<(Span, SymbolId)> {
        if let Some((span, Some(symbol))) = self.index.at(offset).map(|o| (o.span, o.symbol)) {
            return Some((span, symbol));
        }
        let word = self.word_at(offset)?;
        let id = self.index.item(word.text(&self.text))?;
        Some((word.span, id))
    }

    fn word_at(&self, offset: usize) -> Option<lexer::Token> {
        let offset = lines::floor_char_boundary(&self.text, offset);
        let start = self.text[..offset].rfind(['\n', '\r']).map_or(0, |i| i + 1);
        let end = self.text[offset..]
            .find(['\n', '\r'])
            .map_or(self.text.len(), |i| offset + i);
        lexer::tokens(&self.text[start..end])
            .into_iter()
            .map(|t| lexer::Token {
                kind: t.kind,
                span: Span::new(t.span.start + start, t.span.end + start),
            })
            .find(|t| {
                t.span.start <= offset && offset <= t.span.end && t.kind == lexer::TokenKind::Word
            })
    }

    pub fn hover(&self, offset: usize) -> Option<Hover> {
        if let Some((span, id)) = self.symbol_at(offset) {
            let markdown = hover::symbol(self.rulebook.as_ref()?, &self.index, id)?;
            return Some(Hover { span, markdown });
        }
        let word = self.word_at(offset)?;
        if self.index.at(offset).is_some() {
            return None;
        }
        let before = &self.text[..word.span.start];
        let text = word.text(&self.text);
        let line = &before[before.rfind('\n').map_or(0, |i| i + 1)..];
        // `list NAME "Label" of INPUT`: the `of` of a list, not of a stated total.
        let previous = if text == "of" && line.starts_with("list ") {
            Some("list")
        } else {
            before.split_whitespace().next_back()
        };
        let reference = keywords::reference(text, previous)?;
        // A row of the reference's tables (`| clause | meaning |`) reads as one line.
        let line = reference.line.trim().trim_matches('|').trim();
        let line = match line.split_once(" | ") {
            Some((clause, meaning)) => {
                format!("{clause} — {}", meaning.trim_end_matches(['|', ' ']))
            }
            None => format!("**`{text}`** — {line}"),
        };
        Some(Hover {
            span: word.span,
            markdown: format!("{line}\n\n*docs/language.md, {}*", reference.section),
        })
    }

    /// Where the name under `offset` is defined.
    pub fn definition(&self, offset: usize) -> Option<Span> {
        let (_, id) = self.symbol_at(offset)?;
        Some(self.index.symbol(id)?.definition)
    }

    /// Every use of the name under `offset`, with its definition if asked.
    pub fn references(&self, offset: usize, with_definition: bool) -> Vec<Span> {
        let Some((_, id)) = self.symbol_at(offset) else {
            return Vec::new();
        };
        let mut spans: Vec<Span> = self
            .index
            .occurrences_of(id)
            .filter(|o| with_definition || !o.definition)
            .map(|o| o.span)
            .collect();
        if with_definition {
            if let Some(symbol) = self.index.symbol(id).filter(|s| s.builtin) {
                spans.insert(0, symbol.definition);
            }
        }
        spans
    }

    pub fn completion(&self, offset: usize) -> Completions {
        completion::complete(&self.text, offset, self.rulebook.as_ref(), &self.index)
    }

    /// The canonical layout of the whole text (`forfait fmt`'s), or why not.
    pub fn format(&self) -> Result<String, DoesNotParse> {
        match (&self.rulebook, self.parses) {
            (Some(rulebook), true) => Ok(crate::fmt::format(rulebook, &self.text)),
            _ => Err(DoesNotParse),
        }
    }
}

#[cfg(test)]
mod tests;
