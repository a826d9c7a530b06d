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

/// Parses a rulebook. On syntax errors, reports the first error of each item (see
/// `header_chunk` in the grammar), so one typo does not hide the next.
pub fn parse(source: &str) -> Result<ast::Rulebook, Vec<Error>> {
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
