//! The changelog as an HTML fragment, for a page to show: the Markdown that [`markdown`]
//! writes, turned into HTML. Only what that Markdown uses is known (headings, paragraphs,
//! nested lists, tables, bold, code, hard line breaks, its backslash escapes and entities,
//! a folded part's `<details>` and `<summary>` lines); every other character of the text
//! is escaped, so nothing in a rulebook's labels becomes markup.
//!
//! [`markdown`]: super::markdown

/// `markdown` (as the changelog writes it) as an HTML fragment.
pub fn html(markdown: &str) -> String {
    let mut out = String::new();
    let lines: Vec<&str> = markdown.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let trimmed = line.trim_start();
        if trimmed.is_empty() {
            i += 1;
        } else if trimmed == "<details markdown=\"1\">" || trimmed == "</details>" {
            out.push_str(if trimmed == "</details>" {
                "</details>\n"
            } else {
                "<details>\n"
            });
            i += 1;
        } else if let Some(summary) = trimmed
            .strip_prefix("<summary>")
            .and_then(|t| t.strip_suffix("</summary>"))
        {
            out.push_str(&format!("<summary>{}</summary>\n", inline(summary)));
            i += 1;
        } else if let Some((level, title)) = heading(trimmed) {
            out.push_str(&format!("<h{level}>{}</h{level}>\n", inline(title)));
            i += 1;
        } else if trimmed.starts_with("- ") {
            let end = block_end(&lines, i, |l| {
                l.trim_start().starts_with("- ") || indented(l)
            });
            list(&lines[i..end], &mut out);
            i = end;
        } else if trimmed.starts_with('|') {
            let end = block_end(&lines, i, |l| l.trim_start().starts_with('|'));
            table(&lines[i..end], &mut out);
            i = end;
        } else {
            let end = block_end(&lines, i, |l| {
                let t = l.trim_start();
                !t.is_empty() && heading(t).is_none() && !t.starts_with("- ") && !t.starts_with('|')
            });
            let text: Vec<String> = lines[i..end]
                .iter()
                .map(|l| {
                    let hard_break = l.ends_with("  ");
                    let words = inline(l.trim());
                    if hard_break {
                        format!("{words}<br>")
                    } else {
                        words
                    }
                })
                .collect();
            out.push_str(&format!("<p>{}</p>\n", text.join("\n")));
            i = end;
        }
    }
    out
}

fn heading(line: &str) -> Option<(usize, &str)> {
    let level = line.chars().take_while(|c| *c == '#').count();
    let rest = line.get(level..)?;
    (1..=6)
        .contains(&level)
        .then(|| rest.strip_prefix(' '))
        .flatten()
        .map(|title| (level, title))
}

fn indented(line: &str) -> bool {
    line.starts_with("  ") && !line.trim().is_empty()
}

/// The end of the block starting at `start`: the first line after it that `belongs` refuses.
fn block_end(lines: &[&str], start: usize, belongs: impl Fn(&str) -> bool) -> usize {
    let mut end = start + 1;
    while end < lines.len() && belongs(lines[end]) {
        end += 1;
    }
    end
}

/// A list whose items may hold lists, two spaces deeper.
fn list(lines: &[&str], out: &mut String) {
    let depth = |l: &str| (l.len() - l.trim_start().len()) / 2;
    let mut open: Vec<usize> = Vec::new();
    for line in lines {
        let d = depth(line);
        let text = line.trim_start();
        let Some(item) = text.strip_prefix("- ") else {
            // A continuation of the item before.
            out.push(' ');
            out.push_str(&inline(text));
            continue;
        };
        match open.last() {
            Some(&top) if d > top => {
                out.push_str("\n<ul>\n");
                open.push(d);
            }
            None => {
                out.push_str("<ul>\n");
                open.push(d);
            }
            _ => {
                while open.last().is_some_and(|&top| d < top) {
                    open.pop();
                    out.push_str("</li>\n</ul>\n");
                }
                out.push_str("</li>\n");
            }
        }
        out.push_str("<li>");
        out.push_str(&inline(item));
    }
    for _ in open {
        out.push_str("</li>\n</ul>\n");
    }
}

fn cells(line: &str) -> Vec<&str> {
    let line = line.trim();
    let line = line.strip_prefix('|').unwrap_or(line);
    let line = line.strip_suffix('|').unwrap_or(line);
    line.split(" | ").map(str::trim).collect()
}

fn table(lines: &[&str], out: &mut String) {
    let is_rule = |l: &str| {
        cells(l)
            .iter()
            .all(|c| !c.is_empty() && c.chars().all(|ch| matches!(ch, '-' | ':')))
    };
    let (head, rule, body) = match lines {
        [head, rule, body @ ..] if is_rule(rule) => (Some(*head), Some(*rule), body),
        body => (None, None, body),
    };
    let right: Vec<bool> = rule
        .map(|r| cells(r).iter().map(|c| c.ends_with(':')).collect())
        .unwrap_or_default();
    let row = |line: &str, tag: &str| {
        let cells: Vec<String> = cells(line)
            .iter()
            .enumerate()
            .map(|(k, c)| {
                let align = if right.get(k).copied().unwrap_or(false) {
                    " style=\"text-align: right\""
                } else {
                    ""
                };
                format!("<{tag}{align}>{}</{tag}>", inline(c))
            })
            .collect();
        format!("<tr>{}</tr>\n", cells.concat())
    };
    out.push_str("<table>\n");
    if let Some(head) = head {
        out.push_str(&format!("<thead>\n{}</thead>\n", row(head, "th")));
    }
    out.push_str("<tbody>\n");
    for line in body {
        out.push_str(&row(line, "td"));
    }
    out.push_str("</tbody>\n</table>\n");
}

/// A line's text, escaped, with `**bold**` and `` `code` ``.
fn inline(text: &str) -> String {
    let mut out = String::new();
    let mut bold = false;
    let mut code = false;
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if !code && rest.starts_with("**") {
            out.push_str(if bold { "</strong>" } else { "<strong>" });
            bold = !bold;
            rest = &rest[2..];
            continue;
        }
        if !code && c == '\\' {
            // `\*`: the character itself.
            if let Some(next) = rest[1..].chars().next().filter(char::is_ascii_punctuation) {
                escape(next, &mut out);
                rest = &rest[1 + next.len_utf8()..];
                continue;
            }
        }
        if !code && c == '&' {
            // `&lt;`, `&amp;`: an entity the Markdown wrote, already HTML.
            let name = rest[1..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '#')
                .count();
            if name > 0 && rest[1 + name..].starts_with(';') {
                out.push_str(&rest[..name + 2]);
                rest = &rest[name + 2..];
                continue;
            }
        }
        if c == '`' {
            out.push_str(if code { "</code>" } else { "<code>" });
            code = !code;
        } else {
            escape(c, &mut out);
        }
        rest = &rest[c.len_utf8()..];
    }
    if code {
        out.push_str("</code>");
    }
    if bold {
        out.push_str("</strong>");
    }
    out
}

fn escape(c: char, out: &mut String) {
    match c {
        '&' => out.push_str("&amp;"),
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        '"' => out.push_str("&quot;"),
        '\'' => out.push_str("&#39;"),
        c => out.push(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_changelog_markdown_becomes_html() {
        let markdown = "## forfait diff : a → b\n\n**Impact sur 2 déclarations.**\n\nTexte suivi  \nd'une ligne.\n\n### Indicateurs ajoutés\n\n- Indicateur « x » ajouté\n  - §1 : <script>\n  - type : `Déclaratif`\n- Autre\n\n| Déclaration | 2022 | Écart |\n| --- | ---: | ---: |\n| maximum | 0,00 € | +1 240,00 € |\n";
        let html = html(markdown);
        assert_eq!(
            html,
            "<h2>forfait diff : a → b</h2>\n\
             <p><strong>Impact sur 2 déclarations.</strong></p>\n\
             <p>Texte suivi<br>\nd&#39;une ligne.</p>\n\
             <h3>Indicateurs ajoutés</h3>\n\
             <ul>\n<li>Indicateur « x » ajouté\n<ul>\n<li>§1 : &lt;script&gt;</li>\n\
             <li>type : <code>Déclaratif</code></li>\n</ul>\n</li>\n<li>Autre</li>\n</ul>\n\
             <table>\n<thead>\n<tr><th>Déclaration</th><th style=\"text-align: right\">2022</th><th style=\"text-align: right\">Écart</th></tr>\n</thead>\n\
             <tbody>\n<tr><td>maximum</td><td style=\"text-align: right\">0,00 €</td><td style=\"text-align: right\">+1 240,00 €</td></tr>\n</tbody>\n</table>\n"
        );
    }

    #[test]
    fn escapes_folds_and_four_space_lists_come_out_as_written() {
        let markdown = "### Données\n\n<details markdown=\"1\">\n<summary>9 changements</summary>\n\n- Libellé de « \\*x\\* » : « &lt;img src=x&gt; »\n    - mots changés : « b » au lieu de « a »\n- Autre\n\n</details>\n";
        assert_eq!(
            html(markdown),
            "<h3>Données</h3>\n<details>\n<summary>9 changements</summary>\n\
             <ul>\n<li>Libellé de « *x* » : « &lt;img src=x&gt; »\n<ul>\n<li>mots changés : « b » au lieu de « a »</li>\n</ul>\n</li>\n<li>Autre</li>\n</ul>\n</details>\n"
        );
    }
}
