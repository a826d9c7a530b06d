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
//! or `non`), declared choices (`one of`) mostly ones the guide's lists accept, some it
//! refuses, and `aucun` (an empty cell half the time), counts of a practice's yearly size,
//! some zero denominators, the SAS hours a decimal around their 2 hours, and médecine
//! générale dominant among the médecins' specialties.

use std::io::{self, Write};

/// Bump when the output for a given (rulebook, rows, seed) changes: cached files carry it
/// in their name.
pub const VERSION: u32 = 2;

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
    "equipement_dmp",
    "flux_dmp",
    "cdc_sesam_vitale",
    "horaires_annuaire",
    "actes_fse",
    "actes_total",
    "type_messagerie",
    "dispositif_coordination",
    "reunions_concertation_par_an",
    "interventions_aller_vers",
    "lieux_aller_vers",
    "stage_accueilli",
    "stagiaire_temps_plein",
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
    "dispositif_coordination",
    "reunions_concertation_par_an",
    "service_patients",
    "stage_encadre",
    "solution_video",
    "equipement_connecte_acquis",
    "sas_departement_deploye",
    "sas_heures_ouvertes_par_semaine",
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

/// One of a `one of` input's choices, drawn with the weights given (per mille, summing to
/// 1 000), written by its name; the choice `missing means` names (`aucun`), when drawn, is
/// an empty cell half the time. Returns the choice drawn.
fn choice<'a>(line: &mut String, rng: &mut Rng, choices: &[(&'a str, u64)], none: &str) -> &'a str {
    debug_assert_eq!(choices.iter().map(|(_, w)| w).sum::<u64>(), 1000);
    let mut r = rng.below(1000);
    let mut picked = choices[choices.len() - 1].0;
    for &(name, weight) in choices {
        if r < weight {
            picked = name;
            break;
        }
        r -= weight;
    }
    line.push(',');
    if picked != none || rng.chance(50) {
        line.push_str(picked);
    }
    picked
}

/// A decimal given in hundredths, written as the shortest decimal: `0`, `1.5`, `1.99`, `2`.
fn hundredths(line: &mut String, h: u64) {
    use std::fmt::Write as _;
    let (whole, fraction) = (h / 100, h % 100);
    let _ = match fraction {
        0 => write!(line, ",{whole}"),
        f if f % 10 == 0 => write!(line, ",{whole}.{}", f / 10),
        f => write!(line, ",{whole}.{f:02}"),
    };
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

/// A chirurgien-dentiste. About 7 in 10 meet the socle (5 prerequisites, each met by 86 to
/// 97 %).
fn fami_row(rng: &mut Rng, row: u64, line: &mut String) {
    use std::fmt::Write as _;
    let _ = write!(line, "CD-{:07}", row + 1);

    // § 1.1: the DMP equipment (prefilled) and the flows the SI DMP traced. Web DMP users
    // and the few with no flow at all do not meet it.
    let dmp = choice(
        line,
        rng,
        &[
            ("logiciel_compatible", 720),
            ("connecteur", 245),
            ("web_dmp", 20),
            ("aucun", 15),
        ],
        "aucun",
    );
    let flux = match dmp {
        "logiciel_compatible" | "connecteur" => match rng.below(100) {
            0..=1 => 0,
            2..=5 => 1,
            _ => rng.size(2, 600),
        },
        "web_dmp" if rng.chance(40) => rng.range(1, 40),
        _ => 0,
    };
    count(line, flux); // flux_dmp (automated: never missing)
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

    // § 1.5: the secure messaging (prefilled); Apicrypt V1 and none do not qualify.
    choice(
        line,
        rng,
        &[
            ("mssante_personnelle", 620),
            ("mssante_organisationnelle", 190),
            ("apicrypt_v2", 150),
            ("apicrypt_v1", 20),
            ("aucune", 20),
        ],
        "aucune",
    );

    // § 1.6: the arrangement picked from the guide's list (47 % one that qualifies, 12 %
    // meetings, 12 % one the guide refuses), and the count of meetings.
    let coordination = choice(
        line,
        rng,
        &[
            ("msp", 120),
            ("esp", 80),
            ("ess", 30),
            ("cpts", 150),
            ("reseau_soins", 50),
            ("coordination_had_ehpad", 40),
            ("reunions_concertation", 120),
            ("groupe_qualite", 40),
            ("paerpa", 20),
            ("dac", 30),
            ("prado", 30),
            ("aucun", 290),
        ],
        "aucun",
    );
    meetings(line, rng, coordination == "reunions_concertation");

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

    // § 1.7.2: the student's stage, and whether full time.
    let stage = choice(
        line,
        rng,
        &[
            ("stage_actif_6e_annee", 330),
            ("autre_stage", 70),
            ("aucun", 600),
        ],
        "aucun",
    );
    let full_time = match stage {
        "stage_actif_6e_annee" => 92,
        "autre_stage" => 50,
        _ => 0,
    };
    declared(line, rng, full_time); // stagiaire_temps_plein
}

/// The meetings of concertation a year: for those who declared them, 70 % at least four
/// (15 % exactly four, 10 % three); for the others mostly an empty cell (missing means 0),
/// sometimes `0` or a few.
fn meetings(line: &mut String, rng: &mut Rng, declared: bool) {
    if declared {
        let n = match rng.below(100) {
            0..=14 => 4,
            15..=24 => 3,
            25..=44 => rng.range(0, 2),
            _ => rng.range(5, 24),
        };
        count(line, n);
    } else {
        match rng.below(100) {
            0..=79 => line.push(','),
            80..=89 => count(line, 0),
            _ => count(line, rng.range(1, 12)),
        }
    }
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

    // II.3: the arrangement the attestation rests on (52 % one that qualifies, ASALEE
    // among them, 10 % meetings, 12 % one the guide refuses), and the count of meetings.
    let coordination = choice(
        line,
        rng,
        &[
            ("msp", 150),
            ("esp", 60),
            ("ess", 20),
            ("cpts", 180),
            ("reseau_soins", 40),
            ("coordination_had_ehpad", 30),
            ("asalee", 40),
            ("reunions_concertation", 100),
            ("groupe_qualite", 40),
            ("paerpa", 20),
            ("dac", 30),
            ("prado", 30),
            ("aucun", 260),
        ],
        "aucun",
    );
    meetings(line, rng, coordination == "reunions_concertation");

    // II.4: 31 % a service that qualifies, 15 % a booking platform (refused); ASALEE
    // declared for II.3 is declared for II.4 as well 40 % of the time (it then fails II.4).
    if coordination == "asalee" && rng.chance(40) {
        line.push_str(",asalee");
    } else {
        choice(
            line,
            rng,
            &[
                ("ressource_coordination", 80),
                ("structure_appui", 60),
                ("maia", 20),
                ("pfidass", 20),
                ("clic", 30),
                ("asalee", 40),
                ("autre_dispositif", 60),
                ("plateforme_rendez_vous", 150),
                ("aucun", 540),
            ],
            "aucun",
        );
    }

    // II.5: a stage that qualifies 35 % of general practitioners, 12 % of others.
    let stages: &[(&str, u64)] = if gp {
        &[
            ("interne_niveau_1", 220),
            ("externe_medecine_generale", 130),
            ("autre_stage", 50),
            ("aucun", 600),
        ]
    } else {
        &[
            ("interne_niveau_1", 60),
            ("externe_medecine_generale", 60),
            ("autre_stage", 60),
            ("aucun", 820),
        ]
    };
    choice(line, rng, stages, "aucun");

    // II.6: 45 % a video solution that qualifies, 10 % a free consumer one (refused).
    choice(
        line,
        rng,
        &[
            ("solution_complete_securisee", 300),
            ("abonnement_telemedecine", 150),
            ("grand_public_gratuite", 100),
            ("aucune", 450),
        ],
        "aucune",
    );

    // II.7: 30 % a device of the list, 8 % one the guide does not retain.
    choice(
        line,
        rng,
        &[
            ("oxymetre", 25),
            ("stethoscope", 25),
            ("dermatoscope", 25),
            ("otoscope", 25),
            ("glucometre", 25),
            ("ecg", 25),
            ("sonde_doppler", 25),
            ("echographe", 25),
            ("tensiometre", 25),
            ("camera", 25),
            ("tests_visuels_audiogramme", 25),
            ("exploration_respiratoire", 25),
            ("application_sans_finalite_medicale", 40),
            ("equipement_simple", 40),
            ("aucun", 620),
        ],
        "aucun",
    );

    // SAS (automated): deployed 80 %; the weekly open hours the platform sends, a decimal
    // (mostly 0 outside a deployed département), around the 2 hours of the indicator.
    let deployed = rng.chance(80);
    yes_no(line, deployed); // sas_departement_deploye
    let hours = if !deployed && rng.chance(90) {
        0
    } else {
        match rng.below(100) {
            0..=24 => 0,
            25..=32 => 200,                   // exactly 2 hours
            33..=36 => 199,                   // 1.99
            37..=39 => 201,                   // 2.01
            40..=54 => 25 * rng.range(1, 7),  // 0.25 to 1.75, by quarter hours
            55..=84 => 25 * rng.range(9, 48), // 2.25 to 12, by quarter hours
            _ => rng.range(100, 1500),        // a weekly average, to the hundredth
        }
    };
    hundredths(line, hours); // sas_heures_ouvertes_par_semaine
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
