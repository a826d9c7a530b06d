//! The words of a rulebook's page, shared by its HTML and Markdown renderings: what each
//! fact about a rule is called, and the cells that say "nothing here".

/// What a row is: `Indicateur`, `Groupe`.
pub fn rule_term(is_group: bool) -> &'static str {
    if is_group {
        "Groupe"
    } else {
        "Indicateur"
    }
}

/// What a row's condition is called: `Atteint si` for an indicator, `Règle` for a group.
pub fn condition_term(is_group: bool) -> &'static str {
    if is_group {
        "Règle"
    } else {
        "Atteint si"
    }
}

pub const GUIDE_PART: &str = "Partie du guide";
pub const SOURCE: &str = "Type d'indicateur";
pub const AMOUNT: &str = "Montant";
pub const APPLIES: &str = "Concerne";
pub const NEUTRALISED: &str = "Neutralisé";
pub const PAYMENT: &str = "Versement";
pub const EVIDENCE: &str = "Justificatif";
pub const QUOTES: &str = "Le guide";
/// An indicator's worked example, taken from the rulebook's examples.
pub const EXAMPLE: &str = "Exemple";

/// In small print after a worked example: `(exemple teletransmission-700-sur-1000.json)`.
pub fn example_source(m: &dyn Markup, file: &str) -> String {
    format!("(exemple {})", m.code(file))
}

/// An indicator whose evidence the guide does not name.
pub const NOT_SPECIFIED: &str = "non précisé";
/// A row without an amount of its own or of its group's.
pub const NO_AMOUNT: &str = "aucun";
/// A stated total that holds for every profile.
pub const ALL_PROFILES: &str = "tous les profils";
/// Beside a stated total: found equal to the most the rules can pay (by `forfait check`,
/// which the technical footer names).
pub const VERIFIED: &str = "vérifié";
/// Before the amounts of a payment that depend on the profile.
pub const BY_PROFILE: &str = "selon le profil :";
/// Before the payments no stated total counts.
pub const UNCOUNTED: &str = "Aucun total du guide ne compte ces versements :";

/// `compris dans les 490 € du groupe « Socle »`: a member's share of its group's amount.
pub fn in_group(amount: &str, group: &str) -> String {
    format!(
        "compris dans les {amount} du groupe « {} »",
        mid_sentence(group)
    )
}

/// How a page marks up the names and the words a sentence of this file emphasises:
/// each rendering (HTML, Markdown) says, so the sentence itself is written once.
pub trait Markup {
    /// The rulebook's own text, escaped for the page.
    fn text(&self, text: &str) -> String;
    /// A name or a command: `cdc_sesam_vitale`, `forfait check`.
    fn code(&self, name: &str) -> String;
    /// Words in bold.
    fn strong(&self, words: &str) -> String;
}

/// The line over the title: `FAMI · exercice 2024 · versé en 2025`.
pub fn kicker(scheme: &str, exercice: u16, paid_in: u16) -> String {
    format!("{scheme} · exercice {exercice} · versé en {paid_in}")
}

/// Under the facts of one profession's page (`forfait doc --profession`).
pub fn only_for(m: &dyn Markup, label: &str, name: &str) -> String {
    format!(
        "Cette page ne montre que ce qui concerne les {} ({}) : les indicateurs, montants, données et totaux des autres professions du référentiel n'y figurent pas.",
        m.strong(&m.text(&lowercase_first(label))),
        m.code(name)
    )
}

/// `masseurs-kinésithérapeutes libéraux` from `Masseurs-kinésithérapeutes libéraux`: a label
/// inside a sentence loses its capital (unless it is an acronym: `IPAL`).
fn lowercase_first(label: &str) -> String {
    let mut chars = label.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if first.is_uppercase() && !second.is_uppercase() => {
            first.to_lowercase().chain(label.chars().skip(1)).collect()
        }
        _ => label.to_string(),
    }
}

pub const CONTENTS: &str = "Sommaire";

pub const OVERVIEW: &str = "Tableau des indicateurs";
pub const OVERVIEW_CAPTION: &str =
    "Les indicateurs, leur montant et leur justificatif, comme dans le tableau du guide";
pub const OVERVIEW_COLUMNS: [&str; 6] = [
    "Champ",
    "Indicateur",
    "Section",
    "Montant",
    "Type d'indicateur",
    "Justificatif",
];
/// An amount cell that says the amount of the row above covers this row too.
pub const SHARED_AMOUNT_AGAIN: &str = "(compris)";

/// The first row of the rows one group's amount covers: `490 € pour l'ensemble`.
pub fn shared_amount(amount: &str) -> String {
    format!("{amount} pour l'ensemble")
}

/// `Partie du guide : « … »`, under a section that the guide places in a larger part.
pub fn guide_part(m: &dyn Markup, part: &str) -> String {
    format!("{GUIDE_PART} : « {} »", m.text(part))
}

/// Under a section that is one group's.
pub fn group_note(m: &dyn Markup, group: &str) -> String {
    format!("Groupe {}", m.code(group))
}

pub const INPUTS: &str = "Données de la déclaration";
pub fn inputs_intro(m: &dyn Markup) -> String {
    format!(
        "Chaque déclaration porte un identifiant ({}) et ces données, nommées comme dans la première \
         colonne (fichier JSON ou CSV).",
        m.code("id"),
    )
}
pub const INPUTS_CAPTION: &str =
    "Les données, leur type, leur source et ce que vaut une donnée manquante";
pub const INPUTS_COLUMNS: [&str; 6] = [
    "Donnée",
    "Libellé",
    "Type",
    "Source",
    "Si elle manque",
    "Lue par",
];

/// The heading over the values an input of the `one of` type takes.
pub fn values_of(m: &dyn Markup, input: &str, label: &str) -> String {
    format!("Valeurs de {} ({})", m.code(input), m.text(label))
}
pub const VALUES_COLUMNS: [&str; 2] = ["Valeur à déclarer", "Libellé"];

pub const LISTS: &str = "Listes";

/// `Liste `x` : 12 valeurs de « Département » ; utilisée par `a`, `b`.` (`used_by` marked up).
pub fn list_summary(
    m: &dyn Markup,
    list: &str,
    count: usize,
    input: &str,
    used_by: &str,
) -> String {
    let used = if used_by.is_empty() {
        String::new()
    } else {
        format!(" ; utilisée par {used_by}")
    };
    format!(
        "Liste {} : {count} valeurs de « {} »{used}.",
        m.code(list),
        m.text(&mid_sentence(input))
    )
}

pub const TOTALS: &str = "Totaux du guide";
pub const NO_TOTALS: &str = "Le référentiel ne recopie aucun total du guide.";
pub fn totals_intro(m: &dyn Markup) -> String {
    format!(
        "Pour chaque profil (chaque combinaison des valeurs à choix qui décident d'un montant), le \
         plus que les règles peuvent verser dans le périmètre de chaque total a été calculé, et trouvé \
         {} : ce maximum calculé est celui de la dernière colonne.",
        m.strong("égal au total du guide")
    )
}
pub const TOTALS_CAPTION: &str = "Les totaux écrits dans le guide et les maximums calculés";
pub const TOTALS_COLUMNS: [&str; 6] = [
    "Total du guide",
    "Section",
    "Périmètre",
    "Profil",
    "Montant du guide",
    "Maximum calculé",
];

/// The heading of the page's technical footer.
pub const TECHNICAL: &str = "Informations techniques";

/// The technical footer, for those who keep the rulebook: which file, by its name and
/// digest (`hash` marked up); who checked the totals and made the page.
pub fn technical(m: &dyn Markup, name: &str, hash: &str) -> Vec<String> {
    vec![
        format!(
            "Rulebook {} ; empreinte {hash}. Toute modification du fichier, même d'un \
             commentaire, change cette empreinte.",
            m.code(name)
        ),
        format!(
            "Les maximums des totaux du guide sont calculés et vérifiés par {} ; une page n'est \
             produite que pour un rulebook qui passe ce contrôle. {} donne le schéma JSON des \
             déclarations.",
            m.code("forfait check"),
            m.code("forfait schema")
        ),
        format!("Page produite par {}.", m.code("forfait doc")),
    ]
}

/// `masseurs-kinésithérapeutes libéraux` from `Masseurs-kinésithérapeutes libéraux`: a
/// label inserted inside a sentence loses its capital (an acronym keeps it: `IPAL`, `DMP`).
pub fn mid_sentence(label: &str) -> String {
    lowercase_first(label)
}
