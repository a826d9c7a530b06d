//! Les problèmes de déclaration, les rejets, les erreurs de lecture et les verdicts
//! d'encodage, en français, tels qu'un agent les lit dans son terminal. Les fichiers de
//! résultats gardent les mots anglais (`en.rs`) : c'est le contrat des intégrateurs ; les
//! codes (`forfait::decl::wrong_type`) sont les mêmes dans les deux langues.

use std::io::ErrorKind;

use super::super::encoding::{Encoding, EncodingError, FileKind, Guess};
use super::super::problem::{IoFailure, JsonKind, Malformed, ProblemKind, ReadFailure, RowRun};
use super::super::values::{self, Wrong};
use super::super::{Location, Rejection, MAX_LINE_BYTES, MAX_QUOTED_LINES};
use super::{is_csv, quoted};
use crate::lang::typography::count;
use crate::model::InputType;

const UTF8_CSV: &str = "du texte UTF-8 : enregistrez le fichier au format « CSV UTF-8 »";
const QUOTES_CLOSED: &str =
    "chaque champ entre guillemets fermé ; un guillemet à l'intérieur d'un champ doublé (`\"\"`)";
const ONE_HEADER_LINE: &str = "une seule ligne de noms de colonnes, chaque guillemet fermé";

pub(super) fn problem(kind: &ProblemKind) -> (String, Option<String>) {
    match kind {
        ProblemKind::Malformed(m) => malformed(m),
        ProblemKind::DuplicateField { column: None } => (
            "la clé apparaît deux fois dans l'objet".into(),
            Some("chaque clé une seule fois".into()),
        ),
        ProblemKind::DuplicateField {
            column: Some(number),
        } => (
            format!("colonne {number} : la colonne apparaît deux fois dans l'en-tête"),
            None,
        ),
        ProblemKind::WrongJsonType { found, ty } => (
            format!("valeur trouvée : {}", json_kind(*found)),
            Some(expected(ty)),
        ),
        ProblemKind::WrongValue { wrong, shown, ty } => {
            (wrong_value(*wrong, shown, ty), Some(expected(ty)))
        }
        ProblemKind::NoIdColumn => (
            "l'en-tête n'a pas de colonne `id`".into(),
            Some("une colonne `id` qui identifie chaque professionnel".into()),
        ),
        ProblemKind::MissingId => (
            "chaque déclaration doit avoir un identifiant".into(),
            Some("un texte ou un nombre non vide".into()),
        ),
        ProblemKind::MoreColumnProblems { more, last } => (
            format!(
                "et {more} autres colonnes posent problème, non listées (la dernière est la colonne {last})"
            ),
            Some("les colonnes ci-dessus corrigées, puis le fichier relu".into()),
        ),
        ProblemKind::HeaderHasProblems { header } => (
            format!("l'en-tête (ligne {header}) a des problèmes : voir son propre rejet, ligne {header}"),
            Some("un en-tête qui nomme chaque colonne une seule fois, comme le référentiel".into()),
        ),
        ProblemKind::MissingInput { needed_by, ty } => (
            match needed_by {
                Some(t) => format!("valeur manquante, dont `{t}` a besoin"),
                None => "valeur manquante, dont les règles ont besoin".into(),
            },
            Some(expected(ty)),
        ),
        ProblemKind::ProfessionNeeded { rulebook, ty } => (
            format!("le référentiel `{rulebook}` couvre plusieurs professions : indiquez laquelle"),
            Some(expected(ty)),
        ),
        ProblemKind::UnknownField {
            column,
            rulebook,
            suggestion,
        } => {
            let mut message = format!("pas une entrée du référentiel `{rulebook}`");
            if let Some(likely) = suggestion {
                message = format!("{message} ; vouliez-vous dire `{likely}` ?");
            }
            match column {
                Some(number) => (
                    format!("colonne {number} : {message}"),
                    Some("le nom d'une entrée, un en-tête renommé dans un fichier de correspondance (`--map FICHIER`, ou `X.map.toml` à côté de `X.forfait`), ou `--ignore-unknown-columns`".into()),
                ),
                None => (message, None),
            }
        }
        ProblemKind::ProfessionNotCovered {
            shown,
            rulebook,
            ty,
        } => (
            format!("la profession `{shown}` n'est pas couverte par le référentiel `{rulebook}`"),
            Some(expected(ty)),
        ),
        ProblemKind::UnknownValue {
            shown,
            ty,
            suggestion,
            candidates,
        } => (
            match (suggestion, &candidates[..]) {
                (_, [_, _, ..]) => format!(
                    "`{shown}` est le libellé de plusieurs valeurs : {} ; écrivez le nom de la valeur",
                    quoted(candidates)
                ),
                (Some(likely), _) => format!(
                    "`{shown}` ne fait pas partie des valeurs possibles ; vouliez-vous dire `{likely}` ?"
                ),
                (None, _) => format!("`{shown}` ne fait pas partie des valeurs possibles"),
            },
            Some(expected(ty)),
        ),
    }
}

fn malformed(malformed: &Malformed) -> (String, Option<String>) {
    let (message, expected): (String, Option<&str>) = match malformed {
        Malformed::RowWithoutHeader => ("une ligne CSV sans son en-tête".into(), None),
        Malformed::Unreadable(failure) => (read_failure(failure), None),
        Malformed::JsonTooLarge { mib } => (
            format!("le fichier JSON dépasse {} Mio", count(*mib)),
            Some("pour les gros lots, des lignes JSON (.jsonl, une déclaration par ligne, lues au fil de l'eau) ou du CSV"),
        ),
        Malformed::JsonFileNotUtf8 { offset } => (
            format!(
                "impossible de lire le fichier comme du texte UTF-8 : octet invalide à la position {}",
                count(*offset as u64)
            ),
            Some("un fichier JSON en UTF-8"),
        ),
        Malformed::NotJson { error, lines } => (
            format!("JSON invalide : {error}"),
            Some(match lines {
                true => "un objet JSON par ligne",
                false => "un objet JSON, ou un tableau d'objets",
            }),
        ),
        Malformed::LineTooLong { max } => (
            format!("la ligne dépasse {} octets", count(*max as u64)),
            Some("une déclaration par ligne"),
        ),
        Malformed::JsonLineNotUtf8 { column } => (
            format!("pas du texte UTF-8 (octet invalide à la colonne {column})"),
            Some("du texte UTF-8"),
        ),
        Malformed::NotAnObject { found } => (
            format!(
                "une déclaration doit être un objet ; valeur trouvée : {}",
                json_kind(*found)
            ),
            Some("un objet comme {\"id\": \"PS-1\", ...}"),
        ),
        Malformed::HalfSurrogate => (
            "un texte échappe la moitié d'une paire de substitution (comme `\\ud800` seul)".into(),
            Some("du texte UTF-8, ou des échappements `\\u` de caractères entiers"),
        ),
        Malformed::EmptyCsv => (
            "le fichier est vide ; il faut une ligne d'en-tête avec les noms des champs".into(),
            Some("une première ligne comme `id,actes_fse,actes_total,...`"),
        ),
        Malformed::HeaderTooLong { max } => (
            format!(
                "l'en-tête dépasse {} octets : les noms au-delà ont été ignorés",
                count(*max as u64)
            ),
            Some(ONE_HEADER_LINE),
        ),
        Malformed::HeaderLineBreak { at, first, last } => (
            format!(
                "un nom entre guillemets ligne {at} contient un saut de ligne : l'en-tête \
                 s'étend des lignes {first} à {last}"
            ),
            Some(ONE_HEADER_LINE),
        ),
        Malformed::ColumnNameNotUtf8 { column } => (
            format!("colonne {column} : le nom n'est pas du texte UTF-8"),
            Some(UTF8_CSV),
        ),
        Malformed::RowWidth {
            found,
            wanted,
            delimiter,
        } => {
            let wanted = match wanted.named == wanted.columns {
                true => format!("{}", wanted.columns),
                false => format!("de {} à {}", wanted.named, wanted.columns),
            };
            return (
                format!("la ligne a {found} champs, mais l'en-tête en a {wanted}"),
                Some(format!("{wanted} champs séparés par `{delimiter}`")),
            );
        }
        Malformed::CellNotUtf8 { column, offset } => (
            format!(
                "la colonne {column} n'est pas du texte UTF-8 (octet invalide à la position {offset} du champ)"
            ),
            Some(UTF8_CSV),
        ),
        Malformed::UnnamedColumnValue { column, text } => (
            format!("la colonne {column} n'a pas de nom dans l'en-tête, mais contient `{text}`"),
            Some("un nom dans l'en-tête pour chaque colonne qui contient des valeurs"),
        ),
        Malformed::InsideQuotedField { opened } => (
            format!(
                "cette ligne est à l'intérieur du champ ouvert par un guillemet ligne {opened} : \
                 elle a été lue comme une partie de ce champ, pas comme une déclaration"
            ),
            Some("chaque champ entre guillemets fermé sur sa ligne ; un guillemet à l'intérieur d'un champ doublé (`\"\"`)"),
        ),
        Malformed::RowTooLong { run } => (
            format!(
                "la ligne dépasse {} octets{}",
                count(MAX_LINE_BYTES as u64),
                each(*run)
            ),
            Some("une déclaration par ligne"),
        ),
        Malformed::QuoteStillOpen { at, run } => (
            format!(
                "un guillemet ouvert ligne {at} est encore ouvert {} lignes plus loin : \
                 les lignes {at} à {} ont été lues comme une seule déclaration{}",
                MAX_QUOTED_LINES,
                at + u64::from(MAX_QUOTED_LINES),
                each(*run)
            ),
            Some(QUOTES_CLOSED),
        ),
        Malformed::QuoteNeverClosed { at, run } => (
            format!(
                "un guillemet ouvert ligne {at} n'est jamais fermé : le fichier se termine \
                 à l'intérieur (a-t-il été tronqué ?){}",
                each(*run)
            ),
            Some(QUOTES_CLOSED),
        ),
        Malformed::RowLineBreak { at, run } => (
            format!(
                "un champ entre guillemets ligne {at} contient un saut de ligne : les lignes \
                 {} à {} ont été lues comme une seule déclaration{}",
                run.start,
                run.end,
                each(*run)
            ),
            Some("une déclaration par ligne : chaque guillemet fermé sur sa ligne"),
        ),
    };
    (message, expected.map(str::to_string))
}

/// Ce que deviennent les lignes d'un bloc après la première.
fn each(run: RowRun) -> String {
    let RowRun { start, end } = run;
    match end - start {
        0 => String::new(),
        1 => format!(" (la ligne {end} est rejetée à part)"),
        _ => format!(
            " (chacune des lignes {} à {end} est rejetée à part)",
            start + 1
        ),
    }
}

fn json_kind(kind: JsonKind) -> &'static str {
    match kind {
        JsonKind::Null => "null",
        JsonKind::Boolean => "un booléen",
        JsonKind::Number => "un nombre",
        JsonKind::Text => "un texte",
        JsonKind::Array => "un tableau",
        JsonKind::Object => "un objet",
    }
}

/// Ce qu'accepte un champ de ce type.
pub(super) fn expected(ty: &InputType) -> String {
    match ty {
        InputType::YesNo => "oui/non : true, false, oui, non, yes, no, 1 ou 0".into(),
        InputType::Count => "un nombre entier : 0, 1, 2, ...".into(),
        InputType::Decimal => "un nombre décimal, comme 12,5 ou 12.5".into(),
        InputType::Date => "une date, 31/12/2024 ou 2024-12-31".into(),
        InputType::Text => "un texte".into(),
        InputType::Choice(choices) => format!(
            "l'une de ces valeurs : {}",
            choices
                .iter()
                .map(|c| c.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

fn wrong_value(wrong: Wrong, shown: &str, ty: &InputType) -> String {
    match wrong {
        Wrong::Negative => format!("`{shown}` est négatif"),
        Wrong::NotWhole => format!("`{shown}` n'est pas un nombre entier"),
        Wrong::Ambiguous(separator) => {
            let joined: String = shown.chars().filter(|c| *c != separator).collect();
            format!(
                "`{shown}` est ambigu : le `{separator}` peut séparer les milliers ou les \
                 décimales ; écrivez `{joined}` pour un nombre entier"
            )
        }
        Wrong::Exponent => match values::in_full(shown) {
            Some(full) => format!(
                "`{shown}` est écrit avec un exposant ; écrivez le nombre en entier, par exemple {full}"
            ),
            None => format!("`{shown}` est écrit avec un exposant ; écrivez le nombre en entier"),
        },
        Wrong::TooLarge => format!(
            "`{shown}` est trop grand pour un nombre entier (au plus {})",
            count(u64::MAX)
        ),
        Wrong::TooPrecise => {
            format!("`{shown}` a plus de chiffres que forfait ne peut en lire exactement")
        }
        Wrong::Format | Wrong::Choice | Wrong::AmbiguousChoice => format!("`{shown}` n'est pas {}", a_value_of(ty)),
    }
}

/// Après « n'est pas » : `un nombre entier`, `une date`.
fn a_value_of(ty: &InputType) -> &'static str {
    match ty {
        InputType::YesNo => "un oui/non",
        InputType::Count => "un nombre entier",
        InputType::Decimal => "un nombre décimal",
        InputType::Date => "une date",
        InputType::Text => "un texte",
        InputType::Choice(_) => "l'une des valeurs de la liste",
    }
}

fn location(location: &Location) -> String {
    match location {
        Location::Line(n) => format!("ligne {n}"),
        Location::Path(p) => p.clone(),
        Location::File => "fichier".into(),
    }
}

pub(super) fn rejection(r: &Rejection) -> String {
    let mut out = match &r.location {
        Location::Path(p) if p == "$" => r.file.clone(),
        place => format!("{} : {}", r.file, location(place)),
    };
    if let Some(id) = &r.id {
        out.push_str(&format!(" (id `{id}`)"));
    }
    for p in &r.problems {
        out.push_str(&format!("\n  erreur[{}]", p.code));
        if let Some(field) = &p.field {
            out.push_str(&format!(" champ `{field}`"));
        }
        out.push_str(&format!(" : {}", p.message_in(crate::lang::Lang::Fr)));
        if let Some(expected) = p.expected_in(crate::lang::Lang::Fr) {
            out.push_str(&format!("\n    attendu : {expected}"));
        }
    }
    out
}

pub(super) fn read_failure(failure: &ReadFailure) -> String {
    let error = io_failure(&failure.error);
    match failure.lines_read {
        0 => format!("impossible de lire {} : {error}", failure.file),
        n => format!(
            "impossible de lire {} après la ligne {n} : {error}",
            failure.file
        ),
    }
}

/// Les erreurs que forfait sait nommer ; pour les autres, les mots du système.
pub(super) fn io_failure(failure: &IoFailure) -> String {
    if let Some(verdict) = &failure.encoding {
        return encoding(verdict);
    }
    match failure.kind {
        ErrorKind::NotFound => "fichier ou dossier introuvable".into(),
        ErrorKind::PermissionDenied => "accès refusé".into(),
        ErrorKind::IsADirectory => "c'est un dossier, pas un fichier".into(),
        _ => failure.text.clone(),
    }
}

pub(super) fn encoding(e: &EncodingError) -> String {
    let csv = e.kind == FileKind::Declarations && is_csv(&e.file);
    let save = match (e.kind, csv) {
        (FileKind::Rulebook, _) => {
            "les référentiels et les fichiers posés à côté sont en UTF-8 uniquement : enregistrez-le en UTF-8"
        }
        (FileKind::Declarations, true) => "enregistrez le fichier au format « CSV UTF-8 »",
        (FileKind::Declarations, false) => "enregistrez le fichier en UTF-8",
    };
    let line = e.line;
    let mut out = match e.read_as {
        Encoding::Utf8 => format!("{} n'est pas en UTF-8 (ligne {line}) : ", e.file),
        other => format!(
            "{} n'est pas un texte {} valide (ligne {line}) : ",
            e.file,
            other.name()
        ),
    };
    let verdict = match e.looks_like {
        Guess::Windows1252 => {
            let excel = match csv {
                true => " (le « CSV (séparateur : point-virgule) » d'Excel en français)",
                false => "",
            };
            match e.kind {
                FileKind::Declarations => format!(
                    "il semble encodé en Windows-1252{excel} ; ajoutez l'option --encoding windows-1252, ou {save}"
                ),
                FileKind::Rulebook => format!("il semble encodé en Windows-1252{excel} ; {save}"),
            }
        }
        Guess::Other(name) => {
            format!("il semble encodé en {name}, que forfait ne lit pas ; {save}")
        }
        Guess::Workbook => match e.kind {
            FileKind::Declarations => format!(
                "il semble être un classeur de tableur (.xlsx, .xls), pas un fichier texte ; {}",
                if csv {
                    "dans Excel, enregistrez-le au format « CSV UTF-8 »"
                } else {
                    save
                }
            ),
            FileKind::Rulebook => {
                format!("il semble être un fichier binaire, pas du texte ; {save}")
            }
        },
        Guess::Unknown => format!("il semble utiliser un encodage 8 bits inconnu ; {save}"),
        Guess::Damaged => format!(
            "un caractère est coupé en deux (ou le fichier s'arrête au milieu d'un caractère) ; {save}"
        ),
    };
    out.push_str(&verdict);
    out
}
