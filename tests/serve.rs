//! `forfait serve` end to end: the binary started on a copy of `rulebooks/` on a free
//! loopback port, spoken to in HTTP/1.1 over plain TCP connections. Every wait has a
//! deadline, so a service that hangs fails the test instead of hanging CI.

// The helpers below stop the test loudly, like the tests that call them.
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)]

mod common;

#[path = "serve/client.rs"]
mod client;

use std::io::Write;
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use client::{forfait, read_answer, Server, DEADLINE, DENTISTS, DENTISTS_FILE};

fn example(name: &str) -> String {
    common::read(&common::root().join(format!(
        "rulebooks/fami/2024-chirurgiens-dentistes.examples/{name}.json"
    )))
}

/// What `forfait eval --format json` says of an example: the same contract.
fn eval_json(name: &str) -> Value {
    let path = format!("rulebooks/fami/2024-chirurgiens-dentistes.examples/{name}.json");
    let out = common::forfait(&[
        "eval",
        "rulebooks/fami/2024-chirurgiens-dentistes.forfait",
        &path,
        "--format",
        "json",
    ]);
    let all: Value = serde_json::from_str(&common::stdout(&out)).expect("JSON");
    all[0].clone()
}

#[test]
fn every_route_answers_in_json_with_a_request_id() {
    let server = Server::start(&[]);

    let health = server.get("/health");
    assert_eq!(health.status, 200, "{}", health.body);
    assert_eq!(health.json(), json!({ "status": "ok", "rulebooks": 5 }));
    let id = health.header("x-request-id").expect("a request id");
    assert_eq!(id.len(), 32, "{id}");
    let again = server.get("/health");
    assert_ne!(again.header("x-request-id"), Some(id), "a new id each time");
    let given = server.send("GET", "/health", &[("x-request-id", "caller-7")], b"");
    assert_eq!(given.header("x-request-id"), Some("caller-7"));

    let openapi = server.get("/openapi.json").json();
    assert_eq!(openapi["openapi"], "3.1.0");
    let paths: Vec<&str> = openapi["paths"]
        .as_object()
        .expect("paths")
        .keys()
        .map(String::as_str)
        .collect();
    for path in [
        "/health",
        "/openapi.json",
        "/v1/rulebooks",
        "/v1/rulebooks/{name}",
        "/v1/rulebooks/{name}/schema",
        "/v1/rulebooks/{name}/evaluate",
        "/v1/rulebooks/{name}/explain",
        "/v1/check",
    ] {
        assert!(paths.contains(&path), "{path} documented: {paths:?}");
    }

    let list = server.get("/v1/rulebooks").json();
    let list = list["rulebooks"].as_array().expect("a list");
    assert_eq!(list.len(), 5);
    let dentists = list
        .iter()
        .find(|r| r["name"] == DENTISTS)
        .expect("the dentists' rulebook");
    assert_eq!(dentists["path"], DENTISTS_FILE);
    assert_eq!(dentists["status"], "ready");
    assert_eq!(dentists["exercice"], 2024);
    // The hash of the file's bytes, as the documentation page's footer shows it.
    let rulebook = common::compiled(&common::root().join("rulebooks").join(DENTISTS_FILE));
    assert_eq!(dentists["content_hash"], rulebook.meta.content_hash);
    assert_eq!(dentists["file_hash"], rulebook.meta.content_hash);
    let one = server.get(&format!("/v1/rulebooks/{DENTISTS}"));
    assert_eq!(one.json(), *dentists);

    let schema = server.get(&format!("/v1/rulebooks/{DENTISTS}/schema"));
    assert_eq!(schema.status, 200);
    let out = common::forfait(&[
        "schema",
        "rulebooks/fami/2024-chirurgiens-dentistes.forfait",
    ]);
    let expected: Value = serde_json::from_str(&common::stdout(&out)).expect("a schema");
    assert_eq!(
        schema.json(),
        expected,
        "the schema `forfait schema` prints"
    );

    let missing = server.get("/v1/rulebooks/fami_2023/schema");
    assert_eq!(missing.status, 404);
    assert_eq!(missing.code(), "forfait::serve::unknown_rulebook");
    assert_eq!(
        missing.json()["error"]["known"].as_array().map(Vec::len),
        Some(5)
    );
    assert!(missing.header("x-request-id").is_some());
    let nowhere = server.get("/v2/rulebooks");
    assert_eq!(
        (nowhere.status, nowhere.code().as_str()),
        (404, "forfait::serve::no_such_route")
    );
    let wrong = server.send("DELETE", "/v1/rulebooks", &[], b"");
    assert_eq!(
        (wrong.status, wrong.code().as_str()),
        (405, "forfait::serve::method_not_allowed")
    );
}

#[test]
fn evaluate_gives_the_json_contract_one_declaration_or_an_array() {
    let server = Server::start(&[]);
    let answer = server.evaluate(DENTISTS, &example("socle-et-coordination"));
    assert_eq!(answer.status, 200, "{}", answer.body);
    let outcome = answer.json();
    assert_eq!(outcome["total"]["euros"], "590.00");
    let mut cli = eval_json("socle-et-coordination");
    // Only where it was read from differs.
    cli["source"] = json!({ "file": "request", "location": "$" });
    assert_eq!(outcome, cli);

    let array = format!(
        "[{}, {{\"id\": \"b\", \"flux_dmp\": \"beaucoup\"}}, 3, {}]",
        example("socle-seul"),
        example("maximum")
    );
    let answer = server.evaluate(DENTISTS, &array);
    assert_eq!(answer.status, 200, "{}", answer.body);
    let items = answer.json();
    let items = items.as_array().expect("an array");
    assert_eq!(items.len(), 4, "one result per element, in order");
    assert_eq!(items[0]["total"]["euros"], "490.00");
    assert_eq!(items[1]["status"], "rejected");
    assert_eq!(items[1]["source"]["location"], "$[1]");
    assert!(items[1]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["code"] == "forfait::decl::wrong_type" && e["field"] == "flux_dmp"));
    assert_eq!(items[2]["status"], "rejected");
    assert_eq!(items[3]["total"]["euros"], "1240.00");
    assert_eq!(server.evaluate(DENTISTS, "[]").json(), json!([]));

    // An id given as a number is its JSON text, as written (openapi.json says so).
    for (written, id) in [(json!(12345), "12345"), (json!(12.5), "12.5")] {
        let mut declaration: Value = serde_json::from_str(&example("socle-seul")).unwrap();
        declaration["id"] = written;
        let answer = server.evaluate(DENTISTS, &declaration.to_string());
        assert_eq!(answer.status, 200, "{}", answer.body);
        assert_eq!(answer.json()["id"], id);
    }
}

#[test]
fn bad_declarations_and_bodies_are_json_errors_with_their_codes() {
    let server = Server::start(&["--max-body", "4096"]);
    let rejected = server.evaluate(DENTISTS, r#"{"id": "x", "flux_dmp": "beaucoup"}"#);
    assert_eq!(rejected.status, 422, "{}", rejected.body);
    let error = &rejected.json()["error"];
    assert_eq!(error["code"], "forfait::decl::wrong_type");
    assert_eq!(error["id"], "x");
    let problems = error["problems"].as_array().expect("problems");
    assert!(problems
        .iter()
        .any(|p| p["field"] == "flux_dmp" && p["expected"].is_string()));

    let malformed = server.evaluate(DENTISTS, r#"{"id": "x", "#);
    assert_eq!(malformed.status, 400, "{}", malformed.body);
    assert_eq!(malformed.code(), "forfait::decl::malformed");
    let not_json = server.send(
        "POST",
        &format!("/v1/rulebooks/{DENTISTS}/evaluate"),
        &[("Content-Type", "text/csv")],
        b"id\nx\n",
    );
    assert_eq!(
        (not_json.status, not_json.code().as_str()),
        (415, "forfait::serve::wrong_content_type")
    );
    let large = format!("[{}]", vec![example("maximum"); 20].join(","));
    assert!(large.len() > 4096);
    let too_large = server.evaluate(DENTISTS, &large);
    assert_eq!(too_large.status, 413, "{}", too_large.body);
    assert_eq!(too_large.code(), "forfait::serve::body_too_large");
    assert_eq!(too_large.json()["error"]["limit_bytes"], 4096);
    let unknown = server.evaluate("fami_2023", &example("maximum"));
    assert_eq!(
        (unknown.status, unknown.code().as_str()),
        (404, "forfait::serve::unknown_rulebook")
    );
    assert!(unknown.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains(DENTISTS));
    // The file's name taken for the rulebook's: the answer names the rulebook's.
    let by_file = server.evaluate("2024-chirurgiens-dentistes", &example("maximum"));
    assert_eq!(by_file.status, 404, "{}", by_file.body);
    assert_eq!(by_file.json()["error"]["did_you_mean"], DENTISTS);
    assert!(by_file.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("2024-chirurgiens-dentistes.forfait"));
    let two = server.post_json(&format!("/v1/rulebooks/{DENTISTS}/explain"), "[]");
    assert_eq!(
        (two.status, two.code().as_str()),
        (400, "forfait::serve::one_declaration")
    );
}

#[test]
fn explain_gives_the_tree_and_check_the_diagnostics() {
    let server = Server::start(&[]);
    let answer = server.post_json(
        &format!("/v1/rulebooks/{DENTISTS}/explain"),
        &example("coordination-sans-socle"),
    );
    assert_eq!(answer.status, 200, "{}", answer.body);
    let explained = answer.json();
    assert_eq!(explained["outcome"]["total"]["euros"], "0.00");
    let tree = explained["tree"].as_array().expect("a tree");
    assert!(!tree.is_empty());
    let out = common::forfait(&[
        "explain",
        "rulebooks/fami/2024-chirurgiens-dentistes.forfait",
        "rulebooks/fami/2024-chirurgiens-dentistes.examples/coordination-sans-socle.json",
    ]);
    assert_eq!(
        explained["text"].as_str().map(str::trim_end),
        Some(common::stdout(&out).trim_end()),
        "the tree `forfait explain` prints"
    );
    assert!(tree
        .iter()
        .any(|l| !l["children"].as_array().unwrap().is_empty()));

    let text = common::read(&common::root().join("rulebooks").join(DENTISTS_FILE));
    let body = json!({ "text": text, "file_name": "2024-chirurgiens-dentistes.forfait" });
    let clean = server.post_json("/v1/check", &body.to_string()).json();
    assert_eq!(clean["checks"], true, "{clean}");
    assert_eq!(clean["rulebook"]["name"], DENTISTS);
    let broken = text.replacen("met when", "met whem", 1);
    let body = json!({ "text": broken });
    let answer = server.post_json("/v1/check", &body.to_string());
    assert_eq!(answer.status, 200);
    let checked = answer.json();
    assert_eq!(checked["checks"], false);
    assert!(checked["errors"].as_u64().unwrap() >= 1);
    let first = &checked["diagnostics"][0];
    assert_eq!(first["code"], "forfait::parse::syntax", "{checked}");
    assert!(first["labels"][0]["line"].as_u64().unwrap() > 1);
    let plain = server
        .send(
            "POST",
            "/v1/check?file_name=2024-x.forfait",
            &[("Content-Type", "text/plain; charset=utf-8")],
            broken.as_bytes(),
        )
        .json();
    assert_eq!(plain["errors"], checked["errors"]);
    assert_eq!(plain["diagnostics"][0]["code"], first["code"]);
    assert_eq!(plain["diagnostics"][0]["file"], "2024-x.forfait");
    let bad = server.post_json("/v1/check", r#"{"txt": "x"}"#);
    assert_eq!(
        (bad.status, bad.code().as_str()),
        (400, "forfait::serve::bad_body")
    );
}

#[test]
fn a_request_that_takes_too_long_is_answered_408() {
    let server = Server::start(&["--timeout", "1"]);
    let mut stream = server.connect();
    // A body announced and never sent.
    stream
        .write_all(
            format!(
                "POST /v1/rulebooks/{DENTISTS}/evaluate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"id\""
            )
            .as_bytes(),
        )
        .unwrap();
    let started = Instant::now();
    let answer = read_answer(&mut stream, "a stalled body");
    assert_eq!(answer.status, 408, "{}", answer.body);
    assert_eq!(answer.code(), "forfait::serve::timeout");
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(server.get("/health").status, 200, "the others go on");
}

#[test]
fn rulebooks_reload_and_a_broken_edit_keeps_the_last_good_version() {
    let server = Server::start(&[]);
    let text = common::read(&server.path(DENTISTS_FILE));
    let copy = text.replace(DENTISTS, "fami_2024_copie");
    let new_file = "fami/2024-copie.forfait";
    std::fs::write(server.path(new_file), &copy).unwrap();
    let ready = server
        .wait_for(new_file, |e| e.is_some_and(|e| e["status"] == "ready"))
        .unwrap();
    let good_hash = ready["content_hash"].as_str().unwrap().to_string();
    assert_eq!(ready["name"], "fami_2024_copie");
    let paid = server.evaluate("fami_2024_copie", &example("socle-seul"));
    assert_eq!(paid.json()["total"]["euros"], "490.00");

    // A broken edit: listed stale with why, the last good version still served.
    let broken = copy.replace("pays 490 EUR", "pays 490 EUROS");
    assert_ne!(broken, copy);
    std::fs::write(server.path(new_file), &broken).unwrap();
    let stale = server
        .wait_for(new_file, |e| e.is_some_and(|e| e["status"] == "stale"))
        .unwrap();
    assert_eq!(stale["content_hash"], good_hash.as_str());
    assert_ne!(stale["file_hash"], good_hash.as_str());
    assert!(stale["errors"].as_u64().unwrap() >= 1, "{stale}");
    let diagnostic = &stale["diagnostics"][0];
    assert!(diagnostic["code"]
        .as_str()
        .unwrap()
        .starts_with("forfait::"));
    assert!(
        diagnostic["labels"][0]["line"].as_u64().is_some(),
        "{stale}"
    );
    let still = server
        .evaluate("fami_2024_copie", &example("socle-seul"))
        .json();
    assert_eq!(still["total"]["euros"], "490.00");
    assert_eq!(still["rulebook"]["hash"], good_hash.as_str());
    assert!(
        server.stderr().contains("no longer checks"),
        "{}",
        server.stderr()
    );

    // Mended with a new title: served at its new hash.
    let title = "FAMI 2024 : chirurgiens-dentistes libéraux";
    assert!(copy.contains(title));
    std::fs::write(
        server.path(new_file),
        copy.replace(title, "FAMI 2024 : copie"),
    )
    .unwrap();
    let mended = server
        .wait_for(new_file, |e| {
            e.is_some_and(|e| e["status"] == "ready" && e["content_hash"] != good_hash.as_str())
        })
        .unwrap();
    assert_eq!(mended["errors"], 0);
    let paid = server
        .evaluate("fami_2024_copie", &example("socle-seul"))
        .json();
    assert_eq!(paid["total"]["euros"], "490.00");
    assert_eq!(paid["rulebook"]["title"], "FAMI 2024 : copie");
    assert_eq!(paid["rulebook"]["hash"], mended["content_hash"]);

    // A file that never checked is listed, not served; a second file of the same name is
    // not served either.
    // (It parses, so it is listed under its header's name, and the rules pay more than
    // its stated total.)
    let never_checked = text
        .replace(DENTISTS, "casse")
        .replace("pays 490 EUR", "pays 500 EUR");
    std::fs::write(server.path("fami/2024-casse.forfait"), never_checked).unwrap();
    let never = server
        .wait_for("fami/2024-casse.forfait", |e| e.is_some())
        .unwrap();
    assert_eq!(never["status"], "broken");
    assert_eq!(never["content_hash"], Value::Null);
    let refused = server.evaluate("casse", &example("socle-seul"));
    assert_eq!(
        (refused.status, refused.code().as_str()),
        (409, "forfait::serve::rulebook_does_not_check")
    );
    std::fs::write(server.path("fami/2024-double.forfait"), &text).unwrap();
    let double = server
        .wait_for("fami/2024-double.forfait", |e| e.is_some())
        .unwrap();
    assert_eq!(double["status"], "duplicate");
    assert_eq!(double["duplicate_of"], DENTISTS_FILE);

    // Removed: gone.
    std::fs::remove_file(server.path(new_file)).unwrap();
    server.wait_for(new_file, |e| e.is_none());
    let gone = server.evaluate("fami_2024_copie", &example("socle-seul"));
    assert_eq!(gone.status, 404);
}

#[test]
fn every_decision_is_a_line_of_the_decision_log() {
    let log_dir = tempfile::tempdir().unwrap();
    let log = log_dir.path().join("decisions.jsonl");
    let server = Server::start(&["--decision-log", log.to_str().unwrap()]);
    let body = format!(
        "[{}, {{\"id\": \"b\", \"flux_dmp\": \"x\"}}]",
        example("maximum")
    );
    let answer = server.send(
        "POST",
        &format!("/v1/rulebooks/{DENTISTS}/evaluate"),
        &[
            ("Content-Type", "application/json"),
            ("x-request-id", "lot-42"),
        ],
        body.as_bytes(),
    );
    assert_eq!(answer.status, 200);
    assert_eq!(answer.header("x-request-id"), Some("lot-42"));
    let explained = server.post_json(
        &format!("/v1/rulebooks/{DENTISTS}/explain"),
        &example("socle-seul"),
    );
    let explain_id = explained.header("x-request-id").unwrap().to_string();
    // Not JSON at all: no declaration, nothing decided.
    assert_eq!(server.evaluate(DENTISTS, "{").status, 400);

    let text = std::fs::read_to_string(&log).unwrap();
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(lines.len(), 3, "{text}");
    let hash = common::compiled(&common::root().join("rulebooks").join(DENTISTS_FILE))
        .meta
        .content_hash;
    assert_eq!(lines[0]["request_id"], "lot-42");
    assert_eq!(lines[0]["rulebook"], DENTISTS);
    assert_eq!(lines[0]["content_hash"], hash.as_str());
    assert_eq!(lines[0]["declaration_id"], "maximum");
    assert_eq!(lines[0]["total_euros"], "1240.00");
    assert_eq!(lines[0]["status"], "evaluated");
    assert_eq!(lines[1]["request_id"], "lot-42");
    assert_eq!(lines[1]["declaration_id"], "b");
    assert_eq!(lines[1]["status"], "rejected");
    assert_eq!(lines[1]["total_euros"], Value::Null);
    assert_eq!(lines[2]["request_id"], explain_id.as_str());
    assert_eq!(lines[2]["route"], "explain");
    assert_eq!(lines[2]["total_euros"], "490.00");
    let time = lines[0]["time"].as_str().unwrap();
    assert!(
        time.len() == 24 && time.ends_with('Z') && time.as_bytes()[10] == b'T',
        "{time}"
    );
}

#[cfg(target_os = "linux")]
#[test]
fn a_decision_the_log_cannot_hold_is_answered_503() {
    let server = Server::start(&["--decision-log", "/dev/full"]);
    let answer = server.evaluate(DENTISTS, &example("maximum"));
    assert_eq!(answer.status, 503, "{}", answer.body);
    assert_eq!(answer.code(), "forfait::serve::decision_log");
    let started = Instant::now();
    while !server
        .stderr()
        .contains("cannot write to the decision log /dev/full")
    {
        assert!(started.elapsed() < DEADLINE, "{}", server.stderr());
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn an_address_in_use_is_exit_2_and_sigterm_stops_cleanly() {
    let mut server = Server::start(&[]);
    let addr = format!("127.0.0.1:{}", server.port);
    let second = forfait()
        .args(["serve", "rulebooks", "--addr", &addr])
        .current_dir(common::root())
        .output()
        .unwrap();
    assert_eq!(second.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(
        stderr.contains(&format!(
            "cannot listen on {addr}: the address is already in use"
        )),
        "{stderr}"
    );

    let not_a_folder = forfait()
        .args(["serve", "Cargo.toml"])
        .current_dir(common::root())
        .output()
        .unwrap();
    assert_eq!(not_a_folder.status.code(), Some(2));

    #[cfg(unix)]
    {
        let killed = Command::new("kill")
            .args(["-TERM", &server.child.id().to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        let started = Instant::now();
        let status = loop {
            if let Some(status) = server.child.try_wait().unwrap() {
                break status;
            }
            assert!(started.elapsed() < DEADLINE, "still running after SIGTERM");
            std::thread::sleep(Duration::from_millis(50));
        };
        assert_eq!(status.code(), Some(0));
        std::thread::sleep(Duration::from_millis(100));
        assert!(
            server.stderr().contains("forfait serve: stopped"),
            "{}",
            server.stderr()
        );
    }
}
