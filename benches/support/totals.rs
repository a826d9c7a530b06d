//! The speed of light for totals: each rulebook's total written by hand in Rust, as a
//! programmer would write a one-off program that keeps only `id,total_euros`.
//!
//! The same reading crate as forfait (`csv`, byte records into one reused `ByteRecord`), the
//! same cell readers as `hand.rs` (the same spellings and defaults), but only the cells a
//! payment needs, in the order the rules need them: a condition stops at its first operand
//! that decides it, and a payment whose gate fails (FAMI's coordination without the socle,
//! the médecins' whole volet 2 without volet 1) reads none of its cells. The total is summed
//! with `rust_decimal`, and each row written as forfait's `--columns id,total_euros` writes
//! it, byte for byte: the id, a comma, the euros with two decimals.
//!
//! What it does not do, and forfait must: notice a missing or malformed value in a cell it
//! never reads. A declaration whose volet 1 fails is paid 0.00 here whatever its volet-2
//! cells hold; forfait rejects it when one of them is wrong. [`Check::Every`] is the same
//! program reading and checking every cell (through `hand.rs`'s evaluation, which reads
//! them all and evaluates every indicator), with the same output: about the floor for an
//! interpreter that must still reject exactly as today.

use std::io::{self, BufRead, Write};

use rust_decimal::Decimal;

use super::generate::Kind;
use super::hand::{
    self, cents, count, one_of, push_field, rate, specialty, yes_no, FamiAmounts, HandSummary,
    MedecinsAmounts, Unhandled,
};

/// Which cells the program reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Check {
    /// Only those the total needs (the programmer's program).
    Needed,
    /// Every cell read and checked, every indicator evaluated (`hand.rs`'s evaluation), the
    /// same total: what rejecting as forfait does costs at least.
    Every,
}

/// No euro yet, written `0.00` like every total.
const NOTHING: Decimal = Decimal::from_parts(0, 0, 0, false, 2);

/// FAMI 2024, chirurgiens-dentistes: the total, reading only what it needs.
fn fami_total(
    rec: &csv::ByteRecord,
    line: u64,
    amounts: &FamiAmounts,
) -> Result<Decimal, Unhandled> {
    let no = Some(false);
    let mut total = NOTHING;
    // The socle: five prerequisites, in the rulebook's order, stopping at the first not met.
    // § 1.1: a compatible software or a connector, and at least one flow.
    let socle = matches!(
        one_of(
            rec,
            1,
            &[b"logiciel_compatible", b"connecteur", b"web_dmp", b"aucun"],
            b"aucun",
            line,
        )?,
        b"logiciel_compatible" | b"connecteur"
    ) && count(rec, 2, None, line)? >= 1
        && yes_no(rec, 3, None, line)? // § 1.2
        && yes_no(rec, 4, no, line)? // § 1.3
        && rate(count(rec, 5, None, line)?, count(rec, 6, None, line)?, 7, 10) // § 1.4
        && matches!(
            // § 1.5
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
    if socle {
        total += amounts.socle;
        // § 1.6, paid only with the socle.
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
        let coordonnee = matches!(
            dispositif,
            b"msp" | b"esp" | b"ess" | b"cpts" | b"reseau_soins" | b"coordination_had_ehpad"
        ) || (dispositif == b"reunions_concertation"
            && count(rec, 9, Some(0), line)? >= 4);
        if coordonnee {
            total += amounts.coordination;
        }
    }
    // § 1.7.1, independent: at least three interventions, and their places given.
    if count(rec, 10, Some(0), line)? >= 3 && !rec.get(11).unwrap_or(b"").trim_ascii().is_empty() {
        total += amounts.aller_vers;
    }
    // § 1.7.2, independent: the 6th-year active stage, full time.
    if one_of(
        rec,
        12,
        &[b"stage_actif_6e_annee", b"autre_stage", b"aucun"],
        b"aucun",
        line,
    )? == b"stage_actif_6e_annee"
        && yes_no(rec, 13, no, line)?
    {
        total += amounts.accueil;
    }
    Ok(total)
}

/// II.8's « minimum de 2 heures ouvertes par semaine ».
const SAS_HOURS: Decimal = Decimal::from_parts(2, 0, 0, false, 0);

/// Forfait structure 2025, médecins: the total, reading only what it needs.
fn medecins_total(
    rec: &csv::ByteRecord,
    line: u64,
    amounts: &MedecinsAmounts,
) -> Result<Decimal, Unhandled> {
    let no = Some(false);
    let c = |i: usize| count(rec, i, None, line);
    // Volet 1, four prerequisites, stopping at the first not met. I.1: a Ségur software, and
    // a certified LAP unless the specialty is in annexe 1.
    let volet_1 = yes_no(rec, 2, no, line)?
        && (yes_no(rec, 3, no, line)?
            || specialty(rec.get(1).unwrap_or(b"")).ok_or(Unhandled { line, field: 1 })?)
        && yes_no(rec, 4, None, line)? // I.2
        && rate(c(5)?, c(6)?, 2, 3) // I.3
        && yes_no(rec, 7, no, line)?; // I.4
    if !volet_1 {
        // Volet 2 requires volet 1: none of its 17 indicators pays, none is read.
        return Ok(NOTHING);
    }
    let e = &amounts.euros;
    let mut total = e[0];
    let mut pay = |i: usize, met: bool| {
        if met {
            total += e[i];
        }
    };
    // II.1, the téléservices and the other uses of services.
    pay(1, rate(c(8)?, c(9)?, 9, 10)); // dcmt
    pay(2, rate(c(10)?, c(11)?, 9, 10)); // pse
    pay(3, rate(c(12)?, c(13)?, 9, 10)); // aat
    pay(4, rate(c(14)?, c(15)?, 1, 2)); // cm_atmp
    pay(5, rate(c(16)?, c(17)?, 3, 10)); // spe
    pay(6, rate(c(18)?, c(19)?, 1, 2)); // dsg
    let contacts = c(22)?;
    pay(7, rate(c(20)?, contacts, 3, 10)); // alimentation_dmp
    pay(8, rate(c(21)?, contacts, 1, 10)); // messagerie_mon_espace_sante
    pay(9, rate(c(23)?, c(24)?, 2, 5)); // ordonnances_numeriques_usage
    pay(10, c(25)? >= 1); // apcv
    pay(11, yes_no(rec, 26, no, line)?); // II.2 codage
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
    pay(
        12,
        matches!(
            dispositif,
            b"msp"
                | b"esp"
                | b"ess"
                | b"cpts"
                | b"reseau_soins"
                | b"coordination_had_ehpad"
                | b"asalee"
        ) || (dispositif == b"reunions_concertation" && count(rec, 28, Some(0), line)? >= 4),
    );
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
    pay(
        13,
        matches!(
            service,
            b"ressource_coordination"
                | b"structure_appui"
                | b"maia"
                | b"pfidass"
                | b"clic"
                | b"asalee"
                | b"autre_dispositif"
        ) && !(service == b"asalee" && dispositif == b"asalee"),
    );
    // II.5: a level-1 intern or a general-medicine extern.
    pay(
        14,
        matches!(
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
        ),
    );
    // II.6: a complete secure solution or a paid subscription.
    pay(
        15,
        matches!(
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
        ),
    );
    // II.7: `equipements_connectes_valides`.
    pay(
        16,
        matches!(
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
        ),
    );
    // II.8: deployed département, at least 2 open hours a week, registered.
    pay(
        17,
        yes_no(rec, 33, None, line)?
            && hand::decimal(rec, 34, line)? >= SAS_HOURS
            && yes_no(rec, 35, None, line)?,
    );
    Ok(total)
}

/// Evaluates every row of `input` (a CSV in the generator's layout), writing `id,total_euros`
/// (header first) to `output` as `forfait eval --columns id,total_euros` does.
pub fn run<R: BufRead, W: Write>(
    kind: Kind,
    check: Check,
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
    output.write_all(b"id,total_euros\n")?;
    let fami = FamiAmounts::new();
    let medecins = MedecinsAmounts::new();
    let mut summary = HandSummary::default();
    let mut rec = csv::ByteRecord::new();
    let mut out = Vec::with_capacity(64);
    while reader.read_byte_record(&mut rec)? {
        let line = rec.position().map_or(0, |p| p.line());
        let total = match (kind, check) {
            (Kind::Fami, Check::Needed) => fami_total(&rec, line, &fami),
            (Kind::Medecins, Check::Needed) => medecins_total(&rec, line, &medecins),
            (Kind::Fami, Check::Every) => hand::fami_eval(&rec, line, &fami).map(|r| r.total),
            (Kind::Medecins, Check::Every) => {
                hand::medecins_eval(&rec, line, &medecins).map(|r| r.total)
            }
        };
        let total = match total {
            Ok(t) => cents(t),
            Err(e) => return Ok(Err(e)),
        };
        summary.total_euros += total;
        summary.rows += 1;
        out.clear();
        push_field(&mut out, rec.get(0).unwrap_or(b"").trim_ascii());
        let _ = write!(out, ",{total}");
        out.push(b'\n');
        output.write_all(&out)?;
    }
    output.flush()?;
    Ok(Ok(summary))
}
