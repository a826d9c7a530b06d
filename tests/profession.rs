//! `--profession` on `forfait diff` and `forfait doc`: only what concerns one profession of
//! a rulebook that covers several (FAMI 2021), as a kinés' reviewer reads the changelog
//! from 2019 and a kiné reads the page.

// A test that cannot run the binary should stop loudly.
#![allow(clippy::panic)]

mod common;

use common::{command, forfait, stderr, stdout};

const KINES_2019: &str = "rulebooks/fami/2019-masseurs-kinesitherapeutes.forfait";
const FAMI_2021: &str = "rulebooks/fami/2021-professions-de-sante.forfait";
const KINE: &str = "masseur_kinesitherapeute";

/// What only other professions than the kinés are concerned by in 2021.
const NOT_FOR_KINES: [&str; 8] = [
    "cahier_des_charges_sv_infirmier",
    "cahier_des_charges_sv_sage_femme",
    "telesante_videotransmission",
    "dmp_ouverture",
    "TOTAL 1 – IDEL",
    "« statut_infirmier »",
    "« horaires_annuaire »",
    "« scor » neutralisé",
];

#[test]
fn the_kines_changelog_shows_only_what_concerns_them() {
    let all = forfait(&["diff", KINES_2019, FAMI_2021]);
    let only = forfait(&["diff", KINES_2019, FAMI_2021, "--profession", KINE]);
    assert_eq!(only.status.code(), Some(0), "{}", stderr(&only));
    let (all, changelog) = (stdout(&all), stdout(&only));
    for other in NOT_FOR_KINES {
        assert!(all.contains(other), "the whole changelog has {other}");
        assert!(
            !changelog.contains(other),
            "{other} in the kinés' changelog:\n{changelog}"
        );
    }
    for theirs in [
        "Indicateur « cahier_des_charges_sv_kine_ortho_podo » ajouté",
        "Indicateur « cahier_des_charges_sv » retiré",
        "Neutralisation de « logiciel_dmp » levée",
        "Membres de « socle » : ajoutés : cahier_des_charges_sv_kine_ortho_podo ; retirés : cahier_des_charges_sv",
        "Total du guide « TOTAL » ajouté",
        "Donnée « cdc_sesam_vitale_kine_ortho_podo » ajoutée",
        // The header always, and what the changelog is limited to.
        "- Exercice : 2019 → 2021",
        "Seulement ce qui concerne la profession « Masseurs-kinésithérapeutes » (`masseur_kinesitherapeute`) : les changements qui ne concernent que d'autres professions ne sont pas listés",
    ] {
        assert!(changelog.contains(theirs), "{theirs}\n{changelog}");
    }
    // `scor` applies to kinés both years, and their coordination amount stays 100 €:
    // the changes of wording for the others are not theirs.
    assert!(
        all.contains("Applicabilité de « scor »") && all.contains("Montants de « coordination »")
    );
    assert!(
        !changelog.contains("Applicabilité de « scor »"),
        "{changelog}"
    );
    assert!(
        !changelog.contains("Montants de « coordination »"),
        "{changelog}"
    );
    let lines = changelog.lines().count();
    assert!(lines < all.lines().count() * 2 / 3, "{lines} lines");
    assert!(
        stderr(&only).contains("only what concerns masseur_kinesitherapeute: 40 of 68 changes"),
        "{}",
        stderr(&only)
    );

    // The JSON output holds the same changes.
    let json = forfait(&[
        "diff",
        KINES_2019,
        FAMI_2021,
        "--profession",
        KINE,
        "--format",
        "json",
    ]);
    assert_eq!(json.status.code(), Some(0));
    let json = stdout(&json);
    assert!(json.contains("cahier_des_charges_sv_kine_ortho_podo"));
    assert!(!json.contains("dmp_ouverture") && !json.contains("cahier_des_charges_sv_infirmier"));
}

#[test]
fn the_impact_counts_that_professions_declarations_only() {
    let examples: Vec<String> =
        common::files("rulebooks/fami/2021-professions-de-sante.examples", "json")
            .iter()
            .map(|p| common::shown(p))
            .collect();
    let mut args = vec![
        "diff",
        KINES_2019,
        FAMI_2021,
        "--profession",
        KINE,
        "--impact",
    ];
    args.extend(examples.iter().map(String::as_str));
    let out = forfait(&args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let rows: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.starts_with("| Profession"))
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .collect();
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(
        rows[0].starts_with("| masseur_kinesitherapeute |"),
        "{rows:?}"
    );
    // No other profession's declaration among the gains, losses and rejections.
    let other = [
        "| infirmier-",
        "| sage-femme-",
        "| orthophoniste-",
        "| chirurgien-dentiste-",
    ];
    assert!(
        !text.lines().any(|l| other.iter().any(|o| l.starts_with(o))),
        "{text}"
    );
    assert!(
        text.contains("| masseur-kinesitherapeute-socle-et-coordination |"),
        "{text}"
    );
}

#[test]
fn an_unknown_profession_names_the_known_ones_in_both_languages() {
    let out = forfait(&["diff", KINES_2019, FAMI_2021, "--profession", "infirmiere"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stdout(&out).is_empty());
    let err = stderr(&out);
    assert!(
        err.contains("error: --profession infirmiere: no profession of that name in"),
        "{err}"
    );
    assert!(err.contains("(did you mean `infirmier`?)"), "{err}");
    assert!(
        err.contains("masseur_kinesitherapeute (Masseurs-kinésithérapeutes libéraux)"),
        "{err}"
    );

    let fr = command(&["--lang", "fr", "doc", FAMI_2021, "--profession", "kine"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(fr.status.code(), Some(2));
    let err = stderr(&fr).replace('\u{a0}', " ");
    assert!(
        err.contains("erreur : --profession kine : aucune profession de ce nom dans rulebooks/fami/2021-professions-de-sante.forfait (vouliez-vous dire `masseur_kinesitherapeute` ?)"),
        "{err}"
    );
    assert!(err.contains("sage_femme (Sages-femmes)"), "{err}");
}

#[test]
fn the_kines_page_shows_their_rules_and_amounts_only() {
    for format in ["markdown", "html"] {
        let all = stdout(&forfait(&["doc", FAMI_2021, "--format", format]));
        let out = forfait(&["doc", FAMI_2021, "--format", format, "--profession", KINE]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let page = stdout(&out);
        for other in [
            "dmp_ouverture",
            "telesante_videotransmission",
            "cahier_des_charges_sv_infirmier",
            "statut_infirmier",
            "TOTAL 1 – IDEL",
            "TOTAL 3 – IPAL",
        ] {
            assert!(all.contains(other), "{format}: the whole page has {other}");
            assert!(
                !page.contains(other),
                "{format}: {other} on the kinés' page"
            );
        }
        for theirs in [
            "cahier_des_charges_sv_kine_ortho_podo",
            "Cette page ne montre que ce qui concerne les",
            "masseurs-kinésithérapeutes",
            "590",
        ] {
            assert!(page.contains(theirs), "{format}: {theirs}");
        }
    }
    // One profession covered: the page of that profession is the whole page, and says so.
    let dentists = "rulebooks/fami/2024-chirurgiens-dentistes.forfait";
    let out = forfait(&[
        "doc",
        dentists,
        "--format",
        "markdown",
        "--profession",
        "chirurgien_dentiste",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let whole = stdout(&forfait(&["doc", dentists, "--format", "markdown"]));
    let page = stdout(&out);
    let note = page
        .lines()
        .find(|l| l.starts_with("Cette page ne montre"))
        .unwrap_or_else(|| panic!("no note:\n{page}"));
    assert_eq!(page.replace(&format!("{note}\n\n"), ""), whole);
}
