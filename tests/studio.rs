//! `forfait studio` end to end: the binary started on a copy of `rulebooks/`, spoken to
//! in HTTP over a plain TCP connection, as a browser would (and as a hostile page would
//! try to). Every wait has a deadline, so a studio that hangs fails the test instead of
//! hanging CI.

// The helpers below stop the test loudly, like the tests that call them.
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)]

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const DEADLINE: Duration = Duration::from_secs(30);
const DENTISTS: &str = "fami/2024-chirurgiens-dentistes.forfait";

/// A running studio over a copy of `rulebooks/`, killed when the test ends.
struct Studio {
    child: Child,
    port: u16,
    token: String,
    /// The copy it serves (removed with the guard).
    folder: tempfile::TempDir,
}

impl Drop for Studio {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An HTTP answer.
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("a folder");
    for entry in std::fs::read_dir(from).expect("the rulebooks").flatten() {
        let path = entry.path();
        let target = to.join(entry.file_name());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).expect("a copy");
        }
    }
}

impl Studio {
    fn start() -> Studio {
        Studio::start_with(&[])
    }

    /// A studio over a fresh copy of `rulebooks/`, with `args` before the folder.
    fn start_with(args: &[&str]) -> Studio {
        let folder = tempfile::tempdir().expect("a temporary folder");
        copy_dir(&common::root().join("rulebooks"), folder.path());
        let mut child = Command::new(env!("CARGO_BIN_EXE_forfait"))
            .args(["studio", "--no-browser", "--port", "0"])
            .args(args)
            .arg(folder.path())
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env("LANG", "C")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("forfait studio starts");
        let stdout = child.stdout.take().expect("stdout");
        let (send, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if send.send(line).is_err() {
                    return;
                }
            }
        });
        let line = lines
            .recv_timeout(DEADLINE)
            .expect("the studio prints its address");
        let url = &line[line.find("http://").expect("an address")..];
        let rest = url.strip_prefix("http://127.0.0.1:").expect("on 127.0.0.1");
        let (port, token) = rest.split_once("/?token=").expect("a token in the address");
        assert_eq!(token.len(), 32, "{line}");
        assert!(token.bytes().all(|b| b.is_ascii_hexdigit()), "{line}");
        Studio {
            child,
            port: port.parse().expect("a port"),
            token: token.to_string(),
            folder,
        }
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.folder.path().join(relative)
    }

    fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// One request on its own connection; `headers` replace the default ones of the same
    /// name (`Host`, the token).
    fn send(&self, method: &str, target: &str, headers: &[(&str, &str)], body: &[u8]) -> Answer {
        let mut stream =
            TcpStream::connect(("127.0.0.1", self.port)).expect("the studio accepts connections");
        stream.set_read_timeout(Some(DEADLINE)).expect("a timeout");
        stream.set_write_timeout(Some(DEADLINE)).expect("a timeout");
        let host = self.host();
        let mut all: Vec<(&str, &str)> = vec![("Host", host.as_str())];
        if target.starts_with("/api/") {
            all.push(("X-Forfait-Token", self.token.as_str()));
        }
        for (name, value) in headers {
            all.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
            if !value.is_empty() {
                all.push((name, value));
            }
        }
        let mut head = format!("{method} {target} HTTP/1.1\r\nConnection: close\r\n");
        for (name, value) in all {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        if method == "POST" || method == "PUT" {
            head.push_str(&format!("Content-Length: {}\r\n", body.len()));
        }
        head.push_str("\r\n");
        stream
            .write_all(head.as_bytes())
            .expect("the request is sent");
        // A studio that refuses a body may close before reading it all.
        let _ = stream.write_all(body);
        let mut raw = Vec::new();
        let started = Instant::now();
        let mut buffer = [0u8; 65536];
        loop {
            match stream.read(&mut buffer) {
                Ok(0) => break,
                Ok(n) => raw.extend_from_slice(&buffer[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset && !raw.is_empty() => {
                    break
                }
                Err(e) => panic!("no answer to {method} {target}: {e}"),
            }
            assert!(started.elapsed() < DEADLINE, "{method} {target} hangs");
        }
        let split = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("headers, then a body");
        let head = String::from_utf8(raw[..split].to_vec()).expect("headers in ASCII");
        let mut body = raw[split + 4..].to_vec();
        if head
            .to_ascii_lowercase()
            .contains("transfer-encoding: chunked")
        {
            body = dechunk(&body);
        }
        let body = String::from_utf8(body).expect("an answer in UTF-8");
        let mut lines = head.split("\r\n");
        let status = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|s| s.parse().ok())
            .expect("a status line");
        let headers = lines
            .filter_map(|l| l.split_once(": "))
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect();
        Answer {
            status,
            headers,
            body: body.to_string(),
        }
    }

    fn get(&self, target: &str) -> Answer {
        self.send("GET", target, &[], b"")
    }

    fn post(&self, route: &str, body: &Value) -> Answer {
        self.json_request("POST", route, body)
    }

    fn json_request(&self, method: &str, route: &str, body: &Value) -> Answer {
        self.send(
            method,
            &format!("/api/{route}"),
            &[("Content-Type", "application/json")],
            body.to_string().as_bytes(),
        )
    }

    fn dentists(&self) -> String {
        std::fs::read_to_string(self.path(DENTISTS)).expect("the dentists' rulebook")
    }
}

/// A body sent in chunks (as large answers are), put together.
fn dechunk(mut chunked: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    loop {
        let line = chunked
            .windows(2)
            .position(|w| w == b"\r\n")
            .expect("a chunk's size");
        let size = std::str::from_utf8(&chunked[..line]).expect("a size in ASCII");
        let size = usize::from_str_radix(size.split(';').next().unwrap_or("").trim(), 16)
            .expect("a hexadecimal size");
        chunked = &chunked[line + 2..];
        if size == 0 {
            return body;
        }
        body.extend_from_slice(&chunked[..size]);
        chunked = &chunked[size + 2..];
    }
}

/// The UTF-16 offset of byte `offset` of `text`, as a browser counts.
fn utf16(text: &str, offset: usize) -> usize {
    text[..offset].encode_utf16().count()
}

#[test]
fn the_page_and_its_files_are_served_with_the_token() {
    let studio = Studio::start();
    let page = studio.get(&format!("/?token={}", studio.token));
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains(&format!(
        "<meta name=\"forfait-token\" content=\"{}\">",
        studio.token
    )));
    assert!(!page.body.contains("{{TOKEN}}"));
    assert_eq!(
        page.header("Content-Security-Policy"),
        Some("default-src 'self'; style-src 'self' 'unsafe-inline'")
    );
    assert_eq!(page.header("X-Content-Type-Options"), Some("nosniff"));
    assert_eq!(page.header("Cache-Control"), Some("no-store"));
    assert!(page
        .header("Content-Type")
        .is_some_and(|t| t.starts_with("text/html")));
    let script = studio.get("/app.js");
    assert_eq!(script.status, 200);
    assert!(script
        .header("Content-Type")
        .is_some_and(|t| t.starts_with("text/javascript")));
    let style = studio.get("/app.css");
    assert_eq!(style.status, 200);
    assert!(style
        .header("Content-Type")
        .is_some_and(|t| t.starts_with("text/css")));
    assert_eq!(studio.get("/nothing").status, 404);
}

#[test]
fn rulebooks_are_listed_with_their_state() {
    let studio = Studio::start();
    let broken = studio.dentists().replace("indicator socle_bis", "x");
    std::fs::write(
        studio.path("fami/2023-casse.forfait"),
        broken.replace(
            "met when actes_fse / actes_total",
            "met when actes_fse / actes_totl",
        ),
    )
    .unwrap();
    let list = studio.get("/api/rulebooks");
    assert_eq!(list.status, 200, "{}", list.body);
    let list = list.json();
    let rulebooks = list["rulebooks"].as_array().expect("a list");
    let paths: Vec<&str> = rulebooks
        .iter()
        .map(|r| r["path"].as_str().expect("a path"))
        .collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);
    assert_eq!(paths.len(), 6, "{paths:?}");
    let dentists = rulebooks
        .iter()
        .find(|r| r["path"] == DENTISTS)
        .expect("the 2024 dentists");
    assert_eq!(dentists["scheme"], "FAMI");
    assert_eq!(dentists["exercice"], 2024);
    assert_eq!(dentists["state"], "clean");
    assert_eq!(dentists["errors"], 0);
    assert_eq!(dentists["examples"], 40);
    assert!(dentists["title"]
        .as_str()
        .is_some_and(|t| t.contains("chirurgiens-dentistes")));
    let broken = rulebooks
        .iter()
        .find(|r| r["path"] == "fami/2023-casse.forfait")
        .expect("the broken copy");
    assert_eq!(broken["state"], "errors");
    // The misspelt name, and the year of its name that is not its exercice.
    assert!(
        broken["errors"].as_u64().is_some_and(|n| n >= 1),
        "{broken}"
    );
}

#[test]
fn a_rulebook_is_read() {
    let studio = Studio::start();
    let file = studio.get(&format!("/api/file?path={}", DENTISTS.replace('/', "%2F")));
    assert_eq!(file.status, 200, "{}", file.body);
    let file = file.json();
    assert_eq!(file["path"], DENTISTS);
    assert_eq!(file["text"], studio.dentists());
    assert_eq!(studio.get("/api/file?path=fami/absent.forfait").status, 404);
}

#[test]
fn analyse_finds_a_misspelt_name_and_its_fix() {
    let studio = Studio::start();
    let text = studio.dentists();
    let broken = text.replace("actes_fse / actes_total", "actes_fse / actes_totl");
    let answer = studio.post("analyse", &json!({ "text": broken, "path": DENTISTS }));
    assert_eq!(answer.status, 200, "{}", answer.body);
    let analysis = answer.json();
    assert_eq!(analysis["checks"], false);
    assert!(analysis["inputs"].is_null());
    let diagnostic = analysis["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .find(|d| d["code"] == "forfait::check::unknown_name")
        .expect("the unknown name");
    assert_eq!(diagnostic["severity"], "error");
    // In French, the page's language.
    assert!(
        diagnostic["message"]
            .as_str()
            .is_some_and(|m| m.contains("inconnue")),
        "{diagnostic}"
    );
    let start = broken.find("actes_totl").expect("the slip");
    assert_eq!(diagnostic["start"], start);
    assert_eq!(diagnostic["start16"], utf16(&broken, start));
    assert_ne!(
        diagnostic["start16"], diagnostic["start"],
        "accents before it"
    );
    let line = broken[..start].lines().count();
    assert_eq!(diagnostic["line"], line);
    let fix = &diagnostic["fixes"][0];
    assert!(fix["title"]
        .as_str()
        .is_some_and(|t| t.contains("actes_total")));
    let edit = &fix["edits"][0];
    assert_eq!(edit["text"], "actes_total");
    // The fix applied as the page applies it, in UTF-16 units, gives the rulebook back.
    let units: Vec<u16> = broken.encode_utf16().collect();
    let (s, e) = (
        edit["start16"].as_u64().unwrap() as usize,
        edit["end16"].as_u64().unwrap() as usize,
    );
    let mut fixed: Vec<u16> = units[..s].to_vec();
    fixed.extend("actes_total".encode_utf16());
    fixed.extend_from_slice(&units[e..]);
    assert_eq!(String::from_utf16(&fixed).unwrap(), text);

    let clean = studio
        .post("analyse", &json!({ "text": text, "path": DENTISTS }))
        .json();
    assert_eq!(clean["checks"], true);
    assert_eq!(clean["diagnostics"], json!([]));
    let inputs = clean["inputs"].as_array().expect("the form");
    assert_eq!(inputs[0]["name"], "profession");
    let actes = inputs
        .iter()
        .find(|i| i["name"] == "actes_fse")
        .expect("actes_fse");
    assert_eq!(actes["type"], "count");
    assert_eq!(actes["required"], true);
    assert_eq!(actes["source"], "Automatisé");
    let messagerie = inputs
        .iter()
        .find(|i| i["name"] == "type_messagerie")
        .expect("type_messagerie");
    assert_eq!(messagerie["type"], "choice");
    assert_eq!(messagerie["default"], "aucune");
    assert!(messagerie["choices"][0]["label"]
        .as_str()
        .is_some_and(|l| l.contains("MSSanté")));
    let tokens = clean["tokens"].as_array().expect("tokens");
    let kind_at = |word: &str| {
        let at = text.find(word).expect("the word");
        tokens
            .iter()
            .find(|t| t["start"] == at)
            .map(|t| t["kind"].as_str().unwrap_or_default().to_string())
    };
    assert_eq!(kind_at("indicator ").as_deref(), Some("keyword"));
    assert_eq!(kind_at("teletransmission \"").as_deref(), Some("indicator"));
    assert_eq!(kind_at("# FAMI").as_deref(), Some("comment"));
    assert!(tokens
        .iter()
        .all(|t| t["start16"].as_u64() <= t["end16"].as_u64()));
    let symbols = clean["symbols"].as_array().expect("symbols");
    assert!(symbols
        .iter()
        .any(|s| s["name"] == "teletransmission" && s["kind"] == "indicator"));
}

#[test]
fn completion_and_hover_read_utf16_offsets() {
    let studio = Studio::start();
    let text = studio.dentists();
    let at = text.find("actes_fse / actes_total >=").expect("the rate");
    let typed = at + "actes_f".len();
    let complete = studio
        .post(
            "complete",
            &json!({ "text": text, "offset16": utf16(&text, typed) }),
        )
        .json();
    let items = complete["items"].as_array().expect("items");
    assert!(
        items
            .iter()
            .any(|i| i["label"] == "actes_fse" && i["insert"] == "actes_fse"),
        "{complete}"
    );
    assert_eq!(complete["start16"], utf16(&text, at));
    let hover = studio
        .post(
            "hover",
            &json!({ "text": text, "offset16": utf16(&text, at) + 2 }),
        )
        .json();
    let markdown = hover["markdown"].as_str().expect("a hover");
    assert!(markdown.contains("actes_fse"), "{markdown}");
    let nothing = studio
        .post("hover", &json!({ "text": text, "offset16": 0 }))
        .json();
    assert!(nothing["markdown"].is_null(), "{nothing}");
}

#[test]
fn format_gives_the_canonical_layout_or_refuses() {
    let studio = Studio::start();
    let text = studio.dentists();
    let messy = text.replace("  section \"1.4\"", "      section   \"1.4\"");
    assert_ne!(messy, text);
    let formatted = studio.post("format", &json!({ "text": messy }));
    assert_eq!(formatted.status, 200, "{}", formatted.body);
    assert_eq!(formatted.json()["text"], text);
    let refused = studio.post("format", &json!({ "text": "rulebook" }));
    assert_eq!(refused.status, 400);
    assert!(refused.json()["error"].is_string());
}

/// `expected.csv`'s rows: example and expected total.
fn expected_totals(studio: &Studio) -> Vec<(String, String)> {
    let csv = std::fs::read_to_string(
        studio.path("fami/2024-chirurgiens-dentistes.examples/expected.csv"),
    )
    .unwrap();
    csv.lines()
        .skip(1)
        .map(|l| {
            let mut cells = l.split(',');
            (
                cells.next().unwrap().to_string(),
                cells.next().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn simulate_pays_each_example_its_expected_total() {
    let studio = Studio::start();
    let text = studio.dentists();
    let totals = expected_totals(&studio);
    assert_eq!(totals.len(), 40);
    for (example, total) in totals {
        let file = studio.path(&format!(
            "fami/2024-chirurgiens-dentistes.examples/{example}.json"
        ));
        let declaration: Value =
            serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
        let answer = studio.post(
            "simulate",
            &json!({ "text": text, "path": DENTISTS, "declaration": declaration }),
        );
        assert_eq!(answer.status, 200, "{example}: {}", answer.body);
        let simulation = answer.json();
        let outcome = &simulation["outcome"];
        if total == "error" {
            assert_eq!(outcome["status"], "rejected", "{example}");
            assert!(simulation["tree"].is_null());
        } else {
            assert_eq!(outcome["status"], "evaluated", "{example}");
            assert_eq!(outcome["total"]["euros"], total.as_str(), "{example}");
            assert!(simulation["statement"]
                .as_str()
                .is_some_and(|s| s.starts_with(&format!("Déclaration {example} : "))));
            assert!(simulation["tree"].as_array().is_some_and(|t| !t.is_empty()));
        }
    }
}

#[test]
fn simulate_reads_a_form_as_typed() {
    let studio = Studio::start();
    let text = studio.dentists();
    // Every value a text, as a form's fields give them; blank fields are not given.
    let form = json!({
        "equipement_dmp": "logiciel_compatible",
        "flux_dmp": "12",
        "cdc_sesam_vitale": "oui",
        "horaires_annuaire": "oui",
        "actes_fse": "1 800",
        "actes_total": "2000",
        "type_messagerie": "mssante_personnelle",
        "dispositif_coordination": "msp",
        "interventions_aller_vers": "",
    });
    let simulation = studio
        .post(
            "simulate",
            &json!({ "text": text, "path": DENTISTS, "declaration": form }),
        )
        .json();
    assert_eq!(
        simulation["outcome"]["total"]["euros"], "590.00",
        "{simulation}"
    );
    let what_if = simulation["what_if"].as_array().expect("what if");
    let aller_vers = what_if
        .iter()
        .find(|w| w["indicator"] == "aller_vers")
        .expect("declaring « aller vers »");
    assert_eq!(aller_vers["total_if_met"], "890.00");
    assert_eq!(aller_vers["more"], "300.00");
    assert!(aller_vers["text"]
        .as_str()
        .is_some_and(|t| t.contains("rapporterait 300,00")));
    let tree = simulation["tree"].to_string();
    assert!(tree.contains("§1.4"), "the guide's sections: {tree}");
    assert!(simulation["inputs"][0]["name"] == "profession");
    // A value no reader takes is a rejection that says so, not an error of the studio.
    let wrong = studio
        .post(
            "simulate",
            &json!({ "text": text, "declaration": { "actes_fse": "beaucoup" } }),
        )
        .json();
    assert_eq!(wrong["outcome"]["status"], "rejected");
    assert!(wrong["statement"]
        .as_str()
        .is_some_and(|s| s.contains("actes_fse")));
    let broken = studio.post(
        "simulate",
        &json!({ "text": "rulebook", "declaration": {} }),
    );
    assert_eq!(broken.status, 400);
}

#[test]
fn examples_turn_red_when_the_threshold_moves() {
    let studio = Studio::start();
    let text = studio.dentists();
    let green = studio
        .post("examples", &json!({ "path": DENTISTS, "text": text }))
        .json();
    assert_eq!(green["passed"], 40, "{green}");
    assert_eq!(green["failed"], 0);
    assert!(green["coverage"]["items"].as_u64().is_some_and(|n| n > 0));
    let moved = text.replace(">= 70 %", ">= 75 %");
    assert_ne!(moved, text);
    let red = studio
        .post("examples", &json!({ "path": DENTISTS, "text": moved }))
        .json();
    assert_eq!(red["failed"], 1, "{red}");
    let case = red["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .find(|c| c["name"] == "teletransmission-700-sur-1000")
        .expect("the case");
    assert_eq!(case["passed"], false);
    assert_eq!(case["expected_total"], "490.00");
    assert_eq!(case["actual_total"], "0.00");
    let status = case["statuses"]
        .as_array()
        .expect("statuses")
        .iter()
        .find(|s| s["indicator"] == "teletransmission")
        .expect("teletransmission");
    assert_eq!(status["expected"], "met");
    assert_eq!(status["actual"], "not_met");
    assert_eq!(status["ok"], false);
    assert!(case["failures"].as_array().is_some_and(|f| f
        .iter()
        .any(|f| f.as_str().is_some_and(|f| f.contains("attendu")))));
    // The saved file is not what was run.
    assert_eq!(studio.dentists(), text);

    std::fs::write(studio.path("fami/2024-seul.forfait"), &text).unwrap();
    let none = studio
        .post(
            "examples",
            &json!({ "path": "fami/2024-seul.forfait", "text": text }),
        )
        .json();
    assert_eq!(none["cases"], json!([]), "{none}");
}

#[test]
fn examples_read_expected_csv_as_french_excel_saves_it() {
    let studio = Studio::start();
    let csv = studio.path("fami/2024-chirurgiens-dentistes.examples/expected.csv");
    // `;`, decimal commas, a no-break space in the thousands, French statuses, CRLF and
    // Windows-1252 bytes, as `forfait test` reads them.
    let excel: String = std::fs::read_to_string(&csv)
        .unwrap()
        .lines()
        .map(|l| {
            let l = l
                .replace(',', ";")
                .replace(".00;", ",00;")
                .replace("1240,00", "\"1\u{a0}240,00\"")
                .replace(";not_met", ";non atteint")
                .replace(";met", ";atteint")
                .replace(";error", ";erreur");
            format!("{l}\r\n")
        })
        .collect();
    assert!(
        excel.contains("maximum;\"1\u{a0}240,00\";;atteint;"),
        "{excel}"
    );
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&excel);
    std::fs::write(&csv, &bytes).unwrap();
    let text = studio.dentists();
    let run = studio
        .post("examples", &json!({ "path": DENTISTS, "text": text }))
        .json();
    assert_eq!(run["passed"], 40, "{run}");
    assert_eq!(run["failed"], 0, "{run}");
}

#[test]
fn save_writes_the_canonical_text_atomically() {
    let studio = Studio::start();
    let text = studio.dentists();
    let messy = text.replace("  section \"1.4\"", "      section   \"1.4\"");
    std::fs::write(studio.path(DENTISTS), &messy).unwrap();
    let saved = studio.json_request("PUT", "file", &json!({ "path": DENTISTS, "text": messy }));
    assert_eq!(saved.status, 200, "{}", saved.body);
    assert_eq!(saved.json()["text"], text);
    assert_eq!(studio.dentists(), text, "written in the canonical layout");
    let leftovers: Vec<String> = std::fs::read_dir(studio.path("fami"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.') || n.ends_with(".partial"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    let refused = studio.json_request(
        "PUT",
        "file",
        &json!({ "path": DENTISTS, "text": "rulebook cassé" }),
    );
    assert_eq!(refused.status, 400);
    assert_eq!(studio.dentists(), text, "nothing written");

    let created = studio.json_request(
        "PUT",
        "file",
        &json!({ "path": "fami/2024-nouveau.forfait", "text": text }),
    );
    assert_eq!(created.status, 200, "{}", created.body);
    assert_eq!(
        std::fs::read_to_string(studio.path("fami/2024-nouveau.forfait")).unwrap(),
        text
    );
    let not_a_rulebook = studio.json_request(
        "PUT",
        "file",
        &json!({ "path": "fami/notes.txt", "text": text }),
    );
    assert_eq!(not_a_rulebook.status, 400);
    assert!(!studio.path("fami/notes.txt").exists());
}

#[test]
fn examples_are_read_and_saved() {
    let studio = Studio::start();
    let example = studio.get(&format!("/api/example?path={DENTISTS}&name=socle-seul"));
    assert_eq!(example.status, 200, "{}", example.body);
    let on_disk = std::fs::read_to_string(
        studio.path("fami/2024-chirurgiens-dentistes.examples/socle-seul.json"),
    )
    .unwrap();
    assert_eq!(
        example.json(),
        serde_json::from_str::<Value>(&on_disk).unwrap()
    );
    let declaration = json!({ "actes_fse": "700", "actes_total": 1000, "vide": "" });
    let saved = studio.post(
        "example/save",
        &json!({ "path": DENTISTS, "name": "nouveau-cas", "declaration": declaration }),
    );
    assert_eq!(saved.status, 200, "{}", saved.body);
    let written = std::fs::read_to_string(
        studio.path("fami/2024-chirurgiens-dentistes.examples/nouveau-cas.json"),
    )
    .unwrap();
    assert_eq!(
        written,
        "{\n  \"id\": \"nouveau-cas\",\n  \"actes_fse\": \"700\",\n  \"actes_total\": 1000\n}\n"
    );
    let again = studio.post(
        "example/save",
        &json!({ "path": DENTISTS, "name": "nouveau-cas", "declaration": {} }),
    );
    assert_eq!(again.status, 409, "no overwriting unasked");
    let overwritten = studio.post(
        "example/save",
        &json!({ "path": DENTISTS, "name": "nouveau-cas", "declaration": {}, "overwrite": true }),
    );
    assert_eq!(overwritten.status, 200);
    for name in ["../x", "Majuscule", "a b", ""] {
        let refused = studio.post(
            "example/save",
            &json!({ "path": DENTISTS, "name": name, "declaration": {} }),
        );
        assert_eq!(refused.status, 400, "{name}");
    }
}

#[test]
fn the_page_is_the_documentation_page() {
    let studio = Studio::start();
    let page = studio.post("page", &json!({ "text": studio.dentists() }));
    assert_eq!(page.status, 200, "{}", page.body);
    let html = page.json()["html"].as_str().unwrap_or_default().to_string();
    assert!(html.contains("<html lang=\"fr\">"));
    assert!(html.contains("teletransmission") || html.contains("télétransmission"));
    let broken = studio.post("page", &json!({ "text": "rulebook" }));
    assert_eq!(broken.status, 400);
}

#[test]
fn compare_against_2022_lists_the_new_indicators() {
    let studio = Studio::start();
    let text = studio.dentists();
    let answer = studio.post(
        "compare",
        &json!({
            "path": DENTISTS,
            "text": text,
            "against": { "path": "fami/2022-chirurgiens-dentistes.forfait" },
        }),
    );
    assert_eq!(answer.status, 200, "{}", answer.body);
    let compared = answer.json();
    let markdown = compared["changelog_markdown"].as_str().expect("markdown");
    assert!(markdown.contains("### Indicateurs ajoutés"), "{markdown}");
    assert!(markdown.contains("« aller_vers » ajouté"));
    assert!(markdown.contains("« accueil_stagiaire » ajouté"));
    let html = compared["changelog_html"].as_str().expect("html");
    assert!(html.contains("<h3>Indicateurs ajoutés</h3>"), "{html}");
    assert_eq!(compared["impact"]["summary"]["declarations"], 40);

    let batch = studio.post(
        "compare",
        &json!({
            "path": DENTISTS,
            "text": text,
            "against": { "path": "fami/2022-chirurgiens-dentistes.forfait" },
            "batch": "situations/chirurgiens-dentistes.json",
        }),
    );
    assert_eq!(batch.status, 200, "{}", batch.body);
    assert_eq!(
        batch.json()["impact"]["files"],
        json!(["situations/chirurgiens-dentistes.json"])
    );
}

#[test]
fn compare_against_the_last_commit() {
    let studio = Studio::start();
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .current_dir(studio.folder.path())
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.org")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.org")
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false)
    };
    if !git(&["init", "-q"]) {
        eprintln!("no git here: the comparison with a commit is not tested");
        return;
    }
    assert!(git(&["add", "-A"]) && git(&["commit", "-q", "-m", "rulebooks"]));
    let moved = studio.dentists().replace(">= 70 %", ">= 75 %");
    let answer = studio.post(
        "compare",
        &json!({ "path": DENTISTS, "text": moved, "against": { "git": "HEAD" } }),
    );
    assert_eq!(answer.status, 200, "{}", answer.body);
    let markdown = answer.json()["changelog_markdown"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(markdown.contains("70\u{a0}% → 75\u{a0}%"), "{markdown}");
    for revision in ["--output=/tmp/x", "HEAD:x", "a..b", "nope"] {
        let refused = studio.post(
            "compare",
            &json!({ "path": DENTISTS, "text": moved, "against": { "git": revision } }),
        );
        assert_eq!(refused.status, 400, "{revision}: {}", refused.body);
    }
}

#[test]
fn a_request_for_another_host_is_refused() {
    let studio = Studio::start();
    let page = format!("/?token={}", studio.token);
    for host in [
        format!("evil.example:{}", studio.port),
        "127.0.0.1".to_string(),
        format!("127.0.0.1:{}", studio.port + 1),
        String::new(),
    ] {
        let api = studio.send("GET", "/api/rulebooks", &[("Host", &host)], b"");
        assert_eq!(api.status, 403, "{host}");
        assert!(api.json()["error"].is_string());
        assert_eq!(
            studio.send("GET", &page, &[("Host", &host)], b"").status,
            403,
            "{host}"
        );
    }
    let localhost = format!("localhost:{}", studio.port);
    let ok = studio.send("GET", "/api/rulebooks", &[("Host", &localhost)], b"");
    assert_eq!(ok.status, 200);
    let other_site = studio.send(
        "POST",
        "/api/format",
        &[
            ("Origin", "http://evil.example"),
            ("Content-Type", "application/json"),
        ],
        br#"{"text": "rulebook"}"#,
    );
    assert_eq!(other_site.status, 403);
}

#[test]
fn a_request_without_the_token_is_refused() {
    let studio = Studio::start();
    let wrong = "0".repeat(32);
    assert_eq!(studio.get("/").status, 403);
    assert_eq!(studio.get(&format!("/?token={wrong}")).status, 403);
    for token in ["", wrong.as_str(), &studio.token[..31]] {
        let answer = studio.send("GET", "/api/rulebooks", &[("X-Forfait-Token", token)], b"");
        assert_eq!(answer.status, 403, "{token:?}");
        let posted = studio.send(
            "POST",
            "/api/format",
            &[
                ("X-Forfait-Token", token),
                ("Content-Type", "application/json"),
            ],
            br#"{"text": "x"}"#,
        );
        assert_eq!(posted.status, 403, "{token:?}");
    }
    // The token in the address is not enough for the API.
    let in_query = studio.send(
        "GET",
        &format!("/api/rulebooks?token={}", studio.token),
        &[("X-Forfait-Token", "")],
        b"",
    );
    assert_eq!(in_query.status, 403);
}

#[test]
fn paths_outside_the_folder_are_refused() {
    let studio = Studio::start();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.forfait"), studio.dentists()).unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(outside.path(), studio.path("dehors")).unwrap();
        std::os::unix::fs::symlink(
            outside.path().join("secret.forfait"),
            studio.path("fami/lien.forfait"),
        )
        .unwrap();
    }
    let secret = outside.path().join("secret.forfait");
    let absolute = secret.to_string_lossy().into_owned();
    let mut refused = vec![
        "../secret.forfait".to_string(),
        "fami/../../secret.forfait".to_string(),
        absolute.clone(),
    ];
    if cfg!(unix) {
        refused.extend([
            "dehors/secret.forfait".to_string(),
            "dehors/absent.forfait".to_string(),
            "fami/lien.forfait".to_string(),
        ]);
    }
    for path in &refused {
        let read = studio.get(&format!("/api/file?path={path}"));
        assert_eq!(read.status, 400, "{path}: {}", read.body);
        assert!(read.json()["error"].is_string());
        let written = studio.json_request(
            "PUT",
            "file",
            &json!({ "path": path, "text": studio.dentists() }),
        );
        assert_eq!(written.status, 400, "{path}: {}", written.body);
        let example = studio.post(
            "example/save",
            &json!({ "path": path, "name": "x", "declaration": {} }),
        );
        assert_eq!(example.status, 400, "{path}: {}", example.body);
    }
    if cfg!(unix) {
        let new = studio.json_request(
            "PUT",
            "file",
            &json!({ "path": "dehors/nouveau.forfait", "text": studio.dentists() }),
        );
        assert_eq!(new.status, 400);
        assert!(!outside.path().join("nouveau.forfait").exists());
    }
    let files: Vec<_> = std::fs::read_dir(outside.path())
        .unwrap()
        .flatten()
        .collect();
    assert_eq!(files.len(), 1, "nothing written outside");
    assert_eq!(
        std::fs::read_to_string(&secret).unwrap(),
        studio.dentists(),
        "the file outside is untouched"
    );
    let compare = studio.post(
        "compare",
        &json!({
            "path": DENTISTS,
            "text": studio.dentists(),
            "against": { "path": absolute },
        }),
    );
    assert_eq!(compare.status, 400);
}

#[test]
fn requests_too_large_or_not_json_are_refused() {
    let studio = Studio::start();
    let huge = format!("{{\"text\": \"{}\"}}", "a".repeat(2 * 1024 * 1024 + 1));
    let answer = studio.send(
        "POST",
        "/api/format",
        &[("Content-Type", "application/json")],
        huge.as_bytes(),
    );
    assert_eq!(answer.status, 413);
    for content_type in ["text/plain", "application/x-www-form-urlencoded", ""] {
        let answer = studio.send(
            "POST",
            "/api/format",
            &[("Content-Type", content_type)],
            br#"{"text": "rulebook"}"#,
        );
        assert_eq!(answer.status, 415, "{content_type:?}");
    }
    let long = format!("/api/file?path={}", "a".repeat(10_000));
    assert_eq!(studio.get(&long).status, 414);
    let not_json = studio.send(
        "POST",
        "/api/format",
        &[("Content-Type", "application/json")],
        b"{not json",
    );
    assert_eq!(not_json.status, 400);
    assert_eq!(studio.get("/api/nothing").status, 404);
    assert_eq!(studio.send("DELETE", "/api/file", &[], b"").status, 405);
    // The studio goes on answering.
    assert_eq!(studio.get("/api/rulebooks").status, 200);
}

#[test]
fn english_when_asked() {
    let studio = Studio::start_with(&["--lang", "en"]);
    let refused = studio.post("format", &json!({ "text": "rulebook" }));
    assert!(refused.json()["error"]
        .as_str()
        .is_some_and(|e| e.contains("syntax errors")));
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_the_studio() {
    let mut studio = Studio::start();
    assert_eq!(studio.get("/api/rulebooks").status, 200);
    let pid = studio.child.id().to_string();
    let sent = Command::new("kill").args(["-INT", &pid]).status();
    assert!(sent.is_ok_and(|s| s.success()));
    let started = Instant::now();
    loop {
        if let Some(status) = studio.child.try_wait().unwrap() {
            assert_eq!(status.code(), Some(0));
            break;
        }
        assert!(started.elapsed() < DEADLINE, "the studio does not stop");
        std::thread::sleep(Duration::from_millis(50));
    }
}
