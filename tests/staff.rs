//! `forfait test` as policy staff run it: `expected.csv` saved by French Excel, `--accept`
//! keeping that form, the maximum example, `--min`, and `--format junit` for CI.

// A test that cannot run the binary or set up its files should stop loudly.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::{compiled, read, shown};

#[test]
fn every_example_is_paid_at_most_what_the_rules_can_pay_its_profile() {
    // `most_payable` is `check`'s maximum: no example of any shipped rulebook goes above it,
    // and each example named as the maximum reaches it.
    let mut maxima = 0;
    for rulebook_path in common::shipped_rulebooks() {
        let rulebook = compiled(&rulebook_path);
        let examples = rulebook_path.with_extension("examples");
        for file in common::files(&shown(&examples), "json") {
            let name = shown(&file);
            let records = forfait::declaration::read_str(
                &rulebook,
                &name,
                &read(&file),
                forfait::declaration::InputFormat::Json,
                Default::default(),
            );
            for record in records {
                let forfait::declaration::Record::Declaration(d, _) = record else {
                    continue;
                };
                let Ok(outcome) = forfait::evaluate(&rulebook, &d, Default::default()) else {
                    continue;
                };
                let most = forfait::check::most_payable(&rulebook, &d.values).unwrap();
                assert!(
                    outcome.total_euros <= most.total,
                    "{name}: {} > {}",
                    outcome.total_euros,
                    most.total
                );
                let stem = file.file_stem().unwrap().to_string_lossy();
                // The examples the guide's maxima were copied into.
                if stem == "maximum" || stem.ends_with("-maximum") {
                    assert_eq!(outcome.total_euros, most.total, "{name}");
                    maxima += 1;
                }
            }
        }
    }
    assert!(maxima >= 7, "{maxima} examples named as a maximum");
}
