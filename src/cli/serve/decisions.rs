//! The decision log (`--decision-log FILE`): one JSON line per declaration evaluated or
//! rejected, appended and flushed before the request is answered, one request's lines at a
//! time whatever the number of threads. A line that cannot be written makes the answer a
//! 503: the caller never holds a decision the log does not.

use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use forfait::model::CompiledRulebook;
use forfait::record::Evaluated;
use serde_json::{json, Value as Json};

/// The log file, opened to append.
pub struct DecisionLog {
    pub path: String,
    file: Mutex<BufWriter<File>>,
}

impl DecisionLog {
    pub fn open(path: &str) -> io::Result<DecisionLog> {
        let file = OpenOptions::new().create(true).append(true).open(path)?;
        Ok(DecisionLog {
            path: path.to_string(),
            file: Mutex::new(BufWriter::new(file)),
        })
    }

    /// Appends `lines`, one JSON object a line, and flushes them to the file.
    pub fn record(&self, lines: &[Json]) -> io::Result<()> {
        let mut file = self
            .file
            .lock()
            .map_err(|_| io::Error::other("the decision log's lock is poisoned"))?;
        for line in lines {
            serde_json::to_writer(&mut *file, line)?;
            file.write_all(b"\n")?;
        }
        file.flush()
    }
}

/// What is known of the request a decision was made for.
pub struct Request<'a> {
    pub id: &'a str,
    /// `evaluate` or `explain`.
    pub route: &'a str,
}

/// The line of one declaration's decision.
pub fn line(request: &Request<'_>, rulebook: &CompiledRulebook, record: &Evaluated) -> Json {
    let (id, status, total, codes) = match record {
        Evaluated::Outcome { outcome, .. } => (
            Some(outcome.declaration_id.as_str()),
            "evaluated",
            Some(outcome.total_euros.to_string()),
            Vec::new(),
        ),
        Evaluated::Rejected(r) => (
            r.id.as_deref(),
            "rejected",
            None,
            r.problems.iter().map(|p| p.code).collect(),
        ),
    };
    let mut line = json!({
        "time": now_rfc3339(),
        "request_id": request.id,
        "route": request.route,
        "rulebook": rulebook.meta.name,
        "content_hash": rulebook.meta.content_hash,
        "declaration_id": id,
        "total_euros": total,
        "status": status,
    });
    if !codes.is_empty() {
        line["codes"] = json!(codes);
    }
    line
}

/// The time now, UTC, to the millisecond: `2026-12-01T21:40:07.123Z`.
pub fn now_rfc3339() -> String {
    let since = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    rfc3339(since.as_secs(), since.subsec_millis())
}

fn rfc3339(seconds: u64, millis: u32) -> String {
    let days = i64::try_from(seconds / 86_400).unwrap_or(i64::MAX / 2);
    let in_day = seconds % 86_400;
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{millis:03}Z",
        in_day / 3600,
        in_day % 3600 / 60,
        in_day % 60
    )
}

/// The proleptic Gregorian date `days` after 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (
        year,
        u32::try_from(month).unwrap_or(1),
        u32::try_from(day).unwrap_or(1),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_rfc3339_utc() {
        assert_eq!(rfc3339(0, 0), "1970-01-01T00:00:00.000Z");
        // 2024-02-29T23:59:59Z, a leap day.
        assert_eq!(rfc3339(1_709_251_199, 7), "2024-02-29T23:59:59.007Z");
        assert_eq!(rfc3339(951_782_400, 0), "2000-02-29T00:00:00.000Z");
        assert_eq!(rfc3339(1_798_761_600, 999), "2027-01-01T00:00:00.999Z");
    }
}
