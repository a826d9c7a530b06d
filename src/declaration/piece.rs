//! One input's cells, for every row of a piece, into its column of a [`Table`]: the one
//! loop a CSV piece's columns (`CsvLayout::decode_piece`) and a data frame's
//! (`crate::frame`) are read with. Text cells go through the same readers of
//! `super::values` as `Builder::set`, typed cells (a frame's integers, floats, ...) through
//! `values::typed`. A cell that does not read plainly leaves a placeholder and marks its
//! row slow, for the general path to say what is wrong.

use super::values::{self, Spellings, Typed, Wrong};
use crate::model::{CompiledRulebook, InputType, Slot, PROFESSION};
use crate::table::{Blank, Column, Table, Values};
use crate::value::{Date, Value};

/// Row `row`'s id (`None`: none that reads, or blank), or the row marked slow, for the
/// general path to say what is wrong.
pub(crate) fn push_id(table: &mut Table, row: usize, id: Option<&str>) {
    match id.filter(|id| !id.is_empty()) {
        Some(id) => table.ids.push(id),
        None => {
            table.ids.push("");
            table.slow[row] = true;
        }
    }
}

/// The end of a piece's reading, once every column is read: the inputs no column gives
/// get what a blank cell gives them, on every row, and a row without its profession goes
/// the general way (`Builder::finish` says so).
pub(crate) fn finish(table: &mut Table, uncovered: &[Slot], blanks: &[Blank]) {
    let Table { slow, columns, .. } = table;
    for &slot in uncovered {
        let column = &mut columns[slot];
        for slow in slow.iter_mut() {
            *slow |= !blank_cell(column, &blanks[slot]);
        }
    }
    for (slow, missing) in slow.iter_mut().zip(&columns[PROFESSION].missing) {
        *slow |= *missing;
    }
}

/// Input `slot`'s text cells (`cell(r)`, the piece's row `r`; blank: `b""`) into `column`;
/// `text(r)` is the cell's text as `values::text` reads it (a reader that checked a whole
/// line's UTF-8 at once gives it without checking the cell again).
#[allow(clippy::too_many_arguments)]
pub(crate) fn read_texts<'c>(
    rulebook: &CompiledRulebook,
    slot: Slot,
    other: &Spellings,
    blank: &Blank,
    column: &mut Column,
    slow: &mut [bool],
    cell: impl Fn(usize) -> &'c [u8],
    text: impl Fn(usize) -> Result<&'c str, Wrong>,
) {
    if let Values::Text(_) = column.values {
        for (r, slow) in slow.iter_mut().enumerate() {
            *slow |= !text_cell(column, blank, cell(r), || text(r));
        }
        return;
    }
    let (values, marks) = Marks::of(column, slow);
    match (values, &rulebook.inputs[slot].ty) {
        (Values::Count(v), _) => fill(v, marks, blank, |r| values::count_cell(cell(r))),
        (Values::YesNo(v), _) => fill(v, marks, blank, |r| values::yes_no_cell(cell(r))),
        (Values::Choice(v), InputType::Choice(choices)) => fill(v, marks, blank, |r| {
            values::choice_cell(choices, other, cell(r))
        }),
        (Values::Decimal(v), _) => fill(v, marks, blank, |r| values::decimal_cell(cell(r))),
        (Values::Date(v), _) => fill(v, marks, blank, |r| values::date_cell(cell(r))),
        // Texts, read above.
        (Values::Text(_), _) => {}
        // A column of another type than its input's: none is made so.
        _ => marks.slow.fill(true),
    }
}

/// Input `slot`'s typed cells (`cell(r)`; `None`: blank) into `column`.
pub(crate) fn read_typed(
    rulebook: &CompiledRulebook,
    slot: Slot,
    blank: &Blank,
    column: &mut Column,
    slow: &mut [bool],
    cell: impl Fn(usize) -> Option<Typed>,
) {
    let ty = &rulebook.inputs[slot].ty;
    let read = |r: usize| match cell(r) {
        Some(t) => values::typed(ty, t),
        None => Ok(None),
    };
    if let Values::Text(_) = column.values {
        for (r, slow) in slow.iter_mut().enumerate() {
            let plain = match read(r) {
                Ok(Some(value)) => column.push_value(&value),
                Ok(None) => blank_cell(column, blank),
                Err(_) => {
                    column.push_placeholder();
                    false
                }
            };
            *slow |= !plain;
        }
        return;
    }
    let (values, marks) = Marks::of(column, slow);
    match values {
        Values::Count(v) => fill(v, marks, blank, |r| match cell(r) {
            Some(t) => values::count_typed(t),
            None => Ok(None),
        }),
        Values::YesNo(v) => fill(v, marks, blank, |r| of_type(read(r))),
        Values::Choice(v) => fill(v, marks, blank, |r| of_type(read(r))),
        Values::Decimal(v) => fill(v, marks, blank, |r| of_type(read(r))),
        Values::Date(v) => fill(v, marks, blank, |r| of_type(read(r))),
        // Texts, read above.
        Values::Text(_) => {}
    }
}

/// A value read as the column's type (a reader gives no other; one would be wrong).
#[inline]
fn of_type<T: TypedValue>(read: Result<Option<Value>, Wrong>) -> Result<Option<T>, Wrong> {
    match read? {
        Some(value) => T::of(&value).map(Some).ok_or(Wrong::Format),
        None => Ok(None),
    }
}

/// A text cell into its column; `false` (a placeholder pushed) when it does not read.
fn text_cell<'c>(
    column: &mut Column,
    blank: &Blank,
    cell: &[u8],
    text: impl FnOnce() -> Result<&'c str, Wrong>,
) -> bool {
    if values::blank(cell) {
        return blank_cell(column, blank);
    }
    match (&mut column.values, text()) {
        (Values::Text(v), Ok(text)) => {
            v.push(text);
            true
        }
        _ => {
            column.push_placeholder();
            false
        }
    }
}

/// A blank cell (or no column) into its column; `false` when that makes the row slow.
pub(crate) fn blank_cell(column: &mut Column, blank: &Blank) -> bool {
    match blank {
        Blank::Default(value) => column.push_value(value),
        Blank::Absent => column.push_absent(),
        Blank::Missing => column.push_missing(),
    }
}

/// Where a column's cells are marked: absent, missing, or not plainly right (the row).
struct Marks<'a> {
    absent: &'a mut [bool],
    missing: &'a mut [bool],
    slow: &'a mut [bool],
}

impl<'a> Marks<'a> {
    /// A column's values, and its marks with the rows'.
    fn of(column: &'a mut Column, slow: &'a mut [bool]) -> (&'a mut Values, Marks<'a>) {
        let Column {
            values,
            absent,
            missing,
            ..
        } = column;
        let marks = Marks {
            absent,
            missing,
            slow,
        };
        (values, marks)
    }
}

/// A column's cells, `read(r)` for each row `r` of the piece, into `values`, in one loop
/// (a value a row, no allocation; `extend` writes them without a capacity check each).
#[inline]
fn fill<T: Clone + TypedValue>(
    values: &mut Vec<T>,
    marks: Marks<'_>,
    blank: &Blank,
    read: impl Fn(usize) -> Result<Option<T>, Wrong>,
) {
    // What a blank cell gives, typed once, or the marks it leaves.
    let default = match blank {
        Blank::Default(value) => T::of(value),
        _ => None,
    };
    let Marks {
        absent,
        missing,
        slow,
    } = marks;
    let mut blank_marks = match blank {
        Blank::Absent => Some(absent),
        Blank::Missing => Some(missing),
        Blank::Default(_) => None,
    };
    let rows = slow.len();
    values.extend((0..rows).map(|r| match read(r) {
        Ok(Some(value)) => value,
        Ok(None) => {
            if let Some(value) = &default {
                return value.clone();
            }
            match blank_marks
                .as_deref_mut()
                .and_then(|marks| marks.get_mut(r))
            {
                Some(mark) => *mark = true,
                // No marks to leave (a default of another type, which `check` refuses):
                // the row goes the general way.
                None => slow[r] = true,
            }
            T::placeholder()
        }
        Err(_) => {
            slow[r] = true;
            T::placeholder()
        }
    }));
}

/// A column's type, from the value a rulebook gives as a default.
trait TypedValue: Sized {
    fn of(value: &Value) -> Option<Self>;
    /// A value that means nothing, for a row whose value is not there.
    fn placeholder() -> Self;
}

macro_rules! typed_value {
    ($type:ty, $variant:ident, $placeholder:expr) => {
        impl TypedValue for $type {
            fn of(value: &Value) -> Option<$type> {
                match value {
                    Value::$variant(v) => Some(*v),
                    _ => None,
                }
            }
            fn placeholder() -> $type {
                $placeholder
            }
        }
    };
}

typed_value!(u64, Count, 0);
typed_value!(bool, YesNo, false);
typed_value!(u32, Choice, 0);
typed_value!(rust_decimal::Decimal, Decimal, rust_decimal::Decimal::ZERO);
typed_value!(Date, Date, Date::FIRST);
