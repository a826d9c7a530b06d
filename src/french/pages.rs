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

/// An indicator whose evidence the guide does not name.
pub const NOT_SPECIFIED: &str = "non précisé";
/// A row without an amount of its own or of its group's.
pub const NO_AMOUNT: &str = "aucun";
/// A stated total that holds for every profile.
pub const ALL_PROFILES: &str = "tous les profils";
/// Beside a stated total: `forfait check` found it equal to the most the rules can pay.
pub const VERIFIED: &str = "vérifié par forfait check";
/// Before the amounts of a payment that depend on the profile.
pub const BY_PROFILE: &str = "selon le profil :";
/// Before the payments no stated total counts.
pub const UNCOUNTED: &str = "Aucun total du guide ne compte ces versements :";

/// `compris dans les 490 € du groupe « Socle »`: a member's share of its group's amount.
pub fn in_group(amount: &str, group: &str) -> String {
    format!("compris dans les {amount} du groupe « {group} »")
}
