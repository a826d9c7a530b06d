//! Batch throughput and memory: the interpreter against a hand-written Rust program.
//!
//! ```sh
//! # Everything (generates target/forfait-bench/*.csv once, then reuses them):
//! cargo bench --bench batch
//! # One measurement:
//! cargo bench --bench batch -- --rulebook fami --rows 1000000 --mode interp --jobs 1
//! # The synthetic declarations alone, to a file or to standard output (`-`):
//! cargo bench --bench batch -- generate --rulebook medecins --rows 1000 --seed 42 --out -
//! ```
//!
//! Modes, each on a CSV file of generated declarations (docs/performance.md):
//! - `parse`: the interpreter's reading only, on one thread: rows read in place and decoded
//!   into a reused declaration (`RawRecords::next_into`, `Reader::decode`);
//! - `hand`: a hand-written Rust function per rulebook, the same rows to `io::sink()`;
//! - `interp`: `forfait::batch::run`, CSV output to `io::sink()`, with `--jobs N`;
//! - `verify`: the hand-written rows and the interpreter's, byte for byte, on the first
//!   `--rows` rows (10 000 in the driver).
//!
//! Each measurement prints one `RESULT key=value ...` line, with the process's peak
//! resident memory (`VmHWM`) at the end. Without `--mode`, the driver runs every mode as a
//! separate process of this same binary and prints the tables. Run by `cargo test
//! --benches` (no `--bench` argument), it only checks hand against interpreter on a few
//! thousand rows, in memory.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

/// The same allocator as the `forfait` binary, so that the figures are the CLI's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "support/generate.rs"]
mod generate;
#[path = "support/hand.rs"]
mod hand;

use std::fs::{self, File};
use std::io::{self, BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use forfait::batch::{self, BatchFormat, BatchOptions, Source};
use forfait::declaration::Declaration;
use forfait::declaration::{self, InputFormat, RawRecord, ReadOptions, Record};
use forfait::CompiledRulebook;
use rust_decimal::Decimal;

use generate::Kind;

const DEFAULT_SEED: u64 = 42;
const VERIFY_ROWS: u64 = 10_000;
const MEMORY_SMALL_ROWS: u64 = 10_000;

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
    /// `cargo bench` passes `--bench`; `cargo test --benches` does not.
    bench: bool,
}

fn usage() -> ! {
    eprintln!(
        "usage: batch [generate] [--rulebook fami|medecins|all] [--rows N] [--seed S]\n\
         \x20            [--mode parse|hand|interp|verify] [--jobs N] [--repeat R] [--piece P]\n\
         \x20            [--file CSV] [--out FILE|-]"
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
        bench: false,
    };
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
            "--repeat" => args.repeat = (number(&value("--repeat")) as usize).max(1),
            "--piece" => args.piece = number(&value("--piece")) as usize,
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

/// Where generated files go: `target/forfait-bench/` (or under `CARGO_TARGET_DIR`).
fn data_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| crate_path("target"))
        .join("forfait-bench")
}

fn data_file(kind: Kind, rows: u64, seed: u64) -> PathBuf {
    data_dir().join(format!(
        "{}-{rows}-seed{seed}-v{}.csv",
        kind.name(),
        generate::VERSION
    ))
}

/// The generated file, written once (through a temporary name) and reused.
fn ensure_file(kind: Kind, rows: u64, seed: u64) -> PathBuf {
    let path = data_file(kind, rows, seed);
    if path.exists() {
        return path;
    }
    fs::create_dir_all(data_dir()).expect("target/forfait-bench");
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    let started = Instant::now();
    generate::write(kind, rows, seed, File::create(&tmp).expect("create")).expect("generate");
    fs::rename(&tmp, &path).expect("rename");
    eprintln!(
        "generated {} ({} rows, {:.1} MB) in {:.1} s",
        path.display(),
        rows,
        fs::metadata(&path).map_or(0, |m| m.len()) as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
    path
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
            // The interpreter's own reading, as a batch does it: each row read into a used
            // one's storage and decoded into one reused declaration (the general reader
            // for any row the fast path does not take, which the generator never writes).
            let (reader, mut raws) = declaration::open(
                rulebook,
                path,
                input(path),
                InputFormat::Csv,
                ReadOptions::default(),
            );
            let mut raw = RawRecord::empty();
            let mut declaration = Declaration {
                id: String::new(),
                values: Vec::new(),
            };
            let mut rows = 0;
            while raws.next_into(&mut raw).expect("the generated file reads") {
                if reader.decode(&raw, &mut declaration).is_none() {
                    match reader.build_in_place(&mut raw) {
                        Record::Declaration(d, _) => declaration = d,
                        Record::Rejected(r) => panic!("rejected: {r}"),
                    }
                }
                std::hint::black_box(&declaration);
                rows += 1;
            }
            (rows, Decimal::ZERO)
        }
        "hand" => {
            let header = forfait::output::csv::header(rulebook);
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
        "interp" => {
            let sources = vec![Source {
                name: path.to_string(),
                input: Box::new(input(path)) as Box<dyn BufRead + Send>,
                format: InputFormat::Csv,
            }];
            let options = BatchOptions {
                format: BatchFormat::Csv,
                columns: None,
                jobs,
                strict: false,
                piece,
            };
            let summary = batch::run(
                rulebook,
                sources,
                ReadOptions::default(),
                &mut io::sink(),
                options,
                &mut |_| {},
            )
            .expect("batch");
            assert_eq!(summary.rejected, 0, "no generated declaration is rejected");
            (summary.evaluated, summary.total_euros)
        }
        other => {
            eprintln!("unknown mode `{other}`");
            usage()
        }
    }
}

/// Hand-written and interpreted rows, byte for byte, and their totals, on `data` (a CSV
/// text). Panics on the first difference. Returns the rows compared and their total.
fn verify_bytes(
    kind: Kind,
    rulebook: &CompiledRulebook,
    name: &str,
    data: &[u8],
) -> (u64, Decimal) {
    let mut interpreted = Vec::new();
    let summary = batch::run(
        rulebook,
        vec![Source {
            name: name.to_string(),
            input: Box::new(data),
            format: InputFormat::Csv,
        }],
        ReadOptions::default(),
        &mut interpreted,
        BatchOptions::default(),
        &mut |_| {},
    )
    .expect("batch");
    let mut handwritten = Vec::new();
    let header = forfait::output::csv::header(rulebook);
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
    assert_eq!(summary.rejected, 0, "no generated declaration is rejected");
    let mut lines = 0;
    for (i, (a, b)) in interpreted
        .split(|b| *b == b'\n')
        .zip(handwritten.split(|b| *b == b'\n'))
        .enumerate()
    {
        assert!(
            a == b,
            "{}: output line {} differs\n  interpreter: {}\n  hand:        {}",
            kind.name(),
            i + 1,
            String::from_utf8_lossy(a),
            String::from_utf8_lossy(b)
        );
        lines += 1;
    }
    assert_eq!(interpreted.len(), handwritten.len(), "same output length");
    assert_eq!(summary.evaluated, hand.rows, "same row count");
    assert_eq!(summary.total_euros, hand.total_euros, "same total");
    assert!(lines > 0);
    (hand.rows, hand.total_euros)
}

/// The header and the first `rows` rows of a CSV file (the generator writes no line break
/// inside a field).
fn head(path: &str, rows: u64) -> Vec<u8> {
    let mut reader = input(path);
    let mut data = Vec::new();
    for _ in 0..=rows {
        if reader.read_until(b'\n', &mut data).expect("read") == 0 {
            break;
        }
    }
    data
}

fn verify(kind: Kind, rulebook: &CompiledRulebook, path: &str, rows: u64) {
    let (n, total) = verify_bytes(kind, rulebook, path, &head(path, rows));
    println!(
        "VERIFY rulebook={} rows={n} total_euros={total} identical=yes",
        kind.name()
    );
}

/// One measurement in this process: `repeat` runs, then one `RESULT` line.
fn measure(args: &Args, kind: Kind, mode: &str) {
    let rulebook = compile(kind);
    let path = match &args.file {
        Some(f) => PathBuf::from(f),
        None => ensure_file(kind, args.rows, args.seed),
    };
    let path = path.to_string_lossy().into_owned();
    if mode == "verify" {
        verify(kind, &rulebook, &path, args.rows);
        return;
    }
    let load_before = load_average();
    let mut times: Vec<Duration> = Vec::new();
    let mut cpu: Vec<f64> = Vec::new();
    let mut rows = 0;
    let mut total = Decimal::ZERO;
    for _ in 0..args.repeat {
        let cpu_started = cpu_seconds();
        let started = Instant::now();
        (rows, total) = run_once(mode, kind, &rulebook, &path, args.jobs, args.piece);
        times.push(started.elapsed());
        cpu.push(cpu_seconds() - cpu_started);
    }
    times.sort();
    cpu.sort_by(f64::total_cmp);
    let best = times[0].as_secs_f64();
    let median = times[times.len() / 2].as_secs_f64();
    let cpu_median = cpu[cpu.len() / 2];
    let jobs = if mode == "interp" { args.jobs } else { 1 };
    println!(
        "RESULT rulebook={} mode={mode} jobs={jobs} rows={rows} repeat={} best_s={best:.4} \
         median_s={median:.4} best_rows_per_s={:.0} median_rows_per_s={:.0} \
         cpu_s={cpu_median:.2} rows_per_cpu_s={:.0} vmhwm_kib={} total_euros={total} \
         load={load_before}/{}",
        kind.name(),
        args.repeat,
        rows as f64 / best,
        rows as f64 / median,
        rows as f64 / cpu_median.max(0.01),
        vmhwm_kib(),
        load_average()
    );
}

#[derive(Clone, Debug, Default)]
struct Measured {
    rows_per_s: f64,
    best_rows_per_s: f64,
    rows_per_cpu_s: f64,
    vmhwm_kib: u64,
    total: String,
}

/// Runs this binary again for one measurement and reads its `RESULT` line.
fn spawn(kind: Kind, mode: &str, jobs: usize, rows: u64, seed: u64, repeat: usize) -> Measured {
    let exe = std::env::current_exe().expect("this binary");
    let output = Command::new(exe)
        .args(["--rulebook", kind.name(), "--mode", mode])
        .args(["--jobs", &jobs.to_string(), "--rows", &rows.to_string()])
        .args(["--seed", &seed.to_string(), "--repeat", &repeat.to_string()])
        .output()
        .expect("spawn");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{} {mode} --jobs {jobs} failed:\n{stdout}\n{}",
        kind.name(),
        String::from_utf8_lossy(&output.stderr)
    );
    let line = stdout
        .lines()
        .find(|l| l.starts_with("RESULT "))
        .expect("a RESULT line");
    println!("{line}");
    let field = |key: &str| {
        line.split_whitespace()
            .find_map(|kv| kv.strip_prefix(key).and_then(|v| v.strip_prefix('=')))
            .unwrap_or("0")
            .to_string()
    };
    Measured {
        rows_per_s: field("median_rows_per_s").parse().unwrap_or(0.0),
        best_rows_per_s: field("best_rows_per_s").parse().unwrap_or(0.0),
        rows_per_cpu_s: field("rows_per_cpu_s").parse().unwrap_or(0.0),
        vmhwm_kib: field("vmhwm_kib").parse().unwrap_or(0),
        total: field("total_euros"),
    }
}

fn verdict(met: bool) -> &'static str {
    if met {
        "met"
    } else {
        "**missed**"
    }
}

/// Everything: files, verification, every mode in its own process, the tables.
fn driver(args: &Args) {
    println!(
        "driver: {} rows, seed {}, {} runs per figure; load average {}",
        args.rows,
        args.seed,
        args.repeat,
        load_average()
    );
    let mut throughput = Vec::new();
    let mut memory = Vec::new();
    for &kind in &args.rulebooks {
        let rulebook = compile(kind);
        let big = ensure_file(kind, args.rows, args.seed);
        ensure_file(kind, MEMORY_SMALL_ROWS, args.seed);
        verify(
            kind,
            &rulebook,
            &big.to_string_lossy(),
            VERIFY_ROWS.min(args.rows),
        );
        let parse = spawn(kind, "parse", 1, args.rows, args.seed, args.repeat);
        let hand = spawn(kind, "hand", 1, args.rows, args.seed, args.repeat);
        let interp1 = spawn(kind, "interp", 1, args.rows, args.seed, args.repeat);
        let interp2 = spawn(kind, "interp", 2, args.rows, args.seed, args.repeat);
        assert_eq!(
            hand.total,
            interp1.total,
            "{}: hand-written and interpreted totals differ on the whole file",
            kind.name()
        );
        assert_eq!(interp1.total, interp2.total, "same total whatever the jobs");
        // Peak memory: one run per process (a second run in the same process starts a new
        // thread pool, whose allocator arenas add to the first's).
        let small1 = spawn(kind, "interp", 1, MEMORY_SMALL_ROWS, args.seed, 1);
        let small2 = spawn(kind, "interp", 2, MEMORY_SMALL_ROWS, args.seed, 1);
        let big1 = spawn(kind, "interp", 1, args.rows, args.seed, 1);
        let big2 = spawn(kind, "interp", 2, args.rows, args.seed, 1);
        throughput.push((kind, parse, hand, interp1, interp2));
        memory.push((kind, small1, big1, small2, big2));
    }

    let k = |r: f64| format!("{:.0} k", r / 1000.0);
    println!();
    println!(
        "Throughput, rows/s, wall clock (median of {} runs; best in parentheses), {} rows:",
        args.repeat, args.rows
    );
    println!();
    println!("| rulebook | parse | hand | interp ×1 | interp ×2 | interp×1 / hand (≥ 0.8) | interp×2 / interp×1 (≥ 1.6) |");
    println!("| --- | ---: | ---: | ---: | ---: | --- | --- |");
    for (kind, parse, hand, i1, i2) in &throughput {
        let r1 = i1.rows_per_s / hand.rows_per_s;
        let r2 = i2.rows_per_s / i1.rows_per_s;
        println!(
            "| {} | {} ({}) | {} ({}) | {} ({}) | {} ({}) | {r1:.2} {} | {r2:.2} {} |",
            kind.name(),
            k(parse.rows_per_s),
            k(parse.best_rows_per_s),
            k(hand.rows_per_s),
            k(hand.best_rows_per_s),
            k(i1.rows_per_s),
            k(i1.best_rows_per_s),
            k(i2.rows_per_s),
            k(i2.best_rows_per_s),
            verdict(r1 >= 0.8),
            verdict(r2 >= 1.6),
        );
    }
    println!();
    println!("Rows per CPU second (user + system, all threads; less sensitive to other load):");
    println!();
    println!("| rulebook | parse | hand | interp ×1 | interp ×2 | interp×1 / hand |");
    println!("| --- | ---: | ---: | ---: | ---: | --- |");
    for (kind, parse, hand, i1, i2) in &throughput {
        println!(
            "| {} | {} | {} | {} | {} | {:.2} |",
            kind.name(),
            k(parse.rows_per_cpu_s),
            k(hand.rows_per_cpu_s),
            k(i1.rows_per_cpu_s),
            k(i2.rows_per_cpu_s),
            i1.rows_per_cpu_s / hand.rows_per_cpu_s,
        );
    }
    println!();
    println!("Peak memory (VmHWM), interpreter, one run per process:");
    println!();
    println!(
        "| rulebook | jobs | {MEMORY_SMALL_ROWS} rows | {} rows | ratio (≤ 2) |",
        args.rows
    );
    println!("| --- | ---: | ---: | ---: | --- |");
    for (kind, s1, b1, s2, b2) in &memory {
        for (jobs, small, big) in [(1, s1, b1), (2, s2, b2)] {
            let ratio = big.vmhwm_kib as f64 / small.vmhwm_kib.max(1) as f64;
            println!(
                "| {} | {jobs} | {:.1} MiB | {:.1} MiB | {ratio:.2} {} |",
                kind.name(),
                small.vmhwm_kib as f64 / 1024.0,
                big.vmhwm_kib as f64 / 1024.0,
                verdict(ratio <= 2.0)
            );
        }
    }
}

/// Under `cargo test --benches`: hand against interpreter on a few generated rows.
fn smoke() {
    for kind in [Kind::Fami, Kind::Medecins] {
        let rulebook = compile(kind);
        let mut data = Vec::new();
        generate::write(kind, 2_000, DEFAULT_SEED, &mut data).expect("generate");
        let (rows, total) = verify_bytes(kind, &rulebook, "smoke.csv", &data);
        println!("{}: {rows} rows identical, {total} EUR", kind.name());
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
