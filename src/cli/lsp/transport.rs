//! The protocol's framing over standard input and output: headers, a blank line,
//! `Content-Length` bytes of JSON. Read here rather than by `lsp-server`'s own reader so that
//! a message that cannot be read is answered with an error and the next one is read (its
//! reader ends the connection), and so that a length no one can send is refused unread.

use std::io::{self, BufRead, Read, Write};

use lsp_server::{ErrorCode, Message};
use serde_json::Value;

/// A header line longer than this is not a header.
const MAX_HEADER_LINE: u64 = 8 * 1024;

/// A message longer than this is refused unread (a rulebook is at most 4 MiB).
const MAX_MESSAGE_BYTES: usize = 64 * 1024 * 1024;

/// What was read: a message, or what to answer to one that could not be.
pub(super) enum Incoming {
    Message(Message),
    Malformed {
        id: Value,
        code: i32,
        message: String,
    },
}

pub(super) enum Outgoing {
    Message(Message),
    /// An error response whose id may be `null` (the request could not be read).
    Malformed {
        id: Value,
        code: i32,
        message: String,
    },
}

fn malformed(id: Value, code: ErrorCode, message: String) -> Incoming {
    Incoming::Malformed {
        id,
        code: code as i32,
        message,
    }
}

/// One message: headers, a blank line, `Content-Length` bytes of JSON. `None` at the end of
/// the input.
pub(super) fn read_message(input: &mut impl BufRead) -> io::Result<Option<Incoming>> {
    let mut length: Option<Option<usize>> = None;
    let mut headers = 0;
    loop {
        let mut line = Vec::new();
        if input
            .by_ref()
            .take(MAX_HEADER_LINE)
            .read_until(b'\n', &mut line)?
            == 0
        {
            return Ok(None);
        }
        let line = String::from_utf8_lossy(&line);
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            if headers > 0 {
                break;
            }
            continue;
        }
        headers += 1;
        if let Some((name, value)) = line.split_once(':') {
            if name.trim().eq_ignore_ascii_case("content-length") {
                length = Some(value.trim().parse().ok());
            }
        }
    }
    let length = match length {
        Some(Some(n)) => n,
        Some(None) => {
            return Ok(Some(malformed(
                Value::Null,
                ErrorCode::ParseError,
                "the Content-Length header is not a number".into(),
            )))
        }
        None => {
            return Ok(Some(malformed(
                Value::Null,
                ErrorCode::ParseError,
                "a message without a Content-Length header".into(),
            )))
        }
    };
    if length > MAX_MESSAGE_BYTES {
        io::copy(&mut input.by_ref().take(length as u64), &mut io::sink())?;
        return Ok(Some(malformed(
            Value::Null,
            ErrorCode::InvalidRequest,
            format!("a message of {length} bytes, more than {MAX_MESSAGE_BYTES}"),
        )));
    }
    let mut body = vec![0; length];
    if let Err(e) = input.read_exact(&mut body) {
        return match e.kind() {
            io::ErrorKind::UnexpectedEof => Ok(None),
            _ => Err(e),
        };
    }
    let value: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => {
            return Ok(Some(malformed(
                Value::Null,
                ErrorCode::ParseError,
                format!("a message that is not JSON: {e}"),
            )))
        }
    };
    let id = value.get("id").cloned().unwrap_or(Value::Null);
    match serde_json::from_value::<Message>(value) {
        Ok(message) => Ok(Some(Incoming::Message(message))),
        Err(e) => Ok(Some(malformed(
            id,
            ErrorCode::InvalidRequest,
            format!("a message that is not a JSON-RPC request, response or notification: {e}"),
        ))),
    }
}

pub(super) fn write_message(output: &mut impl Write, message: &Outgoing) -> io::Result<()> {
    match message {
        Outgoing::Message(m) => m.write(output)?,
        Outgoing::Malformed { id, code, message } => {
            let text = serde_json::json!({
                "jsonrpc": "2.0",
                "id": id,
                "error": {"code": code, "message": message},
            })
            .to_string();
            write!(output, "Content-Length: {}\r\n\r\n{text}", text.len())?;
        }
    }
    output.flush()
}
