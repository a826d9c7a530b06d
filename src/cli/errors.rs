//! `--error-format json`: what the command line prints on standard error, one JSON object a
//! line, in one shape whatever it is (a rulebook's diagnostic, a declaration's problem, a
//! file that does not open, a mapping file's entry, the summary of a batch):
//!
//! `{"code", "severity", "message", "help", "file", "line", "field", "labels"}`, each key
//! always there (`null` when it does not apply); docs/output-json.md describes them.

use forfait::declaration::Location;
use forfait::diagnostics::Lang;
use serde_json::{json, Map, Value};

use super::words::Say;

/// One object of the shape, `labels` empty.
fn object(
    code: Option<&str>,
    severity: &str,
    message: &str,
    help: Option<String>,
    file: Option<&str>,
    line: Option<u64>,
    field: Option<&str>,
) -> Map<String, Value> {
    let value = json!({
        "code": code,
        "severity": severity,
        "message": message,
        "help": help,
        "file": file,
        "line": line,
        "field": field,
        "labels": [],
    });
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// A message without the `error: ` its words start with for a terminal.
fn bare(text: &str) -> &str {
    text.strip_prefix("error: ")
        .or_else(|| text.strip_prefix("erreur\u{a0}: "))
        .or_else(|| text.strip_prefix("erreur : "))
        .unwrap_or(text)
}

/// What `say` is as objects of the shape, each as a line of JSON.
pub fn json_lines(say: &Say<'_>, lang: Lang) -> Vec<String> {
    let text = say.text(lang);
    let message = bare(&text);
    let objects = match say {
        Say::Rejected(r) => {
            let line = match r.location {
                Location::Line(n) => Some(n),
                _ => None,
            };
            r.problems
                .iter()
                .map(|p| {
                    let mut o = object(
                        Some(p.code),
                        "error",
                        &p.message_in(lang),
                        p.expected_in(lang),
                        Some(&r.file),
                        line,
                        p.field.as_deref(),
                    );
                    o.insert("id".into(), json!(r.id));
                    o
                })
                .collect()
        }
        Say::Verdict(e) => vec![object(
            Some("forfait::io::encoding"),
            "error",
            message,
            None,
            Some(&e.file),
            Some(e.line),
            None,
        )],
        Say::ReadFailed(e) => vec![object(
            Some("forfait::io::read"),
            "error",
            message,
            None,
            Some(&e.file),
            Some(e.lines_read + 1),
            None,
        )],
        Say::CannotRead { path, .. } => vec![object(
            Some("forfait::io::cannot_read"),
            "error",
            message,
            None,
            Some(path),
            None,
            None,
        )],
        Say::CannotWrite { .. } | Say::CannotWriteTo { .. } | Say::NotCompleted { .. } => {
            vec![object(
                Some("forfait::io::cannot_write"),
                "error",
                message,
                None,
                None,
                None,
                None,
            )]
        }
        Say::Mapping { path, error } => vec![object(
            Some("forfait::map::invalid"),
            "error",
            message,
            None,
            Some(path),
            Some(error.line),
            None,
        )],
        Say::JobsCapped { .. } => vec![object(None, "warning", message, None, None, None, None)],
        _ => vec![object(None, "error", message, None, None, None, None)],
    };
    objects
        .into_iter()
        .map(|o| Value::Object(o).to_string())
        .collect()
}

/// A rulebook's diagnostics, one object a line: the `check --error-format json` objects,
/// with the line of their first label.
pub fn diagnostics(report: &forfait::Report, lang: Lang) -> String {
    let all: Vec<Value> = serde_json::from_str(&report.render_json_in(lang)).unwrap_or_default();
    let mut out = String::new();
    for mut diagnostic in all {
        if let Value::Object(o) = &mut diagnostic {
            let line = o
                .get("labels")
                .and_then(|l| l.get(0))
                .and_then(|l| l.get("line"))
                .cloned()
                .unwrap_or(Value::Null);
            o.insert("line".into(), line);
            o.insert("field".into(), Value::Null);
        }
        out.push_str(&diagnostic.to_string());
        out.push('\n');
    }
    out
}

/// A batch's summary as one object: its words, and the counts (read, evaluated, rejected,
/// and the rejections by code and field).
pub fn summary(message: &str, summary: &forfait::batch::Summary) -> String {
    let mut o = object(
        Some("forfait::eval::summary"),
        "info",
        message,
        None,
        None,
        None,
        None,
    );
    o.insert("read".into(), json!(summary.read));
    o.insert("evaluated".into(), json!(summary.evaluated));
    o.insert("rejected".into(), json!(summary.rejected));
    o.insert("total_euros".into(), json!(summary.total_euros.to_string()));
    let rejections: Vec<Value> = summary
        .rejections
        .iter()
        .map(|((code, field), count)| json!({"code": code, "field": field, "count": count}))
        .collect();
    o.insert("rejections".into(), Value::Array(rejections));
    Value::Object(o).to_string()
}

/// Whether the arguments ask for `--error-format json`, read before clap (for its own
/// usage errors).
pub fn asked_for_json(args: &[std::ffi::OsString]) -> bool {
    let args: Vec<_> = args.iter().map(|a| a.to_string_lossy()).collect();
    args.iter()
        .take_while(|a| *a != "--")
        .enumerate()
        .any(|(i, a)| {
            a == "--error-format=json"
                || (a == "--error-format" && args.get(i + 1).is_some_and(|v| v == "json"))
        })
}

/// A usage error of the command line (clap's words, its first line) as one object.
pub fn usage(words: &str) {
    let message = words.lines().next().unwrap_or(words);
    let message = message.strip_prefix("error: ").unwrap_or(message);
    let o = object(
        Some("forfait::cli::usage"),
        "error",
        message,
        Some(words.trim().to_string()),
        None,
        None,
        None,
    );
    eprintln!("{}", Value::Object(o));
}
