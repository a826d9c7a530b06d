//! Renaming a name everywhere it is used, or saying why not.

use super::diagnostics::Edit;
use super::index::{self, SymbolId, SymbolKind};
use super::{Analysis, Span};

/// How the name under the cursor can be renamed, or why it cannot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RenameRefusal {
    /// Nothing that can be renamed under the cursor (a keyword, a text, a blank).
    NoName,
    /// `profession` is built in.
    Builtin(String),
    /// The name resolves to nothing.
    Unknown(String),
    /// The text does not parse: some uses of the name may not be seen.
    DoesNotParse,
    /// Not a name (`Actes`, `2x`, `né`, a reserved word).
    Invalid(String),
    /// `id` and `profession`, which declarations use.
    DeclarationField(String),
    /// Already the name of something else.
    Taken { name: String, kind: SymbolKind },
    /// The value of some `one of` input, which a comparison would then read as the input.
    TakenByValue { name: String, input: String },
}

impl Analysis {
    /// The name that a rename at `offset` would change.
    pub fn prepare_rename(&self, offset: usize) -> Result<(Span, SymbolId), RenameRefusal> {
        if !self.parses {
            return Err(RenameRefusal::DoesNotParse);
        }
        let occurrence = self.index.at(offset).ok_or(RenameRefusal::NoName)?;
        let name = self
            .text
            .get(occurrence.span.start..occurrence.span.end)
            .unwrap_or("")
            .to_string();
        let id = occurrence
            .symbol
            .ok_or(RenameRefusal::Unknown(name.clone()))?;
        let symbol = self.index.symbol(id).ok_or(RenameRefusal::NoName)?;
        if symbol.builtin {
            return Err(RenameRefusal::Builtin(name));
        }
        Ok((occurrence.span, id))
    }

    /// The edits that rename the name under `offset` to `new_name` everywhere.
    pub fn rename(&self, offset: usize, new_name: &str) -> Result<Vec<Edit>, RenameRefusal> {
        let (_, id) = self.prepare_rename(offset)?;
        let symbol = self.index.symbol(id).ok_or(RenameRefusal::NoName)?;
        if !crate::syntax::is_name(new_name) {
            return Err(RenameRefusal::Invalid(new_name.to_string()));
        }
        if symbol.kind.is_item() && index::DECLARATION_FIELDS.contains(&new_name) {
            return Err(RenameRefusal::DeclarationField(new_name.to_string()));
        }
        if new_name != symbol.name {
            if symbol.kind.is_item() {
                if let Some(taken) = self.index.item(new_name).and_then(|t| self.index.symbol(t)) {
                    return Err(RenameRefusal::Taken {
                        name: new_name.to_string(),
                        kind: taken.kind,
                    });
                }
                let value = self
                    .index
                    .symbols
                    .iter()
                    .find(|s| s.kind == SymbolKind::Choice && s.name == new_name);
                if let Some(value) = value {
                    let input = value
                        .owner
                        .and_then(|o| self.index.symbol(o))
                        .map_or(String::new(), |o| o.name.clone());
                    return Err(RenameRefusal::TakenByValue {
                        name: new_name.to_string(),
                        input,
                    });
                }
            } else {
                let owner = symbol.owner.ok_or(RenameRefusal::NoName)?;
                if self.index.choice(owner, new_name).is_some() {
                    return Err(RenameRefusal::Taken {
                        name: new_name.to_string(),
                        kind: SymbolKind::Choice,
                    });
                }
                if let Some(item) = self.index.item(new_name).and_then(|t| self.index.symbol(t)) {
                    if item.kind == SymbolKind::Input {
                        return Err(RenameRefusal::Taken {
                            name: new_name.to_string(),
                            kind: SymbolKind::Input,
                        });
                    }
                }
            }
        }
        Ok(self
            .index
            .occurrences_of(id)
            .map(|o| Edit {
                span: o.span,
                text: new_name.to_string(),
            })
            .collect())
    }
}
