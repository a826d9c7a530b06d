//! A piece of declarations held column by column: one typed column per input, one row per
//! declaration, as vectorised engines hold their data. A batch reads a piece of CSV rows
//! (or JSON lines) into a table, and `eval::vector` evaluates each condition over all its
//! rows in one tight loop instead of walking the rules row after row.
//!
//! A row that does not read plainly (a cell that does not read, no id) is marked `slow`
//! with placeholder values: the batch reads and evaluates it alone, through the general
//! path, which says exactly what is wrong with it. A missing value is no such row: it is
//! marked missing, and the evaluator decides whether a rule needed it. Beneath the readers and the evaluator; it
//! knows the model's input types, nothing of either.

use rust_decimal::Decimal;

use crate::model::{CompiledRulebook, InputType, MissingRule};
use crate::value::{Date, Value};

/// A piece of declarations, column by column.
#[derive(Debug, Default)]
pub struct Table {
    /// Rows left to the general path (their columns hold placeholders).
    pub slow: Vec<bool>,
    /// Each row's `id`.
    pub ids: Texts,
    /// Each input's column, by slot.
    pub columns: Vec<Column>,
}

/// One input's values, a row each.
#[derive(Debug)]
pub struct Column {
    pub values: Values,
    /// Rows whose value is absent (`missing means none`), a row each; empty for an input
    /// whose blank cell means something else.
    pub absent: Vec<bool>,
    /// Rows whose value is missing (`missing is error`: a rule that needs it rejects the
    /// declaration), a row each; empty for an input with a default.
    pub missing: Vec<bool>,
    tracks_absent: bool,
    tracks_missing: bool,
}

/// The values of a column, of the input's type.
#[derive(Debug)]
pub enum Values {
    YesNo(Vec<bool>),
    Count(Vec<u64>),
    Decimal(Vec<Decimal>),
    Date(Vec<Date>),
    Text(Texts),
    /// By index in the input's `one of` list.
    Choice(Vec<u32>),
}

/// Texts, one a row, in one buffer.
#[derive(Debug, Default)]
pub struct Texts {
    bytes: String,
    /// Where each row's text ends in `bytes` (it starts where the previous one ends).
    ends: Vec<usize>,
}

impl Texts {
    pub fn push(&mut self, text: &str) {
        self.bytes.push_str(text);
        self.ends.push(self.bytes.len());
    }

    pub fn get(&self, row: usize) -> &str {
        let start = if row == 0 { 0 } else { self.ends[row - 1] };
        &self.bytes[start..self.ends[row]]
    }

    /// Every row's text, in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        let mut start = 0;
        self.ends.iter().map(move |&end| {
            let text = &self.bytes[start..end];
            start = end;
            text
        })
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    fn clear(&mut self) {
        self.bytes.clear();
        self.ends.clear();
    }
}

/// What a blank cell (or a field left out) gives an input.
#[derive(Clone, Debug)]
pub enum Blank {
    /// Missing (`missing is error`): a rule that needs it rejects the declaration.
    Missing,
    /// Absent (`missing means none`).
    Absent,
    /// This value (`missing means 0`).
    Default(Value),
}

impl Blank {
    /// From the value a declaration gets for a blank (`Value::Missing`: none).
    pub fn of(default: &Value) -> Blank {
        match default {
            Value::Missing => Blank::Missing,
            Value::Absent => Blank::Absent,
            v => Blank::Default(v.clone()),
        }
    }

    /// What a blank cell gives each of the rulebook's inputs, by slot: its default, absent,
    /// or missing (`missing is error`). Every reader of cells asks this.
    pub fn of_inputs(rulebook: &CompiledRulebook) -> Vec<Blank> {
        rulebook
            .inputs
            .iter()
            .map(|input| match &input.missing {
                crate::model::MissingRule::Default(v) => Blank::of(v),
                crate::model::MissingRule::Error => Blank::Missing,
            })
            .collect()
    }
}

impl Table {
    /// An empty table with a column for each of the rulebook's inputs.
    pub fn new(rulebook: &CompiledRulebook) -> Table {
        let columns = rulebook
            .inputs
            .iter()
            .map(|input| Column {
                values: match &input.ty {
                    InputType::YesNo => Values::YesNo(Vec::new()),
                    InputType::Count => Values::Count(Vec::new()),
                    InputType::Decimal => Values::Decimal(Vec::new()),
                    InputType::Date => Values::Date(Vec::new()),
                    InputType::Text => Values::Text(Texts::default()),
                    InputType::Choice(_) => Values::Choice(Vec::new()),
                },
                absent: Vec::new(),
                missing: Vec::new(),
                tracks_absent: input.missing == MissingRule::Default(Value::Absent),
                tracks_missing: input.missing == MissingRule::Error,
            })
            .collect();
        Table {
            slow: Vec::new(),
            ids: Texts::default(),
            columns,
        }
    }

    /// Empties the table (its storage kept) for a piece of `rows` rows, all plain until
    /// the reader says otherwise; ids and columns are then pushed a row at a time.
    pub fn start(&mut self, rows: usize) {
        self.slow.clear();
        self.slow.resize(rows, false);
        self.ids.clear();
        for column in &mut self.columns {
            column.start(rows);
        }
    }

    /// The rows of the piece (each is slow or not).
    pub fn rows(&self) -> usize {
        self.slow.len()
    }

    /// Appends a row the table cannot hold (placeholders), for the general path.
    pub fn push_slow_row(&mut self) {
        let row = self.ids.len();
        self.ids.push("");
        for column in &mut self.columns {
            column.push_placeholder();
        }
        self.slow[row] = true;
    }

    /// Appends one declaration's values as a row (a JSON line, read the general way);
    /// `false`, with placeholders pushed, when a value is missing: the row goes slow.
    pub fn push_declaration(&mut self, id: &str, values: &[Value]) -> bool {
        let row = self.ids.len();
        self.ids.push(id);
        let mut plain = values.len() == self.columns.len();
        for (slot, column) in self.columns.iter_mut().enumerate() {
            plain &= column.push_value(values.get(slot).unwrap_or(&Value::Missing));
        }
        if !plain {
            self.slow[row] = true;
        }
        plain
    }
}

impl Column {
    /// Empties the column for a piece of `rows` rows: values are then pushed a row at a
    /// time; the marks are there already, all false, for the inputs that can have them.
    fn start(&mut self, rows: usize) {
        for (marks, tracked) in [
            (&mut self.absent, self.tracks_absent),
            (&mut self.missing, self.tracks_missing),
        ] {
            marks.clear();
            if tracked {
                marks.resize(rows, false);
            }
        }
        match &mut self.values {
            Values::YesNo(v) => Self::restart(v, rows),
            Values::Count(v) => Self::restart(v, rows),
            Values::Decimal(v) => Self::restart(v, rows),
            Values::Date(v) => Self::restart(v, rows),
            Values::Text(v) => {
                v.clear();
                v.ends.reserve(rows);
            }
            Values::Choice(v) => Self::restart(v, rows),
        }
    }

    fn restart<T>(values: &mut Vec<T>, rows: usize) {
        values.clear();
        values.reserve(rows);
    }

    /// Appends a value of the column's type; `false`, with a placeholder appended, for a
    /// missing value or one of another type (which no reader gives).
    pub fn push_value(&mut self, value: &Value) -> bool {
        match (&mut self.values, value) {
            (_, Value::Absent) => self.push_absent(),
            (_, Value::Missing) => self.push_missing(),
            (Values::YesNo(v), Value::YesNo(b)) => {
                v.push(*b);
                true
            }
            (Values::Count(v), Value::Count(n)) => {
                v.push(*n);
                true
            }
            (Values::Decimal(v), Value::Decimal(d)) => {
                v.push(*d);
                true
            }
            (Values::Date(v), Value::Date(d)) => {
                v.push(*d);
                true
            }
            (Values::Text(v), Value::Text(t)) => {
                v.push(t);
                true
            }
            (Values::Choice(v), Value::Choice(c)) => {
                v.push(*c);
                true
            }
            _ => {
                self.push_placeholder();
                false
            }
        }
    }

    /// Appends an absent value (`missing means none`); `false` for an input that cannot be
    /// absent (no reader gives one).
    pub fn push_absent(&mut self) -> bool {
        let row = self.len();
        self.push_placeholder();
        Self::mark(&mut self.absent, row)
    }

    /// Appends a missing value (`missing is error`); `false` for an input that has a
    /// default (no reader gives one missing).
    pub fn push_missing(&mut self) -> bool {
        let row = self.len();
        self.push_placeholder();
        Self::mark(&mut self.missing, row)
    }

    /// Marks `row`; `false` when the column has no such marks.
    fn mark(marks: &mut [bool], row: usize) -> bool {
        match marks.get_mut(row) {
            Some(mark) => {
                *mark = true;
                true
            }
            None => false,
        }
    }

    /// Appends a value that means nothing, for a slow row (or an absent or missing one).
    pub fn push_placeholder(&mut self) {
        match &mut self.values {
            Values::YesNo(v) => v.push(false),
            Values::Count(v) => v.push(0),
            Values::Decimal(v) => v.push(Decimal::ZERO),
            Values::Date(v) => v.push(Date::FIRST),
            Values::Text(v) => v.push(""),
            Values::Choice(v) => v.push(0),
        }
    }

    pub fn len(&self) -> usize {
        match &self.values {
            Values::YesNo(v) => v.len(),
            Values::Count(v) => v.len(),
            Values::Decimal(v) => v.len(),
            Values::Date(v) => v.len(),
            Values::Text(v) => v.len(),
            Values::Choice(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// `row`'s value as a declaration holds it (tests and tools compare the two).
    pub fn value(&self, row: usize) -> Value {
        if self.is_absent(row) {
            return Value::Absent;
        }
        if self.missing.get(row).copied().unwrap_or(false) {
            return Value::Missing;
        }
        match &self.values {
            Values::YesNo(v) => Value::YesNo(v[row]),
            Values::Count(v) => Value::Count(v[row]),
            Values::Decimal(v) => Value::Decimal(v[row]),
            Values::Date(v) => Value::Date(v[row]),
            Values::Text(v) => Value::Text(v.get(row).to_string()),
            Values::Choice(v) => Value::Choice(v[row]),
        }
    }

    /// Whether `row`'s value is absent.
    pub fn is_absent(&self, row: usize) -> bool {
        self.absent.get(row).copied().unwrap_or(false)
    }
}
