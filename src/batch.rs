//! Batch evaluation: a declaration file of any size, read as a stream, evaluated in
//! parallel, written in input order, in bounded memory.
//!
//! The file is read in order, a piece of records at a time, by whichever worker is free,
//! which then builds, evaluates and renders that piece itself (a row stays on one core);
//! the calling thread writes the pieces back in order. Nothing is lost: each record read
//! yields exactly one line of output, an outcome or a rejection, and the summary counts
//! both. The output is the same whatever the number of threads. A file that cannot be read
//! on (a device error, a directory) is no record: it stops the batch with a
//! `BatchError::Read` naming the file and how far it was read.

use std::collections::BTreeMap;
use std::io::{self, BufRead, Write};
use std::sync::{mpsc, Condvar, Mutex};

use rust_decimal::Decimal;

use crate::declaration::{
    self, InputFormat, Location, RawRecord, RawRecords, ReadError, ReadOptions, Record,
};
use crate::eval::vector::{self, PieceOutcome, PieceRow};
use crate::eval::{EvalOptions, Outcome, PaymentStatus};
use crate::lang::Lang;
use crate::model::CompiledRulebook;
use crate::output::columns::Columns;
use crate::output::csv::{self, CsvStyle};
use crate::record::{evaluate_record, Evaluated};
use crate::table::Table;

/// How results are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BatchFormat {
    /// A row per declaration (docs/output-json.md describes the fields of the others).
    Csv,
    /// One JSON object a line.
    JsonLines,
    /// One JSON array of objects.
    Json,
    /// The human explanation of each declaration.
    Text,
}

impl BatchFormat {
    /// What evaluation must keep for this format: CSV needs statuses and amounts only.
    fn eval_options(self) -> EvalOptions {
        match self {
            BatchFormat::Csv => EvalOptions {
                trace: false,
                what_if: false,
            },
            _ => EvalOptions::default(),
        }
    }
}

#[derive(Clone, Debug)]
pub struct BatchOptions {
    pub format: BatchFormat,
    /// Only these columns of the result row (`--columns`), for CSV and JSON lines; `None`:
    /// the full row (CSV) or the whole JSON object.
    pub columns: Option<Columns>,
    /// Threads evaluating (1 = this thread only).
    pub jobs: usize,
    /// Stop at the first rejected declaration (it is still written).
    pub strict: bool,
    /// Records a worker reads and evaluates at a time (a piece); 0, the default: 256,
    /// whatever the jobs. Memory holds a few pieces a job, whatever the file.
    pub piece: usize,
    /// How CSV results are laid out (`--excel`: `;`, decimal commas, CRLF, a BOM).
    pub csv_style: CsvStyle,
}

impl BatchOptions {
    /// The piece size in force: small enough to stay in the processor's cache while it is
    /// decoded and evaluated (256 rows: 10 % faster than 1 024). Several jobs take several
    /// pieces at each turn at the reader (`PIECES_A_TURN`).
    fn piece_rows(&self) -> usize {
        match (self.piece, self.jobs) {
            (0, _) => 256,
            (rows, _) => rows,
        }
    }
}

impl Default for BatchOptions {
    fn default() -> Self {
        BatchOptions {
            format: BatchFormat::Csv,
            columns: None,
            jobs: 1,
            strict: false,
            piece: 0,
            csv_style: CsvStyle::default(),
        }
    }
}

/// What a batch read, evaluated and paid.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Summary {
    pub read: u64,
    pub evaluated: u64,
    pub rejected: u64,
    /// Euros paid per payment line, in the rulebook's order.
    pub paid_per_line: Vec<Decimal>,
    pub total_euros: Decimal,
    /// Set when `strict` stopped the batch at a rejected declaration.
    pub stopped_early: bool,
    /// Declarations rejected, by problem code and field (`forfait::decl::missing_input`,
    /// `cdc_sesam_vitale`): a declaration counts once under each of its problems.
    pub rejections: BTreeMap<(&'static str, Option<String>), u64>,
}

/// Why a batch stopped before its end.
#[derive(Debug)]
pub enum BatchError {
    /// A declaration file could not be read on: the records before the error are written,
    /// nothing after it is read.
    Read(ReadError),
    /// The output could not be written (or the total paid outgrew a decimal).
    Write(io::Error),
}

impl std::fmt::Display for BatchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BatchError::Read(e) => write!(f, "{e}"),
            BatchError::Write(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for BatchError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            BatchError::Read(e) => Some(e),
            BatchError::Write(e) => Some(e),
        }
    }
}

impl From<io::Error> for BatchError {
    fn from(e: io::Error) -> Self {
        BatchError::Write(e)
    }
}

/// One declaration file of a batch.
pub struct Source<'a> {
    pub name: String,
    /// `Send`: the workers take turns reading it.
    pub input: Box<dyn BufRead + Send + 'a>,
    pub format: InputFormat,
}

/// Evaluates every record of every source into `output`, as one document (one CSV header,
/// one JSON array). `progress` is called now and then with the records read so far. A
/// read error stops it once the records read before it are written.
pub fn run<W: Write>(
    rulebook: &CompiledRulebook,
    sources: Vec<Source<'_>>,
    read_options: ReadOptions,
    output: &mut W,
    options: BatchOptions,
    progress: &mut dyn FnMut(u64),
) -> Result<Summary, BatchError> {
    run_in(
        rulebook,
        sources,
        read_options,
        output,
        options,
        progress,
        Lang::En,
    )
}

/// As [`run`], with the text format's rejections in `lang`: the text format is for
/// people; CSV and JSON results are for programs, and keep English words in every
/// language.
pub fn run_in<W: Write>(
    rulebook: &CompiledRulebook,
    sources: Vec<Source<'_>>,
    read_options: ReadOptions,
    output: &mut W,
    options: BatchOptions,
    progress: &mut dyn FnMut(u64),
    lang: Lang,
) -> Result<Summary, BatchError> {
    // Chosen columns are statuses and amounts only: no trace to keep, as for CSV.
    let eval_options = match options.columns {
        Some(_) => BatchFormat::Csv.eval_options(),
        None => options.format.eval_options(),
    };
    let mut summary = Summary {
        paid_per_line: vec![Decimal::ZERO; rulebook.payments.len()],
        ..Summary::default()
    };
    let style = options.csv_style;
    if options.format == BatchFormat::Csv {
        output.write_all(style.start().as_bytes())?;
    }
    match (options.format, &options.columns) {
        (BatchFormat::Csv, Some(columns)) => output.write_all(columns.header(style).as_bytes())?,
        (BatchFormat::Csv, None) => output.write_all(csv::header(rulebook, style).as_bytes())?,
        (BatchFormat::Json, _) => output.write_all(b"[")?,
        _ => {}
    }
    let (before_first, between) = match options.format {
        BatchFormat::Json => ("\n", ",\n"),
        BatchFormat::Text => ("", "\n"),
        BatchFormat::Csv | BatchFormat::JsonLines => ("", ""),
    };
    let mut first = true;
    let mut pieces_written = 0u64;
    for source in sources {
        if summary.stopped_early {
            break;
        }
        let file = source.name.as_str();
        let (reader, raws) = declaration::open(
            rulebook,
            file,
            source.input,
            source.format,
            read_options.clone(),
        );
        let work = Work {
            rulebook,
            reader: &reader,
            file,
            eval_options,
            format: options.format,
            columns: options.columns.as_ref(),
            lang,
            between,
            strict: options.strict,
            // A CSV row is about as long as the header (names against amounts and
            // statuses) plus the hash and the source; other formats are longer still.
            row_bytes: csv::header(rulebook, style).len() + file.len() + 128,
            style,
            by_columns: options.format == BatchFormat::Csv && vector::can_evaluate(rulebook),
        };
        // Each piece written as it comes, in input order; `false` once `strict` stops.
        let mut write = |piece: &mut Piece| -> io::Result<bool> {
            output.write_all(if first { before_first } else { between }.as_bytes())?;
            first = false;
            output.write_all(piece.text.as_bytes())?;
            summary.read += piece.evaluated + piece.rejected;
            summary.evaluated += piece.evaluated;
            summary.rejected += piece.rejected;
            add_cents(&mut summary.total_euros, piece.total_cents)?;
            for (key, count) in std::mem::take(&mut piece.rejections) {
                *summary.rejections.entry(key).or_default() += count;
            }
            for (total, paid) in summary.paid_per_line.iter_mut().zip(&piece.paid_cents) {
                add_cents(total, *paid)?;
            }
            pieces_written += 1;
            if pieces_written % 8 == 0 {
                progress(summary.read);
            }
            summary.stopped_early |= piece.stopped;
            Ok(!piece.stopped)
        };
        match options.jobs {
            0 | 1 => one_thread(&work, raws, options.piece_rows(), &mut write)?,
            jobs => workers(&work, raws, jobs, options.piece_rows(), &mut write)?,
        }
    }
    progress(summary.read);
    if options.format == BatchFormat::Json {
        output.write_all(if first { b"]\n" } else { b"\n]\n" })?;
    }
    output.flush()?;
    Ok(summary)
}

/// One job: read a piece, evaluate it, write it, on this thread.
fn one_thread(
    work: &Work<'_>,
    mut raws: RawRecords<'_>,
    rows: usize,
    write: &mut dyn FnMut(&mut Piece) -> io::Result<bool>,
) -> Result<(), BatchError> {
    // One run of records, read into again and again (their storage reused).
    let mut run = Vec::new();
    let mut scratch = Scratch::default();
    loop {
        let read = refill(&mut raws, &mut run, rows);
        // The records read before an error are written first.
        if !run.is_empty() {
            let mut piece = work.piece(&mut run, &mut scratch);
            let go_on = write(&mut piece)?;
            scratch.spare_texts.push(piece.text);
            if !go_on {
                return Ok(());
            }
        }
        read.map_err(BatchError::Read)?;
        if run.is_empty() {
            return Ok(());
        }
    }
}

/// Pieces a worker takes at each turn of the shared reader: read under one lock and handed
/// to the writing thread as one message, so that threads hand over an eighth as often,
/// while each piece stays small enough for the processor's cache. Two jobs on two cores
/// went from 1.4-1.85 times one job's speed (one piece of 1 024 rows a turn) to 1.84-1.92
/// (docs/performance.md, "Several cores").
const PIECES_A_TURN: usize = 8;

/// What the workers share: the file, read a turn at a time by whichever worker is free.
struct Shared<'r> {
    raws: RawRecords<'r>,
    /// The number the next turn read gets.
    next: u64,
    /// Turns written so far: no worker reads more than `window` turns ahead of them.
    written: u64,
    /// The texts of pieces written, for the workers to write again (a piece's text is
    /// tens of kilobytes: reused, its memory is never asked of the system again).
    spare_texts: Vec<String>,
    /// Stop reading: `strict` stopped, the output failed, or the input did.
    stop: bool,
    /// The input failed: the batch ends with this, once the pieces before it are written.
    failed: Option<ReadError>,
}

/// Several jobs: each worker takes the next piece of the file from the shared reader, then
/// builds, evaluates and renders it itself, so that a row is read and decoded on one core
/// (handing rows from a reading thread to others cost more than reading them). Pieces come
/// back numbered; this thread writes them in order.
fn workers(
    work: &Work<'_>,
    raws: RawRecords<'_>,
    jobs: usize,
    rows: usize,
    write: &mut dyn FnMut(&mut Piece) -> io::Result<bool>,
) -> Result<(), BatchError> {
    // Turns read but not yet written: at most two a worker, which bounds memory whatever
    // the speed of each thread.
    let window = 2 * jobs as u64;
    let shared = Mutex::new(Shared {
        raws,
        next: 0,
        written: 0,
        spare_texts: Vec::new(),
        stop: false,
        failed: None,
    });
    let turn = Condvar::new();
    let (sender, turns) = mpsc::sync_channel::<(u64, Vec<Piece>)>(2 * jobs);
    std::thread::scope(|scope| {
        let mut spawned = 0;
        let mut refused = None;
        for _ in 0..jobs {
            let sender = sender.clone();
            let (shared, turn) = (&shared, &turn);
            // A thread the system refuses is one worker fewer (the output is the same).
            let worker = std::thread::Builder::new().spawn_scoped(scope, move || {
                let mut run = Vec::new();
                let mut scratch = Scratch::default();
                loop {
                    let number = {
                        let Ok(mut state) = shared.lock() else {
                            return;
                        };
                        while !state.stop && state.next >= state.written + window {
                            state = match turn.wait(state) {
                                Ok(state) => state,
                                Err(_) => return,
                            };
                        }
                        if state.stop {
                            return;
                        }
                        let spare = &mut state.spare_texts;
                        scratch
                            .spare_texts
                            .extend(spare.drain(spare.len().saturating_sub(PIECES_A_TURN)..));
                        if let Err(e) = refill(&mut state.raws, &mut run, rows * PIECES_A_TURN) {
                            // The records before the error still go out, as this turn.
                            state.failed = Some(e);
                            state.stop = true;
                            turn.notify_all();
                        }
                        if run.is_empty() {
                            return;
                        }
                        state.next += 1;
                        state.next - 1
                    };
                    let pieces = run
                        .chunks_mut(rows)
                        .map(|chunk| work.piece(chunk, &mut scratch))
                        .collect();
                    if sender.send((number, pieces)).is_err() {
                        return;
                    }
                }
            });
            match worker {
                Ok(_) => spawned += 1,
                Err(e) => refused = Some(e),
            }
        }
        if let (0, Some(e)) = (spawned, refused) {
            return Err(BatchError::Write(e));
        }
        drop(sender);
        // Turns come in any order; those ahead of theirs wait here (at most `window`).
        let mut waiting = BTreeMap::new();
        let mut next = 0;
        let mut result = Ok(());
        // Once stopped (by `strict`, or a failed write), turns are only drained.
        let mut stopped = false;
        let mut written_texts = Vec::new();
        for (number, pieces) in turns.iter() {
            if stopped {
                continue;
            }
            waiting.insert(number, pieces);
            while let Some(pieces) = waiting.remove(&next) {
                next += 1;
                for mut piece in pieces {
                    match write(&mut piece) {
                        Ok(true) => {}
                        Ok(false) => stopped = true,
                        Err(e) => {
                            result = Err(BatchError::Write(e));
                            stopped = true;
                        }
                    }
                    written_texts.push(piece.text);
                    if stopped {
                        break;
                    }
                }
                if let Ok(mut state) = shared.lock() {
                    state.written = next;
                    state.stop |= stopped;
                    state.spare_texts.append(&mut written_texts);
                }
                turn.notify_all();
                if stopped {
                    break;
                }
            }
        }
        result?;
        match shared.lock().ok().and_then(|mut state| state.failed.take()) {
            Some(e) => Err(BatchError::Read(e)),
            None => Ok(()),
        }
    })
}

/// Rows evaluated together by one worker: rendered into one text, with their counts.
/// Outcomes are dropped on the thread that made them (allocators are much faster so).
struct Piece {
    text: String,
    evaluated: u64,
    rejected: u64,
    /// Sums in cents: every amount is rounded to the cent, and integers add faster.
    total_cents: i128,
    paid_cents: Vec<i128>,
    /// `strict` and a row was rejected: the piece ends with it.
    stopped: bool,
    /// Its rejections by code and field (`Summary::rejections`).
    rejections: BTreeMap<(&'static str, Option<String>), u64>,
}

/// What every worker needs to turn raw records into rendered rows.
struct Work<'a> {
    rulebook: &'a CompiledRulebook,
    reader: &'a declaration::Reader<'a>,
    file: &'a str,
    eval_options: crate::eval::EvalOptions,
    format: BatchFormat,
    columns: Option<&'a Columns>,
    lang: Lang,
    between: &'a str,
    strict: bool,
    /// About the length of a result row, to size each piece's text once.
    row_bytes: usize,
    style: CsvStyle,
    /// CSV results: pieces are evaluated column by column.
    by_columns: bool,
}

/// A worker's storage, reused from piece to piece.
#[derive(Default)]
struct Scratch {
    table: Option<Table>,
    outcome: PieceOutcome,
    locations: Vec<Location>,
    built: Vec<Option<Record>>,
    /// Texts of pieces written, to write the next pieces into.
    spare_texts: Vec<String>,
}

impl Work<'_> {
    fn piece(&self, run: &mut [RawRecord], scratch: &mut Scratch) -> Piece {
        let mut text = scratch.spare_texts.pop().unwrap_or_default();
        text.clear();
        text.reserve(run.len() * self.row_bytes);
        let mut piece = Piece {
            text,
            evaluated: 0,
            rejected: 0,
            total_cents: 0,
            paid_cents: vec![0; self.rulebook.payments.len()],
            stopped: false,
            rejections: BTreeMap::new(),
        };
        if self.by_columns {
            self.by_columns(run, scratch, &mut piece);
            return piece;
        }
        for (i, raw) in run.iter_mut().enumerate() {
            if i > 0 {
                piece.text.push_str(self.between);
            }
            let record = self.reader.build_in_place(raw);
            let outcome = self.write_record(record, &mut piece.text, &mut piece.rejections);
            if !piece.count(outcome.as_deref(), self.strict) {
                break;
            }
        }
        piece
    }

    /// CSV results: the piece read into a table and evaluated column by column
    /// (`eval::vector`), each plain row written from it; a row the table cannot hold, or
    /// whose amounts it cannot give, is read and evaluated alone, as in any other format.
    fn by_columns(&self, run: &mut [RawRecord], scratch: &mut Scratch, piece: &mut Piece) {
        let table = scratch
            .table
            .get_or_insert_with(|| Table::new(self.rulebook));
        self.reader
            .read_piece(run, table, &mut scratch.locations, &mut scratch.built);
        let outcome = &mut scratch.outcome;
        vector::evaluate_piece(self.rulebook, table, outcome);
        for (r, raw) in run.iter_mut().enumerate() {
            if r > 0 {
                piece.text.push_str(self.between);
            }
            if !outcome.by_row(r) {
                let row = PieceRow {
                    outcome,
                    table,
                    row: r,
                };
                let (text, location) = (&mut piece.text, &scratch.locations[r]);
                let style = self.style;
                match self.columns {
                    Some(c) => {
                        c.write_outcome_csv(text, self.rulebook, &row, self.file, location, style)
                    }
                    None => csv::write_outcome_row(
                        text,
                        self.rulebook,
                        &row,
                        self.file,
                        location,
                        style,
                    ),
                }
                piece.evaluated += 1;
                piece.total_cents += i128::from(outcome.total_cents(r));
                for (line, paid) in piece.paid_cents.iter_mut().enumerate() {
                    *paid += i128::from(outcome.line_cents(line, r));
                }
                continue;
            }
            let record = match scratch.built[r].take() {
                Some(record) => record,
                None => self.reader.build_in_place(raw),
            };
            let outcome = self.write_record(record, &mut piece.text, &mut piece.rejections);
            if !piece.count(outcome.as_deref(), self.strict) {
                break;
            }
        }
    }

    /// A record evaluated row by row and written in the output format. Returns the
    /// outcome, or `None` when the record was rejected.
    fn write_record(
        &self,
        record: Record,
        text: &mut String,
        rejections: &mut BTreeMap<(&'static str, Option<String>), u64>,
    ) -> Option<Box<Outcome>> {
        let evaluated = evaluate_record(self.rulebook, self.file, record, self.eval_options);
        let (rulebook, style) = (self.rulebook, self.style);
        match (self.format, self.columns) {
            (BatchFormat::Csv, Some(c)) => c.write_csv(text, rulebook, &evaluated, style),
            (BatchFormat::JsonLines, Some(c)) => c.write_json_line(text, rulebook, &evaluated),
            (BatchFormat::Csv, None) => csv::write_row(text, rulebook, &evaluated, style),
            _ => text.push_str(&render(rulebook, &evaluated, self.format, self.lang)),
        }
        match evaluated {
            Evaluated::Outcome { outcome, .. } => Some(outcome),
            Evaluated::Rejected(rejection) => {
                count_rejection(rejections, &rejection);
                None
            }
        }
    }
}

impl Piece {
    /// Counts a row written: its outcome's amounts, or a rejection. `false` when `strict`
    /// stops the piece there.
    fn count(&mut self, outcome: Option<&Outcome>, strict: bool) -> bool {
        match outcome {
            Some(outcome) => {
                self.evaluated += 1;
                self.total_cents += cents(outcome.total_euros);
                for (line, paid) in outcome.payments.iter().zip(self.paid_cents.iter_mut()) {
                    if line.status == PaymentStatus::Paid {
                        *paid += cents(line.euros);
                    }
                }
                true
            }
            None => {
                self.rejected += 1;
                self.stopped = strict;
                !strict
            }
        }
    }
}

/// A rejection counted once under each (code, field) of its problems.
fn count_rejection(
    counts: &mut BTreeMap<(&'static str, Option<String>), u64>,
    rejection: &declaration::Rejection,
) {
    for (i, problem) in rejection.problems.iter().enumerate() {
        let earlier = rejection.problems[..i]
            .iter()
            .any(|p| p.code == problem.code && p.field == problem.field);
        if !earlier {
            *counts
                .entry((problem.code, problem.field.clone()))
                .or_default() += 1;
        }
    }
}

/// An amount in cents (amounts are rounded to the cent, so this is exact). A piece of 256
/// rows cannot come near `i128`'s bounds: a `Decimal` holds less than 2^96.
fn cents(amount: Decimal) -> i128 {
    crate::value::money::round_to_cents(amount).mantissa()
}

/// Adds a piece's cents to a summary's euros; an error rather than a wrong total when the
/// sum outgrows what a `Decimal` holds.
fn add_cents(total: &mut Decimal, cents: i128) -> io::Result<()> {
    Decimal::try_from_i128_with_scale(cents, 2)
        .ok()
        .and_then(|euros| total.checked_add(euros))
        .map(|sum| *total = sum)
        .ok_or_else(|| io::Error::other("the total paid is too large for a decimal amount"))
}

/// Reads up to `n` records into `run`, into the storage of the records it holds (from a
/// piece already written), then drops what is left over. After an error, `run` holds the
/// records read before it.
fn refill(raws: &mut RawRecords<'_>, run: &mut Vec<RawRecord>, n: usize) -> Result<(), ReadError> {
    let mut filled = 0;
    let mut result = Ok(());
    while filled < n {
        if filled == run.len() {
            run.push(RawRecord::empty());
        }
        match raws.next_into(&mut run[filled]) {
            Ok(true) => filled += 1,
            Ok(false) => break,
            Err(e) => {
                result = Err(e);
                break;
            }
        }
    }
    run.truncate(filled);
    result
}

/// One record in the output format, with its line ending.
fn render(
    rulebook: &CompiledRulebook,
    evaluated: &Evaluated,
    format: BatchFormat,
    lang: Lang,
) -> String {
    match format {
        // CSV rows are written by `write_record`, in the batch's style.
        BatchFormat::Csv => csv::row(rulebook, evaluated, CsvStyle::default()),
        BatchFormat::JsonLines => {
            let mut line = crate::output::json::to_json(rulebook, evaluated).to_string();
            line.push('\n');
            line
        }
        BatchFormat::Json => {
            serde_json::to_string_pretty(&crate::output::json::to_json(rulebook, evaluated))
                .unwrap_or_default()
        }
        BatchFormat::Text => {
            crate::output::text::render_in(rulebook, std::slice::from_ref(evaluated), lang)
        }
    }
}
