//! The cases beside a rulebook (`X.examples/`), run on the text being edited as
//! `forfait test --coverage` runs them on the saved file; one example read, or saved.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use forfait::diagnostics::Lang;
use forfait::testing::{coverage, decode_expected, read_expectations, run_case, CaseResult};
use serde::Deserialize;
use serde_json::{json, Value as Json};

use super::simulate::Fields;
use super::{compiled, Answer, Query, Refused};
use crate::cli::studio::files::{self, Kind};
use crate::cli::studio::Studio;
use crate::cli::words::{Refusal, Say};

#[derive(Deserialize)]
pub struct ExamplesBody {
    path: String,
    text: String,
}

/// `{"cases": [...], "passed", "failed", "coverage"}`; no cases when the rulebook has no
/// examples folder.
pub fn run(studio: &Studio, body: ExamplesBody) -> Answer {
    let lang = studio.lang;
    let rulebook_file = files::to_write(&studio.folder, &body.path, Kind::Rulebook)?;
    let compiled = compiled(&body.text, Some(&body.path))?;
    let rulebook = &compiled.rulebook;
    let (examples_name, examples) = files::examples_of(&rulebook_file);
    let expected_name = format!("{examples_name}/expected.csv");
    let expected = match files::existing(&studio.folder, &expected_name, Kind::Declarations) {
        // Read as `forfait test` reads it: French Excel's `;`, decimal commas, French
        // statuses and Windows-1252 bytes too.
        Ok(checked) => {
            let bytes = fs::read(&checked.real).map_err(|e| Refusal::CannotRead {
                path: checked.relative.clone(),
                error: Box::new(forfait::declaration::IoFailure::of(&e)),
            })?;
            decode_expected(&bytes, &checked.relative)
                .map_err(|e| Refused {
                    status: 400,
                    refusal: Refusal::BadRequest {
                        error: e.message(lang),
                    },
                })?
                .0
        }
        Err(Refusal::NoSuchFile { .. }) => {
            let cov = coverage(rulebook, &[]);
            return Ok(json!({
                "cases": [],
                "passed": 0,
                "failed": 0,
                "coverage": coverage_json(&cov, lang),
            }));
        }
        Err(refusal) => return Err(refusal.into()),
    };
    let cases = read_expectations(rulebook, &expected).map_err(|error| Refused {
        status: 400,
        refusal: Refusal::BadRequest {
            error: Say::BadExpectations {
                file: &expected_name,
                error: &error,
            }
            .text(lang),
        },
    })?;
    let mut out = Vec::new();
    let mut results: Vec<CaseResult> = Vec::new();
    for case in &cases {
        let name = format!("{examples_name}/{}.json", case.example);
        let text = files::existing(&studio.folder, &name, Kind::Example)
            .and_then(|checked| files::read_text(&checked));
        let Ok(text) = text else {
            out.push(failed_case(
                &case.example,
                Say::CaseUnreadable { file: &name }.text(lang),
            ));
            continue;
        };
        let result = run_case(rulebook, &name, &text, case);
        out.push(case_json(rulebook, &result, lang));
        results.push(result);
    }
    let listed: BTreeSet<&str> = cases.iter().map(|c| c.example.as_str()).collect();
    for unlisted in unlisted(&examples, &listed) {
        let file = format!("{examples_name}/{unlisted}.json");
        let say = Say::UnlistedCase {
            file: &file,
            expected: &expected_name,
        };
        out.push(failed_case(&unlisted, say.text(lang)));
    }
    let outcomes: Vec<&forfait::Outcome> =
        results.iter().filter_map(|r| r.outcome.as_ref()).collect();
    let cov = coverage(rulebook, &outcomes);
    let passed = out.iter().filter(|c| c["passed"] == true).count();
    Ok(json!({
        "passed": passed,
        "failed": out.len() - passed,
        "cases": out,
        "coverage": coverage_json(&cov, lang),
    }))
}

fn coverage_json(cov: &forfait::testing::Coverage, lang: Lang) -> Json {
    let missing: Vec<String> = cov
        .uncovered()
        .map(|item| Say::NotExercised(item).text(lang).trim().to_string())
        .collect();
    json!({ "covered": cov.covered(), "items": cov.items.len(), "missing": missing })
}

fn failed_case(name: &str, failure: String) -> Json {
    json!({
        "name": name,
        "passed": false,
        "expected_total": null,
        "actual_total": null,
        "statuses": [],
        "failures": [failure],
    })
}

fn case_json(rulebook: &forfait::CompiledRulebook, result: &CaseResult, lang: Lang) -> Json {
    let statuses: Vec<Json> = rulebook
        .indicators
        .iter()
        .enumerate()
        .map(|(i, ind)| {
            let expected = result.case.statuses.get(&ind.head.name);
            let actual = result
                .outcome
                .as_ref()
                .map(|o| o.indicators[i].status.as_str());
            json!({
                "indicator": ind.head.name,
                "expected": expected,
                "actual": actual,
                "ok": expected.is_none_or(|e| Some(e.as_str()) == actual),
            })
        })
        .collect();
    let failures: Vec<String> = result
        .failures
        .iter()
        .map(|f| Say::Failure(f).text(lang).trim().to_string())
        .collect();
    json!({
        "name": result.case.example,
        "passed": result.passed(),
        "expected_total": result.case.total.map_or_else(|| "error".to_string(), |t| t.to_string()),
        "actual_total": result.outcome.as_ref().map(|o| o.total_euros.to_string()),
        "statuses": statuses,
        "failures": failures,
    })
}

/// The examples (`.json` files) that `expected.csv` does not list, sorted.
fn unlisted(examples: &Path, listed: &BTreeSet<&str>) -> Vec<String> {
    let Ok(entries) = fs::read_dir(examples) else {
        return Vec::new();
    };
    let mut found: Vec<String> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .filter(|stem| !listed.contains(stem.as_str()))
        .collect();
    found.sort();
    found
}

/// The path of example `name` beside the rulebook `path`, checked.
fn example_path(path: &str, name: &str) -> Result<String, Refused> {
    if !files::example_name(name) {
        return Err(Refusal::ExampleName { name: name.into() }.into());
    }
    let examples = Path::new(path).with_extension("examples");
    Ok(format!("{}/{name}.json", examples.to_string_lossy()))
}

/// `GET /api/example?path=P&name=N`: the example's declaration, as its file writes it.
pub fn example(studio: &Studio, query: &Query) -> Result<String, Refused> {
    let path = query.required("path")?;
    let name = query.required("name")?;
    // The rulebook's own path is checked as a rulebook's (no `..`, inside the folder).
    files::to_write(&studio.folder, path, Kind::Rulebook)?;
    let relative = example_path(path, name)?;
    let checked = files::existing(&studio.folder, &relative, Kind::Example)?;
    let text = files::read_text(&checked)?;
    if !text.trim_start().starts_with('{') || serde_json::from_str::<Fields>(&text).is_err() {
        return Err(Refusal::NotADeclaration { path: relative }.into());
    }
    Ok(text)
}

#[derive(Deserialize)]
pub struct SaveBody {
    path: String,
    name: String,
    declaration: Fields,
    #[serde(default)]
    overwrite: bool,
}

/// `POST /api/example/save`: writes `X.examples/N.json`, creating the folder if need be.
pub fn save(studio: &Studio, body: SaveBody) -> Answer {
    let rulebook = files::to_write(&studio.folder, &body.path, Kind::Rulebook)?;
    let relative = example_path(&body.path, &body.name)?;
    let (_, examples) = files::examples_of(&rulebook);
    if !examples.exists() {
        fs::create_dir(&examples).map_err(|e| {
            Refused::from(Refusal::CannotWrite {
                path: relative.clone(),
                error: Box::new(forfait::declaration::IoFailure::of(&e)),
            })
        })?;
    }
    let target = files::to_write(&studio.folder, &relative, Kind::Example)?;
    if target.real.exists() && !body.overwrite {
        return Err(Refusal::ExampleExists { name: body.name }.into());
    }
    let text = body.declaration.declaration(&body.name, true);
    files::write_text(&target, &text)?;
    Ok(json!({ "path": relative, "text": text }))
}
