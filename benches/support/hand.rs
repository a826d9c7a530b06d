//! The full-row yardstick: each rulebook's payments written by hand in Rust, every cell
//! read and every indicator evaluated, and forfait's whole result row written.
//!
//! Not the speed of light for totals: `totals.rs` is the program that reads only what the
//! total needs. Same reading crate (`csv`, byte records), fields by column index in the generator's
//! layout, the rulebooks' lists of choices as `matches!` on the names, the SAS hours an exact
//! `Decimal`, `rust_decimal` amounts, the same statuses and per-line amounts, and the same CSV
//! result row as `forfait::output::csv::row` (id, status, totals, statuses, per-line
//! amounts, rulebook hash, source, errors), byte for byte. What it leaves out is everything
//! a rulebook interpreter needs and a one-off program does not: looking up the layout,
//! a value per slot, a trace, a rejection per faulty field.

use std::io::{self, BufRead, Write};

use rust_decimal::Decimal;

use super::generate::{Kind, ANNEXE_1, OTHER_SPECIALTIES};

/// What a hand-written run read and paid.
#[derive(Debug, Default, PartialEq)]
pub struct HandSummary {
    pub rows: u64,
    pub total_euros: Decimal,
}

/// A row the hand-written code does not handle (the generator never writes one).
#[derive(Debug)]
pub struct Unhandled {
    pub line: u64,
    pub field: usize,
}

impl std::fmt::Display for Unhandled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: field {} unhandled", self.line, self.field)
    }
}

/// `true`/`oui`/`yes`/`1` and their opposites, any case; an empty cell is `default`.
pub fn yes_no(
    rec: &csv::ByteRecord,
    i: usize,
    default: Option<bool>,
    line: u64,
) -> Result<bool, Unhandled> {
    let cell = rec.get(i).unwrap_or(b"").trim_ascii();
    let is = |word: &[u8]| cell.eq_ignore_ascii_case(word);
    if cell.is_empty() {
        default.ok_or(Unhandled { line, field: i })
    } else if is(b"oui") || is(b"true") || is(b"yes") || cell == b"1" {
        Ok(true)
    } else if is(b"non") || is(b"false") || is(b"no") || cell == b"0" {
        Ok(false)
    } else {
        Err(Unhandled { line, field: i })
    }
}

/// A whole count; an empty cell is `default`.
pub fn count(
    rec: &csv::ByteRecord,
    i: usize,
    default: Option<u64>,
    line: u64,
) -> Result<u64, Unhandled> {
    let cell = rec.get(i).unwrap_or(b"").trim_ascii();
    if cell.is_empty() {
        return default.ok_or(Unhandled { line, field: i });
    }
    let mut n: u64 = 0;
    for &b in cell {
        if !b.is_ascii_digit() {
            return Err(Unhandled { line, field: i });
        }
        n = n
            .checked_mul(10)
            .and_then(|n| n.checked_add(u64::from(b - b'0')))
            .ok_or(Unhandled { line, field: i })?;
    }
    Ok(n)
}

/// The choice named in a `one of` cell, one of `names` (the input's choices); an empty cell is
/// `default` (what `missing means`). A name the input does not have is unhandled (the
/// interpreter rejects it).
pub fn one_of<'r>(
    rec: &'r csv::ByteRecord,
    i: usize,
    names: &[&[u8]],
    default: &'static [u8],
    line: u64,
) -> Result<&'r [u8], Unhandled> {
    let cell = rec.get(i).unwrap_or(b"").trim_ascii();
    if cell.is_empty() {
        Ok(default)
    } else if names.contains(&cell) {
        Ok(cell)
    } else {
        Err(Unhandled { line, field: i })
    }
}

/// A decimal cell, exactly: digits, then at most one `.` or `,` (the French comma) and more
/// digits. Never missing (`missing is error`).
pub fn decimal(rec: &csv::ByteRecord, i: usize, line: u64) -> Result<Decimal, Unhandled> {
    let wrong = || Unhandled { line, field: i };
    let cell = rec.get(i).unwrap_or(b"").trim_ascii();
    let mut mantissa: i64 = 0;
    let mut scale: Option<u32> = None;
    let mut digits = 0;
    for &b in cell {
        match b {
            b'0'..=b'9' => {
                mantissa = mantissa
                    .checked_mul(10)
                    .and_then(|m| m.checked_add(i64::from(b - b'0')))
                    .ok_or_else(wrong)?;
                digits += 1;
                if let Some(s) = scale.as_mut() {
                    *s += 1;
                }
            }
            b'.' | b',' if scale.is_none() && digits > 0 => scale = Some(0),
            _ => return Err(wrong()),
        }
    }
    match scale {
        _ if digits == 0 => Err(wrong()),
        Some(0) => Err(wrong()),
        Some(s) if s > 28 => Err(wrong()),
        s => Ok(Decimal::new(mantissa, s.unwrap_or(0))),
    }
}

/// `n / d >= num / den`, exactly; a zero denominator is not met.
pub fn rate(n: u64, d: u64, num: u64, den: u64) -> bool {
    d != 0 && u128::from(n) * u128::from(den) >= u128::from(num) * u128::from(d)
}

fn status(met: bool) -> &'static str {
    if met {
        "met"
    } else {
        "not_met"
    }
}

/// A field, quoted when it holds a separator, a quote or a line break (as the output does).
pub fn push_field(out: &mut Vec<u8>, field: &[u8]) {
    if field
        .iter()
        .any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r'))
    {
        out.push(b'"');
        for &b in field {
            if b == b'"' {
                out.push(b'"');
            }
            out.push(b);
        }
        out.push(b'"');
    } else {
        out.extend_from_slice(field);
    }
}

/// The end of a row: hash, source, no error.
fn tail(out: &mut Vec<u8>, hash: &str, file: &str, line: u64) {
    out.push(b',');
    out.extend_from_slice(hash.as_bytes());
    out.push(b',');
    let mut source = Vec::with_capacity(file.len() + 16);
    let _ = write!(source, "{file}:line {line}");
    push_field(out, &source);
    out.extend_from_slice(b",\n");
}

/// An unpaid line: `0.00`, like every amount.
const UNPAID: Decimal = Decimal::from_parts(0, 0, 0, false, 2);

pub fn cents(amount: Decimal) -> Decimal {
    let mut d = amount;
    d.rescale(2);
    d
}

/// The amounts of the FAMI 2024 dentists' payment lines, in euros.
pub struct FamiAmounts {
    pub socle: Decimal,
    pub coordination: Decimal,
    pub aller_vers: Decimal,
    pub accueil: Decimal,
}

impl FamiAmounts {
    pub fn new() -> Self {
        FamiAmounts {
            socle: Decimal::new(49000, 2),
            coordination: Decimal::new(10000, 2),
            aller_vers: Decimal::new(30000, 2),
            accueil: Decimal::new(35000, 2),
        }
    }
}

/// What the full-row program works out for a FAMI row: every indicator's status, every
/// payment line (paid, euros), the total.
pub struct FamiRow {
    pub statuses: [bool; 8],
    pub lines: [(bool, Decimal); 4],
    pub total: Decimal,
}

/// FAMI 2024, chirurgiens-dentistes: every cell read, every indicator evaluated.
#[inline(always)]
pub fn fami_eval(
    rec: &csv::ByteRecord,
    line: u64,
    amounts: &FamiAmounts,
) -> Result<FamiRow, Unhandled> {
    let no = Some(false);
    // § 1.1: a compatible software or a connector, and at least one flow (Web DMP refused).
    let equipement = one_of(
        rec,
        1,
        &[b"logiciel_compatible", b"connecteur", b"web_dmp", b"aucun"],
        b"aucun",
        line,
    )?;
    let flux = count(rec, 2, None, line)?;
    let logiciel_dmp = matches!(equipement, b"logiciel_compatible" | b"connecteur") && flux >= 1;
    let cdc = yes_no(rec, 3, None, line)?;
    let horaires = yes_no(rec, 4, no, line)?;
    let actes_fse = count(rec, 5, None, line)?;
    let actes_total = count(rec, 6, None, line)?;
    // § 1.5: `messageries_valides` (Apicrypt V1 refused).
    let messagerie = matches!(
        one_of(
            rec,
            7,
            &[
                b"mssante_personnelle",
                b"mssante_organisationnelle",
                b"apicrypt_v2",
                b"apicrypt_v1",
                b"aucune",
            ],
            b"aucune",
            line,
        )?,
        b"mssante_personnelle" | b"mssante_organisationnelle" | b"apicrypt_v2"
    );
    // § 1.6: `dispositifs_coordination_valides`, or at least four meetings of concertation.
    let dispositif = one_of(
        rec,
        8,
        &[
            b"msp",
            b"esp",
            b"ess",
            b"cpts",
            b"reunions_concertation",
            b"reseau_soins",
            b"coordination_had_ehpad",
            b"groupe_qualite",
            b"paerpa",
            b"dac",
            b"prado",
            b"aucun",
        ],
        b"aucun",
        line,
    )?;
    let reunions = count(rec, 9, Some(0), line)?;
    let coordonnee = matches!(
        dispositif,
        b"msp" | b"esp" | b"ess" | b"cpts" | b"reseau_soins" | b"coordination_had_ehpad"
    ) || (dispositif == b"reunions_concertation" && reunions >= 4);
    let interventions = count(rec, 10, Some(0), line)?;
    let lieux = !rec.get(11).unwrap_or(b"").trim_ascii().is_empty();
    // § 1.7.2: the 6th-year active stage, full time.
    let stage = one_of(
        rec,
        12,
        &[b"stage_actif_6e_annee", b"autre_stage", b"aucun"],
        b"aucun",
        line,
    )?;
    let temps_plein = yes_no(rec, 13, no, line)?;
    let accueil = stage == b"stage_actif_6e_annee" && temps_plein;

    let teletransmission = rate(actes_fse, actes_total, 7, 10);
    let socle = logiciel_dmp && cdc && horaires && teletransmission && messagerie;
    let aller_vers = interventions >= 3 && lieux;
    let statuses = [
        logiciel_dmp,
        cdc,
        horaires,
        teletransmission,
        messagerie,
        coordonnee,
        aller_vers,
        accueil,
    ];
    let lines = [
        (socle, amounts.socle),
        (coordonnee && socle, amounts.coordination),
        (aller_vers, amounts.aller_vers),
        (accueil, amounts.accueil),
    ];
    let mut total = Decimal::ZERO;
    for (paid, amount) in lines {
        if paid {
            total += amount;
        }
    }
    let total = cents(total);
    Ok(FamiRow {
        statuses,
        lines,
        total,
    })
}

/// FAMI 2024, chirurgiens-dentistes: one row, appended to `out`; returns the total.
fn fami_row(
    rec: &csv::ByteRecord,
    line: u64,
    amounts: &FamiAmounts,
    hash: &str,
    file: &str,
    out: &mut Vec<u8>,
) -> Result<Decimal, Unhandled> {
    let FamiRow {
        statuses,
        lines,
        total,
    } = fami_eval(rec, line, amounts)?;
    push_field(out, rec.get(0).unwrap_or(b"").trim_ascii());
    let _ = write!(out, ",evaluated,{total}");
    for s in statuses {
        out.push(b',');
        out.extend_from_slice(status(s).as_bytes());
    }
    for (paid, amount) in lines {
        let _ = write!(out, ",{}", if paid { amount } else { UNPAID });
    }
    tail(out, hash, file, line);
    Ok(total)
}

/// II.8's « minimum de 2 heures ouvertes par semaine ».
const SAS_HOURS: Decimal = Decimal::from_parts(2, 0, 0, false, 0);

/// The forfait structure's lines: points, and their euros at 7 EUR the point.
pub struct MedecinsAmounts {
    /// Volet 1, then the 17 indicators of volet 2 in the rulebook's order.
    pub points: [Decimal; 18],
    pub euros: [Decimal; 18],
}

impl MedecinsAmounts {
    pub fn new() -> Self {
        // In tenths of a point: 280, then 22.5 x 4, 10 x 2, 40 x 4, 50, 120, 70, 50, 50, 25, 200.
        let tenths: [i64; 18] = [
            2800, 225, 225, 225, 225, 100, 100, 400, 400, 400, 400, 500, 1200, 700, 500, 500, 250,
            2000,
        ];
        let points = tenths.map(|t| Decimal::new(t, 1).normalize());
        let euros = points.map(|p| cents((p * Decimal::new(7, 0)).round_dp(2)));
        MedecinsAmounts { points, euros }
    }
}

/// Specialty name to (known, in annexe 1).
pub fn specialty(cell: &[u8]) -> Option<bool> {
    let cell = cell.trim_ascii();
    if cell == b"medecine_generale" {
        Some(false)
    } else if ANNEXE_1.iter().any(|s| s.as_bytes() == cell) {
        Some(true)
    } else if OTHER_SPECIALTIES.iter().any(|s| s.as_bytes() == cell) {
        Some(false)
    } else {
        None
    }
}

/// What the full-row program works out for a médecins' row: the 21 indicators' statuses
/// (volet 1's four, then volet 2's seventeen), which of the 18 lines pay, the totals.
pub struct MedecinsRow {
    pub statuses: [bool; 21],
    pub paid: [bool; 18],
    pub total: Decimal,
    pub points: Decimal,
}

/// Forfait structure 2025, médecins: every cell read, every indicator evaluated.
#[inline(always)]
pub fn medecins_eval(
    rec: &csv::ByteRecord,
    line: u64,
    amounts: &MedecinsAmounts,
) -> Result<MedecinsRow, Unhandled> {
    let no = Some(false);
    let annexe_1 = specialty(rec.get(1).unwrap_or(b"")).ok_or(Unhandled { line, field: 1 })?;
    let segur = yes_no(rec, 2, no, line)?;
    let lap = yes_no(rec, 3, no, line)?;
    let cdc = yes_no(rec, 4, None, line)?;
    let actes_fse = count(rec, 5, None, line)?;
    let actes_total = count(rec, 6, None, line)?;
    let horaires = yes_no(rec, 7, no, line)?;
    let c = |i: usize| count(rec, i, None, line);
    let contacts = c(22)?;

    let logiciel = segur && (lap || annexe_1);
    let teletransmission = rate(actes_fse, actes_total, 2, 3);
    let volet_1 = logiciel && cdc && teletransmission && horaires;
    // II.3: `dispositifs_coordination_valides` (ASALEE among them), or at least four
    // meetings of concertation.
    let dispositif = one_of(
        rec,
        27,
        &[
            b"msp",
            b"esp",
            b"ess",
            b"cpts",
            b"reunions_concertation",
            b"reseau_soins",
            b"coordination_had_ehpad",
            b"asalee",
            b"groupe_qualite",
            b"paerpa",
            b"dac",
            b"prado",
            b"aucun",
        ],
        b"aucun",
        line,
    )?;
    let reunions = count(rec, 28, Some(0), line)?;
    let coordination = matches!(
        dispositif,
        b"msp"
            | b"esp"
            | b"ess"
            | b"cpts"
            | b"reseau_soins"
            | b"coordination_had_ehpad"
            | b"asalee"
    ) || (dispositif == b"reunions_concertation" && reunions >= 4);
    // II.4: `services_patients_valides`, ASALEE never for both II.3 and II.4.
    let service = one_of(
        rec,
        29,
        &[
            b"ressource_coordination",
            b"structure_appui",
            b"maia",
            b"pfidass",
            b"clic",
            b"asalee",
            b"autre_dispositif",
            b"plateforme_rendez_vous",
            b"aucun",
        ],
        b"aucun",
        line,
    )?;
    let services = matches!(
        service,
        b"ressource_coordination"
            | b"structure_appui"
            | b"maia"
            | b"pfidass"
            | b"clic"
            | b"asalee"
            | b"autre_dispositif"
    ) && !(service == b"asalee" && dispositif == b"asalee");
    // II.5: a level-1 intern or a general-medicine extern.
    let encadrement = matches!(
        one_of(
            rec,
            30,
            &[
                b"interne_niveau_1",
                b"externe_medecine_generale",
                b"autre_stage",
                b"aucun",
            ],
            b"aucun",
            line,
        )?,
        b"interne_niveau_1" | b"externe_medecine_generale"
    );
    // II.6: a complete secure solution or a paid subscription (free consumer ones refused).
    let video = matches!(
        one_of(
            rec,
            31,
            &[
                b"solution_complete_securisee",
                b"abonnement_telemedecine",
                b"grand_public_gratuite",
                b"aucune",
            ],
            b"aucune",
            line,
        )?,
        b"solution_complete_securisee" | b"abonnement_telemedecine"
    );
    // II.7: `equipements_connectes_valides` (the guide's « non retenus » refused).
    let connectes = matches!(
        one_of(
            rec,
            32,
            &[
                b"oxymetre",
                b"stethoscope",
                b"dermatoscope",
                b"otoscope",
                b"glucometre",
                b"ecg",
                b"sonde_doppler",
                b"echographe",
                b"tensiometre",
                b"camera",
                b"tests_visuels_audiogramme",
                b"exploration_respiratoire",
                b"application_sans_finalite_medicale",
                b"equipement_simple",
                b"aucun",
            ],
            b"aucun",
            line,
        )?,
        b"oxymetre"
            | b"stethoscope"
            | b"dermatoscope"
            | b"otoscope"
            | b"glucometre"
            | b"ecg"
            | b"sonde_doppler"
            | b"echographe"
            | b"tensiometre"
            | b"camera"
            | b"tests_visuels_audiogramme"
            | b"exploration_respiratoire"
    );
    // II.8: deployed département, at least 2 open hours a week (exact decimals), registered.
    let deploye = yes_no(rec, 33, None, line)?;
    let heures = decimal(rec, 34, line)?;
    let inscrit = yes_no(rec, 35, None, line)?;
    let sas = deploye && heures >= SAS_HOURS && inscrit;
    let volet_2: [bool; 16] = [
        rate(c(8)?, c(9)?, 9, 10),     // dcmt
        rate(c(10)?, c(11)?, 9, 10),   // pse
        rate(c(12)?, c(13)?, 9, 10),   // aat
        rate(c(14)?, c(15)?, 1, 2),    // cm_atmp
        rate(c(16)?, c(17)?, 3, 10),   // spe
        rate(c(18)?, c(19)?, 1, 2),    // dsg
        rate(c(20)?, contacts, 3, 10), // alimentation_dmp
        rate(c(21)?, contacts, 1, 10), // messagerie_mon_espace_sante
        rate(c(23)?, c(24)?, 2, 5),    // ordonnances_numeriques_usage
        c(25)? >= 1,                   // apcv
        yes_no(rec, 26, no, line)?,    // codage
        coordination,
        services,    // services_aux_patients
        encadrement, // encadrement_etudiants
        video,       // video_transmission
        connectes,   // equipements_connectes
    ];

    // Which lines pay: volet 1 on its own; each of volet 2 only with volet 1.
    let mut paid = [false; 18];
    paid[0] = volet_1;
    for (p, met) in paid[1..17].iter_mut().zip(volet_2) {
        *p = met && volet_1;
    }
    paid[17] = sas && volet_1;
    let mut total = Decimal::ZERO;
    let mut points = Decimal::ZERO;
    for (i, &p) in paid.iter().enumerate() {
        if p {
            total += amounts.euros[i];
            points += amounts.points[i];
        }
    }
    let total = cents(total);
    let mut statuses = [false; 21];
    for (s, met) in statuses.iter_mut().zip(
        [logiciel, cdc, teletransmission, horaires]
            .into_iter()
            .chain(volet_2)
            .chain([sas]),
    ) {
        *s = met;
    }
    Ok(MedecinsRow {
        statuses,
        paid,
        total,
        points,
    })
}

/// Forfait structure 2025, médecins: one row, appended to `out`; returns the total.
fn medecins_row(
    rec: &csv::ByteRecord,
    line: u64,
    amounts: &MedecinsAmounts,
    hash: &str,
    file: &str,
    out: &mut Vec<u8>,
) -> Result<Decimal, Unhandled> {
    let MedecinsRow {
        statuses,
        paid,
        total,
        points,
    } = medecins_eval(rec, line, amounts)?;
    push_field(out, rec.get(0).unwrap_or(b"").trim_ascii());
    let _ = write!(out, ",evaluated,{total},{}", points.normalize());
    for s in statuses {
        out.push(b',');
        out.extend_from_slice(status(s).as_bytes());
    }
    for (i, &p) in paid.iter().enumerate() {
        let _ = write!(out, ",{}", if p { amounts.euros[i] } else { UNPAID });
    }
    tail(out, hash, file, line);
    Ok(total)
}

/// Evaluates every row of `input` (a CSV in the generator's layout) by hand, writing the
/// result rows (header first) to `output`. `hash` is the rulebook's content hash and
/// `file` the source name, both as the interpreter writes them.
pub fn run<R: BufRead, W: Write>(
    kind: Kind,
    header: &str,
    hash: &str,
    file: &str,
    input: R,
    mut output: W,
) -> io::Result<Result<HandSummary, Unhandled>> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(input);
    let headers = reader.byte_headers()?.clone();
    let expected = kind.fields();
    if headers.len() != expected.len()
        || headers.iter().zip(expected).any(|(h, e)| h != e.as_bytes())
    {
        return Ok(Err(Unhandled { line: 1, field: 0 }));
    }
    output.write_all(header.as_bytes())?;
    let fami = FamiAmounts::new();
    let medecins = MedecinsAmounts::new();
    let mut summary = HandSummary::default();
    let mut rec = csv::ByteRecord::new();
    let mut out = Vec::with_capacity(1024);
    while reader.read_byte_record(&mut rec)? {
        let line = rec.position().map_or(0, |p| p.line());
        out.clear();
        let total = match kind {
            Kind::Fami => fami_row(&rec, line, &fami, hash, file, &mut out),
            Kind::Medecins => medecins_row(&rec, line, &medecins, hash, file, &mut out),
        };
        match total {
            Ok(t) => summary.total_euros += t,
            Err(e) => return Ok(Err(e)),
        }
        summary.rows += 1;
        output.write_all(&out)?;
    }
    output.flush()?;
    Ok(Ok(summary))
}
