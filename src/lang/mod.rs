//! The languages people read forfait's messages in, and what the messages of every phase
//! share, beneath them all (the declaration readers, the diagnostics, `french`, the
//! command line): the [`Lang`], French typography for numbers and spaces
//! ([`typography`]), and the closest known name to a typo ([`closest`]). It imports no
//! other module of forfait.

pub mod typography;

/// The language a person reads messages in. Codes, the language's keywords (`met when`)
/// and the results written for programs do not change with it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    #[default]
    En,
    Fr,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Fr];

    /// `en`, `fr`: as `--lang` takes it.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.code() == code)
    }

    /// The language of a POSIX locale: the first of `LC_ALL`, `LC_MESSAGES` and `LANG` that
    /// is set and not empty decides (as POSIX ranks them for messages); French when it
    /// starts with `fr` (`fr_FR.UTF-8`, `fr_BE`, `fr`), else English (`C`, `en_US.UTF-8`,
    /// `de_DE`). The caller reads the environment and passes what it found.
    pub fn from_locale(
        lc_all: Option<&str>,
        lc_messages: Option<&str>,
        lang: Option<&str>,
    ) -> Lang {
        let locale = [lc_all, lc_messages, lang]
            .into_iter()
            .flatten()
            .find(|value| !value.is_empty());
        match locale {
            Some(l) if l.starts_with("fr") => Lang::Fr,
            _ => Lang::En,
        }
    }
}

/// The closest candidate to `name`, if it is close enough to be a likely typo (the words
/// that suggest it are each language's: `did you mean`, `vouliez-vous dire`).
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let limit = (name.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| (edit_distance(name, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c.to_string())
}

/// Edit distance on characters, counting a swap of two neighbours as one edit (the
/// commonest typo: `socel` for `socle`).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

/// `c`, a lower-case letter, into `out` as it is written without accents (`é` → `e`,
/// `œ` → `oe`): how a name or a choice's label is typed on a keyboard that has none.
pub fn push_unaccented(out: &mut String, c: char) {
    match c {
        'à' | 'â' | 'ä' | 'á' => out.push('a'),
        'é' | 'è' | 'ê' | 'ë' => out.push('e'),
        'î' | 'ï' | 'í' => out.push('i'),
        'ô' | 'ö' | 'ó' => out.push('o'),
        'ù' | 'û' | 'ü' | 'ú' => out.push('u'),
        'ç' => out.push('c'),
        'ÿ' => out.push('y'),
        'œ' => out.push_str("oe"),
        'æ' => out.push_str("ae"),
        c => out.push(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let names = ["teletransmission", "messagerie", "socle"];
        assert_eq!(
            closest("teletransmision", names),
            Some("teletransmission".into())
        );
        assert_eq!(closest("socel", names), Some("socle".into()));
        assert_eq!(closest("horaires", names), None);
    }
}
