//! The words of a rulebook text, for what the AST cannot give: highlighting and completion
//! while the text does not parse. It never decides what a name means (the name index
//! does); it only cuts the text into words, texts, numbers, comments and signs, the way the
//! grammar does.

use crate::syntax::ast::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// A keyword or a name (`met`, `all-of`, `yes/no`, `EUR`, `actes_fse`).
    Word,
    /// A quoted text, closed or not.
    Text,
    /// A number, a date, a year.
    Number,
    Comment,
    /// `>=`, `≥`, `=`, `/`, `%` ...
    Operator,
    OpenParen,
    CloseParen,
    Comma,
    /// Anything else.
    Other,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub span: Span,
}

impl Token {
    pub fn text<'t>(&self, source: &'t str) -> &'t str {
        source.get(self.span.start..self.span.end).unwrap_or("")
    }
}

fn word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn take_while(
    chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>,
    end: &mut usize,
    f: impl Fn(char) -> bool,
) {
    while let Some(&(i, c)) = chars.peek() {
        if !f(c) {
            break;
        }
        *end = i + c.len_utf8();
        chars.next();
    }
}

/// Cuts `source` into tokens, skipping blanks.
pub fn tokens(source: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut chars = source.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        let mut end = start + c.len_utf8();
        let kind = match c {
            c if c.is_whitespace() || c == '\u{FEFF}' => continue,
            '#' => {
                take_while(&mut chars, &mut end, |c| c != '\n' && c != '\r');
                TokenKind::Comment
            }
            '"' => {
                let mut escaped = false;
                while let Some(&(i, c)) = chars.peek() {
                    if c == '\n' || c == '\r' {
                        break;
                    }
                    chars.next();
                    end = i + c.len_utf8();
                    if escaped {
                        escaped = false;
                    } else if c == '\\' {
                        escaped = true;
                    } else if c == '"' {
                        break;
                    }
                }
                TokenKind::Text
            }
            '(' => TokenKind::OpenParen,
            ')' => TokenKind::CloseParen,
            ',' => TokenKind::Comma,
            c if c.is_ascii_digit()
                || (c == '-' && chars.peek().is_some_and(|(_, n)| n.is_ascii_digit())) =>
            {
                // Digits, `.`, and the `-` of a date; a word character glued on stays part
                // of it (`12abc` is one token, as the grammar refuses it whole).
                take_while(&mut chars, &mut end, |c| {
                    word_char(c) || c == '.' || c == '-'
                });
                TokenKind::Number
            }
            c if word_char(c) => {
                take_while(&mut chars, &mut end, word_char);
                let word = &source[start..end];
                // `all-of`, `each-of`, `yes/no` are one word each.
                let joined = match word {
                    "all" | "each" => "-of",
                    "yes" => "/no",
                    _ => "",
                };
                let rest = &source[end..];
                if !joined.is_empty()
                    && rest.starts_with(joined)
                    && !rest[joined.len()..].starts_with(word_char)
                {
                    for _ in 0..joined.len() {
                        chars.next();
                    }
                    end += joined.len();
                }
                TokenKind::Word
            }
            '>' | '<' | '!' | '=' => {
                if chars.peek().is_some_and(|(_, n)| *n == '=') && c != '=' {
                    chars.next();
                    end += 1;
                }
                TokenKind::Operator
            }
            '≥' | '≤' | '≠' | '/' | '%' => TokenKind::Operator,
            _ => TokenKind::Other,
        };
        out.push(Token {
            kind,
            span: Span::new(start, end),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(source: &str) -> Vec<(TokenKind, &str)> {
        tokens(source)
            .into_iter()
            .map(|t| (t.kind, t.text(source)))
            .collect()
    }

    #[test]
    fn cuts_a_clause_into_words_signs_and_texts() {
        use TokenKind::*;
        assert_eq!(
            kinds("  met when a / b ≥ 70 % and x != \"é # \\\" z\" # note"),
            vec![
                (Word, "met"),
                (Word, "when"),
                (Word, "a"),
                (Operator, "/"),
                (Word, "b"),
                (Operator, "≥"),
                (Number, "70"),
                (Operator, "%"),
                (Word, "and"),
                (Word, "x"),
                (Operator, "!="),
                (Text, "\"é # \\\" z\""),
                (Comment, "# note"),
            ]
        );
        assert_eq!(
            kinds("all-of (a, b) yes/no 2024-01-31 -1.5 \"open"),
            vec![
                (Word, "all-of"),
                (OpenParen, "("),
                (Word, "a"),
                (Comma, ","),
                (Word, "b"),
                (CloseParen, ")"),
                (Word, "yes/no"),
                (Number, "2024-01-31"),
                (Number, "-1.5"),
                (Text, "\"open"),
            ]
        );
    }
}
