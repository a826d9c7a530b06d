//! `forfait test --format junit`: the run as JUnit XML, which CI servers (GitLab, Jenkins,
//! GitHub Actions through a reporter) show test by test: a `<testsuite>` per rulebook, a
//! `<testcase>` per example (and one per check of the rulebook itself: that it checks, that
//! `expected.csv` reads, the coverage asked by `--min`), a `<failure>` with the message a
//! person reads in the text report, in the language of the run.

use std::fmt::Write;

/// The tests of one rulebook.
pub struct Suite {
    /// The rulebook's path, as given.
    pub name: String,
    pub cases: Vec<Case>,
}

/// One test: an example, or a check of the rulebook.
pub struct Case {
    pub name: String,
    /// The rulebook's path without its extension, so that a server that reads dots as
    /// packages does not split it.
    pub classname: String,
    /// The file the test reads (an example's declaration), if one.
    pub file: Option<String>,
    pub failure: Option<Failure>,
}

/// Why a test failed: its first line (`message`), and everything the text report says of it.
pub struct Failure {
    pub message: String,
    pub text: String,
}

impl Suite {
    pub fn new(rulebook: &str) -> Suite {
        Suite {
            name: rulebook.to_string(),
            cases: Vec::new(),
        }
    }

    /// Adds a test of this rulebook, failed when `failure` has lines.
    pub fn push(&mut self, name: &str, file: Option<&str>, failure: &[String]) {
        let classname = self
            .name
            .strip_suffix(".forfait")
            .unwrap_or(&self.name)
            .to_string();
        // The message: the first reason (an indented line under `FAIL file`), else the line.
        let failure = failure.first().map(|first| Failure {
            message: failure
                .iter()
                .find(|l| l.starts_with("  "))
                .unwrap_or(first)
                .trim()
                .to_string(),
            text: failure.join("\n"),
        });
        self.cases.push(Case {
            name: name.to_string(),
            classname,
            file: file.map(str::to_string),
            failure,
        });
    }

    fn failures(&self) -> usize {
        self.cases.iter().filter(|c| c.failure.is_some()).count()
    }
}

/// The JUnit XML document of `suites`.
pub fn render(suites: &[Suite]) -> String {
    let tests: usize = suites.iter().map(|s| s.cases.len()).sum();
    let failures: usize = suites.iter().map(Suite::failures).sum();
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        xml,
        "<testsuites name=\"forfait test\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\">"
    );
    for suite in suites {
        let _ = writeln!(
            xml,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\">",
            escape(&suite.name),
            suite.cases.len(),
            suite.failures()
        );
        for case in &suite.cases {
            let _ = write!(
                xml,
                "    <testcase name=\"{}\" classname=\"{}\"",
                escape(&case.name),
                escape(&case.classname)
            );
            if let Some(file) = &case.file {
                let _ = write!(xml, " file=\"{}\"", escape(file));
            }
            match &case.failure {
                None => xml.push_str("/>\n"),
                Some(failure) => {
                    let _ = writeln!(
                        xml,
                        ">\n      <failure message=\"{}\" type=\"failure\">{}</failure>\n    </testcase>",
                        escape(&failure.message),
                        text(&failure.text)
                    );
                }
            }
        }
        xml.push_str("  </testsuite>\n");
    }
    xml.push_str("</testsuites>\n");
    xml
}

/// `text` as an attribute's value: the five markup characters as entities, line breaks and
/// tabs as character references (an attribute keeps them so), and the characters XML 1.0
/// cannot hold at all (control characters, U+FFFE, U+FFFF) as U+FFFD.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// `text` as character data: as [`escape`], but line breaks and tabs kept as they are (a
/// failure's text is read as lines).
pub fn text(text: &str) -> String {
    escape(text).replace("&#10;", "\n").replace("&#9;", "\t")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_control_characters_are_escaped() {
        assert_eq!(
            escape("a<b>&\"c\"'d'\n\te\u{1}\u{ffff}é"),
            "a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;&#10;&#9;e\u{fffd}\u{fffd}é"
        );
    }

    #[test]
    fn a_suite_counts_its_failures_and_escapes_its_names() {
        let mut suite = Suite::new("r/<x>.forfait");
        suite.push("ok", Some("r/<x>.examples/ok.json"), &[]);
        suite.push(
            "ko",
            None,
            &["FAIL ko".into(), "  total: expected 1 & 2".into()],
        );
        let xml = render(&[suite]);
        assert!(xml.contains("tests=\"2\" failures=\"1\""), "{xml}");
        assert!(xml.contains("classname=\"r/&lt;x&gt;\""), "{xml}");
        assert!(
            xml.contains("<failure message=\"total: expected 1 &amp; 2\" type=\"failure\">FAIL ko\n  total: expected 1 &amp; 2</failure>"),
            "{xml}"
        );
    }
}
