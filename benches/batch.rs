//! Batch throughput and memory: forfait against hand-written Rust programs.
//!
//! ```sh
//! # Everything (generates target/forfait-bench/* once, then reuses them), paired and pinned:
//! cargo bench --bench batch
//! # One measurement:
//! cargo bench --bench batch -- --rulebook fami --rows 1000000 --mode interp-totals --jobs 1
//! # The synthetic declarations alone, to a file or to standard output (`-`):
//! cargo bench --bench batch -- generate --rulebook medecins --rows 1000 --seed 42 --out -
//! ```
//!
//! Modes, each on a file of generated declarations (docs/performance.md):
//! - `parse`: forfait's reading only, on one thread: rows read in place and decoded into a
//!   reused declaration (`RawRecords::next_into`, `Reader::decode`);
//! - `totals`: the totals-only hand-written program (`support/totals.rs`): reads only the
//!   cells a payment needs, stops at a failed gate, writes `id,total_euros`;
//! - `totals-checked`: the same output, every cell read and every indicator evaluated;
//! - `interp-totals`: `forfait::batch::run` with `--columns id,total_euros`, `--jobs N`;
//! - `hand`: the full-row hand-written program (`support/hand.rs`), forfait's whole row;
//! - `interp`: `forfait::batch::run`, full CSV rows, `--jobs N`;
//! - `interp-jsonl`: the same declarations read as JSON lines, full CSV rows out;
//! - `verify`: on the first `--rows` rows (10 000 in the driver), the full-row program's
//!   rows and forfait's, byte for byte; the totals programs' and forfait's `--columns
//!   id,total_euros`, byte for byte; forfait's rows from JSON lines and from CSV, every
//!   column but the source.
//!
//! Everything goes to `io::sink()`. Each measurement prints one `RESULT key=value ...` line,
//! with the process's peak resident memory (`VmHWM`) at the end. Without `--mode`, the
//! driver runs every measurement as a separate process of this same binary, pinned to one
//! core with `taskset` (all cores for `--jobs` above 1), the programs compared run in turn
//! (A B A B ...) and their ratios taken pair by pair, and prints the tables. Beside
//! `--jobs N` on N cores it runs N one-job processes at once, one a core, each on 1/N of
//! the rows: what the cores give at that moment, a yardstick for the jobs' speed-up on a
//! shared machine. Run by `cargo
//! test --benches` (no `--bench` argument), it only runs `verify` on a few thousand rows
//! generated in memory.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

/// The same allocator as the `forfait` binary, so that the figures are the CLI's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "support/generate.rs"]
mod generate;
#[path = "support/hand.rs"]
mod hand;
#[path = "support/totals.rs"]
mod totals;

use std::fs::{self, File};
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use forfait::batch::{self, BatchFormat, BatchOptions, Source};
use forfait::declaration::{self, InputFormat, RawRecord, ReadOptions};
use forfait::model::InputType;
use forfait::output::columns::Columns;
use forfait::CompiledRulebook;
use rust_decimal::Decimal;

use generate::Kind;
use totals::Check;

const DEFAULT_SEED: u64 = 42;
const VERIFY_ROWS: u64 = 10_000;
const MEMORY_SMALL_ROWS: u64 = 10_000;
/// The columns of the totals-only output.
const TOTALS: &str = "id,total_euros";
const MODES: &str = "parse|totals|totals-checked|interp-totals|hand|interp|interp-jsonl|verify";

#[derive(Clone, Debug)]
struct Args {
    command: Option<String>,
    rulebooks: Vec<Kind>,
    rows: u64,
    seed: u64,
    mode: Option<String>,
    jobs: usize,
    repeat: usize,
    piece: usize,
    out: Option<String>,
    file: Option<String>,
    /// The driver's one-job core (`taskset -c`); by default the last one.
    cpu: Option<usize>,
    /// `cargo bench` passes `--bench`; `cargo test --benches` does not.
    bench: bool,
}

fn usage() -> ! {
    eprintln!(
        "usage: batch [generate] [--rulebook fami|medecins|all] [--rows N] [--seed S]\n\
         \x20            [--mode {MODES}]\n\
         \x20            [--jobs N] [--repeat R] [--piece P] [--cpu C] [--file CSV|JSONL]\n\
         \x20            [--out FILE|-]"
    );
    std::process::exit(2)
}

fn parse_args() -> Args {
    let mut args = Args {
        command: None,
        rulebooks: vec![Kind::Fami, Kind::Medecins],
        rows: 1_000_000,
        seed: DEFAULT_SEED,
        mode: None,
        jobs: 1,
        repeat: 3,
        piece: BatchOptions::default().piece,
        out: None,
        file: None,
        cpu: None,
        bench: false,
    };
    let mut repeat = None;
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().unwrap_or_else(|| panic!("{name} needs a value"));
        match arg.as_str() {
            "--bench" => args.bench = true,
            "--rulebook" => {
                let v = value("--rulebook");
                args.rulebooks = if v == "all" {
                    vec![Kind::Fami, Kind::Medecins]
                } else {
                    vec![Kind::parse(&v).unwrap_or_else(|| usage())]
                };
            }
            "--rows" => args.rows = number(&value("--rows")),
            "--seed" => args.seed = number(&value("--seed")),
            "--mode" => args.mode = Some(value("--mode")),
            "--jobs" => args.jobs = number(&value("--jobs")) as usize,
            "--repeat" => repeat = Some((number(&value("--repeat")) as usize).max(1)),
            "--piece" => args.piece = number(&value("--piece")) as usize,
            "--cpu" => args.cpu = Some(number(&value("--cpu")) as usize),
            "--out" => args.out = Some(value("--out")),
            "--file" => args.file = Some(value("--file")),
            "generate" | "driver" if args.command.is_none() => args.command = Some(arg),
            "-h" | "--help" => usage(),
            other => {
                eprintln!("unknown argument `{other}`");
                usage()
            }
        }
    }
    // One measurement: 3 runs in its process; the driver: 5 rounds of one run a process.
    let driving = args.mode.is_none() && (args.bench || args.command.as_deref() == Some("driver"));
    args.repeat = repeat.unwrap_or(if driving { 5 } else { 3 });
    args
}

/// `1000000`, `1_000_000` or `1e6`.
fn number(text: &str) -> u64 {
    let t = text.replace('_', "");
    if let Some((m, e)) = t.split_once(['e', 'E']) {
        let m: u64 = m.parse().unwrap_or_else(|_| usage());
        let e: u32 = e.parse().unwrap_or_else(|_| usage());
        return m * 10u64.pow(e);
    }
    t.parse().unwrap_or_else(|_| usage())
}

fn crate_path(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(relative)
}

fn compile(kind: Kind) -> CompiledRulebook {
    let path = crate_path(kind.rulebook_path());
    let source = fs::read_to_string(&path).expect("the rulebook");
    let rulebook = forfait::compile(kind.rulebook_path(), &source)
        .unwrap_or_else(|report| panic!("{} does not compile: {report:?}", path.display()))
        .rulebook;
    // The generator's columns must all be inputs of the rulebook.
    for field in kind.fields().iter().skip(1) {
        assert!(
            rulebook.input_slot(field).is_some(),
            "generator field `{field}` is not an input of {}",
            kind.rulebook_path()
        );
    }
    rulebook
}

fn totals_columns(rulebook: &CompiledRulebook) -> Columns {
    Columns::parse(rulebook, TOTALS).expect("id,total_euros are columns")
}

/// Where generated files go: `target/forfait-bench/` (or under `CARGO_TARGET_DIR`).
fn data_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| crate_path("target"))
        .join("forfait-bench")
}

fn data_file(kind: Kind, rows: u64, seed: u64, extension: &str) -> PathBuf {
    data_dir().join(format!(
        "{}-{rows}-seed{seed}-v{}.{extension}",
        kind.name(),
        generate::VERSION
    ))
}

/// A generated file, written once (through a temporary name) and reused.
fn ensure(path: PathBuf, write: impl FnOnce(File) -> io::Result<()>) -> PathBuf {
    if path.exists() {
        return path;
    }
    fs::create_dir_all(data_dir()).expect("target/forfait-bench");
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    let started = Instant::now();
    write(File::create(&tmp).expect("create")).expect("generate");
    fs::rename(&tmp, &path).expect("rename");
    eprintln!(
        "generated {} ({:.1} MB) in {:.1} s",
        path.display(),
        fs::metadata(&path).map_or(0, |m| m.len()) as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
    path
}

/// The generated CSV file.
fn ensure_file(kind: Kind, rows: u64, seed: u64) -> PathBuf {
    ensure(data_file(kind, rows, seed, "csv"), |out| {
        generate::write(kind, rows, seed, out)
    })
}

/// The same declarations as JSON lines.
fn ensure_jsonl(kind: Kind, rulebook: &CompiledRulebook, rows: u64, seed: u64) -> PathBuf {
    let csv = ensure_file(kind, rows, seed);
    ensure(data_file(kind, rows, seed, "jsonl"), |out| {
        to_json_lines(rulebook, input(&csv.to_string_lossy()), out)
    })
}

/// A CSV file of declarations as JSON lines, one object a row, as a program exporting them
/// would write it: counts and decimals as JSON numbers (their text as in the cell),
/// `oui`/`non` as `true`/`false`, choices, texts and the id as strings; an empty cell is a
/// field left out.
fn to_json_lines(rulebook: &CompiledRulebook, data: impl Read, out: impl Write) -> io::Result<()> {
    let mut reader = csv::ReaderBuilder::new().from_reader(data);
    let header = reader.headers()?.clone();
    let types: Vec<Option<&InputType>> = header
        .iter()
        .map(|name| rulebook.input_slot(name).map(|s| &rulebook.inputs[s].ty))
        .collect();
    let names: Vec<String> = header
        .iter()
        .map(|n| serde_json::to_string(n).expect("a name"))
        .collect();
    let mut out = BufWriter::with_capacity(1 << 16, out);
    let mut record = csv::StringRecord::new();
    while reader.read_record(&mut record)? {
        out.write_all(b"{")?;
        let mut first = true;
        for ((cell, name), ty) in record.iter().zip(&names).zip(&types) {
            if cell.is_empty() {
                continue;
            }
            if !first {
                out.write_all(b",")?;
            }
            first = false;
            out.write_all(name.as_bytes())?;
            out.write_all(b":")?;
            match ty {
                Some(InputType::Count | InputType::Decimal) => out.write_all(cell.as_bytes())?,
                Some(InputType::YesNo) if cell == "oui" => out.write_all(b"true")?,
                Some(InputType::YesNo) if cell == "non" => out.write_all(b"false")?,
                _ => serde_json::to_writer(&mut out, cell)?,
            }
        }
        out.write_all(b"}\n")?;
    }
    out.flush()
}

fn vmhwm_kib() -> u64 {
    fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

/// CPU seconds (user + system) this process has used so far, all threads.
fn cpu_seconds() -> f64 {
    let stat = fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The fields after the command name, which is in parentheses.
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name;
    // the kernel counts them in USER_HZ, 100 on Linux.
    (ticks(11) + ticks(12)) / 100.0
}

/// CPU seconds this thread has run, to the nanosecond (`/proc/thread-self/schedstat`); with
/// one job, all the work is on this thread.
fn thread_cpu_seconds() -> Option<f64> {
    let stat = fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e9)
}

/// The 1-minute load average: other work on the machine skews wall-clock figures.
fn load_average() -> String {
    fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(str::to_string))
        .unwrap_or_default()
}

fn input(path: &str) -> BufReader<File> {
    // As the command line reads declaration files.
    BufReader::with_capacity(1 << 16, File::open(path).expect("the declarations"))
}

/// CSV out, full rows or only `columns`, not strict.
fn csv_out(columns: Option<Columns>, jobs: usize, piece: usize) -> BatchOptions {
    BatchOptions {
        format: BatchFormat::Csv,
        columns,
        jobs,
        strict: false,
        piece,
        ..BatchOptions::default()
    }
}

/// forfait's batch over one source, to `output`.
fn forfait_run(
    rulebook: &CompiledRulebook,
    name: &str,
    data: Box<dyn BufRead + Send + '_>,
    format: InputFormat,
    options: BatchOptions,
    output: &mut impl Write,
) -> batch::Summary {
    let sources = vec![Source {
        name: name.to_string(),
        input: data,
        format,
    }];
    let summary = batch::run(
        rulebook,
        sources,
        ReadOptions::default(),
        output,
        options,
        &mut |_| {},
    )
    .expect("batch");
    assert_eq!(summary.rejected, 0, "no generated declaration is rejected");
    summary
}

/// One run of a mode; returns the rows done and the euros paid. Never inlined, so that a
/// profiler can count it alone (`valgrind --tool=callgrind --toggle-collect=batch::run_once`).
#[inline(never)]
fn run_once(
    mode: &str,
    kind: Kind,
    rulebook: &CompiledRulebook,
    path: &str,
    jobs: usize,
    piece: usize,
) -> (u64, Decimal) {
    match mode {
        "parse" => {
            // forfait's own reading, as a batch does it: a piece of rows read into used
            // ones' storage and decoded column by column into one reused table (every
            // generated row reads plainly).
            let (reader, mut raws) = declaration::open(
                rulebook,
                path,
                input(path),
                InputFormat::Csv,
                ReadOptions::default(),
            );
            let mut run: Vec<RawRecord> = Vec::new();
            let mut table = forfait::table::Table::new(rulebook);
            let (mut locations, mut built) = (Vec::new(), Vec::new());
            let mut rows = 0;
            loop {
                let mut filled = 0;
                while filled < 256 {
                    if filled == run.len() {
                        run.push(RawRecord::empty());
                    }
                    if !raws
                        .next_into(&mut run[filled])
                        .expect("the generated file reads")
                    {
                        break;
                    }
                    filled += 1;
                }
                run.truncate(filled);
                if run.is_empty() {
                    break;
                }
                reader.read_piece(&mut run, &mut table, &mut locations, &mut built);
                assert!(
                    !table.slow.iter().any(|s| *s),
                    "every generated row reads plainly"
                );
                std::hint::black_box(&table);
                rows += run.len() as u64;
            }
            (rows, Decimal::ZERO)
        }
        "totals" | "totals-checked" => {
            let check = if mode == "totals" {
                Check::Needed
            } else {
                Check::Every
            };
            let summary = totals::run(kind, check, input(path), io::sink())
                .expect("reading")
                .unwrap_or_else(|e| panic!("totals-only: {e}"));
            (summary.rows, summary.total_euros)
        }
        "hand" => {
            let header = forfait::output::csv::header(rulebook, Default::default());
            let summary = hand::run(
                kind,
                &header,
                &rulebook.meta.content_hash,
                path,
                input(path),
                io::sink(),
            )
            .expect("reading")
            .unwrap_or_else(|e| panic!("hand-written: {e}"));
            (summary.rows, summary.total_euros)
        }
        "interp" | "interp-totals" | "interp-jsonl" => {
            let (format, columns) = match mode {
                "interp" => (InputFormat::Csv, None),
                "interp-totals" => (InputFormat::Csv, Some(totals_columns(rulebook))),
                _ => (InputFormat::JsonLines, None),
            };
            let data = Box::new(input(path));
            let options = csv_out(columns, jobs, piece);
            let s = forfait_run(rulebook, path, data, format, options, &mut io::sink());
            (s.evaluated, s.total_euros)
        }
        other => {
            eprintln!("unknown mode `{other}` ({MODES})");
            usage()
        }
    }
}

/// Lines of two outputs, the same byte for byte, or a panic naming the first difference.
fn same_lines(what: &str, kind: Kind, expected: &[u8], got: &[u8]) -> u64 {
    let mut lines = 0;
    for (i, (a, b)) in expected
        .split(|b| *b == b'\n')
        .zip(got.split(|b| *b == b'\n'))
        .enumerate()
    {
        assert!(
            a == b,
            "{}, {what}: output line {} differs\n  forfait: {}\n  other:   {}",
            kind.name(),
            i + 1,
            String::from_utf8_lossy(a),
            String::from_utf8_lossy(b)
        );
        lines += 1;
    }
    assert_eq!(expected.len(), got.len(), "{what}: same output length");
    assert!(lines > 1, "{what}: rows compared");
    lines
}

/// On `data` (a CSV text): the full-row program's rows against forfait's, the totals
/// programs' against forfait's `--columns id,total_euros`, byte for byte, and forfait's rows
/// from the same declarations as JSON lines against those from CSV (every column but the
/// source, whose lines differ by the header's). Panics on the first difference. Returns the
/// rows compared and their total.
fn verify_bytes(
    kind: Kind,
    rulebook: &CompiledRulebook,
    name: &str,
    data: &[u8],
) -> (u64, Decimal) {
    let csv_run = |columns: Option<Columns>, output: &mut Vec<u8>| {
        let options = csv_out(columns, 1, 0);
        forfait_run(
            rulebook,
            name,
            Box::new(data),
            InputFormat::Csv,
            options,
            output,
        )
    };
    // Full rows.
    let mut interpreted = Vec::new();
    let summary = csv_run(None, &mut interpreted);
    let mut handwritten = Vec::new();
    let header = forfait::output::csv::header(rulebook, Default::default());
    let hand = hand::run(
        kind,
        &header,
        &rulebook.meta.content_hash,
        name,
        data,
        &mut handwritten,
    )
    .expect("reading")
    .unwrap_or_else(|e| panic!("hand-written: {e}"));
    same_lines("full rows", kind, &interpreted, &handwritten);
    assert_eq!(summary.evaluated, hand.rows, "same row count");
    assert_eq!(summary.total_euros, hand.total_euros, "same total");

    // id,total_euros.
    let mut interpreted = Vec::new();
    let summary = csv_run(Some(totals_columns(rulebook)), &mut interpreted);
    for (check, what) in [(Check::Needed, "totals"), (Check::Every, "totals-checked")] {
        let mut handwritten = Vec::new();
        let t = totals::run(kind, check, data, &mut handwritten)
            .expect("reading")
            .unwrap_or_else(|e| panic!("{what}: {e}"));
        same_lines(what, kind, &interpreted, &handwritten);
        assert_eq!(summary.evaluated, t.rows, "{what}: same row count");
        assert_eq!(summary.total_euros, t.total_euros, "{what}: same total");
    }

    // JSON lines in: the same rows but for their source.
    let mut jsonl = Vec::new();
    to_json_lines(rulebook, data, &mut jsonl).expect("to JSON lines");
    let header = forfait::output::csv::header(rulebook, Default::default());
    let all_but_source: Vec<&str> = header
        .trim_end()
        .split(',')
        .filter(|c| *c != "source")
        .collect();
    let columns = Columns::parse(rulebook, &all_but_source.join(",")).expect("the columns");
    let mut from_csv = Vec::new();
    csv_run(Some(columns.clone()), &mut from_csv);
    let mut from_jsonl = Vec::new();
    let s = forfait_run(
        rulebook,
        name,
        Box::new(&jsonl[..]),
        InputFormat::JsonLines,
        csv_out(Some(columns), 1, 0),
        &mut from_jsonl,
    );
    same_lines("JSON lines in", kind, &from_csv, &from_jsonl);
    assert_eq!(s.total_euros, hand.total_euros, "JSON lines: same total");
    (hand.rows, hand.total_euros)
}

/// The header and the first `rows` rows of a CSV file (the generator writes no line break
/// inside a field).
fn head(path: &Path, rows: u64) -> Vec<u8> {
    let mut reader = input(&path.to_string_lossy());
    let mut data = Vec::new();
    for _ in 0..=rows {
        if reader.read_until(b'\n', &mut data).expect("read") == 0 {
            break;
        }
    }
    data
}

fn verify(kind: Kind, rulebook: &CompiledRulebook, path: &Path, rows: u64) {
    let (n, total) = verify_bytes(kind, rulebook, &path.to_string_lossy(), &head(path, rows));
    println!(
        "VERIFY rulebook={} rows={n} total_euros={total} full_rows=identical \
         id_total_euros=identical jsonl_rows=identical",
        kind.name()
    );
}

/// One measurement in this process: `repeat` runs, then one `RESULT` line.
fn measure(args: &Args, kind: Kind, mode: &str) {
    let rulebook = compile(kind);
    let path = match &args.file {
        Some(f) => PathBuf::from(f),
        None if mode == "interp-jsonl" => ensure_jsonl(kind, &rulebook, args.rows, args.seed),
        None => ensure_file(kind, args.rows, args.seed),
    };
    if mode == "verify" {
        verify(kind, &rulebook, &path, args.rows);
        return;
    }
    let path = path.to_string_lossy().into_owned();
    let load_before = load_average();
    let mut times: Vec<Duration> = Vec::new();
    let mut cpu: Vec<f64> = Vec::new();
    let mut rows = 0;
    let mut total = Decimal::ZERO;
    // One thread: its own CPU time, to the nanosecond; several: the process's, in ticks.
    let one_thread = args.jobs <= 1 || !mode.starts_with("interp");
    let cpu_now = || match thread_cpu_seconds() {
        Some(s) if one_thread => s,
        _ => cpu_seconds(),
    };
    for _ in 0..args.repeat {
        let cpu_started = cpu_now();
        let started = Instant::now();
        (rows, total) = run_once(mode, kind, &rulebook, &path, args.jobs, args.piece);
        times.push(started.elapsed());
        cpu.push(cpu_now() - cpu_started);
    }
    times.sort();
    cpu.sort_by(f64::total_cmp);
    let best = times[0].as_secs_f64();
    let median = times[times.len() / 2].as_secs_f64();
    let cpu_median = cpu[cpu.len() / 2];
    let jobs = if mode.starts_with("interp") {
        args.jobs
    } else {
        1
    };
    println!(
        "RESULT rulebook={} mode={mode} jobs={jobs} rows={rows} repeat={} best_s={best:.4} \
         median_s={median:.4} best_rows_per_s={:.0} median_rows_per_s={:.0} \
         cpu_s={cpu_median:.4} rows_per_cpu_s={:.0} vmhwm_kib={} total_euros={total} \
         load={load_before}/{}",
        kind.name(),
        args.repeat,
        rows as f64 / best,
        rows as f64 / median,
        rows as f64 / cpu_median.max(0.001),
        vmhwm_kib(),
        load_average()
    );
}

/// One process's `RESULT`.
#[derive(Clone, Debug, Default)]
struct Measured {
    seconds: f64,
    rows_per_s: f64,
    cpu_s: f64,
    vmhwm_kib: u64,
    total: String,
}

/// `taskset` in front of a command, when the machine has it.
fn taskset_available() -> bool {
    Command::new("taskset")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// One measurement of the driver: a mode, its jobs, the cores it is pinned to.
#[derive(Clone, Debug)]
struct Run {
    mode: &'static str,
    jobs: usize,
    cpus: String,
    /// Not one process: one one-job process on each core at once, each on its share of the
    /// rows (the same first rows), their time the slowest one's. What the machine gives two
    /// jobs, as the cores are at that moment: a yardstick that a busy core slows too.
    every_core: Option<usize>,
}

impl Run {
    fn label(&self) -> String {
        match self.every_core {
            Some(cores) => format!("{} ×1 on each of {cores} cores at once", self.mode),
            None => format!("{} ×{}", self.mode, self.jobs),
        }
    }
}

/// Runs this binary again for one measurement (one run, `--repeat 1`) and reads its
/// `RESULT` line; for a run on every core, one process a core, at once.
fn spawn(kind: Kind, run: &Run, rows: u64, seed: u64, pin: bool) -> Measured {
    let Some(cores) = run.every_core else {
        let output = command(kind, run, &run.cpus, rows, seed, pin)
            .output()
            .expect("spawn");
        return measured(kind, run, &run.cpus, rows, output, pin);
    };
    let share = rows / cores as u64;
    let children: Vec<_> = (0..cores)
        .map(|core| {
            let cpus = core.to_string();
            let child = command(kind, run, &cpus, share, seed, pin)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("spawn");
            (cpus, child)
        })
        .collect();
    let each: Vec<Measured> = children
        .into_iter()
        .map(|(cpus, child)| {
            let output = child.wait_with_output().expect("wait");
            measured(kind, run, &cpus, share, output, pin)
        })
        .collect();
    let seconds = each.iter().map(|m| m.seconds).fold(0.0, f64::max);
    Measured {
        seconds,
        rows_per_s: (share * cores as u64) as f64 / seconds.max(1e-9),
        cpu_s: each.iter().map(|m| m.cpu_s).sum(),
        vmhwm_kib: each.iter().map(|m| m.vmhwm_kib).max().unwrap_or(0),
        total: String::new(),
    }
}

/// The command of one process of `run`, pinned to `cpus`.
fn command(kind: Kind, run: &Run, cpus: &str, rows: u64, seed: u64, pin: bool) -> Command {
    let exe = std::env::current_exe().expect("this binary");
    let mut command = if pin {
        let mut c = Command::new("taskset");
        c.args(["-c", cpus]).arg(exe);
        c
    } else {
        Command::new(exe)
    };
    command
        .args(["--rulebook", kind.name(), "--mode", run.mode])
        .args(["--jobs", &run.jobs.to_string(), "--rows", &rows.to_string()])
        .args(["--seed", &seed.to_string(), "--repeat", "1"]);
    command
}

/// What one process printed, read from its `RESULT` line.
fn measured(
    kind: Kind,
    run: &Run,
    cpus: &str,
    rows: u64,
    output: std::process::Output,
    pin: bool,
) -> Measured {
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{} {}, {rows} rows, failed:\n{stdout}\n{}",
        kind.name(),
        run.label(),
        String::from_utf8_lossy(&output.stderr)
    );
    let line = stdout
        .lines()
        .find(|l| l.starts_with("RESULT "))
        .expect("a RESULT line");
    println!("{line} cpus={}", if pin { cpus } else { "any" });
    let field = |key: &str| {
        line.split_whitespace()
            .find_map(|kv| kv.strip_prefix(key).and_then(|v| v.strip_prefix('=')))
            .unwrap_or("0")
            .to_string()
    };
    Measured {
        seconds: field("median_s").parse().unwrap_or(0.0),
        rows_per_s: field("median_rows_per_s").parse().unwrap_or(0.0),
        cpu_s: field("cpu_s").parse().unwrap_or(0.0),
        vmhwm_kib: field("vmhwm_kib").parse().unwrap_or(0),
        total: field("total_euros"),
    }
}

fn median(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => 0.0,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

fn range(values: &[f64]) -> (f64, f64) {
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    (lo, hi)
}

fn verdict(met: bool) -> &'static str {
    if met {
        "met"
    } else {
        "**not met**"
    }
}

/// Rows a second, in thousands, with a thin space between thousands of thousands.
fn k(rows_per_s: f64) -> String {
    let n = (rows_per_s / 1000.0).round() as u64;
    if n >= 1000 {
        format!("{} {:03} k", n / 1000, n % 1000)
    } else {
        format!("{n} k")
    }
}

fn mib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

/// One comparison of the report: `num`'s throughput over `den`'s, pair by pair.
struct Ratio {
    num: usize,
    den: usize,
    what: &'static str,
    target: Option<(f64, &'static str)>,
}

/// What one rulebook's rounds gave.
struct Rounds {
    kind: Kind,
    runs: Vec<Run>,
    /// `measured[run][round]`.
    measured: Vec<Vec<Measured>>,
    /// VmHWM of one run of 10 000 rows, by run (0 when not measured).
    small_kib: Vec<u64>,
}

/// Everything: files, verification, every mode in its own process, the tables.
fn driver(args: &Args) {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let pin = taskset_available();
    let one = args.cpu.unwrap_or(cores - 1).to_string();
    let all = if cores > 1 {
        format!("0-{}", cores - 1)
    } else {
        "0".to_string()
    };
    println!(
        "driver: {} rows, seed {}, {} rounds (one run a process), {cores} cores, load average {}",
        args.rows,
        args.seed,
        args.repeat,
        load_average()
    );
    if pin {
        println!("pinned with taskset: one job on core {one}, {cores} jobs on cores {all}");
    } else {
        println!("taskset is missing: every process runs unpinned");
    }
    // In each round, the programs compared run one after the other, in the list's order in
    // even rounds and backwards in odd ones (A B, B A, A B ...: a drift of the machine's speed
    // favours neither); each ratio is taken within a round, then its median over the rounds.
    let runs: Vec<Run> = [
        ("parse", 1),
        ("totals-checked", 1),
        ("totals", 1),
        ("interp-totals", 1),
        ("interp-totals", cores),
        ("hand", 1),
        ("interp", 1),
        ("interp", cores),
        ("interp-jsonl", 1),
    ]
    .into_iter()
    .map(|(mode, jobs)| Run {
        mode,
        jobs,
        cpus: if jobs == 1 { one.clone() } else { all.clone() },
        every_core: None,
    })
    .chain(["interp-totals", "interp"].map(|mode| Run {
        mode,
        jobs: 1,
        cpus: all.clone(),
        every_core: Some(cores),
    }))
    .collect();
    let ratios = [
        Ratio {
            num: 3,
            den: 2,
            what: "`--columns id,total_euros` ×1 / totals-only program",
            target: Some((0.8, "≥ 0.8")),
        },
        Ratio {
            num: 6,
            den: 5,
            what: "full rows ×1 / full-row program",
            target: Some((0.9, "≥ 0.9")),
        },
        Ratio {
            num: 4,
            den: 3,
            what: "`--columns id,total_euros`, all jobs / one",
            target: Some((1.8, "≥ 1.8")),
        },
        Ratio {
            num: 7,
            den: 6,
            what: "full rows, all jobs / one",
            target: Some((1.8, "≥ 1.8")),
        },
        Ratio {
            num: 8,
            den: 6,
            what: "JSON lines in / CSV in (full rows, ×1)",
            target: Some((1.0 / 3.0, "≥ 0.33")),
        },
        Ratio {
            num: 4,
            den: 9,
            what: "`--columns id,total_euros`, all jobs / a one-job process on each core",
            target: None,
        },
        Ratio {
            num: 7,
            den: 10,
            what: "full rows, all jobs / a one-job process on each core",
            target: None,
        },
        Ratio {
            num: 9,
            den: 3,
            what: "`--columns`: a one-job process on each core / one (what the cores give)",
            target: None,
        },
        Ratio {
            num: 10,
            den: 6,
            what: "full rows: a one-job process on each core / one (what the cores give)",
            target: None,
        },
        Ratio {
            num: 1,
            den: 2,
            what: "totals program, every cell checked / only those needed",
            target: None,
        },
        Ratio {
            num: 0,
            den: 2,
            what: "forfait's reading alone (parse) / totals-only program",
            target: None,
        },
    ];

    let mut report = Vec::new();
    for &kind in &args.rulebooks {
        let rulebook = compile(kind);
        let big = ensure_file(kind, args.rows, args.seed);
        ensure_file(kind, MEMORY_SMALL_ROWS, args.seed);
        ensure_file(kind, args.rows / cores as u64, args.seed);
        ensure_jsonl(kind, &rulebook, args.rows, args.seed);
        ensure_jsonl(kind, &rulebook, MEMORY_SMALL_ROWS, args.seed);
        verify(kind, &rulebook, &big, VERIFY_ROWS.min(args.rows));
        let mut measured = vec![Vec::new(); runs.len()];
        for round in 0..args.repeat {
            println!("{}: round {} of {}", kind.name(), round + 1, args.repeat);
            let mut order: Vec<usize> = (0..runs.len()).collect();
            if round % 2 == 1 {
                order.reverse();
            }
            for i in order {
                measured[i].push(spawn(kind, &runs[i], args.rows, args.seed, pin));
            }
        }
        // Every program pays the same euros on the whole file, in every run.
        let total = measured[2][0].total.clone();
        // (Not the runs on every core: each process reads only its share of the rows.)
        for (run, m) in runs.iter().zip(&measured).skip(1) {
            if run.every_core.is_some() {
                continue;
            }
            for m in m {
                assert_eq!(
                    m.total,
                    total,
                    "{}: {} pays another total on the whole file",
                    kind.name(),
                    run.label()
                );
            }
        }
        println!(
            "TOTAL rulebook={} total_euros={total} agree=all",
            kind.name()
        );
        // Peak memory for 10 000 rows: the median of 3 processes (the 1M figures are the
        // rounds').
        let small_kib = runs
            .iter()
            .map(|run| {
                if run.mode.starts_with("interp") && run.every_core.is_none() {
                    // The median of 3 processes: a peak moves by a few MiB from one to the
                    // next (the allocator's arenas, the threads' timing).
                    let mut kib: Vec<_> = (0..3)
                        .map(|_| spawn(kind, run, MEMORY_SMALL_ROWS, args.seed, pin).vmhwm_kib)
                        .collect();
                    kib.sort_unstable();
                    kib[1]
                } else {
                    0
                }
            })
            .collect();
        report.push(Rounds {
            kind,
            runs: runs.clone(),
            measured,
            small_kib,
        });
    }

    println!();
    println!(
        "Throughput, rows/s, wall clock, {} rows: median of {} runs (range); one job pinned \
         to one core, all jobs to every core:",
        args.rows, args.repeat
    );
    println!();
    println!("| program | {} |", header_row(&report));
    println!("| --- |{}", " ---: |".repeat(report.len()));
    for (i, run) in runs.iter().enumerate() {
        let cells: Vec<String> = report
            .iter()
            .map(|r| {
                let rates: Vec<f64> = r.measured[i].iter().map(|m| m.rows_per_s).collect();
                let (lo, hi) = range(&rates);
                format!("{} ({}–{})", k(median(&rates)), k(lo), k(hi))
            })
            .collect();
        println!("| {} | {} |", run.label(), cells.join(" | "));
    }
    println!();
    println!(
        "Paired ratios of throughput (wall clock), pair by pair within a round: median (range); \
         CPU time's in brackets:"
    );
    println!();
    println!("| ratio | target | {} |", header_row(&report));
    println!("| --- | --- |{}", " --- |".repeat(report.len()));
    for ratio in &ratios {
        let cells: Vec<String> = report
            .iter()
            .map(|r| {
                let pairs = r.measured[ratio.num].iter().zip(&r.measured[ratio.den]);
                let wall: Vec<f64> = pairs.clone().map(|(n, d)| d.seconds / n.seconds).collect();
                let cpu: Vec<f64> = pairs.map(|(n, d)| d.cpu_s / n.cpu_s.max(0.001)).collect();
                let (lo, hi) = range(&wall);
                let m = median(&wall);
                let status = ratio
                    .target
                    .map_or(String::new(), |(t, _)| format!(" {}", verdict(m >= t)));
                format!("**{m:.2}** ({lo:.2}–{hi:.2}) [{:.2}]{status}", median(&cpu))
            })
            .collect();
        println!(
            "| {} | {} | {} |",
            ratio.what,
            ratio.target.map_or("", |(_, t)| t),
            cells.join(" | ")
        );
    }
    println!();
    println!(
        "Peak memory (VmHWM), one run per process, median of the rounds (1M) or of 3 (10 000):"
    );
    println!();
    println!(
        "| rulebook | program | {MEMORY_SMALL_ROWS} rows | {} rows | ratio (≤ 1.2) |",
        args.rows
    );
    println!("| --- | --- | ---: | ---: | --- |");
    for r in &report {
        for (i, run) in r.runs.iter().enumerate() {
            if r.small_kib[i] == 0 {
                continue;
            }
            let big = median(
                &r.measured[i]
                    .iter()
                    .map(|m| m.vmhwm_kib as f64)
                    .collect::<Vec<_>>(),
            ) as u64;
            let ratio = big as f64 / r.small_kib[i].max(1) as f64;
            println!(
                "| {} | {} | {} | {} | {ratio:.2} {} |",
                r.kind.name(),
                run.label(),
                mib(r.small_kib[i]),
                mib(big),
                verdict(ratio <= 1.2)
            );
        }
    }
}

fn header_row(report: &[Rounds]) -> String {
    report
        .iter()
        .map(|r| r.kind.name())
        .collect::<Vec<_>>()
        .join(" | ")
}

/// Under `cargo test --benches`: every program against forfait on a few generated rows.
fn smoke() {
    for kind in [Kind::Fami, Kind::Medecins] {
        let rulebook = compile(kind);
        let mut data = Vec::new();
        generate::write(kind, 2_000, DEFAULT_SEED, &mut data).expect("generate");
        let (rows, total) = verify_bytes(kind, &rulebook, "smoke.csv", &data);
        println!(
            "{}: {rows} rows identical (full rows, totals-only, JSON lines in), {total} EUR",
            kind.name()
        );
        // Deterministic: a prefix of a longer file is the shorter file.
        let mut shorter = Vec::new();
        generate::write(kind, 500, DEFAULT_SEED, &mut shorter).expect("generate");
        assert!(data.starts_with(&shorter));
    }
}

fn main() {
    let args = parse_args();
    match (args.command.as_deref(), args.mode.as_deref()) {
        (Some("generate"), _) => {
            let kind = args.rulebooks[0];
            match args.out.as_deref() {
                None | Some("-") => {
                    generate::write(kind, args.rows, args.seed, io::stdout().lock())
                }
                Some(file) => generate::write(
                    kind,
                    args.rows,
                    args.seed,
                    File::create(file).expect("create"),
                ),
            }
            .expect("write");
        }
        (_, Some(mode)) => {
            for &kind in &args.rulebooks {
                measure(&args, kind, mode);
            }
        }
        (Some("driver"), None) => driver(&args),
        (_, None) if args.bench => driver(&args),
        (_, None) => smoke(),
    }
    let _ = io::stdout().flush();
}
