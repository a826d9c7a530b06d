//! French typography for every message: digits grouped by three and the no-break spaces
//! that keep a number or a `:` on its line. `french` writes amounts, rates and dates with
//! it; the catalogues of diagnostics, declaration problems and the command line apply it.

/// What groups thousands: `1 000`.
pub(crate) const THOUSANDS: char = ' ';

/// `1 000`
pub fn count(n: u64) -> String {
    group_thousands(&n.to_string())
}

/// `1 000`, for counts too large for `u64` (a gap computed in `u128`).
pub(crate) fn big_count(n: u128) -> String {
    group_thousands(&n.to_string())
}

pub(crate) fn group_thousands(digits: &str) -> String {
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(THOUSANDS);
        }
        out.push(c);
    }
    out
}

/// A no-break space (U+00A0).
pub const NO_BREAK_SPACE: char = '\u{a0}';

/// French typography for messages a terminal or an editor may wrap: the space before `:`
/// `;` `?` `!` `»` `%` `€`, after `«`, and between the groups of a number (`1 240`) becomes
/// a no-break space (U+00A0), so that no line starts with `;` or splits `18 446 744`.
/// Only the spaces inside an amount, a count or a rate: between two digits (`1 240`), and
/// between a number and its `€`, `%` or `points` (`490 €`, `70 %`, `22,5 points`). For pages
/// (the changelog's Markdown, a documentation page) where an amount must never wrap but the
/// rulebook's own texts keep their spaces.
pub fn glued_amounts(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, c) in chars.iter().enumerate() {
        let before = i.checked_sub(1).and_then(|b| chars.get(b)).copied();
        let after = chars.get(i + 1).copied();
        let points = chars[i + 1..].iter().take(6).collect::<String>() == "points";
        let glued = *c == ' '
            && before.is_some_and(|b| b.is_ascii_digit())
            && (after.is_some_and(|a| a.is_ascii_digit() || a == '€' || a == '%') || points);
        out.push(if glued { NO_BREAK_SPACE } else { *c });
    }
    out
}

/// Catalogues write plain spaces; this is applied to each French message as it is worded.
pub fn no_break_spaces(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, c) in chars.iter().enumerate() {
        let before = i.checked_sub(1).and_then(|b| chars.get(b)).copied();
        let after = chars.get(i + 1).copied();
        let glued = *c == ' '
            && (after.is_some_and(|a| ":;?!»%€".contains(a))
                || before == Some('«')
                || (before.is_some_and(|b| b.is_ascii_digit())
                    && after.is_some_and(|a| a.is_ascii_digit())));
        out.push(if glued { NO_BREAK_SPACE } else { *c });
    }
    out
}
