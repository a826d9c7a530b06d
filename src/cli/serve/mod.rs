//! `forfait serve FOLDER --addr 127.0.0.1:8080`: the rulebooks of a folder as an HTTP
//! service for the systems that send declarations (docs/serve.md).
//!
//! The studio (`cli/studio/`) is a local editing tool for one person; this is a service:
//! axum over tokio, every request bounded in size (`--max-body`, 413) and in time
//! (`--timeout`, 408), answered in JSON, errors included, with a request id (the caller's
//! `x-request-id`, else a new one) in its `x-request-id` header and in the decision log.
//! The folder is read again every second (`registry`). Ctrl-C or SIGTERM stops taking
//! connections, finishes the requests under way, and exits 0.

mod decisions;
mod errors;
mod registry;
mod routes;

use std::io::{self, Write};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::HeaderValue;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use forfait::diagnostics::Lang;

use self::decisions::DecisionLog;
use self::registry::Registry;
use super::words::{Say, ServeRefusal};
use super::{tell, Exit};

/// How often the folder is read again.
const RELOAD_EVERY: Duration = Duration::from_secs(1);
/// The longest request id taken from a caller; a longer one, or one with other than
/// visible ASCII, is replaced by a new one.
const MAX_REQUEST_ID: usize = 128;

/// What `forfait serve` was asked.
pub struct ServeArgs<'a> {
    pub folder: &'a str,
    pub addr: &'a str,
    pub decision_log: Option<&'a str>,
    /// The largest body, in bytes.
    pub max_body: usize,
    /// The longest a request may take, body included.
    pub timeout: Duration,
    pub lang: Lang,
}

/// What every request shares.
pub struct Service {
    registry: Registry,
    log: Option<DecisionLog>,
    lang: Lang,
    max_body: usize,
    timeout: Duration,
}

/// The id of a request: the caller's `x-request-id`, or a new one.
#[derive(Clone, Debug)]
pub struct RequestId(pub String);

pub fn serve(args: ServeArgs<'_>) -> Exit {
    let lang = args.lang;
    let folder: PathBuf = match std::fs::canonicalize(args.folder) {
        Ok(f) if f.is_dir() => f,
        _ => {
            tell(lang, Say::ServeNotAFolder { path: args.folder });
            return Exit::Usage;
        }
    };
    let log = match args.decision_log.map(DecisionLog::open).transpose() {
        Ok(log) => log,
        Err(error) => {
            let path = args.decision_log.unwrap_or_default();
            tell(
                lang,
                Say::DecisionLogCannotOpen {
                    path,
                    error: &error,
                },
            );
            return Exit::Usage;
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(error) => {
            tell(lang, Say::ServeCannotStart { error: &error });
            return Exit::Usage;
        }
    };
    let service = Arc::new(Service {
        registry: Registry::load(folder, lang),
        log,
        lang,
        max_body: args.max_body,
        timeout: args.timeout,
    });
    runtime.block_on(run(service, args.addr))
}

async fn run(service: Arc<Service>, addr: &str) -> Exit {
    let lang = service.lang;
    let listener = match tokio::net::TcpListener::bind(addr).await {
        Ok(l) => l,
        Err(error) => {
            let in_use = error.kind() == io::ErrorKind::AddrInUse;
            tell(
                lang,
                Say::ServeCannotListen {
                    addr,
                    in_use,
                    error: &error,
                },
            );
            return Exit::Usage;
        }
    };
    let bound = listener
        .local_addr()
        .map_or_else(|_| addr.to_string(), |a| a.to_string());
    {
        // The first line of standard output: a test, or a supervisor, reads the address.
        let mut out = io::stdout().lock();
        let rulebooks = service.registry.snapshot().served_count();
        let _ = writeln!(
            out,
            "{}",
            Say::ServeAt {
                addr: &bound,
                rulebooks
            }
            .text(lang)
        );
        let _ = out.flush();
    }
    let watcher = tokio::spawn(watch(Arc::clone(&service)));
    let served = axum::serve(listener, router(Arc::clone(&service)))
        .with_graceful_shutdown(stop_asked())
        .await;
    watcher.abort();
    match served {
        Ok(()) => {
            tell(lang, Say::ServeStopped);
            Exit::Ok
        }
        Err(error) => {
            tell(lang, Say::ServeCannotStart { error: &error });
            Exit::Usage
        }
    }
}

fn router(service: Arc<Service>) -> Router {
    let max_body = service.max_body;
    Router::new()
        .route("/health", get(routes::health))
        .route("/openapi.json", get(routes::openapi))
        .route("/v1/rulebooks", get(routes::rulebooks))
        .route("/v1/rulebooks/{name}", get(routes::rulebook))
        .route("/v1/rulebooks/{name}/schema", get(routes::schema))
        .route("/v1/rulebooks/{name}/evaluate", post(routes::evaluate))
        .route("/v1/rulebooks/{name}/explain", post(routes::explain))
        .route("/v1/check", post(routes::check))
        .fallback(routes::no_such_route)
        .method_not_allowed_fallback(routes::wrong_method)
        .layer(DefaultBodyLimit::max(max_body))
        .layer(middleware::from_fn_with_state(
            Arc::clone(&service),
            around_each_request,
        ))
        .with_state(service)
}

/// The request id, in and out, and the time limit: past it the request is abandoned and
/// answered 408 (a body that does not come, an evaluation that does not end).
async fn around_each_request(
    State(service): State<Arc<Service>>,
    mut request: Request,
    next: Next,
) -> Response {
    let id = request
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            !v.is_empty() && v.len() <= MAX_REQUEST_ID && v.bytes().all(|b| b.is_ascii_graphic())
        })
        .map_or_else(new_request_id, str::to_string);
    request.extensions_mut().insert(RequestId(id.clone()));
    let mut response = match tokio::time::timeout(service.timeout, next.run(request)).await {
        Ok(response) => response,
        Err(_) => service
            .refused(&ServeRefusal::Timeout {
                seconds: service.timeout.as_secs(),
            })
            .into_response(),
    };
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert("x-request-id", value);
    }
    response
}

/// 32 hexadecimal digits from the system's random source (a counter's if it fails).
fn new_request_id() -> String {
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let mut bytes = [0u8; 16];
    if getrandom::fill(&mut bytes).is_err() {
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        bytes[..8].copy_from_slice(&n.to_be_bytes());
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Reads the folder again every [`RELOAD_EVERY`], off the request threads.
async fn watch(service: Arc<Service>) {
    let mut tick = tokio::time::interval(RELOAD_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    // The first tick is at once: the folder was just read.
    tick.tick().await;
    loop {
        tick.tick().await;
        let service = Arc::clone(&service);
        let _ = tokio::task::spawn_blocking(move || service.registry.refresh()).await;
    }
}

/// Ctrl-C, or SIGTERM (what a supervisor sends).
async fn stop_asked() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
}
