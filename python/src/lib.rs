//! The Python module `forfait._forfait`: the PyO3 and Arrow glue over the forfait library.
//! Everything a result means is the library's (`forfait::frame`, `forfait::output`); this
//! file lends Arrow's buffers to it and builds Arrow arrays from what it gives back. The
//! Python package (`forfait/__init__.py`) wraps it with dicts, exceptions and frames.

use std::sync::Arc;

use arrow::array::{
    Array, ArrayRef, AsArray, Decimal128Array, DictionaryArray, Int8Array, RecordBatch,
    RecordBatchOptions, StringArray,
};
use arrow::buffer::{Buffer, NullBuffer, OffsetBuffer, ScalarBuffer};
use arrow::compute::cast;
use arrow::datatypes::{
    DataType, Date32Type, Decimal128Type, Field, Float64Type, Int64Type, Int8Type, Schema,
    SchemaRef, UInt64Type,
};
use arrow::pyarrow::{FromPyArrow, PyArrowType, ToPyArrow};
use forfait::declaration::{InputFormat, Problem, ReadOptions};
use forfait::frame::{Bits, Cells, Frame, FrameColumn, Offsets, ResultColumn, ResultKind, Results};
use forfait::lang::Lang;
use forfait::output::columns::{ColumnError, Columns};
use forfait::record::{evaluate_record, Evaluated};
use forfait::{CompiledRulebook, EvalOptions};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

/// A rulebook that checked clean.
#[pyclass(module = "forfait._forfait", frozen)]
struct CompiledBook {
    rulebook: CompiledRulebook,
    /// Its warnings, as `forfait check --error-format json` writes them, per language.
    warnings: forfait::Report,
}

fn lang(code: &str) -> PyResult<Lang> {
    match code {
        "en" => Ok(Lang::En),
        "fr" => Ok(Lang::Fr),
        other => Err(PyValueError::new_err(format!(
            "unknown language `{other}`: `en` or `fr`"
        ))),
    }
}

/// Parses and checks a rulebook: the compiled rulebook (or `None`) and its diagnostics as
/// the JSON of `forfait check --error-format json`.
#[pyfunction]
fn compile(
    py: Python<'_>,
    name: &str,
    text: &str,
    language: &str,
) -> PyResult<(Option<CompiledBook>, String)> {
    let lang = lang(language)?;
    let compiled = py.detach(|| forfait::compile(name, text));
    Ok(match compiled {
        Ok(c) => {
            let json = c.warnings.render_json_in(lang);
            (
                Some(CompiledBook {
                    rulebook: c.rulebook,
                    warnings: c.warnings,
                }),
                json,
            )
        }
        Err(report) => (None, report.render_json_in(lang)),
    })
}

/// A declaration problem as a dict: code, field, message, expected.
fn problem_dict<'py>(py: Python<'py>, p: &Problem, lang: Lang) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("code", p.code)?;
    d.set_item("field", p.field.as_deref())?;
    d.set_item("message", p.message_in(lang))?;
    d.set_item("expected", p.expected_in(lang))?;
    Ok(d)
}

/// `forfait.DeclarationError(message, problems)`, defined by the Python package.
fn declaration_error(py: Python<'_>, problems: &[Problem], lang: Lang) -> PyErr {
    let raised = || -> PyResult<PyErr> {
        let list = PyList::empty(py);
        for p in problems {
            list.append(problem_dict(py, p, lang)?)?;
        }
        let message = problems
            .iter()
            .map(|p| match &p.field {
                Some(f) => format!("{f}: {}", p.message_in(lang)),
                None => p.message_in(lang),
            })
            .collect::<Vec<_>>()
            .join(" | ");
        let class = py.import("forfait")?.getattr("DeclarationError")?;
        Ok(PyErr::from_value(class.call1((message, list))?))
    };
    raised().unwrap_or_else(|e| e)
}

#[pymethods]
impl CompiledBook {
    /// The rulebook's warnings, as JSON diagnostics, in `language`.
    fn warnings_json(&self, language: &str) -> PyResult<String> {
        Ok(self.warnings.render_json_in(lang(language)?))
    }

    #[getter]
    fn name(&self) -> &str {
        &self.rulebook.meta.name
    }

    #[getter]
    fn title(&self) -> &str {
        &self.rulebook.meta.title
    }

    #[getter]
    fn exercice(&self) -> u16 {
        self.rulebook.meta.exercice
    }

    #[getter]
    fn content_hash(&self) -> &str {
        &self.rulebook.meta.content_hash
    }

    /// The inputs' names, in the rulebook's order.
    fn input_names(&self) -> Vec<String> {
        self.rulebook
            .inputs
            .iter()
            .map(|i| i.name.clone())
            .collect()
    }

    /// Each input's name, type (`yes_no`, `count`, `decimal`, `date`, `text`, `choice`),
    /// choices (for a choice) and whether a frame must have its column (`missing is error`).
    fn input_types(&self) -> Vec<(String, &'static str, Vec<String>, bool)> {
        use forfait::model::{InputType, MissingRule};
        self.rulebook
            .inputs
            .iter()
            .map(|i| {
                let (kind, choices) = match &i.ty {
                    InputType::YesNo => ("yes_no", Vec::new()),
                    InputType::Count => ("count", Vec::new()),
                    InputType::Decimal => ("decimal", Vec::new()),
                    InputType::Date => ("date", Vec::new()),
                    InputType::Text => ("text", Vec::new()),
                    InputType::Choice(c) => ("choice", c.iter().map(|c| c.name.clone()).collect()),
                };
                (
                    i.name.clone(),
                    kind,
                    choices,
                    i.missing == MissingRule::Error,
                )
            })
            .collect()
    }

    /// One declaration (a JSON object's text) evaluated: the JSON contract's object, and,
    /// with `explain`, the explanation tree and the text `forfait explain` prints.
    fn evaluate_json(
        &self,
        py: Python<'_>,
        text: &str,
        source: &str,
        explain: bool,
    ) -> PyResult<String> {
        let rulebook = &self.rulebook;
        let json = py.detach(|| {
            let records = forfait::declaration::read_str(
                rulebook,
                source,
                text,
                InputFormat::Json,
                Default::default(),
            );
            let mut records = records.into_iter();
            let (Some(record), None) = (records.next(), records.next()) else {
                return Err("one declaration: a dict".to_string());
            };
            let evaluated = evaluate_record(rulebook, source, record, EvalOptions::default());
            let mut object = forfait::output::json::to_json(rulebook, &evaluated);
            if let (true, Evaluated::Outcome { outcome, .. }, Some(map)) =
                (explain, &evaluated, object.as_object_mut())
            {
                let tree = forfait::output::explain::tree(rulebook, outcome);
                map.insert("explanation".into(), tree_json(&tree));
                map.insert(
                    "text".into(),
                    forfait::output::explain::render(rulebook, outcome).into(),
                );
            }
            Ok(object.to_string())
        });
        json.map_err(PyValueError::new_err)
    }

    /// The result schema of `evaluate_arrow` for these columns (`None`: the full row).
    #[pyo3(signature = (columns=None, categorical=true))]
    fn result_schema(
        &self,
        columns: Option<&str>,
        categorical: bool,
    ) -> PyResult<PyArrowType<Schema>> {
        let chosen =
            chosen(&self.rulebook, columns)?.unwrap_or_else(|| Columns::all(&self.rulebook));
        let layout = forfait::frame::result_layout(&self.rulebook, &chosen);
        Ok(PyArrowType(Schema::new(result_fields(layout, categorical))))
    }

    /// A record batch of declarations (any object with `__arrow_c_array__`, or a
    /// `pyarrow.RecordBatch`) evaluated: a record batch of result rows, one per row.
    // Python's keyword arguments, one parameter each.
    #[allow(clippy::too_many_arguments)]
    #[pyo3(signature = (batch, columns=None, ignore_unknown_columns=false, source="frame", first_row=0, language="en", categorical=true))]
    fn evaluate_arrow(
        &self,
        py: Python<'_>,
        batch: &Bound<'_, PyAny>,
        columns: Option<&str>,
        ignore_unknown_columns: bool,
        source: &str,
        first_row: u64,
        language: &str,
        categorical: bool,
    ) -> PyResult<Py<PyAny>> {
        let lang = lang(language)?;
        let batch = RecordBatch::from_pyarrow_bound(batch)?;
        let names: Vec<&str> = batch
            .schema_ref()
            .fields()
            .iter()
            .map(|f| f.name().as_str())
            .collect();
        let options = ReadOptions {
            ignore_unknown_fields: ignore_unknown_columns,
            ..ReadOptions::default()
        };
        let chosen = chosen(&self.rulebook, columns)?;
        let frame = Frame::new(&self.rulebook, source, &names, options, chosen)
            .map_err(|problems| declaration_error(py, &problems, lang))?;
        let arrays: Vec<ArrayRef> = batch
            .columns()
            .iter()
            .zip(batch.schema_ref().fields())
            .map(|(a, f)| readable(a, f))
            .collect::<PyResult<_>>()?;
        let rows = batch.num_rows();
        let fields = result_fields(frame.result_layout(), categorical);
        let out = py.detach(|| -> Result<RecordBatch, String> {
            let lent: Vec<FrameColumn<'_>> = arrays.iter().map(lend).collect::<Result<_, _>>()?;
            let results = frame.evaluate(&lent, rows, first_row);
            to_batch(results, fields, categorical)
        });
        let out = out.map_err(PyValueError::new_err)?;
        Ok(out.to_pyarrow(py)?.unbind())
    }
}

/// The explanation tree as JSON: each node's text, status, whether it holds, children.
fn tree_json(lines: &[forfait::output::explain::Line]) -> serde_json::Value {
    lines
        .iter()
        .map(|l| {
            serde_json::json!({
                "text": l.text,
                "status": l.status.map(|s| s.as_str()),
                "holds": l.holds,
                "children": tree_json(&l.children),
            })
        })
        .collect()
}

/// `--columns`' list, checked as the command line checks it.
fn chosen(rulebook: &CompiledRulebook, columns: Option<&str>) -> PyResult<Option<Columns>> {
    let Some(list) = columns else {
        return Ok(None);
    };
    Columns::parse(rulebook, list).map(Some).map_err(|e| {
        PyValueError::new_err(match e {
            ColumnError::Unknown { name, suggestion } => match suggestion {
                Some(s) => format!("no result column `{name}`; did you mean `{s}`?"),
                None => format!("no result column `{name}`"),
            },
            ColumnError::Twice(name) => format!("result column `{name}` asked twice"),
            ColumnError::Empty => "an empty name in the result columns".to_string(),
        })
    })
}

/// The result columns' Arrow fields: amounts as exact decimals; statuses and the
/// rulebook's hash dictionary-encoded when `categorical` (pandas' categories; Spark reads
/// no dictionary), else texts; the rest texts.
fn result_fields(layout: Vec<(String, ResultKind)>, categorical: bool) -> Vec<Field> {
    layout
        .into_iter()
        .map(|(name, kind)| match kind {
            ResultKind::Amount { scale } => {
                Field::new(name, DataType::Decimal128(38, scale as i8), true)
            }
            ResultKind::Coded(_) if categorical => Field::new(
                name,
                DataType::Dictionary(Box::new(DataType::Int8), Box::new(DataType::Utf8)),
                true,
            ),
            ResultKind::Coded(_) | ResultKind::Text => Field::new(name, DataType::Utf8, true),
        })
        .collect()
}

/// A column as one of the types the library reads: texts, 64-bit integers, floats, exact
/// decimals, yes/no, days. Any other (narrower integers, dictionaries of texts, views,
/// timestamps) is cast by Arrow's kernels to the nearest of them.
fn readable(array: &ArrayRef, field: &Field) -> PyResult<ArrayRef> {
    let target = match array.data_type() {
        DataType::Utf8
        | DataType::LargeUtf8
        | DataType::Int64
        | DataType::UInt64
        | DataType::Float64
        | DataType::Decimal128(..)
        | DataType::Boolean
        | DataType::Date32 => return Ok(array.clone()),
        DataType::Null => DataType::Utf8,
        DataType::Int8 | DataType::Int16 | DataType::Int32 => DataType::Int64,
        DataType::UInt8 | DataType::UInt16 | DataType::UInt32 => DataType::UInt64,
        DataType::Float16 | DataType::Float32 => DataType::Float64,
        DataType::Decimal32(p, s) | DataType::Decimal64(p, s) => DataType::Decimal128(*p, *s),
        DataType::Date64 => DataType::Date32,
        DataType::Utf8View | DataType::Dictionary(..) | DataType::Timestamp(..) => {
            DataType::LargeUtf8
        }
        other => {
            return Err(PyTypeError::new_err(format!(
                "column `{}`: a column of {other} cannot be read; texts, integers, floats, \
                 decimals, booleans and dates can",
                field.name()
            )))
        }
    };
    cast(array, &target).map_err(|e| {
        PyTypeError::new_err(format!(
            "column `{}`: {} could not be read as {target}: {e}",
            field.name(),
            array.data_type()
        ))
    })
}

fn bits(nulls: Option<&NullBuffer>) -> Option<Bits<'_>> {
    nulls.map(|n| Bits::new(n.inner().values(), n.inner().offset()))
}

/// A column's buffers lent to the library, without a copy.
fn lend(array: &ArrayRef) -> Result<FrameColumn<'_>, String> {
    let cells = match array.data_type() {
        DataType::Utf8 => {
            let a = array.as_string::<i32>();
            Cells::Text {
                offsets: Offsets::Small(a.value_offsets()),
                bytes: a.values().as_slice(),
            }
        }
        DataType::LargeUtf8 => {
            let a = array.as_string::<i64>();
            Cells::Text {
                offsets: Offsets::Large(a.value_offsets()),
                bytes: a.values().as_slice(),
            }
        }
        DataType::Int64 => Cells::Int(array.as_primitive::<Int64Type>().values()),
        DataType::UInt64 => Cells::UInt(array.as_primitive::<UInt64Type>().values()),
        DataType::Float64 => Cells::Float(array.as_primitive::<Float64Type>().values()),
        DataType::Decimal128(_, scale) => Cells::Decimal {
            mantissas: array.as_primitive::<Decimal128Type>().values(),
            scale: *scale,
        },
        DataType::Boolean => {
            let values = array.as_boolean().values();
            Cells::YesNo(Bits::new(values.values(), values.offset()))
        }
        DataType::Date32 => Cells::Days(array.as_primitive::<Date32Type>().values()),
        other => return Err(format!("a column of {other} is not read")),
    };
    Ok(FrameColumn {
        cells,
        valid: bits(array.nulls()),
    })
}

/// Which rows have a value, as Arrow's validity (none when all have).
fn nulls(present: Vec<bool>) -> Option<NullBuffer> {
    let nulls = NullBuffer::from(present);
    (nulls.null_count() > 0).then_some(nulls)
}

/// The library's result columns as an Arrow record batch of `fields`.
fn to_batch(
    results: Results,
    fields: Vec<Field>,
    categorical: bool,
) -> Result<RecordBatch, String> {
    let rows = results.rows;
    let mut arrays: Vec<ArrayRef> = Vec::with_capacity(results.columns.len());
    for column in results.columns {
        arrays.push(match column {
            ResultColumn::Texts {
                bytes,
                ends,
                present,
            } => {
                let mut offsets = Vec::with_capacity(ends.len() + 1);
                offsets.push(0i32);
                for end in ends {
                    offsets.push(i32::try_from(end).map_err(|_| {
                        "a result column holds more than 2 GiB of text: hand the rows over \
                         in smaller batches"
                            .to_string()
                    })?);
                }
                let array = StringArray::try_new(
                    OffsetBuffer::new(ScalarBuffer::from(offsets)),
                    Buffer::from(bytes.into_bytes()),
                    nulls(present),
                )
                .map_err(|e| e.to_string())?;
                Arc::new(array)
            }
            ResultColumn::Coded {
                names,
                codes,
                present,
            } if !categorical => {
                let texts = codes.iter().zip(present).map(|(code, present)| {
                    present
                        .then(|| names.get(usize::from(*code)))
                        .flatten()
                        .map(String::as_str)
                });
                Arc::new(texts.collect::<StringArray>())
            }
            ResultColumn::Coded {
                names,
                codes,
                present,
            } => {
                let keys = codes
                    .into_iter()
                    .map(|c| i8::try_from(c).map_err(|_| "more than 127 texts in a column"))
                    .collect::<Result<Vec<i8>, _>>()?;
                let keys = Int8Array::new(ScalarBuffer::from(keys), nulls(present));
                let values = Arc::new(StringArray::from(names));
                let array = DictionaryArray::<Int8Type>::try_new(keys, values)
                    .map_err(|e| e.to_string())?;
                Arc::new(array)
            }
            ResultColumn::Amounts {
                mantissas,
                scale,
                present,
            } => {
                let array = Decimal128Array::new(ScalarBuffer::from(mantissas), nulls(present))
                    .with_precision_and_scale(38, scale as i8)
                    .map_err(|e| e.to_string())?;
                Arc::new(array)
            }
        });
    }
    let schema: SchemaRef = Arc::new(Schema::new(fields));
    let options = RecordBatchOptions::new().with_row_count(Some(rows));
    RecordBatch::try_new_with_options(schema, arrays, &options).map_err(|e| e.to_string())
}

#[pymodule]
fn _forfait(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<CompiledBook>()?;
    m.add_function(wrap_pyfunction!(compile, m)?)?;
    Ok(())
}
