//! `forfait lsp` end to end: the binary as an editor starts it, spoken to in JSON-RPC with
//! Content-Length framing over its standard input and output. Every wait has a deadline,
//! so a server that hangs fails the test instead of hanging CI.

// The helpers below stop the test loudly, like the tests that call them.
#![allow(clippy::expect_used, clippy::panic)]

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const DEADLINE: Duration = Duration::from_secs(30);

/// A running `forfait lsp`, killed if the test ends before it exits.
struct Server {
    child: Child,
    stdin: Option<ChildStdin>,
    messages: Receiver<Value>,
    /// Notifications read while waiting for a response.
    notifications: Vec<Value>,
    next_id: i64,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn frame(body: &str) -> Vec<u8> {
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

impl Server {
    /// The server as an editor in an English (`C`) session starts it.
    fn start() -> Server {
        Server::start_in("C")
    }

    /// The server started in a session whose `LANG` is `lang`.
    fn start_in(lang: &str) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_forfait"))
            .arg("lsp")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env("LANG", lang)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("forfait lsp starts");
        let stdout = child.stdout.take().expect("stdout");
        let stdin = child.stdin.take();
        let (send, messages) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        length = n.parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; length.expect("a Content-Length header")];
                if reader.read_exact(&mut body).is_err() {
                    return;
                }
                let value = serde_json::from_slice(&body).expect("the server writes JSON");
                if send.send(value).is_err() {
                    return;
                }
            }
        });
        Server {
            child,
            stdin,
            messages,
            notifications: Vec::new(),
            next_id: 0,
        }
    }

    fn write(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        stdin.write_all(bytes).expect("the server reads");
        stdin.flush().expect("flushed");
    }

    fn send(&mut self, message: Value) {
        self.write(&frame(&message.to_string()));
    }

    fn next(&mut self) -> Value {
        self.messages
            .recv_timeout(DEADLINE)
            .expect("the server answered within the deadline")
    }

    /// The answer to a request (its `result`, or its `error` as `Err`).
    fn request(&mut self, method: &str, params: Value) -> Result<Value, Value> {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.response(json!(id))
    }

    fn response(&mut self, id: Value) -> Result<Value, Value> {
        loop {
            let message = self.next();
            if message.get("method").is_some() {
                self.notifications.push(message);
                continue;
            }
            assert_eq!(message["jsonrpc"], "2.0");
            assert_eq!(message["id"], id, "{message}");
            return match message.get("error") {
                Some(error) => Err(error.clone()),
                None => Ok(message["result"].clone()),
            };
        }
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// The next notification `method`, read now or before.
    fn notification(&mut self, method: &str) -> Value {
        if let Some(i) = self
            .notifications
            .iter()
            .position(|n| n["method"] == method)
        {
            return self.notifications.remove(i)["params"].clone();
        }
        loop {
            let message = self.next();
            if message["method"] == method {
                return message["params"].clone();
            }
            self.notifications.push(message);
        }
    }

    fn initialize(&mut self, capabilities: Value) -> Value {
        let result = self
            .request("initialize", json!({"capabilities": capabilities}))
            .expect("initialized");
        self.notify("initialized", json!({}));
        result
    }

    fn open(&mut self, uri: &str, text: &str) -> Value {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "forfait", "version": 1, "text": text}}),
        );
        self.notification("textDocument/publishDiagnostics")
    }

    /// The exit status after `exit`, within the deadline.
    fn exit_code(&mut self) -> Option<i32> {
        self.notify("exit", Value::Null);
        self.stdin = None;
        let start = Instant::now();
        while start.elapsed() < DEADLINE {
            if let Some(status) = self.child.try_wait().expect("waited") {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("the server did not exit within the deadline");
    }
}

const URI: &str = "file:///work/rulebooks/fami/2024-chirurgiens-dentistes.forfait";

fn rulebook() -> String {
    common::read(&common::root().join("rulebooks/fami/2024-chirurgiens-dentistes.forfait"))
}

/// The real rulebook with an unknown name typed after `«`, `é`, `≥`, `»` and no-break
/// spaces on its line (each one UTF-16 unit, but two or three bytes).
fn broken() -> String {
    let text = rulebook();
    let written = "met when interventions_aller_vers >= 3 and lieux_aller_vers != \"\"";
    assert!(text.contains(written));
    text.replace(
        written,
        "met when lieux_aller_vers != \"«\u{a0}é ≥\u{a0}»\" and interventions_aller_ver >= 3",
    )
}

/// The (line, UTF-16 column) and (line, byte column) of the `nth` `pattern` in `text`.
fn place(text: &str, pattern: &str, nth: usize) -> (u64, u64, u64) {
    let offset = text.match_indices(pattern).nth(nth).expect("in the text").0;
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = text[..offset].matches('\n').count() as u64;
    let utf16 = text[line_start..offset].encode_utf16().count() as u64;
    (line, utf16, (offset - line_start) as u64)
}

fn position(text: &str, pattern: &str, nth: usize) -> Value {
    let (line, character, _) = place(text, pattern, nth);
    json!({"line": line, "character": character + 1})
}

fn at(text: &str, pattern: &str, nth: usize) -> Value {
    json!({"textDocument": {"uri": URI}, "position": position(text, pattern, nth)})
}

/// `into` UTF-16 units into the `nth` `pattern`.
fn on(text: &str, pattern: &str, nth: usize, into: u64) -> Value {
    let (line, character, _) = place(text, pattern, nth);
    json!({"textDocument": {"uri": URI}, "position": {"line": line, "character": character + into}})
}

#[test]
fn an_editor_session_on_a_shipped_rulebook() {
    let mut server = Server::start();
    let init = server.initialize(json!({}));
    let capabilities = &init["capabilities"];
    assert_eq!(capabilities["positionEncoding"], "utf-16");
    for provider in [
        "hoverProvider",
        "definitionProvider",
        "referencesProvider",
        "renameProvider",
        "documentSymbolProvider",
        "foldingRangeProvider",
        "completionProvider",
        "documentFormattingProvider",
        "codeActionProvider",
        "semanticTokensProvider",
    ] {
        assert!(!capabilities[provider].is_null(), "no {provider}");
    }

    // Diagnostics on open: the code, the help, and a range counted in UTF-16 units.
    let text = broken();
    let published = server.open(URI, &text);
    assert_eq!(published["uri"], URI);
    let diagnostics = published["diagnostics"].as_array().expect("diagnostics");
    assert_eq!(diagnostics.len(), 1, "{published}");
    let d = &diagnostics[0];
    assert_eq!(d["code"], "forfait::check::unknown_name");
    assert_eq!(d["severity"], 1);
    assert_eq!(d["source"], "forfait");
    let message = d["message"].as_str().expect("message");
    // The diagnostic's own words (its message, then its help), whatever their wording.
    assert!(message.contains("`interventions_aller_ver`"), "{message}");
    assert!(message.contains("\nhelp: "), "{message}");
    assert!(message.contains("`interventions_aller_vers`"), "{message}");
    let (line, utf16, bytes) = place(&text, "interventions_aller_ver ", 0);
    assert!(bytes > utf16, "the line has characters of several bytes");
    assert_eq!(
        d["range"],
        json!({"start": {"line": line, "character": utf16}, "end": {"line": line, "character": utf16 + 23}})
    );

    // The fix it carries.
    let actions = server
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": URI}, "range": d["range"], "context": {"diagnostics": [d]}}),
        )
        .expect("code actions");
    assert_eq!(actions[0]["kind"], "quickfix");
    let edit = &actions[0]["edit"]["changes"][URI][0];
    assert_eq!(edit["newText"], "interventions_aller_vers");
    assert_eq!(edit["range"], d["range"]);

    // Typing the fix: the diagnostics go.
    let fixed = rulebook();
    server.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"text": fixed}]}),
    );
    let published = server.notification("textDocument/publishDiagnostics");
    assert_eq!(published["diagnostics"], json!([]));
    let text = fixed;

    // Hover on an input and on an indicator, in French.
    let hover = server
        .request("textDocument/hover", at(&text, "actes_fse /", 0))
        .expect("hover");
    assert_eq!(hover["contents"]["kind"], "markdown");
    let words = hover["contents"]["value"].as_str().expect("markdown");
    assert!(words.starts_with("**entrée** `actes_fse`"), "{words}");
    assert!(
        words.contains("nombre entier") && words.contains("Automatisé"),
        "{words}"
    );
    let hover = server
        .request("textDocument/hover", at(&text, "requires socle", 0))
        .expect("hover");
    let words = hover["contents"]["value"].as_str().expect("markdown");
    assert!(
        words.contains("names an indicator or an `all-of` group"),
        "{words}"
    );
    let (line, character, _) = place(&text, "indicator coordination", 0);
    let hover = server
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": URI}, "position": {"line": line, "character": character + 12}}),
        )
        .expect("hover");
    let words = hover["contents"]["value"].as_str().expect("markdown");
    assert!(
        words.starts_with("**indicateur** `coordination` — §1.6"),
        "{words}"
    );
    assert!(words.contains("100,00 €"), "{words}");
    assert!(words.contains("requiert `socle`"), "{words}");
    assert!(words.contains("\n> "), "the first quote: {words}");

    // Definition and references of `socle`.
    let definition = server
        .request(
            "textDocument/definition",
            on(&text, "requires socle", 0, 10),
        )
        .expect("definition");
    let (line, character, _) = place(&text, "socle \"", 0);
    assert_eq!(definition["uri"], URI);
    assert_eq!(
        definition["range"]["start"],
        json!({"line": line, "character": character})
    );
    let socle = position(&text, "socle \"", 0);
    let references = server
        .request(
            "textDocument/references",
            json!({"textDocument": {"uri": URI}, "position": socle, "context": {"includeDeclaration": true}}),
        )
        .expect("references");
    let uses = text.matches("requires socle").count() + 1;
    assert_eq!(
        references.as_array().expect("list").len(),
        uses,
        "{references}"
    );

    // Rename: accepted, and refused with its reason.
    let renamed = server
        .request(
            "textDocument/rename",
            json!({"textDocument": {"uri": URI}, "position": socle, "newName": "prerequis"}),
        )
        .expect("renamed");
    let edits = renamed["changes"][URI].as_array().expect("edits");
    assert_eq!(edits.len(), uses);
    assert!(edits.iter().all(|e| e["newText"] == "prerequis"));
    let refused = server
        .request(
            "textDocument/rename",
            json!({"textDocument": {"uri": URI}, "position": socle, "newName": "coordination"}),
        )
        .expect_err("taken");
    assert!(
        refused["message"]
            .as_str()
            .is_some_and(|m| m.contains("already the name of an indicator")),
        "{refused}"
    );
    let refused = server
        .request(
            "textDocument/rename",
            json!({"textDocument": {"uri": URI}, "position": socle, "newName": "Socle"}),
        )
        .expect_err("invalid");
    assert!(
        refused["message"]
            .as_str()
            .is_some_and(|m| m.contains("not a valid name")),
        "{refused}"
    );

    // Formatting: canonical already, so nothing; a messy layout, one edit of the whole text.
    let formatted = server
        .request(
            "textDocument/formatting",
            json!({"textDocument": {"uri": URI}, "options": {"tabSize": 2, "insertSpaces": true}}),
        )
        .expect("formatted");
    assert_eq!(formatted, json!([]));
    let messy = text.replace("  section \"1.6\"\n", "        section    \"1.6\"\n");
    server.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 3}, "contentChanges": [{"text": messy}]}),
    );
    server.notification("textDocument/publishDiagnostics");
    let formatted = server
        .request(
            "textDocument/formatting",
            json!({"textDocument": {"uri": URI}, "options": {"tabSize": 2, "insertSpaces": true}}),
        )
        .expect("formatted");
    let edits = formatted.as_array().expect("edits");
    assert_eq!(edits.len(), 1);
    assert_eq!(edits[0]["newText"], text.as_str());
    assert_eq!(
        edits[0]["range"]["start"],
        json!({"line": 0, "character": 0})
    );

    // Completion in a condition being typed: the inputs whose names start so.
    let typing = text.replace(
        "met when interventions_aller_vers >= 3",
        "met when interventions_aller_vers >= 3 and reun",
    );
    server.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 4}, "contentChanges": [{"text": typing}]}),
    );
    server.notification("textDocument/publishDiagnostics");
    let (line, character, _) = place(&typing, "and reun", 0);
    let completion = server
        .request(
            "textDocument/completion",
            json!({"textDocument": {"uri": URI}, "position": {"line": line, "character": character + 8}}),
        )
        .expect("completion");
    let labels: Vec<&str> = completion
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["label"].as_str())
        .collect();
    assert_eq!(labels, ["reunions_concertation_par_an"]);
    assert_eq!(
        completion[0]["textEdit"]["range"]["start"],
        json!({"line": line, "character": character + 4})
    );
    // Formatting is refused while the text does not parse... this one does; break it.
    let unparsable = text.replace("met when interventions_aller_vers >= 3", "met when >=");
    server.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 5}, "contentChanges": [{"text": unparsable}]}),
    );
    let published = server.notification("textDocument/publishDiagnostics");
    assert_eq!(
        published["diagnostics"][0]["code"],
        "forfait::parse::syntax"
    );
    let refused = server
        .request(
            "textDocument/formatting",
            json!({"textDocument": {"uri": URI}, "options": {"tabSize": 2, "insertSpaces": true}}),
        )
        .expect_err("refused");
    assert!(refused["message"]
        .as_str()
        .is_some_and(|m| m.contains("syntax errors")));
    server.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 6}, "contentChanges": [{"text": text}]}),
    );
    server.notification("textDocument/publishDiagnostics");

    // The outline: every item, with its label.
    let symbols = server
        .request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": URI}}),
        )
        .expect("symbols");
    let symbols = symbols.as_array().expect("symbols");
    let items = text
        .lines()
        .filter(|l| {
            [
                "rulebook ",
                "input ",
                "list ",
                "indicator ",
                "group ",
                "stated ",
            ]
            .iter()
            .any(|k| l.starts_with(k))
        })
        .count();
    assert_eq!(symbols.len(), items);
    let socle = symbols
        .iter()
        .find(|s| s["name"] == "socle")
        .expect("socle");
    assert_eq!(socle["detail"], "Indicateurs obligatoires (pré-requis)");
    assert_eq!(socle["kind"], 5, "a class");
    let folding = server
        .request(
            "textDocument/foldingRange",
            json!({"textDocument": {"uri": URI}}),
        )
        .expect("folding");
    assert!(folding.as_array().expect("ranges").len() >= items - 2);

    // Colours: `indicator` is a keyword, `socle` after `requires` a group (class).
    let tokens = server
        .request(
            "textDocument/semanticTokens/full",
            json!({"textDocument": {"uri": URI}}),
        )
        .expect("tokens");
    let legend = &capabilities["semanticTokensProvider"]["legend"]["tokenTypes"];
    let data: Vec<u64> = tokens["data"]
        .as_array()
        .expect("data")
        .iter()
        .filter_map(Value::as_u64)
        .collect();
    assert_eq!(data.len() % 5, 0);
    let mut decoded = Vec::new();
    let (mut line, mut character) = (0, 0);
    for t in data.chunks(5) {
        if t[0] > 0 {
            line += t[0];
            character = t[1];
        } else {
            character += t[1];
        }
        decoded.push((line, character, t[2], legend[t[3] as usize].clone()));
    }
    let kind_at = |pattern: &str, nth: usize| {
        let (line, character, _) = place(&text, pattern, nth);
        decoded
            .iter()
            .find(|(l, c, _, _)| *l == line && *c == character)
            .map(|(_, _, length, kind)| (*length, kind.clone()))
    };
    assert_eq!(
        kind_at("indicator coordination", 0),
        Some((9, json!("keyword")))
    );
    let (line, character, _) = place(&text, "requires socle", 0);
    let socle_use = decoded
        .iter()
        .find(|(l, c, _, _)| *l == line && *c == character + 9)
        .map(|(_, _, length, kind)| (*length, kind.clone()));
    assert_eq!(socle_use, Some((5, json!("class"))));
    assert_eq!(kind_at("\"1.6\"", 0).map(|k| k.1), Some(json!("string")));
    assert_eq!(kind_at("# ", 0).map(|k| k.1), Some(json!("comment")));

    // Saving publishes again, from the text saved.
    server.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": URI}, "text": broken()}),
    );
    let published = server.notification("textDocument/publishDiagnostics");
    assert_eq!(
        published["diagnostics"][0]["code"],
        "forfait::check::unknown_name"
    );

    // Closing clears the diagnostics.
    server.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": URI}}),
    );
    let published = server.notification("textDocument/publishDiagnostics");
    assert_eq!(published["diagnostics"], json!([]));

    assert_eq!(server.request("shutdown", Value::Null), Ok(Value::Null));
    assert_eq!(server.exit_code(), Some(0));
}

#[test]
fn diagnostics_speak_the_editors_language() {
    let text = broken();
    let message = |server: &mut Server, params: Value| {
        server.request("initialize", params).expect("initialized");
        server.notify("initialized", json!({}));
        let published = server.open(URI, &text);
        let diagnostic = published["diagnostics"][0].clone();
        assert_eq!(diagnostic["code"], "forfait::check::unknown_name");
        diagnostic["message"]
            .as_str()
            .expect("a message")
            .to_string()
    };
    let english = message(&mut Server::start(), json!({"capabilities": {}}));
    let french = message(
        &mut Server::start(),
        json!({"capabilities": {}, "locale": "fr-FR"}),
    );
    let from_session = message(
        &mut Server::start_in("fr_FR.UTF-8"),
        json!({"capabilities": {}}),
    );
    let editor_wins = message(
        &mut Server::start_in("fr_FR.UTF-8"),
        json!({"capabilities": {}, "locale": "en"}),
    );
    assert!(english.contains("`interventions_aller_ver`"), "{english}");
    assert_ne!(english, french);
    assert!(french.contains("`interventions_aller_ver`"), "{french}");
    assert_eq!(from_session, french);
    assert_eq!(editor_wins, english);
}

#[test]
fn utf8_columns_when_the_editor_offers_them() {
    let mut server = Server::start();
    let init = server.initialize(json!({"general": {"positionEncodings": ["utf-8", "utf-16"]}}));
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-8");
    let text = broken();
    let published = server.open(URI, &text);
    let (line, _, bytes) = place(&text, "interventions_aller_ver ", 0);
    assert_eq!(
        published["diagnostics"][0]["range"]["start"],
        json!({"line": line, "character": bytes})
    );
    assert_eq!(server.request("shutdown", Value::Null), Ok(Value::Null));
    assert_eq!(server.exit_code(), Some(0));
}

#[test]
fn completion_in_a_condition_offers_inputs_then_values() {
    let mut server = Server::start();
    server.initialize(json!({}));
    let text = rulebook().replace(
        "met when interventions_aller_vers >= 3 and lieux_aller_vers != \"\"",
        "met when stage_accueilli = ",
    );
    server.open(URI, &text);
    let (line, character, _) = place(&text, "stage_accueilli = ", 0);
    let completion = server
        .request(
            "textDocument/completion",
            json!({"textDocument": {"uri": URI}, "position": {"line": line, "character": character + 18}}),
        )
        .expect("completion");
    let labels: Vec<&str> = completion
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["label"].as_str())
        .collect();
    assert_eq!(labels, ["aucun", "autre_stage", "stage_actif_6e_annee"]);
    assert_eq!(server.request("shutdown", Value::Null), Ok(Value::Null));
    assert_eq!(server.exit_code(), Some(0));
}

#[test]
fn what_no_editor_should_send_gets_an_error_not_a_crash() {
    let mut server = Server::start();
    // Before `initialize`.
    let error = server
        .request("textDocument/hover", json!({}))
        .expect_err("not initialized");
    assert_eq!(error["code"], -32002);
    server.initialize(json!({}));
    // Not JSON at all, then JSON that is no JSON-RPC message: answered with a null id.
    server.write(&frame("{not json"));
    let error = server.response(Value::Null).expect_err("parse error");
    assert_eq!(error["code"], -32700);
    server.write(&frame("[1, 2, 3]"));
    let error = server.response(Value::Null).expect_err("invalid request");
    assert_eq!(error["code"], -32600);
    // An unknown method, parameters of the wrong shape, a document never opened.
    let error = server
        .request("textDocument/unheardOf", json!({}))
        .expect_err("unknown method");
    assert_eq!(error["code"], -32601);
    let error = server
        .request("textDocument/hover", json!({"position": "here"}))
        .expect_err("bad params");
    assert_eq!(error["code"], -32602);
    let error = server
        .request("textDocument/hover", at("x", "x", 0))
        .expect_err("not open");
    assert_eq!(error["code"], -32602);
    // Positions far out of range, on a text full of multi-byte characters.
    let text = broken();
    server.open(URI, &text);
    for (line, character) in [
        (0, 100_000),
        (100_000, 0),
        (4_000_000_000u64, 4_000_000_000u64),
    ] {
        let position = json!({"line": line, "character": character});
        for method in [
            "textDocument/hover",
            "textDocument/definition",
            "textDocument/completion",
            "textDocument/prepareRename",
        ] {
            let answer = server.request(
                method,
                json!({"textDocument": {"uri": URI}, "position": position}),
            );
            if let Err(e) = &answer {
                assert_eq!(e["code"], -32803, "{method}: {e}");
            }
        }
    }
    // A notification with bad parameters is ignored; the server still answers.
    server.notify("textDocument/didOpen", json!({"textDocument": 3}));
    assert!(server
        .request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": URI}})
        )
        .is_ok());
    // `exit` without `shutdown` ends with status 1, as the protocol says.
    assert_eq!(server.exit_code(), Some(1));
}

/// The grammar's keywords: the string of each `kw_*` rule, `yes/no` and `EUR`.
fn grammar_keywords() -> Vec<String> {
    let grammar = common::read(&common::root().join("grammar/forfait.pest"));
    let mut words: Vec<String> = grammar
        .lines()
        .filter(|l| l.starts_with("kw_"))
        .filter_map(|l| l.split('"').nth(1).map(str::to_string))
        .collect();
    for rule in ["yes_no_type", "currency"] {
        let line = grammar
            .lines()
            .find(|l| l.starts_with(&format!("{rule} =")))
            .expect("the rule");
        words.push(line.split('"').nth(1).expect("its word").to_string());
    }
    words.sort();
    words.dedup();
    words
}

fn editor_file(path: &str) -> Value {
    let text = common::read(&common::root().join("editors/vscode").join(path));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("editors/vscode/{path}: {e}"))
}

/// The words of a TextMate `match` written `\b(?:a|b|c)\b`.
fn alternatives(pattern: &str) -> Vec<String> {
    let inner = pattern
        .strip_prefix("\\b(?:")
        .and_then(|p| p.strip_suffix(")\\b"))
        .unwrap_or_else(|| panic!("not a list of words: {pattern}"));
    inner.split('|').map(str::to_string).collect()
}

#[test]
fn the_vscode_grammar_highlights_exactly_the_grammars_keywords() {
    let grammar = editor_file("syntaxes/forfait.tmLanguage.json");
    let mut words: Vec<String> = grammar["repository"]["keywords"]["patterns"]
        .as_array()
        .expect("keyword patterns")
        .iter()
        .flat_map(|p| alternatives(p["match"].as_str().expect("a match")))
        .collect();
    let count = words.len();
    words.sort();
    words.dedup();
    assert_eq!(count, words.len(), "a keyword is listed twice");
    assert_eq!(words, grammar_keywords());
    // The item keywords that the definition pattern names are keywords too.
    let definition = grammar["repository"]["definition"]["match"]
        .as_str()
        .expect("definition");
    let items = definition
        .strip_prefix("^(")
        .and_then(|d| d.split(')').next())
        .expect("item keywords");
    for item in items.split('|') {
        assert!(words.iter().any(|w| w == item), "{item}");
    }
    // `#` starts a comment, as the grammar's COMMENT rule says.
    let pest = common::read(&common::root().join("grammar/forfait.pest"));
    assert!(pest.contains("COMMENT = { \"#\""));
    assert_eq!(grammar["repository"]["comment"]["match"], "#.*$");
}

#[test]
fn the_vscode_extension_is_declared_for_forfait_files() {
    let package = editor_file("package.json");
    let language = &package["contributes"]["languages"][0];
    assert_eq!(language["id"], "forfait");
    assert_eq!(language["extensions"], json!([".forfait"]));
    let configuration = language["configuration"].as_str().expect("configuration");
    let configuration = editor_file(configuration.trim_start_matches("./"));
    assert_eq!(configuration["comments"]["lineComment"], "#");
    assert_eq!(configuration["brackets"], json!([["(", ")"]]));
    let grammar = &package["contributes"]["grammars"][0];
    assert_eq!(grammar["language"], "forfait");
    let path = grammar["path"]
        .as_str()
        .expect("path")
        .trim_start_matches("./");
    assert_eq!(editor_file(path)["scopeName"], grammar["scopeName"]);
    let main = package["main"]
        .as_str()
        .expect("main")
        .trim_start_matches("./");
    let extension = common::read(&common::root().join("editors/vscode").join(main));
    assert!(extension.contains("args: ['lsp']"));
    assert!(package["dependencies"]["vscode-languageclient"].is_string());
}
