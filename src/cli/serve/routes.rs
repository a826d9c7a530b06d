//! The routes (docs/serve.md, `openapi.json`): each answer is a library call, as the
//! commands make it: `declaration::records` and `record::evaluate_record` for a
//! declaration, `output::json` (the contract) for its outcome, `output::explain` for its
//! tree, `output::schema` for the JSON Schema, `compile` and the diagnostics' JSON
//! (`forfait check --error-format json`) for a check.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json as Body};
use forfait::declaration::{self, InputFormat};
use forfait::eval::EvalOptions;
use forfait::model::CompiledRulebook;
use forfait::output;
use forfait::record::{evaluate_record, Evaluated};
use serde::Deserialize;
use serde_json::{json, Value as Json};

use super::decisions;
use super::errors::{whole_body, ApiError};
use super::registry::{diagnostics, Entry, State as FileState};
use super::{RequestId, Service};
use crate::cli::studio::routes::simulate;
use crate::cli::words::{Say, ServeRefusal};

type Shared = State<Arc<Service>>;
type Answer = Result<Response, ApiError>;

/// The OpenAPI 3.1 document of the service, written by hand beside this file.
pub const OPENAPI: &str = include_str!("openapi.json");

/// The name a request's declarations are read under (`source.file` of the contract).
const REQUEST_FILE: &str = "request";

pub async fn health(State(service): Shared) -> Body<Json> {
    let served = service.registry.snapshot().served_count();
    Body(json!({ "status": "ok", "rulebooks": served }))
}

pub async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}

/// `{"rulebooks": [...]}`: every rulebook file of the folder and its state.
pub async fn rulebooks(State(service): Shared) -> Body<Json> {
    let snapshot = service.registry.snapshot();
    let list: Vec<Json> = snapshot.entries.iter().map(entry).collect();
    Body(json!({ "rulebooks": list }))
}

pub async fn rulebook(State(service): Shared, name: Result<Path<String>, PathRejection>) -> Answer {
    let name = path_name(name, &service)?;
    let snapshot = service.registry.snapshot();
    match snapshot
        .entries
        .iter()
        .find(|e| e.name == name && e.duplicate_of.is_none())
    {
        Some(e) => Ok(Body(entry(e)).into_response()),
        None => Err(service.refused(&snapshot.unknown(&name))),
    }
}

/// One file of the folder: what it is served as, and its diagnostics.
fn entry(e: &Entry) -> Json {
    let served = e.served.as_ref().map(|v| &v.rulebook.meta);
    let status = match (&e.duplicate_of, &e.state) {
        (Some(_), _) => "duplicate",
        (None, FileState::Ready) => "ready",
        (None, FileState::Stale) => "stale",
        (None, FileState::Broken) => "broken",
    };
    let warnings = e.diagnostics.as_array().map_or(0, |d| {
        d.iter().filter(|d| d["severity"] == "warning").count()
    });
    json!({
        "name": e.name,
        "path": e.path,
        "status": status,
        "title": served.map(|m| &m.title),
        "exercice": served.map(|m| m.exercice),
        "content_hash": served.map(|m| &m.content_hash),
        "file_hash": e.file_hash,
        "errors": e.errors,
        "warnings": warnings,
        "diagnostics": e.diagnostics,
        "duplicate_of": e.duplicate_of,
    })
}

pub async fn schema(State(service): Shared, name: Result<Path<String>, PathRejection>) -> Answer {
    let name = path_name(name, &service)?;
    let version = service
        .registry
        .snapshot()
        .served(&name)
        .map_err(|r| service.refused(&r))?;
    let schema: Json = serde_json::from_str(&output::schema::render(&version.rulebook))
        .map_err(|_| service.refused(&ServeRefusal::Internal))?;
    Ok(Body(schema).into_response())
}

/// One declaration (an object: its outcome, or 422) or an array (each element's outcome
/// or rejection, in order, 200).
pub async fn evaluate(
    State(service): Shared,
    Extension(request_id): Extension<RequestId>,
    name: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Answer {
    decide(service, request_id, name, headers, body, Route::Evaluate).await
}

/// One declaration: its outcome, its explanation tree (French, as `forfait explain`) and
/// that tree as text.
pub async fn explain(
    State(service): Shared,
    Extension(request_id): Extension<RequestId>,
    name: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Answer {
    decide(service, request_id, name, headers, body, Route::Explain).await
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Route {
    Evaluate,
    Explain,
}

async fn decide(
    service: Arc<Service>,
    request_id: RequestId,
    name: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
    route: Route,
) -> Answer {
    let name = path_name(name, &service)?;
    let version = service
        .registry
        .snapshot()
        .served(&name)
        .map_err(|r| service.refused(&r))?;
    if !is_json(&headers) {
        return Err(service.refused(&ServeRefusal::WrongContentType {
            expected: "application/json".into(),
        }));
    }
    let body = service.body(body)?;
    let array = body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[');
    if array && route == Route::Explain {
        return Err(service.refused(&ServeRefusal::OneDeclaration));
    }
    let work = Arc::clone(&service);
    let waiting = Waiting::new();
    let still_waiting = waiting.flag();
    let answer = tokio::task::spawn_blocking(move || {
        let rulebook = &version.rulebook;
        let records: Vec<Evaluated> = declaration::records(
            rulebook,
            REQUEST_FILE,
            &body[..],
            InputFormat::Json,
            Default::default(),
        )
        .map(|record| evaluate_record(rulebook, REQUEST_FILE, record, EvalOptions::default()))
        .collect();
        // A body that is not JSON at all is no declaration: a 400, and nothing decided.
        if let [Evaluated::Rejected(r)] = &records[..] {
            if whole_body(r) {
                let json = output::json::to_json(rulebook, &records[0]);
                return Err(ApiError::rejected(r, &json, work.lang));
            }
        }
        // Past the time limit the caller was answered 408: nothing was decided for it.
        if !still_waiting.load(Ordering::SeqCst) {
            return Err(work.refused(&ServeRefusal::Timeout {
                seconds: work.timeout.as_secs(),
            }));
        }
        work.record(&request_id, route, rulebook, &records)?;
        Ok::<_, ApiError>(match route {
            Route::Evaluate => evaluated(&work, rulebook, &records, array),
            Route::Explain => explained(&work, rulebook, &records),
        })
    })
    .await
    .map_err(|_| service.refused(&ServeRefusal::Internal))??;
    drop(waiting);
    answer
}

/// Whether the request is still waiting for its answer: false once its future is dropped,
/// which the time limit does (`around_each_request`).
struct Waiting(Arc<AtomicBool>);

impl Waiting {
    fn new() -> Waiting {
        Waiting(Arc::new(AtomicBool::new(true)))
    }

    fn flag(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.0)
    }
}

impl Drop for Waiting {
    fn drop(&mut self) {
        self.0.store(false, Ordering::SeqCst);
    }
}

fn evaluated(
    service: &Service,
    rulebook: &CompiledRulebook,
    records: &[Evaluated],
    array: bool,
) -> Answer {
    if array {
        let items: Vec<Json> = records
            .iter()
            .map(|r| output::json::to_json(rulebook, r))
            .collect();
        return Ok(Body(Json::Array(items)).into_response());
    }
    let record = one(service, records)?;
    let json = output::json::to_json(rulebook, record);
    match record {
        Evaluated::Outcome { .. } => Ok(Body(json).into_response()),
        Evaluated::Rejected(r) => Err(ApiError::rejected(r, &json, service.lang)),
    }
}

fn explained(service: &Service, rulebook: &CompiledRulebook, records: &[Evaluated]) -> Answer {
    let record = one(service, records)?;
    let json = output::json::to_json(rulebook, record);
    match record {
        Evaluated::Outcome { outcome, .. } => {
            let tree: Vec<Json> = output::explain::tree(rulebook, outcome)
                .iter()
                .map(simulate::line)
                .collect();
            Ok(Body(json!({
                "outcome": json,
                "tree": tree,
                "text": output::explain::render(rulebook, outcome),
            }))
            .into_response())
        }
        Evaluated::Rejected(r) => Err(ApiError::rejected(r, &json, service.lang)),
    }
}

/// The one record of a body that is one JSON value (the reader gives exactly one).
fn one<'r>(service: &Service, records: &'r [Evaluated]) -> Result<&'r Evaluated, ApiError> {
    match records {
        [record] => Ok(record),
        _ => Err(service.refused(&ServeRefusal::OneDeclaration)),
    }
}

/// What `POST /v1/check` reads as JSON.
#[derive(Deserialize)]
pub struct CheckBody {
    text: String,
    /// The file name the text is checked under: its year is compared with the exercice.
    #[serde(default)]
    file_name: Option<String>,
}

#[derive(Deserialize)]
pub struct CheckQuery {
    #[serde(default)]
    file_name: Option<String>,
}

/// A rulebook text (JSON `{"text", "file_name"}`, or the text itself as `text/plain`):
/// whether it checks, and its diagnostics as `forfait check --error-format json` writes them.
pub async fn check(
    State(service): Shared,
    query: Result<Query<CheckQuery>, axum::extract::rejection::QueryRejection>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Answer {
    let query_name = match query {
        Ok(Query(q)) => q.file_name,
        Err(e) => {
            return Err(service.refused(&ServeRefusal::BadBody {
                error: e.body_text(),
            }))
        }
    };
    let plain = media_type(&headers).is_some_and(|t| t.eq_ignore_ascii_case("text/plain"));
    if !plain && !is_json(&headers) {
        return Err(service.refused(&ServeRefusal::WrongContentType {
            expected: "application/json or text/plain".into(),
        }));
    }
    let body = service.body(body)?;
    let (text, file_name) = if plain {
        let text = String::from_utf8(body.to_vec()).map_err(|_| {
            service.refused(&ServeRefusal::BadBody {
                error: "not UTF-8".into(),
            })
        })?;
        (text, query_name)
    } else {
        let parsed: CheckBody = serde_json::from_slice(&body).map_err(|e| {
            service.refused(&ServeRefusal::BadBody {
                error: e.to_string(),
            })
        })?;
        (parsed.text, parsed.file_name.or(query_name))
    };
    // Only the name's last part counts: nothing is read.
    let file_name = match file_name.as_deref() {
        Some(name) => crate::cli::studio::routes::file_name(Some(name)).into_owned(),
        None => "rulebook.forfait".to_string(),
    };
    let lang = service.lang;
    let answer = tokio::task::spawn_blocking(move || match forfait::compile(&file_name, &text) {
        Ok(compiled) => {
            let meta = &compiled.rulebook.meta;
            json!({
                "checks": true,
                "errors": 0,
                "warnings": compiled.warnings.warning_count(),
                "rulebook": {
                    "name": meta.name,
                    "title": meta.title,
                    "exercice": meta.exercice,
                    "content_hash": meta.content_hash,
                },
                "diagnostics": diagnostics(&compiled.warnings, lang),
            })
        }
        Err(report) => json!({
            "checks": false,
            "errors": report.error_count(),
            "warnings": report.warning_count(),
            "rulebook": null,
            "diagnostics": diagnostics(&report, lang),
        }),
    })
    .await
    .map_err(|_| service.refused(&ServeRefusal::Internal))?;
    Ok(Body(answer).into_response())
}

pub async fn no_such_route(State(service): Shared, uri: axum::http::Uri) -> ApiError {
    service.refused(&ServeRefusal::NoSuchRoute {
        path: uri.path().to_string(),
    })
}

pub async fn wrong_method(
    State(service): Shared,
    method: axum::http::Method,
    uri: axum::http::Uri,
) -> ApiError {
    service.refused(&ServeRefusal::Method {
        method: method.to_string(),
        path: uri.path().to_string(),
    })
}

fn path_name(
    name: Result<Path<String>, PathRejection>,
    service: &Service,
) -> Result<String, ApiError> {
    name.map(|Path(n)| n).map_err(|e| {
        service.refused(&ServeRefusal::BadBody {
            error: e.body_text(),
        })
    })
}

/// The media type of the body, without its parameters.
fn media_type(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|t| t.split(';').next())
        .map(str::trim)
}

fn is_json(headers: &HeaderMap) -> bool {
    media_type(headers).is_some_and(|t| t.eq_ignore_ascii_case("application/json"))
}

impl Service {
    pub fn refused(&self, refusal: &ServeRefusal) -> ApiError {
        ApiError::refused(refusal, self.lang)
    }

    /// The body read whole, or 413 past the limit.
    fn body(&self, body: Result<Bytes, BytesRejection>) -> Result<Bytes, ApiError> {
        body.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                self.refused(&ServeRefusal::BodyTooLarge {
                    limit: self.max_body,
                })
            } else {
                self.refused(&ServeRefusal::BadBody {
                    error: e.body_text(),
                })
            }
        })
    }

    /// Writes the request's decisions to the log, if there is one; a failure is said on
    /// standard error and answered 503.
    fn record(
        &self,
        request_id: &RequestId,
        route: Route,
        rulebook: &CompiledRulebook,
        records: &[Evaluated],
    ) -> Result<(), ApiError> {
        let Some(log) = &self.log else {
            return Ok(());
        };
        let request = decisions::Request {
            id: &request_id.0,
            route: match route {
                Route::Evaluate => "evaluate",
                Route::Explain => "explain",
            },
        };
        let lines: Vec<Json> = records
            .iter()
            .map(|r| decisions::line(&request, rulebook, r))
            .collect();
        log.record(&lines).map_err(|error| {
            crate::cli::tell(
                self.lang,
                Say::DecisionLogFailed {
                    path: &log.path,
                    error: &error,
                },
            );
            self.refused(&ServeRefusal::DecisionLog)
        })
    }
}
