//! Syntax: rulebook text to AST. The only module that knows pest.

pub mod ast;
mod errors;
mod lower;

use pest::Parser;

use crate::diagnostics::Error;
use errors::syntax_error;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/forfait.pest"]
struct ForfaitParser;

/// Whether `text` is a name as the grammar reads one: lowercase ASCII letters, digits and
/// `_`, starting with a letter, and not a reserved word.
pub fn is_name(text: &str) -> bool {
    ForfaitParser::parse(Rule::name, text)
        .is_ok_and(|mut pairs| pairs.next().is_some_and(|name| name.as_str() == text))
}

/// Parses a rulebook. On syntax errors, reports the first error of each item (see
/// `header_chunk` in the grammar), so one typo does not hide the next.
pub fn parse(source: &str) -> Result<ast::Rulebook, Vec<Error>> {
    limits(source).map_err(|e| vec![e])?;
    match ForfaitParser::parse(Rule::file, source) {
        Ok(mut pairs) => match pairs.next() {
            Some(file) => lower::file(file).map_err(|e| vec![e]),
            None => Err(vec![Error::Internal]),
        },
        Err(first) => {
            let mut errors = Vec::new();
            for (index, (start, chunk)) in chunks(source).into_iter().enumerate() {
                let rule = if index == 0 {
                    Rule::header_chunk
                } else {
                    Rule::item_chunk
                };
                if let Err(e) = ForfaitParser::parse(rule, chunk) {
                    errors.push(syntax_error(&e, source, start));
                }
            }
            if errors.is_empty() {
                errors.push(syntax_error(&first, source, 0));
            }
            Err(errors)
        }
    }
}

/// Splits the source before each line that starts an item (`input`, `indicator`, ...) at
/// the start of the line. The first chunk is the header.
fn chunks(source: &str) -> Vec<(usize, &str)> {
    const STARTS: [&str; 5] = ["input ", "list ", "indicator ", "group ", "stated "];
    let mut cuts = vec![0];
    let mut offset = 0;
    for line in source.split_inclusive('\n') {
        if offset > 0 && STARTS.iter().any(|s| line.starts_with(s)) {
            cuts.push(offset);
        }
        offset += line.len();
    }
    cuts.push(source.len());
    cuts.windows(2)
        .map(|w| (w[0], &source[w[0]..w[1]]))
        .collect()
}

/// A rulebook larger than this is refused before parsing (the largest guide fits in a
/// few tens of kilobytes).
const MAX_SOURCE_BYTES: usize = 4 * 1024 * 1024;

/// Parentheses nested deeper than this are refused before parsing: the parser recurses on
/// them, and a hostile file must get an error, not exhaust the stack.
const MAX_NESTING: usize = 32;

/// Refuses, with a located error, input whose size or nesting could hang or crash the parser.
fn limits(source: &str) -> Result<(), Error> {
    if source.len() > MAX_SOURCE_BYTES {
        return Err(Error::FileTooLarge {
            bytes: source.len(),
            max: MAX_SOURCE_BYTES,
            span: (0, 0).into(),
        });
    }
    let mut depth = 0usize;
    let mut in_string = false;
    let mut in_comment = false;
    let mut escaped = false;
    for (offset, byte) in source.bytes().enumerate() {
        match byte {
            b'\n' => {
                in_comment = false;
                in_string = false;
            }
            _ if in_comment => {}
            b'\\' if in_string => escaped = !escaped,
            b'"' if !escaped => in_string = !in_string,
            b'#' if !in_string => in_comment = true,
            b'(' if !in_string => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Err(Error::ParenthesesTooDeep {
                        max: MAX_NESTING,
                        span: (offset, 1).into(),
                    });
                }
            }
            b')' if !in_string => depth = depth.saturating_sub(1),
            _ => {}
        }
        if byte != b'\\' {
            escaped = false;
        }
    }
    // `not not not ...` recurses too, one level per word.
    let mut run = 0usize;
    let mut offset = 0usize;
    for word in source.split_inclusive(char::is_whitespace) {
        if word.trim_end() == "not" {
            run += 1;
            if run > MAX_NESTING {
                return Err(Error::TooManyNots {
                    max: MAX_NESTING,
                    span: (offset, 3).into(),
                });
            }
        } else if !word.trim().is_empty() {
            run = 0;
        }
        offset += word.len();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::is_name;

    #[test]
    fn a_name_is_what_the_grammar_reads_as_one() {
        for name in [
            "teletransmission",
            "actes_fse",
            "volet_2",
            "andx",
            "in_zone",
            "a",
        ] {
            assert!(is_name(name), "{name}");
        }
        for not in [
            "",
            "and",
            "met",
            "otherwise",
            "Actes",
            "2volet",
            "_x",
            "accueil-stagiaire",
            "coordonnée",
            "a b",
            "x ",
        ] {
            assert!(!is_name(not), "{not:?}");
        }
    }
}
