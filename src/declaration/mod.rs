//! Reading declaration files (JSON, CSV) into declarations, with located errors.
//!
//! Every record yields either a declaration or a rejection that names the file, the row
//! (or JSON path), the id when it could be read, each faulty field and what was expected.
//! A bad record never stops the others from being read. A file that cannot be read to its
//! end (a device error, a directory, an encoding the input layer refuses) is no bad record:
//! it is a `ReadError`, which stops the reading.

mod csv;
pub mod encoding;
mod json;
mod line_guard;
pub mod mapping;
pub(crate) mod piece;
mod problem;
mod values;
mod words;

#[cfg(test)]
mod tests;

pub use self::csv::CsvRow;
pub use line_guard::MAX_QUOTED_LINES;
use problem::Malformed;
pub(crate) use problem::ProblemKind;
pub use problem::{expected, Code, IoFailure, ReadFailure};
/// The one reader of a decimal number (`490.00`, `1 440,00`), for `expected.csv`'s amounts.
pub(crate) use values::decimal;
/// The readers a data frame's columns go through (`crate::frame`).
pub(crate) use values::{blank, read as read_value, text, typed as read_typed, Typed, Wrong};

use std::fmt;

use crate::lang::closest;
use crate::model::{CompiledRulebook, InputType, MissingRule, Slot, PROFESSION};
use crate::table::Table;
use crate::value::Value;

use std::io::{self, BufRead};

/// A declaration file that could not be read to its end: the device, the file system or the
/// input layer failed (`EIO`, a directory, a byte sequence the decoding refuses). Not a bad
/// record: reading stops there.
#[derive(Debug)]
pub struct ReadError {
    pub file: String,
    /// The lines read whole before the error (0: it failed on the first).
    pub lines_read: u64,
    pub error: io::Error,
}

/// In English; [`ReadError::message`] in another language.
impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(crate::lang::Lang::En))
    }
}

impl std::error::Error for ReadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

/// Where a record is in its file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    /// A CSV record, by the line it starts on (1-based; the header is line 1).
    Line(u64),
    /// A JSON value, by its path: `$`, `$[3]`.
    Path(String),
    /// The file as a whole.
    File,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Line(n) => write!(f, "line {n}"),
            Location::Path(p) => write!(f, "{p}"),
            Location::File => write!(f, "file"),
        }
    }
}

/// One problem with one record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// `forfait::decl::<name>`, documented in docs/diagnostics.md: `kind`'s name.
    pub code: &'static str,
    pub kind: Code,
    pub field: Option<String>,
    /// In English: the text of results files (`Problem::message_in` for another language).
    pub message: String,
    pub expected: Option<String>,
    /// What is wrong, as data: what `message_in` words.
    pub(crate) what: ProblemKind,
}

/// A record that could not be evaluated, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejection {
    pub file: String,
    pub location: Location,
    pub id: Option<String>,
    pub problems: Vec<Problem>,
}

/// In English; [`Rejection::render`] in another language.
impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(crate::lang::Lang::En))
    }
}

/// One professional's declaration: an identifier and a value per input slot.
#[derive(Clone, Debug)]
pub struct Declaration {
    pub id: String,
    pub values: Vec<Value>,
}

/// One record of a declaration file, read.
#[derive(Clone, Debug)]
pub enum Record {
    Declaration(Declaration, Location),
    Rejected(Rejection),
}

/// How a declaration file is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputFormat {
    /// One JSON object, or an array of objects (read whole).
    Json,
    /// One JSON object a line (streamed).
    JsonLines,
    /// A header row of field names, then one declaration a row (streamed).
    Csv,
}

impl InputFormat {
    /// By extension: `.csv`, `.jsonl` or `.ndjson`, anything else JSON.
    pub fn from_path(path: &str) -> InputFormat {
        let lower = path.to_ascii_lowercase();
        if lower.ends_with(".csv") {
            InputFormat::Csv
        } else if lower.ends_with(".jsonl") || lower.ends_with(".ndjson") {
            InputFormat::JsonLines
        } else {
            InputFormat::Json
        }
    }
}

/// Choices about reading that the caller makes.
#[derive(Clone, Debug, Default)]
pub struct ReadOptions {
    /// Skip fields the rulebook does not know instead of rejecting the declaration (for
    /// running one set of situations through several years' rulebooks).
    pub ignore_unknown_fields: bool,
    /// The CSV separator; by default `;` when the header has a `;` and no `,`, else `,`.
    pub delimiter: Option<u8>,
    /// How the file's headings (JSON keys) and choice cells are spelled when they are not
    /// the rulebook's names (`--map`, `X.map.toml`), resolved against the same rulebook.
    pub mapping: Option<std::sync::Arc<mapping::Mapping>>,
}

/// A record as read from its file, before it is turned into a declaration. Reading is
/// sequential; turning raw records into declarations (`Reader::build`) may run on any
/// thread, which is how batches parse in parallel.
#[derive(Debug)]
pub enum RawRecord {
    Csv {
        line: u64,
        row: self::csv::CsvRow,
    },
    JsonLine {
        line: u64,
        bytes: Vec<u8>,
    },
    Json {
        location: Location,
        value: Box<serde_json::value::RawValue>,
    },
    /// Already decided while reading (an unreadable row, a bad file).
    Ready(Record),
}

impl RawRecord {
    /// A record holding nothing (no allocation), to be read into.
    pub fn empty() -> RawRecord {
        RawRecord::JsonLine {
            line: 0,
            bytes: Vec::new(),
        }
    }
}

/// Turns raw records of one file into declarations; shared by the threads of a batch.
#[derive(Debug)]
pub struct Reader<'r> {
    rulebook: &'r CompiledRulebook,
    file: String,
    csv: Option<self::csv::CsvLayout>,
    /// Each input's slot by its name, for the JSON readers (a line names every field).
    slots: Slots,
}

/// How a file names its fields, worked out once a file: input slots by name (a JSON line's
/// 40 keys looked up at once rather than each compared with every input's name), the
/// mapping's headings, and how a cell may spell each input's choices.
#[derive(Debug, Default)]
pub(crate) struct Slots {
    /// Hashed by foldhash: a JSON line's every key is looked up here, and SipHash (the
    /// standard map's, made against hostile keys) took an eighth of reading a line.
    names: foldhash::HashMap<String, Slot>,
    mapping: Option<std::sync::Arc<mapping::Mapping>>,
    /// By slot: the labels of a choice's values and the mapping's spellings of them.
    choices: Vec<values::Spellings>,
    /// Fields the rulebook does not know are skipped (`ReadOptions::ignore_unknown_fields`).
    ignore_unknown_fields: bool,
}

impl Slots {
    pub(crate) fn of(rulebook: &CompiledRulebook, options: &ReadOptions) -> Slots {
        let mapping = options.mapping.clone();
        let choices = rulebook
            .inputs
            .iter()
            .enumerate()
            .map(|(slot, input)| match &input.ty {
                InputType::Choice(choices) => {
                    let mapped = mapping.iter().flat_map(|m| m.values()).filter_map(
                        |(of, spelling, index)| {
                            (*of == slot).then_some((spelling.as_str(), *index))
                        },
                    );
                    values::Spellings::of(choices, mapped)
                }
                _ => values::Spellings::default(),
            })
            .collect();
        Slots {
            names: rulebook
                .inputs
                .iter()
                .enumerate()
                .map(|(slot, input)| (input.name.clone(), slot))
                .collect(),
            mapping,
            choices,
            ignore_unknown_fields: options.ignore_unknown_fields,
        }
    }

    /// What the file's field `name` is: the mapping's word first, then the rulebook's names.
    pub(crate) fn field(&self, name: &str) -> Option<mapping::Field> {
        match self.mapping.as_ref().and_then(|m| m.field(name)) {
            Some(field) => Some(field),
            None if name == "id" => Some(mapping::Field::Id),
            None => self.names.get(name).copied().map(mapping::Field::Input),
        }
    }

    /// How a cell may spell `slot`'s choices (nothing for an input of another type).
    pub(crate) fn choices(&self, slot: Slot) -> &values::Spellings {
        static NONE: std::sync::LazyLock<values::Spellings> =
            std::sync::LazyLock::new(values::Spellings::default);
        self.choices.get(slot).unwrap_or(&NONE)
    }
}

impl Reader<'_> {
    pub fn build(&self, raw: RawRecord) -> Record {
        match raw {
            RawRecord::Csv { line, mut row } => {
                row.split();
                self.build_csv(line, &row)
            }
            RawRecord::Ready(record) => record,
            RawRecord::JsonLine { line, bytes } => {
                let (rulebook, slots) = (self.rulebook, &self.slots);
                self::json::line_record(rulebook, slots, &self.file, line, &bytes)
            }
            RawRecord::Json { location, value } => {
                let (rulebook, slots) = (self.rulebook, &self.slots);
                self::json::record(rulebook, slots, &self.file, location, &value)
            }
        }
    }

    /// As `build`, but a CSV row is only borrowed, so that its storage can be read into
    /// again (batches recycle their rows); other records are taken, leaving an empty one.
    pub fn build_in_place(&self, raw: &mut RawRecord) -> Record {
        match raw {
            RawRecord::Csv { line, row } => {
                row.split();
                self.build_csv(*line, row)
            }
            other => self.build(std::mem::replace(other, RawRecord::empty())),
        }
    }

    fn build_csv(&self, line: u64, row: &self::csv::CsvRow) -> Record {
        match &self.csv {
            Some(layout) => layout.build(self.rulebook, &self.slots, &self.file, line, row),
            None => Record::Rejected(Rejection {
                file: self.file.clone(),
                location: Location::Line(line),
                id: None,
                problems: vec![ProblemKind::Malformed(Malformed::RowWithoutHeader).about(None)],
            }),
        }
    }

    /// A piece of records into `table`, for the batch's evaluation column by column, and
    /// each row's location into `locations`. CSV rows are decoded column by column (see
    /// `CsvLayout::decode_piece`); other records are read the general way, a declaration
    /// then pushed as a row, and `built` keeps each record read (a row the evaluator leaves
    /// to the row evaluator is not read twice). For a CSV row it is `None`: `build_in_place`
    /// reads a row again when it must say what is wrong with it.
    pub fn read_piece(
        &self,
        run: &mut [RawRecord],
        table: &mut Table,
        locations: &mut Vec<Location>,
        built: &mut Vec<Option<Record>>,
    ) {
        locations.clear();
        built.clear();
        if let Some(layout) = &self.csv {
            for raw in run.iter_mut() {
                if let RawRecord::Csv { row, .. } = raw {
                    row.split();
                }
            }
            layout.decode_piece(self.rulebook, run, table);
            locations.extend(run.iter().map(|raw| match raw {
                RawRecord::Csv { line, .. } => Location::Line(*line),
                // A rejection made while reading: the general path writes it as it is.
                _ => Location::File,
            }));
            built.resize_with(run.len(), || None);
            return;
        }
        table.start(run.len());
        for raw in run.iter_mut() {
            let record = self.build_in_place(raw);
            match &record {
                Record::Declaration(declaration, location) => {
                    table.push_declaration(&declaration.id, &declaration.values);
                    locations.push(location.clone());
                }
                Record::Rejected(_) => {
                    table.push_slow_row();
                    locations.push(Location::File);
                }
            }
            built.push(Some(record));
        }
    }
}

/// Where raw records come from: a CSV reader, JSON lines, or a JSON document read whole.
trait RawSource {
    /// Reads the next record into `slot`, in the storage it already has when it can (a CSV
    /// row into a CSV row's); `false` at the end of the file (what `slot` holds is then
    /// left over). After an error, nothing more.
    fn next_into(&mut self, slot: &mut RawRecord) -> Result<bool, ReadError>;
}

/// A source that failed before its first record (the start of the file did not read).
struct Failed(Option<ReadError>);

impl RawSource for Failed {
    fn next_into(&mut self, _: &mut RawRecord) -> Result<bool, ReadError> {
        match self.0.take() {
            Some(e) => Err(e),
            None => Ok(false),
        }
    }
}

/// Sources that build each record afresh.
struct Fresh<I>(I);

impl<I: Iterator<Item = RawRecord>> RawSource for Fresh<I> {
    fn next_into(&mut self, slot: &mut RawRecord) -> Result<bool, ReadError> {
        match self.0.next() {
            Some(record) => {
                *slot = record;
                Ok(true)
            }
            None => Ok(false),
        }
    }
}

/// The raw records of one file, in file order, read lazily for CSV and JSON lines.
pub struct RawRecords<'a> {
    source: Box<dyn RawSource + Send + 'a>,
}

impl RawRecords<'_> {
    /// Reads the next record into `slot`, reusing its storage when both are CSV rows (a
    /// batch reads into the rows it is done with, so reading allocates nothing once warm).
    /// `false` at the end of the file; an error when the file cannot be read on (nothing
    /// more is read after it).
    pub fn next_into(&mut self, slot: &mut RawRecord) -> Result<bool, ReadError> {
        self.source.next_into(slot)
    }
}

impl Iterator for RawRecords<'_> {
    type Item = Result<RawRecord, ReadError>;

    fn next(&mut self) -> Option<Result<RawRecord, ReadError>> {
        let mut slot = RawRecord::empty();
        match self.source.next_into(&mut slot) {
            Ok(true) => Some(Ok(slot)),
            Ok(false) => None,
            Err(e) => Some(Err(e)),
        }
    }
}

/// Opens a declaration file: the reader that builds declarations, and the raw records in
/// file order, read lazily for CSV and JSON lines (bounded memory for any size).
pub fn open<'a, R: BufRead + Send + 'a>(
    rulebook: &'a CompiledRulebook,
    file: &'a str,
    input: R,
    format: InputFormat,
    options: ReadOptions,
) -> (Reader<'a>, RawRecords<'a>) {
    let slots = Slots::of(rulebook, &options);
    let (csv, source): (_, Box<dyn RawSource + Send + 'a>) = match format {
        InputFormat::Csv => self::csv::open(rulebook, &slots, file, input, &options),
        InputFormat::JsonLines => (None, Box::new(self::json::Lines::new(file, input))),
        InputFormat::Json => match self::json::whole(file, input) {
            Ok(records) => (None, Box::new(Fresh(records.into_iter()))),
            Err(e) => (None, Box::new(Failed(Some(e)))),
        },
    };
    let reader = Reader {
        rulebook,
        file: file.to_string(),
        csv,
        slots,
    };
    (reader, RawRecords { source })
}

/// Reads every record of `input`, in order, on this thread; a read error ends it (nothing
/// is read after it).
pub fn try_records<'a, R: BufRead + Send + 'a>(
    rulebook: &'a CompiledRulebook,
    file: &'a str,
    input: R,
    format: InputFormat,
    options: ReadOptions,
) -> impl Iterator<Item = Result<Record, ReadError>> + 'a {
    let (reader, raws) = open(rulebook, file, input, format, options);
    raws.map(move |raw| raw.map(|raw| reader.build(raw)))
}

/// As `try_records`, for input that does not fail (text in memory): a read error, should
/// one come, ends the records with a rejection of the file saying so. Where reading can
/// fail, `try_records` or `crate::batch::run` tell it from a bad record.
pub fn records<'a, R: BufRead + Send + 'a>(
    rulebook: &'a CompiledRulebook,
    file: &'a str,
    input: R,
    format: InputFormat,
    options: ReadOptions,
) -> impl Iterator<Item = Record> + 'a {
    try_records(rulebook, file, input, format, options).map(|record| {
        record.unwrap_or_else(|e| {
            Record::Rejected(Rejection {
                file: e.file.clone(),
                location: Location::File,
                id: None,
                problems: vec![
                    ProblemKind::Malformed(Malformed::Unreadable(ReadFailure::of(&e))).about(None),
                ],
            })
        })
    })
}

/// Reads every record of a text already in memory.
pub fn read_str(
    rulebook: &CompiledRulebook,
    file: &str,
    text: &str,
    format: InputFormat,
    options: ReadOptions,
) -> Vec<Record> {
    records(rulebook, file, text.as_bytes(), format, options).collect()
}

/// A raw field value as found in the file.
pub(crate) enum Raw<'a> {
    Text(&'a str),
    Bool(bool),
    /// A JSON number, its literal text (never read as a float).
    Number(&'a str),
}

/// Collects one record's fields, then completes it with the rulebook's defaults.
pub(crate) struct Builder<'r> {
    rulebook: &'r CompiledRulebook,
    slots: &'r Slots,
    values: Vec<Value>,
    pub(crate) id: Option<String>,
    pub(crate) problems: Vec<Problem>,
}

impl<'r> Builder<'r> {
    pub(crate) fn new(rulebook: &'r CompiledRulebook, slots: &'r Slots) -> Self {
        Builder {
            rulebook,
            slots,
            values: vec![Value::Missing; rulebook.inputs.len()],
            id: None,
            problems: Vec::new(),
        }
    }

    /// A field the declaration has but the rulebook does not know.
    pub(crate) fn unknown_field(&mut self, field: &str) {
        if !self.slots.ignore_unknown_fields {
            self.problems
                .push(Self::unknown_field_problem(self.rulebook, field, None));
        }
    }

    /// The problem of a field the file names but the rulebook does not know (in CSV, its
    /// column's number).
    pub(crate) fn unknown_field_problem(
        rulebook: &CompiledRulebook,
        field: &str,
        column: Option<usize>,
    ) -> Problem {
        // An edit distance is at least the difference of the lengths: names too far in
        // length are not compared (a 1 MB column name against each input would take
        // seconds and gigabytes, to suggest nothing). `closest` allows a third.
        let length = field.chars().count();
        let limit = (length / 3).max(1);
        let names = rulebook
            .inputs
            .iter()
            .map(|i| i.name.as_str())
            .chain(["id"])
            .filter(|name| name.chars().count().abs_diff(length) <= limit);
        ProblemKind::UnknownField {
            column,
            rulebook: rulebook.meta.name.clone(),
            suggestion: closest(field, names),
        }
        .about(Some(field.to_string()))
    }

    pub(crate) fn set_id(&mut self, raw: Option<Raw<'_>>) {
        match raw {
            Some(Raw::Text(t)) if !t.trim().is_empty() => self.id = Some(t.trim().to_string()),
            Some(Raw::Number(n)) => self.id = Some(n.to_string()),
            _ => self
                .problems
                .push(ProblemKind::MissingId.about(Some("id".into()))),
        }
    }

    /// Sets `slot` from a raw value; `None` (empty cell, JSON null) leaves it missing.
    pub(crate) fn set(&mut self, slot: Slot, raw: Option<Raw<'_>>) {
        let Some(raw) = raw else {
            return;
        };
        let input = &self.rulebook.inputs[slot];
        let parsed = match (&input.ty, &raw) {
            // A blank cell or text means "not given", in CSV and JSON alike.
            (_, Raw::Text(t)) if values::blank(t.as_bytes()) => return,
            (ty, Raw::Text(t)) => values::read(ty, self.slots.choices(slot), t.as_bytes()),
            (InputType::YesNo, Raw::Bool(b)) => Ok(Value::YesNo(*b)),
            // A JSON number's literal text, read as a text of the same type would be.
            (ty @ (InputType::YesNo | InputType::Count | InputType::Decimal), Raw::Number(t)) => {
                values::read(ty, self.slots.choices(slot), t.as_bytes())
            }
            _ => Err(Wrong::Format),
        };
        self.set_read(slot, parsed.map(Some), || match raw {
            Raw::Text(t) => t.trim().to_string(),
            Raw::Number(t) => t.to_string(),
            Raw::Bool(b) => b.to_string(),
        });
    }

    /// Sets `slot` from a value already read (`Ok(None)`: blank, left missing), or says why
    /// `shown` is not one: `set`'s words, for a value handed over typed (`crate::frame`).
    pub(crate) fn set_read(
        &mut self,
        slot: Slot,
        parsed: Result<Option<Value>, Wrong>,
        shown: impl FnOnce() -> String,
    ) {
        let input = &self.rulebook.inputs[slot];
        match parsed {
            Ok(Some(value)) => self.values[slot] = value,
            Ok(None) => {}
            Err(wrong) => {
                let shown = shown();
                let ty = input.ty.clone();
                let kind = match (wrong, slot) {
                    (Wrong::Choice, PROFESSION) => ProblemKind::ProfessionNotCovered {
                        shown,
                        rulebook: self.rulebook.meta.name.clone(),
                        ty,
                    },
                    (Wrong::Choice | Wrong::AmbiguousChoice, _) => {
                        let (suggestion, candidates) = match &ty {
                            InputType::Choice(choices) => {
                                let candidates = self
                                    .slots
                                    .choices(slot)
                                    .candidates(&shown)
                                    .into_iter()
                                    .filter_map(|i| choices.get(i as usize))
                                    .map(|c| c.name.clone())
                                    .collect();
                                let names = choices.iter().map(|c| c.name.as_str());
                                (closest(&shown, names), candidates)
                            }
                            _ => (None, Vec::new()),
                        };
                        ProblemKind::UnknownValue {
                            shown,
                            ty,
                            suggestion,
                            candidates,
                        }
                    }
                    (wrong, _) => ProblemKind::WrongValue { wrong, shown, ty },
                };
                self.problems.push(kind.about(Some(input.name.clone())));
            }
        }
    }

    /// The declaration, with defaults for missing values, or the record's problems.
    pub(crate) fn finish(mut self, file: &str, location: Location) -> Record {
        for (slot, input) in self.rulebook.inputs.iter().enumerate() {
            if self.values[slot] == Value::Missing {
                if let MissingRule::Default(v) = &input.missing {
                    self.values[slot] = v.clone();
                }
            }
        }
        if self.values[PROFESSION] == Value::Missing
            && self
                .problems
                .iter()
                .all(|p| p.field.as_deref() != Some("profession"))
        {
            self.problems.push(
                ProblemKind::ProfessionNeeded {
                    rulebook: self.rulebook.meta.name.clone(),
                    ty: self.rulebook.inputs[PROFESSION].ty.clone(),
                }
                .about(Some("profession".into())),
            );
        }
        match (self.problems.is_empty(), self.id) {
            (true, Some(id)) => Record::Declaration(
                Declaration {
                    id,
                    values: self.values,
                },
                location,
            ),
            (_, id) => Record::Rejected(Rejection {
                file: file.to_string(),
                location,
                id,
                problems: self.problems,
            }),
        }
    }
}

/// The message of a value that is not of its input's type.
/// A CSV line or JSON line longer than this is refused (with its line number) rather than
/// read into memory: no declaration comes anywhere near it, and a 2 GB line must not
/// exhaust the machine.
pub const MAX_LINE_BYTES: usize = 1024 * 1024;

/// A JSON file (not JSON lines) larger than this is refused: it is read whole.
pub const MAX_JSON_BYTES: u64 = 256 * 1024 * 1024;
