//! What the editor support says of its own (quick fixes, rename and format refusals), in
//! each language: the data is where it is made (`diagnostics.rs`, `rename.rs`, `mod.rs`),
//! the words here, one module per language. The diagnostics' own words are in
//! `diagnostics::words`.

use super::diagnostics::FixKind;
use super::index::SymbolKind;
use super::rename::RenameRefusal;
use super::DoesNotParse;
use crate::lang::Lang;

impl FixKind {
    /// What the editor offers the fix as, in `lang`.
    pub fn title(&self, lang: Lang) -> String {
        match lang {
            Lang::En => en::fix_title(self),
            Lang::Fr => fr::fix_title(self),
        }
    }
}

impl RenameRefusal {
    /// Why, in `lang`.
    pub fn words(&self, lang: Lang) -> String {
        match lang {
            Lang::En => en::refusal(self),
            Lang::Fr => fr::refusal(self),
        }
    }
}

impl DoesNotParse {
    /// Why, in `lang`.
    pub fn words(&self, lang: Lang) -> String {
        match lang {
            Lang::En => "the rulebook has syntax errors: it is formatted once it parses".into(),
            Lang::Fr => {
                "le référentiel a des erreurs de syntaxe : il sera mis en forme une fois qu'il se lit"
                    .into()
            }
        }
    }
}

mod en {
    use super::*;

    pub fn fix_title(fix: &FixKind) -> String {
        match fix {
            FixKind::Replace(name) => format!("replace with `{name}`"),
            FixKind::Write(text) => format!("write `{text}`"),
            FixKind::StatedTotal(amount) => {
                format!("update the stated total to `{amount}`, the most the rules pay")
            }
            FixKind::AddIndependent => {
                "add `independent` (paid whatever happens to the other rules)".into()
            }
            FixKind::Parentheses => "write the parentheses".into(),
        }
    }

    pub fn refusal(refusal: &RenameRefusal) -> String {
        match refusal {
            RenameRefusal::NoName => "there is no name to rename here".into(),
            RenameRefusal::Builtin(name) => format!("`{name}` is built in and cannot be renamed"),
            RenameRefusal::Unknown(name) => format!("`{name}` is not defined in this rulebook"),
            RenameRefusal::DoesNotParse => {
                "the rulebook has syntax errors: fix them first, so that every use of the name is found".into()
            }
            RenameRefusal::Invalid(name) => format!(
                "`{name}` is not a valid name: lowercase unaccented letters, digits and `_`, starting with a letter, and not a reserved word"
            ),
            RenameRefusal::DeclarationField(name) => {
                format!("`{name}` is reserved: every declaration has an `{name}` field")
            }
            RenameRefusal::Taken { name, kind } => {
                let what = match kind {
                    SymbolKind::Input => "an input",
                    SymbolKind::List => "a list",
                    SymbolKind::Indicator => "an indicator",
                    SymbolKind::Group => "a group",
                    SymbolKind::Choice => "another value of the same input",
                };
                format!("`{name}` is already the name of {what}")
            }
            RenameRefusal::TakenByValue { name, input } => {
                format!("`{name}` is a value of `{input}`: in a condition it would read as the input")
            }
        }
    }
}

mod fr {
    use super::*;

    pub fn fix_title(fix: &FixKind) -> String {
        match fix {
            FixKind::Replace(name) => format!("remplacer par `{name}`"),
            FixKind::Write(text) => format!("écrire `{text}`"),
            FixKind::StatedTotal(amount) => {
                format!("mettre le total annoncé à `{amount}`, le plus que les règles versent")
            }
            FixKind::AddIndependent => {
                "ajouter `independent` (versé quoi qu'il arrive aux autres règles)".into()
            }
            FixKind::Parentheses => "écrire les parenthèses".into(),
        }
    }

    pub fn refusal(refusal: &RenameRefusal) -> String {
        match refusal {
            RenameRefusal::NoName => "il n'y a pas de nom à renommer ici".into(),
            RenameRefusal::Builtin(name) => {
                format!("`{name}` est prédéfini et ne peut pas être renommé")
            }
            RenameRefusal::Unknown(name) => {
                format!("`{name}` n'est pas défini dans ce référentiel")
            }
            RenameRefusal::DoesNotParse => {
                "le référentiel a des erreurs de syntaxe : corrigez-les d'abord, pour que chaque emploi du nom soit trouvé".into()
            }
            RenameRefusal::Invalid(name) => format!(
                "`{name}` n'est pas un nom valide : minuscules sans accent, chiffres et `_`, commençant par une lettre, et pas un mot réservé"
            ),
            RenameRefusal::DeclarationField(name) => {
                format!("`{name}` est réservé : chaque déclaration a un champ `{name}`")
            }
            RenameRefusal::Taken { name, kind } => {
                let what = match kind {
                    SymbolKind::Input => "d'une entrée",
                    SymbolKind::List => "d'une liste",
                    SymbolKind::Indicator => "d'un indicateur",
                    SymbolKind::Group => "d'un groupe",
                    SymbolKind::Choice => "d'une autre valeur de la même entrée",
                };
                format!("`{name}` est déjà le nom {what}")
            }
            RenameRefusal::TakenByValue { name, input } => format!(
                "`{name}` est une valeur de `{input}` : dans une condition, il serait lu comme l'entrée"
            ),
        }
    }
}
