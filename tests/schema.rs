//! `forfait schema` and the declaration readers agree: a declaration the schema accepts is
//! one forfait reads and evaluates, and the other way round.
//!
//! - every shipped example declaration gets the same verdict from its rulebook's schema as
//!   from forfait, and the schema accepts every example that pays;
//! - the situations under `rulebooks/situations/` get the same verdict, rulebook by rulebook,
//!   read as `forfait matrix` reads them (fields a rulebook does not know are skipped);
//! - a table of spellings, one test each, written from the readers' rules (docs/language.md,
//!   "Fields and their values"): the schema's verdict, forfait's and the rule's are equal.
//!   The JSON number `7e2` is the documented exception: JSON Schema sees the number 700.
//!
//! The validator is `boon` (draft 2020-12, ECMA-262 patterns translated to the `regex`
//! crate; no network).

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::{compiled, files, read, shipped_rulebooks, shown};

use forfait::declaration::{self, InputFormat, ReadOptions, Record};
use forfait::CompiledRulebook;
use serde_json::Value as Json;

/// A compiled schema and its index in `boon`'s store.
struct Validator {
    schemas: boon::Schemas,
    index: boon::SchemaIndex,
}

impl Validator {
    fn new(schema: Json) -> Validator {
        let mut schemas = boon::Schemas::new();
        let mut compiler = boon::Compiler::new();
        let url = "urn:forfait:declaration";
        compiler
            .add_resource(url, schema)
            .unwrap_or_else(|e| panic!("the schema does not load: {e}"));
        let index = compiler
            .compile(url, &mut schemas)
            .unwrap_or_else(|e| panic!("the schema does not compile: {e:#}"));
        Validator { schemas, index }
    }

    fn of(rulebook: &CompiledRulebook) -> Validator {
        Validator::new(schema_json(rulebook))
    }

    fn accepts(&self, value: &Json) -> bool {
        self.schemas.validate(value, self.index).is_ok()
    }
}

fn schema_json(rulebook: &CompiledRulebook) -> Json {
    let text = forfait::output::schema::render(rulebook);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("the schema is not JSON: {e}"))
}

/// What forfait says of a declaration file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Verdict {
    /// Every record read and evaluated.
    Accepted,
    /// Every record read, but some lacks a value its rules need (found by evaluating).
    Incomplete,
    /// Some record not read: a field or a value the readers refuse.
    Refused,
}

fn forfait_verdict(rulebook: &CompiledRulebook, text: &str, options: ReadOptions) -> Verdict {
    let mut verdict = Verdict::Accepted;
    for record in declaration::read_str(rulebook, "test.json", text, InputFormat::Json, options) {
        match record {
            Record::Declaration(d, _) => {
                if forfait::evaluate(rulebook, &d, forfait::EvalOptions::default()).is_err() {
                    verdict = verdict.max_with(Verdict::Incomplete);
                }
            }
            Record::Rejected(_) => verdict = Verdict::Refused,
        }
    }
    verdict
}

impl Verdict {
    fn max_with(self, other: Verdict) -> Verdict {
        if self == Verdict::Refused {
            self
        } else {
            other
        }
    }
}

/// The schema must say what forfait says, but for one case: a declaration that lacks a value
/// only some declarations need (by profession, `applies when`, ...), which the schema's
/// `required` cannot tell (it lists the inputs every declaration needs).
fn schema_agrees(schema: bool, forfait: Verdict) -> bool {
    match forfait {
        Verdict::Accepted => schema,
        Verdict::Refused => !schema,
        Verdict::Incomplete => true,
    }
}

/// forfait's verdict as a yes or no (read, and evaluated without a missing value).
fn forfait_accepts(rulebook: &CompiledRulebook, text: &str, options: ReadOptions) -> bool {
    forfait_verdict(rulebook, text, options) == Verdict::Accepted
}

/// The rows of an `expected.csv`: example name and expected total (`error` when rejected).
fn expected_totals(path: &std::path::Path) -> Vec<(String, String)> {
    read(path)
        .lines()
        .skip(1)
        .filter_map(|line| {
            let mut cells = line.split(',');
            Some((cells.next()?.to_string(), cells.next()?.to_string()))
        })
        .collect()
}

#[test]
fn shipped_examples_agree_with_their_schema() {
    let (mut checked, mut unseen) = (0, 0);
    for path in shipped_rulebooks() {
        let rulebook = compiled(&path);
        let validator = Validator::of(&rulebook);
        let examples = path.with_extension("examples");
        let totals = expected_totals(&examples.join("expected.csv"));
        for example in files(&shown(&examples), "json") {
            let text = read(&example);
            let value: Json = serde_json::from_str(&text).unwrap();
            let name = example.file_stem().unwrap().to_string_lossy().into_owned();
            let pays = totals.iter().any(|(n, t)| *n == name && t != "error");
            let schema = validator.accepts(&value);
            let forfait = forfait_verdict(&rulebook, &text, ReadOptions::default());
            assert!(
                schema_agrees(schema, forfait),
                "{}: the schema says {schema}, forfait {forfait:?}",
                shown(&example)
            );
            if forfait == Verdict::Incomplete && schema {
                unseen += 1;
            }
            assert!(
                !pays || schema,
                "{}: pays, but its schema refuses it",
                shown(&example)
            );
            checked += 1;
        }
    }
    assert!(checked > 50, "only {checked} examples found");
    // The examples the schema cannot tell from complete ones (a value only some need).
    println!("{checked} examples, {unseen} incomplete ones the schema accepts");
}

/// `forfait matrix` reads a set of situations with every rulebook, skipping the fields a
/// rulebook does not know; the schema without `additionalProperties: false` says the same.
#[test]
fn situations_agree_with_every_rulebook_schema() {
    let rulebooks: Vec<CompiledRulebook> =
        shipped_rulebooks().iter().map(|p| compiled(p)).collect();
    let mut accepted = 0;
    for path in files("rulebooks/situations", "json") {
        let text = read(&path);
        let Json::Array(situations) = serde_json::from_str::<Json>(&text).unwrap() else {
            panic!("{}: an array of situations", shown(&path));
        };
        for rulebook in &rulebooks {
            let mut schema = schema_json(rulebook);
            let declaration = &mut schema["oneOf"][0];
            declaration
                .as_object_mut()
                .unwrap()
                .remove("additionalProperties");
            let validator = Validator::new(schema);
            let lenient = ReadOptions {
                ignore_unknown_fields: true,
                ..Default::default()
            };
            for situation in &situations {
                let schema = validator.accepts(situation);
                let forfait = forfait_verdict(rulebook, &situation.to_string(), lenient.clone());
                assert!(
                    schema_agrees(schema, forfait),
                    "{} `{}` with {}: the schema says {schema}, forfait {forfait:?}",
                    shown(&path),
                    situation["id"],
                    rulebook.meta.name
                );
                accepted += usize::from(forfait == Verdict::Accepted);
            }
        }
    }
    assert!(
        accepted > 10,
        "only {accepted} situations read and evaluated"
    );
}

/// One rulebook with an optional input of every type, and one every declaration must carry.
const SPELLINGS: &str = r#"
rulebook essai_2025 "Essai des écritures"
  scheme "FAMI"
  exercice 2025
  paid in 2026
  guide "Essai"
  currency EUR
  professions (infirmier "Infirmiers libéraux")

input oui_non "Oui ou non" yes/no declarative missing means none
input nombre "Un compte" count automated missing means none
input taux "Un décimal" decimal declarative missing means none
input jour "Une date" date declarative missing means none
input libre "Un texte" text declarative missing means none
input zone "Une zone" one of (sous_dense "Zone sous-dense", autre "Autre zone") automated missing means none
input requis "Un compte que toute déclaration porte" count automated missing is error

indicator essai "Essai"
  section "1"
  automated
  met when requis >= 1
  independent
  pays 10 EUR
"#;

fn spelling_rulebook() -> &'static (CompiledRulebook, Validator) {
    static BUILT: std::sync::OnceLock<(CompiledRulebook, Validator)> = std::sync::OnceLock::new();
    BUILT.get_or_init(|| {
        let rulebook = match forfait::compile("essai.forfait", SPELLINGS) {
            Ok(c) => c.rulebook,
            Err(report) => panic!("{}", report.render_human()),
        };
        let validator = Validator::of(&rulebook);
        (rulebook, validator)
    })
}

/// The verdicts of the schema and of forfait on `{"id": ..., "requis": 1, field: json}`,
/// `json` as written in the file (so that `700.0` and `7e2` reach the readers as spelt).
fn verdicts(field: &str, json: &str) -> (bool, bool) {
    let (rulebook, validator) = spelling_rulebook();
    let mut fields = Vec::new();
    if field != "id" {
        fields.push(r#""id": "essai""#.to_string());
    }
    if field != "requis" {
        fields.push(r#""requis": 1"#.to_string());
    }
    fields.push(format!(r#""{field}": {json}"#));
    let text = format!("{{{}}}", fields.join(", "));
    let value: Json = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
    (
        validator.accepts(&value),
        forfait_accepts(rulebook, &text, ReadOptions::default()),
    )
}

/// The rule says `accepted`; the schema and forfait must both say it.
fn agree(field: &str, json: &str, accepted: bool) {
    let (schema, forfait) = verdicts(field, json);
    assert_eq!(
        (schema, forfait),
        (accepted, accepted),
        "`{field}`: {json}: (schema, forfait) should both be {accepted}"
    );
}

/// One test per spelling: `name: field = json => accepted;`.
macro_rules! spellings {
    ($( $(#[$attr:meta])* $name:ident: $field:literal = $json:literal => $accepted:literal; )*) => {
        $( $(#[$attr])* #[test] fn $name() { agree($field, $json, $accepted) } )*
    };
}

spellings! {
    // yes/no: a JSON boolean, the number 1 or 0, a word in any case, `1`, `0`.
    yes_no_true: "oui_non" = "true" => true;
    yes_no_capital_oui: "oui_non" = r#""Oui""# => true;
    yes_no_spaced_oui: "oui_non" = r#"" oui ""# => true;
    yes_no_no_break_spaces: "oui_non" = r#""\u00a0NON\u202f""# => true;
    yes_no_yes_upper: "oui_non" = r#""YES""# => true;
    yes_no_false_mixed: "oui_non" = r#""fAlSe""# => true;
    yes_no_text_1: "oui_non" = r#""1""# => true;
    yes_no_text_0: "oui_non" = r#""0""# => true;
    yes_no_number_1: "oui_non" = "1" => true;
    yes_no_number_0: "oui_non" = "0" => true;
    yes_no_number_2: "oui_non" = "2" => false;
    yes_no_vrai: "oui_non" = r#""vrai""# => false;
    yes_no_o: "oui_non" = r#""o""# => false;
    yes_no_null: "oui_non" = "null" => true;
    yes_no_blank: "oui_non" = r#""""# => true;
    yes_no_spaces: "oui_non" = r#""   ""# => true;
    yes_no_array: "oui_non" = "[true]" => false;

    // count: a whole JSON number >= 0, or digits (grouped by three), `,0`, `.00`.
    count_integer: "nombre" = "700" => true;
    count_zero_fraction: "nombre" = "700.0" => true;
    count_text: "nombre" = r#""700""# => true;
    count_plus: "nombre" = r#""+700""# => true;
    count_comma_zero: "nombre" = r#""700,0""# => true;
    count_point_zeros: "nombre" = r#""700.00""# => true;
    count_four_zeros: "nombre" = r#""700,0000""# => true;
    count_three_digits_ambiguous: "nombre" = r#""1,000""# => false;
    count_three_zeros_point_ambiguous: "nombre" = r#""1.000""# => false;
    count_grouped_space: "nombre" = r#""1 000""# => true;
    count_grouped_no_break_space: "nombre" = r#""1\u00a0000\u202f000""# => true;
    count_grouped_with_fraction: "nombre" = r#""1 000,0""# => true;
    count_badly_grouped: "nombre" = r#""10 00""# => false;
    count_spaced: "nombre" = r#"" 700 ""# => true;
    count_exponent_text: "nombre" = r#""7e2""# => false;
    count_negative: "nombre" = "-3" => false;
    count_negative_text: "nombre" = r#""-3""# => false;
    count_fraction: "nombre" = "700.5" => false;
    count_fraction_text: "nombre" = r#""700,5""# => false;
    count_null: "nombre" = "null" => true;
    count_blank: "nombre" = r#""""# => true;
    count_boolean: "nombre" = "true" => false;

    // decimal: a JSON number, or a sign, digits (grouped), `.` or `,` and digits.
    decimal_number: "taux" = "12.5" => true;
    decimal_negative: "taux" = "-3" => true;
    decimal_comma: "taux" = r#""12,5""# => true;
    decimal_point: "taux" = r#""12.5""# => true;
    decimal_signed: "taux" = r#""-3,5""# => true;
    decimal_plus: "taux" = r#""+3.5""# => true;
    decimal_grouped: "taux" = r#""1 000,5""# => true;
    decimal_spaced: "taux" = r#""\u00a012,5 ""# => true;
    decimal_exponent_text: "taux" = r#""1e3""# => false;
    decimal_two_separators: "taux" = r#""1.2.3""# => false;
    decimal_words: "taux" = r#""douze""# => false;
    decimal_null: "taux" = "null" => true;
    decimal_blank: "taux" = r#"" ""# => true;

    // date: `YYYY-MM-DD` or `DD/MM/YYYY`, in a text.
    date_iso: "jour" = r#""2025-12-31""# => true;
    date_french: "jour" = r#""31/12/2025""# => true;
    date_spaced: "jour" = r#"" 2025-12-31 ""# => true;
    date_slashes_year_first: "jour" = r#""2025/12/31""# => false;
    date_dashes_day_first: "jour" = r#""31-12-2025""# => false;
    date_month_13: "jour" = r#""2025-13-01""# => false;
    date_number: "jour" = "20251231" => false;
    date_null: "jour" = "null" => true;
    date_blank: "jour" = r#""""# => true;

    // choice: one of the names, spaces around it allowed.
    choice_name: "zone" = r#""sous_dense""# => true;
    choice_spaced: "zone" = r#"" sous_dense ""# => true;
    choice_capital: "zone" = r#""Sous_dense""# => false;
    choice_label: "zone" = r#""Zone sous-dense""# => true;
    choice_other_text: "zone" = r#""Zone dense""# => false;
    choice_null: "zone" = "null" => true;
    choice_blank: "zone" = r#""""# => true;

    // text: a text.
    text_text: "libre" = r#""EHPAD de Lens""# => true;
    text_blank: "libre" = r#""""# => true;
    text_null: "libre" = "null" => true;
    text_number: "libre" = "3" => false;
    text_boolean: "libre" = "true" => false;

    // id: a non-empty text or a number.
    id_text: "id" = r#""PS-1""# => true;
    id_number: "id" = "17" => true;
    id_blank: "id" = r#""""# => false;
    id_spaces: "id" = r#""\u00a0 ""# => false;
    id_null: "id" = "null" => false;
    id_boolean: "id" = "true" => false;

    // profession: a choice (one profession here, so a missing one is that one).
    profession_name: "profession" = r#""infirmier""# => true;
    profession_spaced: "profession" = r#"" infirmier ""# => true;
    profession_other: "profession" = r#""medecin""# => false;
    profession_null: "profession" = "null" => true;

    // An input every declaration carries: not given is refused.
    required_given: "requis" = "0" => true;
    required_null: "requis" = "null" => false;
    required_blank: "requis" = r#""""# => false;
}

/// The documented differences: JSON Schema compares numbers by value, so a JSON number
/// written with an exponent is `700` to it; and it checks a date's shape, not the calendar.
fn schema_accepts_forfait_refuses(field: &str, json: &str) {
    assert_eq!(
        verdicts(field, json),
        (true, false),
        "`{field}`: {json}: a documented difference (schema accepts, forfait refuses)"
    );
}

#[test]
fn count_exponent_number_is_the_documented_difference() {
    schema_accepts_forfait_refuses("nombre", "7e2");
}

#[test]
fn decimal_exponent_number_is_the_documented_difference() {
    schema_accepts_forfait_refuses("taux", "1.5e1");
}

#[test]
fn impossible_date_is_a_documented_difference() {
    schema_accepts_forfait_refuses("jour", r#""2025-02-30""#);
}

#[test]
fn the_schema_states_its_known_differences() {
    let (rulebook, _) = spelling_rulebook();
    let description = schema_json(rulebook)["description"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(description.contains("7e2"), "{description}");
}
