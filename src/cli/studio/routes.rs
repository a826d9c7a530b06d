//! The studio's API (docs/studio.md): JSON in, JSON out, every answer computed by the
//! library as the commands compute theirs (`ide` for the editor, `record` and `output` for
//! a simulation, `testing` for the examples, `doc` for the page, `diff` for a comparison).
//!
//! Offsets are byte offsets into the text sent, with their UTF-16 counterparts
//! (`start16`, `end16`) for a page whose strings count in UTF-16.

mod compare;
mod examples;
pub(crate) mod simulate;

use std::borrow::Cow;

use forfait::diagnostics::Lang;
use forfait::ide::{self, Analysis, ColumnUnit, Utf16Offsets};
use forfait::{compile, Compiled};
use serde::Deserialize;
use serde_json::{json, Value as Json};

use super::files::{self, Kind};
use super::{Reply, Studio};
use crate::cli::words::Refusal;

/// A refusal and its status.
pub struct Refused {
    pub status: u16,
    pub refusal: Refusal,
}

impl From<Refusal> for Refused {
    /// A path or a text the request got wrong: 400, or 404 for a file that is not there.
    fn from(refusal: Refusal) -> Refused {
        let status = match &refusal {
            Refusal::NoSuchFile { .. } => 404,
            Refusal::ExampleExists { .. } => 409,
            Refusal::CannotRead { .. } | Refusal::CannotWrite { .. } => 500,
            Refusal::GitCannotRun { .. } | Refusal::Internal => 500,
            _ => 400,
        };
        Refused { status, refusal }
    }
}

type Answer = Result<Json, Refused>;

/// The query of an address, its values decoded.
pub struct Query(Vec<(String, String)>);

impl Query {
    pub fn parse(query: &str) -> Query {
        Query(
            query
                .split('&')
                .filter(|p| !p.is_empty())
                .map(|pair| {
                    let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                    (decode(k), decode(v))
                })
                .collect(),
        )
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn required(&self, name: &str) -> Result<&str, Refused> {
        self.get(name).ok_or_else(|| {
            Refused::from(Refusal::BadRequest {
                error: format!("missing `{name}`"),
            })
        })
    }
}

/// `%2F` and `+` as what they stand for; a broken escape is kept as written.
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                if let Some(byte) = hex {
                    out.push(byte);
                    i += 2;
                } else {
                    out.push(b'%');
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Answers an API request that passed the transport's checks.
pub fn api(studio: &Studio, method: &str, path: &str, query: &Query, body: Option<&str>) -> Reply {
    let lang = studio.lang;
    let route = path.strip_prefix("/api/").unwrap_or(path);
    let wrong_method = || Refused {
        status: 405,
        refusal: Refusal::Method {
            method: method.into(),
            path: path.into(),
        },
    };
    let body = body.unwrap_or("");
    let answer: Answer = match (route, method) {
        ("rulebooks", "GET") => Ok(rulebooks(studio)),
        ("file", "GET") => file(studio, query),
        ("file", "PUT") => parse(body).and_then(|b| save(studio, b)),
        ("example", "GET") => {
            return match examples::example(studio, query) {
                Ok(text) => Reply::raw_json(text),
                Err(r) => Reply::refused(r.status, &r.refusal, lang),
            }
        }
        ("analyse", "POST") => parse(body).map(|b| analyse(&b, lang)),
        ("complete", "POST") => parse(body).map(|b| complete(&b)),
        ("hover", "POST") => parse(body).map(|b| hover(&b)),
        ("format", "POST") => parse(body).and_then(|b| format(&b)),
        ("simulate", "POST") => parse(body).and_then(|b| simulate::simulate(b, lang)),
        ("examples", "POST") => parse(body).and_then(|b| examples::run(studio, b)),
        ("example/save", "POST") => parse(body).and_then(|b| examples::save(studio, b)),
        ("page", "POST") => parse(body).and_then(|b| page(&b)),
        ("compare", "POST") => parse(body).and_then(|b| compare::compare(studio, b)),
        (
            "rulebooks" | "file" | "example" | "analyse" | "complete" | "hover" | "format"
            | "simulate" | "examples" | "example/save" | "page" | "compare",
            _,
        ) => Err(wrong_method()),
        _ => Err(Refused {
            status: 404,
            refusal: Refusal::NoSuchRoute { path: path.into() },
        }),
    };
    match answer {
        Ok(json) => Reply::json(200, &json),
        Err(r) => Reply::refused(r.status, &r.refusal, lang),
    }
}

fn parse<'a, T: Deserialize<'a>>(body: &'a str) -> Result<T, Refused> {
    serde_json::from_str(body).map_err(|e| {
        Refused::from(Refusal::BadRequest {
            error: e.to_string(),
        })
    })
}

/// A text, and the path it is (or will be) saved at: its file name gives `check` the year
/// to compare with the `exercice`.
#[derive(Deserialize)]
pub struct TextBody {
    pub text: String,
    #[serde(default)]
    pub path: Option<String>,
    /// For `complete` and `hover`: where, in UTF-16 code units.
    #[serde(default)]
    pub offset16: usize,
}

/// The file name a text is checked under (only its name: nothing is read).
pub fn file_name(path: Option<&str>) -> Cow<'_, str> {
    match path.and_then(|p| p.rsplit(['/', '\\']).next()) {
        Some(name) if !name.is_empty() => Cow::Borrowed(name),
        _ => Cow::Borrowed("studio.forfait"),
    }
}

/// Compiles a text that must check (warnings allowed).
pub fn compiled(text: &str, path: Option<&str>) -> Result<Compiled, Refused> {
    compile(&file_name(path), text).map_err(|report| {
        Refused::from(Refusal::DoesNotCheck {
            errors: report.error_count(),
        })
    })
}

/// `{"folder", "rulebooks": [...]}`: each rulebook's header and state.
fn rulebooks(studio: &Studio) -> Json {
    let list: Vec<Json> = files::rulebooks(&studio.folder)
        .into_iter()
        .map(|(relative, real)| {
            let text = std::fs::read(&real)
                .ok()
                .and_then(|b| String::from_utf8(b).ok());
            let examples = std::fs::read_dir(real.with_extension("examples"))
                .map(|entries| {
                    entries
                        .flatten()
                        .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
                        .count()
                })
                .unwrap_or(0);
            let Some(text) = text else {
                return json!({
                    "path": relative, "title": null, "scheme": null, "exercice": null,
                    "state": "errors", "errors": 1, "warnings": 0, "examples": examples,
                });
            };
            let analysis = Analysis::new(&file_name(Some(&relative)), &text);
            let diagnostics = analysis.diagnostics(Lang::En);
            let errors = diagnostics
                .iter()
                .filter(|d| d.severity == ide::Severity::Error)
                .count();
            let warnings = diagnostics.len() - errors;
            let header = analysis.rulebook().map(|r| &r.header);
            json!({
                "path": relative,
                "title": header.map(|h| &h.title.value),
                "scheme": header.map(|h| &h.scheme.value),
                "exercice": header.map(|h| h.exercice.value),
                "state": if errors > 0 { "errors" } else if warnings > 0 { "warnings" } else { "clean" },
                "errors": errors,
                "warnings": warnings,
                "examples": examples,
            })
        })
        .collect();
    json!({ "folder": studio.folder_name, "rulebooks": list })
}

#[derive(Deserialize)]
struct PathQuery {
    path: String,
    text: String,
}

fn file(studio: &Studio, query: &Query) -> Answer {
    let path = query.required("path")?;
    let checked = files::existing(&studio.folder, path, Kind::Rulebook)?;
    let text = files::read_text(&checked)?;
    Ok(json!({ "path": path, "text": text }))
}

/// Saves a rulebook in the canonical layout; a text that does not parse is not written.
fn save(studio: &Studio, body: PathQuery) -> Answer {
    let checked = files::to_write(&studio.folder, &body.path, Kind::Rulebook)?;
    let analysis = Analysis::new(&file_name(Some(&body.path)), &body.text);
    let text = analysis
        .format()
        .map_err(|_| Refused::from(Refusal::DoesNotParse))?;
    files::write_text(&checked, &text)?;
    Ok(json!({ "path": body.path, "text": text }))
}

/// Offsets into one text, in bytes and in UTF-16 code units.
pub struct Offsets<'t> {
    text: &'t str,
    utf16: Utf16Offsets,
    lines: ide::LineIndex,
}

impl<'t> Offsets<'t> {
    pub fn new(text: &'t str) -> Offsets<'t> {
        Offsets {
            text,
            utf16: Utf16Offsets::new(text),
            lines: ide::LineIndex::new(text),
        }
    }

    /// `start`, `end`, `start16`, `end16` of a span, into `object`.
    fn span(&self, span: ide::Span, mut object: Json) -> Json {
        if let Some(o) = object.as_object_mut() {
            o.insert("start".into(), json!(span.start));
            o.insert("end".into(), json!(span.end));
            o.insert("start16".into(), json!(self.utf16.to_utf16(span.start)));
            o.insert("end16".into(), json!(self.utf16.to_utf16(span.end)));
        }
        object
    }

    /// The 1-based line and column (in characters) of an offset.
    fn line_column(&self, offset: usize) -> (u32, u32) {
        let p = self.lines.position(self.text, offset, ColumnUnit::Utf32);
        (p.line.saturating_add(1), p.column.saturating_add(1))
    }
}

fn analyse(body: &TextBody, lang: Lang) -> Json {
    let text = &body.text;
    let analysis = Analysis::new(&file_name(body.path.as_deref()), text);
    let offsets = Offsets::new(text);
    let diagnostics: Vec<Json> = analysis
        .diagnostics(lang)
        .into_iter()
        .map(|d| {
            let (line, column) = offsets.line_column(d.span.start);
            let fixes: Vec<Json> = d
                .fixes
                .iter()
                .map(|f| {
                    let edits: Vec<Json> = f
                        .edits
                        .iter()
                        .map(|e| offsets.span(e.span, json!({ "text": e.text })))
                        .collect();
                    json!({ "title": f.title, "edits": edits })
                })
                .collect();
            let related: Vec<Json> = d
                .related
                .iter()
                .map(|r| offsets.span(r.span, json!({ "message": r.message })))
                .collect();
            offsets.span(
                d.span,
                json!({
                    "code": d.code,
                    "severity": match d.severity {
                        ide::Severity::Error => "error",
                        ide::Severity::Warning => "warning",
                    },
                    "message": d.message,
                    "help": d.help,
                    "label": d.label,
                    "line": line,
                    "column": column,
                    "fixes": fixes,
                    "related": related,
                }),
            )
        })
        .collect();
    let tokens: Vec<Json> = analysis
        .highlights()
        .into_iter()
        .map(|h| {
            offsets.span(
                h.span,
                json!({ "kind": highlight_kind(h.highlight), "definition": h.definition }),
            )
        })
        .collect();
    let symbols: Vec<Json> = analysis
        .symbols()
        .iter()
        .map(|s| symbol(&offsets, s))
        .collect();
    let compiled = compile(&file_name(body.path.as_deref()), text).ok();
    json!({
        "diagnostics": diagnostics,
        "tokens": tokens,
        "symbols": symbols,
        "inputs": compiled.as_ref().map(|c| simulate::form(&c.rulebook)),
        "checks": compiled.is_some(),
    })
}

fn highlight_kind(highlight: ide::Highlight) -> &'static str {
    match highlight {
        ide::Highlight::Keyword => "keyword",
        ide::Highlight::Name(kind) => symbol_kind(kind),
        ide::Highlight::Text => "string",
        ide::Highlight::Number => "number",
        ide::Highlight::Comment => "comment",
        ide::Highlight::Operator => "operator",
    }
}

fn symbol_kind(kind: ide::SymbolKind) -> &'static str {
    match kind {
        ide::SymbolKind::Input => "input",
        ide::SymbolKind::List => "list",
        ide::SymbolKind::Indicator => "indicator",
        ide::SymbolKind::Group => "group",
        ide::SymbolKind::Choice => "value",
    }
}

fn symbol(offsets: &Offsets<'_>, s: &ide::Symbol) -> Json {
    use ide::OutlineKind as K;
    let kind = match s.kind {
        K::Header => "rulebook",
        K::Input => "input",
        K::Choice => "value",
        K::List => "list",
        K::Indicator => "indicator",
        K::Group => "group",
        K::StatedTotal => "stated_total",
    };
    let children: Vec<Json> = s.children.iter().map(|c| symbol(offsets, c)).collect();
    let name = offsets.span(s.name_span, json!({}));
    offsets.span(
        s.span,
        json!({
            "name": s.name,
            "kind": kind,
            "label": s.detail,
            "name_start": name["start"],
            "name_end": name["end"],
            "name_start16": name["start16"],
            "name_end16": name["end16"],
            "children": children,
        }),
    )
}

fn complete(body: &TextBody) -> Json {
    let text = &body.text;
    let offsets = Offsets::new(text);
    let offset = offsets.utf16.to_utf8(body.offset16);
    let analysis = Analysis::new(&file_name(body.path.as_deref()), text);
    let completions = analysis.completion(offset);
    let items: Vec<Json> = completions
        .items
        .into_iter()
        .map(|c| {
            json!({
                "label": c.label,
                "detail": c.detail,
                "insert": c.label,
                "kind": match c.kind {
                    ide::CompletionKind::Keyword => "keyword",
                    ide::CompletionKind::Name(k) => symbol_kind(k),
                },
            })
        })
        .collect();
    offsets.span(completions.replace, json!({ "items": items }))
}

fn hover(body: &TextBody) -> Json {
    let text = &body.text;
    let offsets = Offsets::new(text);
    let offset = offsets.utf16.to_utf8(body.offset16);
    let analysis = Analysis::new(&file_name(body.path.as_deref()), text);
    match analysis.hover(offset) {
        Some(h) => offsets.span(h.span, json!({ "markdown": h.markdown })),
        None => json!({ "markdown": null }),
    }
}

fn format(body: &TextBody) -> Answer {
    let analysis = Analysis::new(&file_name(body.path.as_deref()), &body.text);
    let text = analysis
        .format()
        .map_err(|_| Refused::from(Refusal::DoesNotParse))?;
    Ok(json!({ "text": text }))
}

fn page(body: &TextBody) -> Answer {
    let compiled = compiled(&body.text, body.path.as_deref())?;
    let document = forfait::doc::build(&compiled.rulebook);
    Ok(json!({ "html": forfait::doc::html::render(&document) }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_decoded() {
        let q = Query::parse("path=fami%2F2024-x.forfait&name=a+b&bad=%zz&empty");
        assert_eq!(q.get("path"), Some("fami/2024-x.forfait"));
        assert_eq!(q.get("name"), Some("a b"));
        assert_eq!(q.get("bad"), Some("%zz"));
        assert_eq!(q.get("empty"), Some(""));
        assert_eq!(q.get("none"), None);
        assert_eq!(decode("%C3%A9%"), "é%");
    }

    #[test]
    fn a_text_is_checked_under_its_file_name() {
        assert_eq!(file_name(Some("fami/2024-x.forfait")), "2024-x.forfait");
        assert_eq!(file_name(None), "studio.forfait");
        assert_eq!(file_name(Some("")), "studio.forfait");
    }
}
