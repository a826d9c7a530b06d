//! Synthetic declarations, as CSV, for the two benchmarked rulebooks.
//!
//! Deterministic and machine-independent: every number comes from a splitmix64 stream and
//! integer arithmetic only (no floating point, no hashing of addresses, no crate whose
//! output could change with its version). Row `i` draws from its own stream, seeded from
//! `(seed, i)`, so the first 10 000 rows of a 1 000 000-row file are the 10 000-row file,
//! and a row never depends on the rows before it. Rows are written one at a time: any
//! number of rows in constant memory.
//!
//! The mix aims at what a fund's yearly export looks like: most professionals meet the
//! prerequisites, rates spread around their thresholds with many exactly on them and just
//! below, declarative boxes ticked 25 to 60 % of the time (an unticked box is an empty cell
//! or `non`), counts of a practice's yearly size, some zero denominators, and médecine
//! générale dominant among the médecins' specialties.

use std::io::{self, Write};

/// Bump when the output for a given (rulebook, rows, seed) changes: cached files carry it
/// in their name.
pub const VERSION: u32 = 1;

/// The rulebooks the generator knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// FAMI 2024, chirurgiens-dentistes.
    Fami,
    /// Forfait structure 2025, médecins.
    Medecins,
}

impl Kind {
    pub fn parse(name: &str) -> Option<Kind> {
        match name {
            "fami" => Some(Kind::Fami),
            "medecins" | "forfait-structure" | "structure" => Some(Kind::Medecins),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Kind::Fami => "fami",
            Kind::Medecins => "medecins",
        }
    }

    /// The rulebook file, relative to the crate root.
    pub fn rulebook_path(self) -> &'static str {
        match self {
            Kind::Fami => "rulebooks/fami/2024-chirurgiens-dentistes.forfait",
            Kind::Medecins => "rulebooks/forfait-structure/2025-medecins.forfait",
        }
    }

    /// The CSV header's fields, in the order rows are written.
    pub fn fields(self) -> &'static [&'static str] {
        match self {
            Kind::Fami => FAMI_FIELDS,
            Kind::Medecins => MEDECINS_FIELDS,
        }
    }
}

pub const FAMI_FIELDS: &[&str] = &[
    "id",
    "logiciel_metier_dmp",
    "cdc_sesam_vitale",
    "horaires_annuaire",
    "actes_fse",
    "actes_total",
    "messagerie_securisee",
    "prise_en_charge_coordonnee",
    "interventions_aller_vers",
    "lieux_aller_vers",
    "accueil_etudiant",
];

pub const MEDECINS_FIELDS: &[&str] = &[
    "id",
    "specialite",
    "logiciel_segur",
    "lap_certifie_has",
    "cdc_sesam_vitale",
    "actes_fse",
    "actes_total",
    "horaires_annuaire",
    "dcmt_dematerialisees",
    "dcmt_total",
    "protocoles_soins_electroniques",
    "protocoles_soins_total",
    "aat_dematerialisees",
    "aat_total",
    "cm_atmp_dematerialises",
    "cm_atmp_total",
    "spe_dematerialisees",
    "prescriptions_transport_total",
    "dsg_dematerialisees",
    "declarations_grossesse_total",
    "dmp_alimentations",
    "messages_mon_espace_sante",
    "contacts_patients",
    "ordonnances_numeriques",
    "prescriptions_produits_sante_total",
    "fse_apcv",
    "codage_donnees_medicales",
    "prise_en_charge_coordonnee",
    "services_patients",
    "maitre_de_stage",
    "equipement_video",
    "equipement_connecte",
    "sas_departement_deploye",
    "sas_agenda_ouvert",
    "sas_inscrit",
];

/// The 27 specialties of the forfait structure's annexe 1 (exempt from the LAP).
pub const ANNEXE_1: &[&str] = &[
    "anesthesie_reanimation_chirurgicale",
    "chirurgie_generale",
    "radiodiagnostic_imagerie_medicale",
    "neurochirurgie",
    "ophtalmologie",
    "chirurgie_urologique",
    "stomatologie",
    "reanimation_medicale",
    "nephrologie",
    "anatomo_cyto_pathologie",
    "biologie_medicale",
    "chirurgie_orthopedique_traumatologie",
    "chirurgie_infantile",
    "chirurgie_maxillo_faciale",
    "chirurgie_maxillo_faciale_stomatologie",
    "chirurgie_plastique_reconstructive_esthetique",
    "chirurgie_thoracique_cardio_vasculaire",
    "chirurgie_vasculaire",
    "chirurgie_viscerale_digestive",
    "medecine_bucco_dentaire",
    "chirurgie_orale",
    "hematologie",
    "medecine_nucleaire",
    "oncologie_medicale",
    "oncologie_radiotherapie",
    "radiotherapie",
    "medecine_genetique",
];

/// The specialties outside annexe 1 (they need the LAP), besides médecine générale.
pub const OTHER_SPECIALTIES: &[&str] = &[
    "cardiologie",
    "dermatologie",
    "endocrinologie",
    "gastro_enterologie",
    "geriatrie",
    "gynecologie_medicale",
    "gynecologie_obstetrique",
    "medecine_interne",
    "medecine_physique_readaptation",
    "medecine_vasculaire",
    "neurologie",
    "oto_rhino_laryngologie",
    "pediatrie",
    "pneumologie",
    "psychiatrie",
    "rhumatologie",
    "autre",
];

/// Places of « aller vers » interventions; two need CSV quoting (a comma, a quote).
const PLACES: &[&str] = &[
    "EHPAD Les Tilleuls",
    "École REP+ Jean Jaurès",
    "établissement pénitentiaire",
    "Foyer d'accueil médicalisé, quartier nord",
    "Centre d'hébergement « La Passerelle »",
    "Maison de quartier \"Les Lilas\"",
    "IME du Val",
    "Bus dentaire départemental",
];

/// splitmix64 (Steele, Lea, Flood 2014): tiny, fast, and the same on every machine.
pub struct Rng(u64);

impl Rng {
    fn mix(mut z: u64) -> u64 {
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// The stream of row `row` (0-based) of the file generated with `seed`.
    pub fn for_row(seed: u64, row: u64) -> Rng {
        Rng(Self::mix(
            seed ^ Self::mix(row.wrapping_add(0x9E37_79B9_7F4A_7C15)),
        ))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        Self::mix(self.0)
    }

    /// Uniform in `0..n` (multiply-shift; `n` > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        if hi <= lo {
            lo
        } else {
            lo + self.below(hi - lo + 1)
        }
    }

    /// True `percent` times in a hundred.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// A count of a practice's yearly size: triangular on `lo..=hi` (mode in the middle).
    pub fn size(&mut self, lo: u64, hi: u64) -> u64 {
        let a = self.range(lo, hi);
        let b = self.range(lo, hi);
        (a + b) / 2
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

/// A numerator for `total` whose rate lands around the threshold `num/den`: about 6 % of
/// the time exactly on it, 4 % one unit below, 12 % within a few per cent of it, and
/// otherwise at or above it `meet` per cent of the time (else between `floor_pct` % and the
/// threshold).
fn around(rng: &mut Rng, total: u64, num: u64, den: u64, meet: u64, floor_pct: u64) -> u64 {
    if total == 0 {
        return 0;
    }
    // The least numerator that reaches the threshold.
    let k = (u128::from(num) * u128::from(total)).div_ceil(u128::from(den));
    let k = u64::try_from(k).unwrap_or(total).min(total);
    let r = rng.below(100);
    if r < 6 {
        return k;
    }
    if r < 10 {
        return k.saturating_sub(1);
    }
    if r < 22 {
        let spread = (total / 33).max(1);
        return rng.range(k.saturating_sub(spread), (k + spread).min(total));
    }
    if rng.chance(meet) {
        rng.range(k, total)
    } else {
        let lo = total * floor_pct / 100;
        if lo >= k {
            k.saturating_sub(1)
        } else {
            rng.range(lo, k - 1)
        }
    }
}

/// An automated yes/no (never missing).
fn yes_no(line: &mut String, yes: bool) {
    line.push(',');
    line.push_str(if yes { "oui" } else { "non" });
}

/// A declarative box: ticked `oui`; unticked, half the time left empty.
fn declared(line: &mut String, rng: &mut Rng, percent: u64) {
    let ticked = rng.chance(percent);
    line.push(',');
    if ticked {
        line.push_str("oui");
    } else if rng.chance(50) {
        line.push_str("non");
    }
}

fn count(line: &mut String, n: u64) {
    use std::fmt::Write as _;
    let _ = write!(line, ",{n}");
}

/// A text cell, quoted as RFC 4180 says when it needs to be.
fn text(line: &mut String, t: &str) {
    line.push(',');
    if t.contains([',', '"', '\n', '\r']) {
        line.push('"');
        line.push_str(&t.replace('"', "\"\""));
        line.push('"');
    } else {
        line.push_str(t);
    }
}

/// The header row, with its line ending.
pub fn header(kind: Kind) -> String {
    let mut h = kind.fields().join(",");
    h.push('\n');
    h
}

/// Row `row` (0-based) of the file for `seed`, with its line ending, appended to `line`.
pub fn row(kind: Kind, seed: u64, row: u64, line: &mut String) {
    let mut rng = Rng::for_row(seed, row);
    match kind {
        Kind::Fami => fami_row(&mut rng, row, line),
        Kind::Medecins => medecins_row(&mut rng, row, line),
    }
    line.push('\n');
}

/// A chirurgien-dentiste. About 3 in 4 meet the socle (5 prerequisites, each met by 87 to
/// 97 %).
fn fami_row(rng: &mut Rng, row: u64, line: &mut String) {
    use std::fmt::Write as _;
    let _ = write!(line, "CD-{:07}", row + 1);
    declared(line, rng, 97); // logiciel_metier_dmp (prefilled: mostly ticked)
    yes_no(line, rng.chance(97)); // cdc_sesam_vitale
    declared(line, rng, 96); // horaires_annuaire

    // Actes: a year of a dentist's practice; 0.5 % with no act at all (zero denominator).
    let total = if rng.chance(1) && rng.chance(50) {
        0
    } else {
        rng.size(600, 9000)
    };
    let fse = around(rng, total, 7, 10, 95, 60);
    count(line, fse);
    count(line, total);
    declared(line, rng, 96); // messagerie_securisee
    declared(line, rng, 55); // prise_en_charge_coordonnee

    // Interventions « aller vers »: a quarter of dentists, 1 to 8 of them.
    let interventions = if rng.chance(25) { rng.range(1, 8) } else { 0 };
    if interventions == 0 && rng.chance(60) {
        line.push(','); // missing means 0
    } else {
        count(line, interventions);
    }
    if interventions > 0 && rng.chance(92) {
        let n = rng.range(1, 3);
        let mut places = String::new();
        for i in 0..n {
            if i > 0 {
                places.push_str(" ; ");
            }
            places.push_str(rng.pick(PLACES));
        }
        text(line, &places);
    } else {
        line.push(',');
    }
    declared(line, rng, 30); // accueil_etudiant
}

/// A médecin: médecine générale 55 %, annexe-1 specialties 15 %, others 30 %.
fn medecins_row(rng: &mut Rng, row: u64, line: &mut String) {
    use std::fmt::Write as _;
    let _ = write!(line, "MED-{:07}", row + 1);
    let r = rng.below(100);
    let (specialty, annexe_1) = if r < 55 {
        ("medecine_generale", false)
    } else if r < 70 {
        (rng.pick(ANNEXE_1), true)
    } else {
        (rng.pick(OTHER_SPECIALTIES), false)
    };
    let gp = specialty == "medecine_generale";
    let obstetrics = specialty.starts_with("gynecologie");
    line.push(',');
    line.push_str(specialty);

    // Volet 1.
    declared(line, rng, 96); // logiciel_segur
    declared(line, rng, if annexe_1 { 40 } else { 90 }); // lap_certifie_has
    yes_no(line, rng.chance(97)); // cdc_sesam_vitale
    let total = if rng.chance(1) && rng.chance(30) {
        0
    } else if gp {
        rng.size(2500, 12000)
    } else {
        rng.size(800, 8000)
    };
    let fse = around(rng, total, 2, 3, 95, 55);
    count(line, fse);
    count(line, total);
    declared(line, rng, 96); // horaires_annuaire

    // Volet 2, téléservices: (numerator, total) pairs; specialists often have none.
    let sized = |rng: &mut Rng, zero_pct: u64, lo: u64, hi: u64| {
        if rng.chance(zero_pct) {
            0
        } else {
            rng.size(lo, hi)
        }
    };
    let dcmt_total = if gp {
        sized(rng, 1, 30, 400)
    } else {
        sized(rng, 70, 1, 15)
    };
    let pse_total = if gp {
        sized(rng, 2, 10, 150)
    } else {
        sized(rng, 30, 1, 60)
    };
    let aat_total = if gp {
        sized(rng, 1, 40, 700)
    } else {
        sized(rng, 20, 1, 200)
    };
    let atmp_total = if gp {
        sized(rng, 15, 1, 40)
    } else {
        sized(rng, 50, 1, 15)
    };
    let transport_total = if gp {
        sized(rng, 10, 1, 200)
    } else {
        sized(rng, 40, 1, 100)
    };
    let grossesse_total = if obstetrics {
        sized(rng, 2, 20, 250)
    } else if gp {
        sized(rng, 50, 1, 15)
    } else {
        sized(rng, 95, 1, 5)
    };
    for (total, num, den, meet, floor) in [
        (dcmt_total, 9, 10, 70, 50),
        (pse_total, 9, 10, 60, 40),
        (aat_total, 9, 10, 65, 50),
        (atmp_total, 1, 2, 55, 0),
        (transport_total, 3, 10, 55, 0),
        (grossesse_total, 1, 2, 60, 0),
    ] {
        count(line, around(rng, total, num, den, meet, floor));
        count(line, total);
    }

    // Other uses, against the contacts with patients.
    let contacts = if rng.chance(1) && rng.chance(20) {
        0
    } else if gp {
        rng.size(2500, 9000)
    } else {
        rng.size(800, 6000)
    };
    count(line, around(rng, contacts, 3, 10, 50, 0)); // dmp_alimentations
    count(line, around(rng, contacts, 1, 10, 35, 0)); // messages_mon_espace_sante
    count(line, contacts);
    let prescriptions = if gp {
        rng.size(2000, 9000)
    } else {
        sized(rng, 3, 300, 5000)
    };
    count(line, around(rng, prescriptions, 2, 5, 55, 10)); // ordonnances_numeriques
    count(line, prescriptions);
    let apcv = if rng.chance(55) { 0 } else { rng.size(1, 60) };
    count(line, apcv);

    // Declarative indicators.
    declared(line, rng, 40); // codage_donnees_medicales
    declared(line, rng, 60); // prise_en_charge_coordonnee
    declared(line, rng, 35); // services_patients
    declared(line, rng, if gp { 35 } else { 12 }); // maitre_de_stage
    declared(line, rng, 45); // equipement_video
    declared(line, rng, 30); // equipement_connecte

    // SAS (automated).
    yes_no(line, rng.chance(80)); // sas_departement_deploye
    yes_no(line, rng.chance(50)); // sas_agenda_ouvert
    yes_no(line, rng.chance(45)); // sas_inscrit
}

/// Writes the header and `rows` rows to `out`, streaming.
pub fn write<W: Write>(kind: Kind, rows: u64, seed: u64, out: W) -> io::Result<()> {
    let mut out = io::BufWriter::with_capacity(1 << 16, out);
    out.write_all(header(kind).as_bytes())?;
    let mut line = String::with_capacity(512);
    for i in 0..rows {
        line.clear();
        row(kind, seed, i, &mut line);
        out.write_all(line.as_bytes())?;
    }
    out.flush()
}
