//! The HTTP client of `tests/serve.rs`: the service started as a child process on a free
//! loopback port, one request per connection, answers read whole within a deadline.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

use super::common;

pub const DEADLINE: Duration = Duration::from_secs(30);
/// How long a reload may take to show: the folder is read every second.
pub const RELOAD: Duration = Duration::from_secs(15);
pub const DENTISTS: &str = "fami_2024_chirurgiens_dentistes";
pub const DENTISTS_FILE: &str = "fami/2024-chirurgiens-dentistes.forfait";

/// A running service over a copy of `rulebooks/`, killed when the test ends.
pub struct Server {
    pub child: Child,
    pub port: u16,
    pub folder: tempfile::TempDir,
    pub stderr: Arc<Mutex<Vec<String>>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The code of a JSON error answer.
    pub fn code(&self) -> String {
        self.json()["error"]["code"]
            .as_str()
            .unwrap_or_else(|| panic!("an error answer: {}", self.body))
            .to_string()
    }
}

pub fn copy_dir(from: &Path, to: &Path) {
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

pub fn forfait() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_forfait"));
    command
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "C");
    command
}

impl Server {
    pub fn start(args: &[&str]) -> Server {
        let folder = tempfile::tempdir().expect("a temporary folder");
        copy_dir(&common::root().join("rulebooks"), folder.path());
        Server::start_on(folder, args)
    }

    /// The service over `folder`, on a free port, with `args`.
    pub fn start_on(folder: tempfile::TempDir, args: &[&str]) -> Server {
        let mut child = forfait()
            .arg("serve")
            .arg(folder.path())
            .args(["--addr", "127.0.0.1:0"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("forfait serve starts");
        let stderr = Arc::new(Mutex::new(Vec::new()));
        let collected = Arc::clone(&stderr);
        let err = child.stderr.take().expect("stderr");
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                collected.lock().unwrap().push(line);
            }
        });
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
            .expect("the service prints its address");
        let rest = &line[line.find("http://127.0.0.1:").expect("an address") + 17..];
        let port = rest
            .split(|c: char| !c.is_ascii_digit())
            .next()
            .and_then(|p| p.parse().ok())
            .expect("a port");
        Server {
            child,
            port,
            folder,
            stderr,
        }
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.folder.path().join(relative)
    }

    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().join("\n")
    }

    /// One request on its own connection.
    pub fn send(
        &self,
        method: &str,
        target: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Answer {
        let mut stream = self.connect();
        let mut head =
            format!("{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        if method == "POST" {
            head.push_str(&format!("Content-Length: {}\r\n", body.len()));
        }
        head.push_str("\r\n");
        stream
            .write_all(head.as_bytes())
            .expect("the request is sent");
        // A service that refuses a body may answer before reading it all.
        let _ = stream.write_all(body);
        read_answer(&mut stream, &format!("{method} {target}"))
    }

    pub fn connect(&self) -> TcpStream {
        let stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connections accepted");
        stream.set_read_timeout(Some(DEADLINE)).expect("a timeout");
        stream.set_write_timeout(Some(DEADLINE)).expect("a timeout");
        stream
    }

    pub fn get(&self, target: &str) -> Answer {
        self.send("GET", target, &[], b"")
    }

    pub fn post_json(&self, target: &str, body: &str) -> Answer {
        self.send(
            "POST",
            target,
            &[("Content-Type", "application/json")],
            body.as_bytes(),
        )
    }

    pub fn evaluate(&self, rulebook: &str, body: &str) -> Answer {
        self.post_json(&format!("/v1/rulebooks/{rulebook}/evaluate"), body)
    }

    /// The listing's entry of a file.
    pub fn listed(&self, path: &str) -> Option<Value> {
        let list = self.get("/v1/rulebooks").json();
        list["rulebooks"]
            .as_array()
            .expect("a list")
            .iter()
            .find(|r| r["path"] == path)
            .cloned()
    }

    /// Waits until the listing's entry of `path` satisfies `ready` (or is gone: `None`).
    pub fn wait_for(&self, path: &str, ready: impl Fn(Option<&Value>) -> bool) -> Option<Value> {
        let started = Instant::now();
        loop {
            let entry = self.listed(path);
            if ready(entry.as_ref()) {
                return entry;
            }
            assert!(
                started.elapsed() < RELOAD,
                "{path} never changed as expected; last: {entry:?}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

pub fn read_answer(stream: &mut TcpStream, what: &str) -> Answer {
    let mut raw = Vec::new();
    let started = Instant::now();
    let mut buffer = [0u8; 65536];
    loop {
        match stream.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => raw.extend_from_slice(&buffer[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset && !raw.is_empty() => break,
            Err(e) => panic!("no answer to {what}: {e}"),
        }
        assert!(started.elapsed() < DEADLINE, "{what} hangs");
    }
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("headers, then a body, for {what}"));
    let head = String::from_utf8(raw[..split].to_vec()).expect("headers in ASCII");
    let mut body = raw[split + 4..].to_vec();
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        body = dechunk(&body);
    }
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
        body: String::from_utf8(body).expect("an answer in UTF-8"),
    }
}

pub fn dechunk(mut chunked: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    loop {
        let line = chunked
            .windows(2)
            .position(|w| w == b"\r\n")
            .expect("a chunk's size");
        let size = usize::from_str_radix(
            std::str::from_utf8(&chunked[..line]).expect("hex").trim(),
            16,
        )
        .expect("a chunk's size in hex");
        if size == 0 {
            return body;
        }
        body.extend_from_slice(&chunked[line + 2..line + 2 + size]);
        chunked = &chunked[line + 2 + size + 2..];
    }
}
