//! `forfait studio [FOLDER]`: a local web application over a folder of rulebooks, for
//! policy staff (docs/studio.md).
//!
//! This file is the transport: it binds the loopback only, serves the page and its two
//! files, and holds every rule a request must pass before `routes` reads it:
//!
//! - its `Host` is the studio's own address (`127.0.0.1:PORT` or `localhost:PORT`): a page
//!   of another site that made its name resolve to 127.0.0.1 is refused (DNS rebinding);
//! - an `Origin`, when sent, is the studio's;
//! - the page is asked for with the run's token (`/?token=...`), every API call carries it
//!   in `X-Forfait-Token`: no other page of the browser knows it;
//! - a body is JSON (`Content-Type: application/json`, which no cross-site form can send
//!   without the browser asking first), of 2 MiB at most; an address of 8 KiB at most.
//!
//! Requests are answered by a few threads; one that fails inside is answered 500 and the
//! others go on. Ctrl-C stops the studio (exit 0).

pub(crate) mod files;
pub(crate) mod routes;

use std::io::{self, Read, Write};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::thread;

use forfait::diagnostics::Lang;
use serde_json::Value as Json;

use super::words::{Refusal, Say};
use super::{tell, Exit};

/// The largest body a request may have.
pub const MAX_BODY: usize = 2 * 1024 * 1024;
/// The longest address (path and query) a request may ask for.
pub const MAX_URL: usize = 8 * 1024;
/// The threads that answer requests.
const WORKERS: usize = 4;

const INDEX_HTML: &str = include_str!("assets/index.html");
const APP_JS: &str = include_str!("assets/app.js");
const APP_CSS: &str = include_str!("assets/app.css");

const SECURITY_HEADERS: [(&str, &str); 4] = [
    (
        "Content-Security-Policy",
        "default-src 'self'; style-src 'self' 'unsafe-inline'",
    ),
    ("X-Content-Type-Options", "nosniff"),
    ("Cache-Control", "no-store"),
    ("Referrer-Policy", "no-referrer"),
];

/// What `forfait studio` was asked.
pub struct StudioArgs<'a> {
    pub folder: Option<&'a str>,
    pub port: u16,
    pub no_browser: bool,
    /// The language of the messages.
    pub lang: Lang,
    /// The language of what the API says: French unless `--lang en` was given.
    pub api_lang: Lang,
}

/// One run of the studio: its folder, its address and its token.
pub struct Studio {
    /// The folder, its real path (links followed).
    pub folder: PathBuf,
    /// The folder as the command line named it.
    pub folder_name: String,
    pub port: u16,
    pub token: String,
    pub lang: Lang,
}

/// An answer: its status, type and body.
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(status: u16, value: &Json) -> Reply {
        Reply {
            status,
            content_type: "application/json; charset=utf-8",
            body: serde_json::to_vec(value).unwrap_or_else(|_| b"{}".to_vec()),
        }
    }

    /// A JSON body written already (an example file, kept as it is).
    pub fn raw_json(text: String) -> Reply {
        Reply {
            status: 200,
            content_type: "application/json; charset=utf-8",
            body: text.into_bytes(),
        }
    }

    pub fn refused(status: u16, refusal: &Refusal, lang: Lang) -> Reply {
        Reply::error(status, Say::Refused(refusal).text(lang))
    }

    pub fn error(status: u16, message: String) -> Reply {
        Reply::json(status, &serde_json::json!({ "error": message }))
    }

    fn text(content_type: &'static str, body: &str) -> Reply {
        Reply {
            status: 200,
            content_type,
            body: body.as_bytes().to_vec(),
        }
    }
}

pub fn studio(args: StudioArgs<'_>) -> Exit {
    let lang = args.lang;
    let folder_name = args.folder.unwrap_or("rulebooks").to_string();
    let folder = match std::fs::canonicalize(&folder_name) {
        Ok(f) if f.is_dir() => f,
        _ => {
            tell(lang, Say::StudioNotAFolder { path: &folder_name });
            return Exit::Usage;
        }
    };
    let token = match token() {
        Ok(t) => t,
        Err(e) => {
            tell(lang, Say::StudioCannotStart { error: &e });
            return Exit::Usage;
        }
    };
    let server = match tiny_http::Server::http(("127.0.0.1", args.port)) {
        Ok(s) => Arc::new(s),
        Err(e) => {
            tell(lang, Say::StudioCannotStart { error: &e });
            return Exit::Usage;
        }
    };
    let port = server.server_addr().to_ip().map_or(args.port, |a| a.port());
    let studio = Arc::new(Studio {
        folder,
        folder_name,
        port,
        token,
        lang: args.api_lang,
    });
    let url = format!("http://127.0.0.1:{port}/?token={}", studio.token);
    {
        let mut out = io::stdout().lock();
        let _ = writeln!(out, "{}", Say::StudioAt { url: &url }.text(lang));
        let _ = out.flush();
    }
    if !args.no_browser {
        open_browser(&url);
    }

    let (stop_sender, stop) = mpsc::channel();
    if let Err(e) = ctrlc::set_handler(move || {
        let _ = stop_sender.send(());
    }) {
        tell(lang, Say::CtrlCUnwatched { error: &e });
    }
    let stopping = Arc::new(AtomicBool::new(false));
    let workers: Vec<_> = (0..WORKERS)
        .map(|_| {
            let server = Arc::clone(&server);
            let studio = Arc::clone(&studio);
            let stopping = Arc::clone(&stopping);
            thread::spawn(move || {
                while !stopping.load(Ordering::SeqCst) {
                    match server.recv() {
                        Ok(request) => serve(&studio, request),
                        // Unblocked to stop, or the listener failed.
                        Err(_) => break,
                    }
                }
            })
        })
        .collect();
    // Until Ctrl-C (or the handler could not be set: until killed).
    let _ = stop.recv();
    stopping.store(true, Ordering::SeqCst);
    for _ in &workers {
        server.unblock();
    }
    for worker in workers {
        let _ = worker.join();
    }
    tell(lang, Say::StudioStopped);
    Exit::Ok
}

/// 32 hexadecimal digits from the system's random source.
fn token() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes)?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Opens the page in the desktop's browser, if there is one; its failure is no error.
fn open_browser(url: &str) {
    let child = std::process::Command::new("xdg-open")
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if let Ok(mut child) = child {
        // Reaped when it ends, so that it does not linger.
        thread::spawn(move || child.wait());
    }
}

/// Answers one request; a failure inside is a 500, never the end of the studio.
fn serve(studio: &Studio, mut request: tiny_http::Request) {
    let reply = catch_unwind(AssertUnwindSafe(|| answer(studio, &mut request)))
        .unwrap_or_else(|_| Reply::refused(500, &Refusal::Internal, studio.lang));
    let mut response = tiny_http::Response::from_data(reply.body).with_status_code(reply.status);
    let headers = [("Content-Type", reply.content_type)]
        .into_iter()
        .chain(SECURITY_HEADERS);
    for (name, value) in headers {
        if let Ok(header) = tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()) {
            response.add_header(header);
        }
    }
    // The browser went away: nothing to do.
    let _ = request.respond(response);
}

fn header<'r>(request: &'r tiny_http::Request, name: &str) -> Option<&'r str> {
    request
        .headers()
        .iter()
        .find(|h| h.field.as_str().as_str().eq_ignore_ascii_case(name))
        .map(|h| h.value.as_str())
}

/// Compares two secrets in a time that does not depend on where they differ.
fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

fn answer(studio: &Studio, request: &mut tiny_http::Request) -> Reply {
    let lang = studio.lang;
    let refused = |status, refusal: Refusal| Reply::refused(status, &refusal, lang);
    let url = request.url().to_string();
    if url.len() > MAX_URL {
        return refused(414, Refusal::UrlTooLong { limit: MAX_URL });
    }
    let host = header(request, "Host").unwrap_or("");
    let ours = [
        format!("127.0.0.1:{}", studio.port),
        format!("localhost:{}", studio.port),
    ];
    if !ours.iter().any(|h| h.eq_ignore_ascii_case(host)) {
        return refused(403, Refusal::Host { host: host.into() });
    }
    if let Some(origin) = header(request, "Origin") {
        if !ours
            .iter()
            .any(|h| origin.eq_ignore_ascii_case(&format!("http://{h}")))
        {
            return refused(
                403,
                Refusal::Origin {
                    origin: origin.into(),
                },
            );
        }
    }
    let (path, query) = url.split_once('?').unwrap_or((url.as_str(), ""));
    let query = routes::Query::parse(query);
    let method = request.method().as_str().to_ascii_uppercase();
    if !path.starts_with("/api/") {
        return static_file(studio, &method, path, &query);
    }
    let token = header(request, "X-Forfait-Token").unwrap_or("");
    if !same_secret(token, &studio.token) {
        return refused(403, Refusal::Token);
    }
    let body = match method.as_str() {
        "POST" | "PUT" => match body(request) {
            Ok(body) => Some(body),
            Err((status, refusal)) => return refused(status, refusal),
        },
        _ => None,
    };
    routes::api(studio, &method, path, &query, body.as_deref())
}

/// The body of a POST or PUT: JSON, at most [`MAX_BODY`] bytes, UTF-8.
fn body(request: &mut tiny_http::Request) -> Result<String, (u16, Refusal)> {
    let json = header(request, "Content-Type").is_some_and(|t| {
        t.split(';')
            .next()
            .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"))
    });
    if !json {
        return Err((415, Refusal::NotJson));
    }
    let too_large = (
        413,
        Refusal::BodyTooLarge {
            limit_mib: MAX_BODY / (1024 * 1024),
        },
    );
    if request.body_length().is_some_and(|n| n > MAX_BODY) {
        return Err(too_large);
    }
    let mut bytes = Vec::new();
    let limit = u64::try_from(MAX_BODY).unwrap_or(u64::MAX) + 1;
    if let Err(e) = request.as_reader().take(limit).read_to_end(&mut bytes) {
        return Err((
            400,
            Refusal::BadRequest {
                error: e.to_string(),
            },
        ));
    }
    if bytes.len() > MAX_BODY {
        return Err(too_large);
    }
    String::from_utf8(bytes).map_err(|_| {
        (
            400,
            Refusal::BadRequest {
                error: "not UTF-8".into(),
            },
        )
    })
}

/// The page (with the run's token) and the two files it loads.
fn static_file(studio: &Studio, method: &str, path: &str, query: &routes::Query) -> Reply {
    let lang = studio.lang;
    if method != "GET" {
        return Reply::refused(
            405,
            &Refusal::Method {
                method: method.into(),
                path: path.into(),
            },
            lang,
        );
    }
    match path {
        "/" | "/index.html" => {
            let token = query.get("token").unwrap_or("");
            if !same_secret(token, &studio.token) {
                return Reply::refused(403, &Refusal::Token, lang);
            }
            Reply::text(
                "text/html; charset=utf-8",
                &INDEX_HTML.replace("{{TOKEN}}", &studio.token),
            )
        }
        "/app.js" => Reply::text("text/javascript; charset=utf-8", APP_JS),
        "/app.css" => Reply::text("text/css; charset=utf-8", APP_CSS),
        _ => Reply::refused(404, &Refusal::NoSuchRoute { path: path.into() }, lang),
    }
}
