use super::*;

const RULEBOOK: &str = r#"rulebook demo_2024 "Démonstration"
  scheme "FAMI"
  exercice 2024
  paid in 2025
  guide "Guide de démonstration"
  currency EUR
  professions (chirurgien_dentiste "Chirurgiens-dentistes")

input actes_fse "Actes FSE"
  count automated
  missing is error

input actes_total "Total des actes"
  count automated
  missing is error

input zone "Zone d'exercice"
  one of (sous_dense "Zone sous-dense", autre "Autre zone")
  automated
  missing means autre

list zones_aidees "Zones aidées" of zone
  (sous_dense)

indicator teletransmission "Taux de télétransmission ≥ 70 %"
  section "1.4"
  automated
  met when actes_fse / actes_total >= 70 % and zone in zones_aidees
  quote "Le ratio est ≥ à 70 %."
  requires socle
  pays 100 EUR when zone = sous_dense
       50 EUR otherwise

indicator messagerie "Messagerie sécurisée"
  section "1.5"
  declarative
  met when actes_fse >= 1

group socle "Socle"
  section "1"
  all-of (messagerie)
  independent
  pays 490 EUR

stated total "TOTAL maximal" 590 EUR
"#;

fn at(text: &str, pattern: &str, nth: usize) -> usize {
    text.match_indices(pattern)
        .nth(nth)
        .unwrap_or_else(|| panic!("no {nth}th `{pattern}`"))
        .0
}

fn analysis() -> Analysis {
    Analysis::new("2024-demo.forfait", RULEBOOK)
}

fn spans_text(text: &str, spans: &[Span]) -> Vec<String> {
    spans
        .iter()
        .map(|s| text[s.start..s.end].to_string())
        .collect()
}

#[test]
fn the_fixture_checks_clean() {
    let a = analysis();
    assert!(a.parses());
    assert_eq!(a.diagnostics(Lang::En), vec![]);
}

#[test]
fn names_resolve_to_their_definitions() {
    let a = analysis();
    let index = a.index();
    let definition_of = |pattern: &str, nth: usize| {
        let offset = at(RULEBOOK, pattern, nth) + 1;
        a.definition(offset).map(|s| s.start)
    };
    // An input in a rate, a list after `in`, a group after `requires`, a group member.
    assert_eq!(
        definition_of("actes_fse", 1),
        Some(at(RULEBOOK, "actes_fse", 0))
    );
    assert_eq!(
        definition_of("zones_aidees", 1),
        Some(at(RULEBOOK, "zones_aidees", 0))
    );
    assert_eq!(definition_of("socle", 0), Some(at(RULEBOOK, "socle", 1)));
    assert_eq!(
        definition_of("messagerie", 1),
        Some(at(RULEBOOK, "messagerie", 0))
    );
    // A value: after `=`, in a list, after `missing means`; the input's own definition.
    let sous_dense = at(RULEBOOK, "sous_dense", 0);
    assert_eq!(definition_of("sous_dense", 1), Some(sous_dense));
    assert_eq!(definition_of("sous_dense", 2), Some(sous_dense));
    assert_eq!(definition_of("autre", 1), Some(at(RULEBOOK, "autre", 0)));
    // A cursor just after a name is on it.
    let end = at(RULEBOOK, "socle\n", 0) + "socle".len();
    assert_eq!(
        a.definition(end).map(|s| s.start),
        Some(at(RULEBOOK, "socle", 1))
    );
    // Keywords and texts are no names.
    assert_eq!(a.definition(at(RULEBOOK, "met when", 0)), None);
    assert_eq!(a.definition(at(RULEBOOK, "Socle", 0) + 1), None);
    let zone = index.item("zone").expect("zone");
    assert_eq!(
        index
            .choices(zone)
            .map(|(_, s)| s.name.as_str())
            .collect::<Vec<_>>(),
        ["sous_dense", "autre"]
    );
}

#[test]
fn references_list_every_use() {
    let a = analysis();
    let zone = at(RULEBOOK, "zone ", 0);
    let uses = a.references(zone, false);
    assert_eq!(uses.len(), 3, "{:?}", spans_text(RULEBOOK, &uses));
    assert!(spans_text(RULEBOOK, &uses).iter().all(|t| t == "zone"));
    assert_eq!(a.references(zone, true).len(), 4);
    // The built-in `profession`'s definition is the header's list.
    let b = Analysis::new(
        "x.forfait",
        &RULEBOOK.replace("zone = sous_dense", "profession = chirurgien_dentiste"),
    );
    let profession = at(b.text(), "profession =", 0);
    assert_eq!(b.references(profession, true).len(), 2);
    assert_eq!(
        b.definition(at(b.text(), "chirurgien_dentiste", 1))
            .map(|s| s.start),
        Some(at(b.text(), "chirurgien_dentiste", 0))
    );
}

#[test]
fn rename_changes_every_use_or_says_why_not() {
    let a = analysis();
    let socle = at(RULEBOOK, "socle", 0);
    let edits = a.rename(socle, "prerequis").expect("renamed");
    assert_eq!(edits.len(), 2);
    let mut renamed = RULEBOOK.to_string();
    for e in edits.iter().rev() {
        renamed.replace_range(e.span.start..e.span.end, &e.text);
    }
    let b = Analysis::new("2024-demo.forfait", &renamed);
    assert_eq!(b.diagnostics(Lang::En), vec![]);
    assert!(renamed.contains("requires prerequis"));

    let refused = |offset, name: &str| a.rename(offset, name).expect_err(name);
    assert_eq!(
        refused(socle, "messagerie"),
        RenameRefusal::Taken {
            name: "messagerie".into(),
            kind: SymbolKind::Indicator
        }
    );
    for bad in [
        "Socle",
        "2socle",
        "socle-1",
        "prérequis",
        "pays",
        "when",
        "",
    ] {
        assert_eq!(refused(socle, bad), RenameRefusal::Invalid(bad.into()));
    }
    assert_eq!(
        refused(socle, "id"),
        RenameRefusal::DeclarationField("id".into())
    );
    assert!(matches!(
        refused(socle, "autre"),
        RenameRefusal::TakenByValue { .. }
    ));
    // A value is renamed among its input's values.
    let value = at(RULEBOOK, "sous_dense", 1);
    assert_eq!(a.rename(value, "zrr").expect("renamed").len(), 3);
    assert!(matches!(
        refused(value, "autre"),
        RenameRefusal::Taken { .. }
    ));
    assert_eq!(
        refused(at(RULEBOOK, "section", 0), "x"),
        RenameRefusal::NoName
    );
    let broken = Analysis::new(
        "x.forfait",
        &RULEBOOK.replace("met when actes_fse >= 1", "met when"),
    );
    assert_eq!(
        broken.rename(at(broken.text(), "socle", 0), "x"),
        Err(RenameRefusal::DoesNotParse)
    );
    assert!(refused(socle, "messagerie")
        .words(Lang::En)
        .contains("already the name of an indicator"));
    assert!(refused(socle, "messagerie")
        .words(Lang::Fr)
        .contains("déjà le nom d'un indicateur"));
}

#[test]
fn hover_tells_what_a_name_is_in_french() {
    let a = analysis();
    let hover = |pattern, nth| {
        a.hover(at(RULEBOOK, pattern, nth) + 1)
            .map(|h| h.markdown)
            .unwrap_or_default()
    };
    let input = hover("actes_fse", 1);
    assert!(input.starts_with("**entrée** `actes_fse`"), "{input}");
    assert!(input.contains("nombre entier"), "{input}");
    assert!(input.contains("Automatisé"), "{input}");
    assert!(input.contains("rejetée"), "{input}");
    let indicator = hover("teletransmission", 0);
    assert!(
        indicator.contains("**indicateur** `teletransmission` — §1.4"),
        "{indicator}"
    );
    assert!(
        indicator.contains("Taux de télétransmission ≥ 70 %"),
        "{indicator}"
    );
    assert!(
        indicator.contains("100,00 € quand `zone = sous_dense` ; sinon 50,00 €"),
        "{indicator}"
    );
    assert!(indicator.contains("requiert `socle`"), "{indicator}");
    assert!(
        indicator.contains("> Le ratio est ≥ à 70 %."),
        "{indicator}"
    );
    let member = hover("messagerie", 0);
    assert!(
        member.contains("membre du groupe `socle` (all-of, indépendant)"),
        "{member}"
    );
    let group = hover("socle", 1);
    assert!(group.contains("**groupe** `socle`"), "{group}");
    assert!(group.contains("490,00 €"), "{group}");
    let list = hover("zones_aidees", 0);
    assert!(list.contains("**liste** `zones_aidees`"), "{list}");
    assert!(list.contains("valeurs de `zone` : `sous_dense`"), "{list}");
    assert!(hover("sous_dense", 1).contains("**valeur** `sous_dense` de l'entrée `zone`"));
    let keyword = hover("requires", 0);
    assert!(
        keyword.contains("names an indicator or an `all-of` group"),
        "{keyword}"
    );
    assert!(keyword.contains("docs/language.md, 8. Gating"), "{keyword}");
    assert!(hover("paid in", 0).contains("The year in which the payment is made."));
}

#[test]
fn an_item_that_does_not_parse_hides_only_itself() {
    let text = RULEBOOK.replace("met when actes_fse >= 1", "met when actes_fse >=");
    let a = Analysis::new("2024-demo.forfait", &text);
    assert!(!a.parses());
    let codes: Vec<_> = a
        .diagnostics(Lang::En)
        .into_iter()
        .map(|d| d.code)
        .collect();
    assert_eq!(codes, vec![Some("forfait::parse::syntax".to_string())]);
    // The other items still answer, at their own offsets.
    let h = a.hover(at(&text, "socle", 1) + 1).expect("hover");
    assert!(h.markdown.contains("**groupe** `socle`"));
    // A name inside the broken item still hovers.
    let h = a.hover(at(&text, "actes_fse >=", 0) + 1).expect("hover");
    assert!(h.markdown.contains("**entrée** `actes_fse`"));
    assert_eq!(a.format(), Err(DoesNotParse));
    assert_eq!(a.folding().len(), 9);
    // The broken item's own name can still be reached.
    assert_eq!(
        a.definition(at(&text, "messagerie", 1) + 1)
            .map(|s| s.start),
        Some(at(&text, "messagerie", 0))
    );
    // A broken header leaves nothing to answer from, and no panic.
    let b = Analysis::new("x.forfait", "rulebook x \"T\"\n  scheme\n");
    assert!(b.symbols().is_empty());
    assert!(b.hover(3).is_none() || b.hover(3).is_some());
}

#[test]
fn diagnostics_carry_their_code_place_help_and_fix() {
    let text = RULEBOOK.replace("met when actes_fse >= 1", "met when actes_fsee >= 1");
    let a = Analysis::new("2024-demo.forfait", &text);
    let d = &a.diagnostics(Lang::En)[0];
    assert_eq!(d.code.as_deref(), Some("forfait::check::unknown_name"));
    assert_eq!(d.severity, Severity::Error);
    assert_eq!(&text[d.span.start..d.span.end], "actes_fsee");
    // The words are the diagnostic's own (another engineer words them): the name is there.
    assert!(d.message.contains("`actes_fsee`"), "{}", d.message);
    assert!(d.help.as_deref().is_some_and(|h| h.contains("`actes_fse`")));
    assert_eq!(d.fixes[0].edits[0].text, "actes_fse");
    assert_eq!(a.fixes(d.span, Lang::En).len(), 1);

    let text = RULEBOOK.replace("590 EUR", "600 EUR");
    let a = Analysis::new("2024-demo.forfait", &text);
    let d = &a.diagnostics(Lang::En)[0];
    assert_eq!(
        d.code.as_deref(),
        Some("forfait::check::stated_total_mismatch")
    );
    assert_eq!(d.fixes[0].edits[0].text, "590 EUR");
    assert_eq!(
        &text[d.fixes[0].edits[0].span.start..d.fixes[0].edits[0].span.end],
        "600 EUR"
    );

    // Related places: the first definition of a name defined twice.
    let text = RULEBOOK.replace("indicator messagerie", "indicator teletransmission");
    let a = Analysis::new("2024-demo.forfait", &text);
    let d = a
        .diagnostics(Lang::En)
        .into_iter()
        .find(|d| d.code.as_deref() == Some("forfait::check::duplicate_name"))
        .expect("duplicate");
    assert_eq!(d.related.len(), 1);
    assert_eq!(d.related[0].span.start, at(&text, "teletransmission", 0));
    assert!(
        !d.related[0].message.is_empty(),
        "the label of the first definition"
    );

    // `independent` before `pays`, at its indentation.
    let text = RULEBOOK.replace("  independent\n  pays 490", "  pays 490");
    let a = Analysis::new("2024-demo.forfait", &text);
    let d = &a.diagnostics(Lang::En)[0];
    assert_eq!(d.code.as_deref(), Some("forfait::check::missing_gating"));
    let edit = &d.fixes[0].edits[0];
    let mut fixed = text.clone();
    fixed.replace_range(edit.span.start..edit.span.end, &edit.text);
    assert_eq!(fixed, RULEBOOK);
}

#[test]
fn positions_count_utf16_units_after_accents_and_signs() {
    // `≥` (3 bytes) and `é` (2 bytes) before the unknown name, on its line.
    let text = RULEBOOK.replace(
        "  met when actes_fse >= 1",
        "  met when actes_fse ≥ 1 and \"é\" = \"é\" and actes_fsee >= 1",
    );
    let a = Analysis::new("2024-demo.forfait", &text);
    let d = &a.diagnostics(Lang::En)[0];
    let line = text[..d.span.start].matches('\n').count() as u32;
    let start = a.lines().position(&text, d.span.start, ColumnUnit::Utf16);
    let line_text = text.lines().nth(line as usize).expect("line");
    let column_chars = line_text
        .find("actes_fsee")
        .map(|b| line_text[..b].chars().count());
    assert_eq!(Some(start.column as usize), column_chars);
    assert_eq!(start.line, line);
    let utf8 = a.lines().position(&text, d.span.start, ColumnUnit::Utf8);
    assert_eq!(
        utf8.column as usize,
        line_text.find("actes_fsee").expect("there")
    );
    assert_eq!(utf8.column, start.column + 2 + 1 + 1);
}

#[test]
fn completion_offers_names_where_names_go() {
    let labels = |text: &str, offset: usize| {
        let a = Analysis::new("x.forfait", text);
        a.completion(offset)
            .items
            .into_iter()
            .map(|c| c.label)
            .collect::<Vec<_>>()
    };
    // An input in a condition, with what is typed so far.
    let text = RULEBOOK.replace("met when actes_fse >= 1", "met when act");
    let offset = at(&text, "met when act", 0) + "met when act".len();
    assert_eq!(labels(&text, offset), ["actes_fse", "actes_total"]);
    let text = RULEBOOK.replace("met when actes_fse >= 1", "met when ");
    let got = labels(&text, at(&text, "met when ", 1) + "met when ".len());
    assert!(
        got.contains(&"zone".to_string()) && !got.contains(&"socle".to_string()),
        "{got:?}"
    );
    // The values of a `one of` after `=`, and its lists after `in`.
    let text = RULEBOOK.replace("met when actes_fse >= 1", "met when zone = ");
    assert_eq!(
        labels(&text, at(&text, "zone = ", 1) + 7),
        ["autre", "sous_dense"]
    );
    let text = RULEBOOK.replace("met when actes_fse >= 1", "met when zone in ");
    assert_eq!(
        labels(&text, at(&text, "zone in ", 1) + 8),
        ["zones_aidees"]
    );
    let text = RULEBOOK.replace("met when actes_fse >= 1", "met when zone in (autre, ");
    assert_eq!(labels(&text, at(&text, "(autre, ", 0) + 8), ["sous_dense"]);
    // Rules after `requires` and in `all-of (...)`.
    let text = RULEBOOK.replace("requires socle", "requires ");
    assert_eq!(
        labels(&text, at(&text, "requires ", 0) + 9),
        ["messagerie", "socle", "teletransmission"]
    );
    let text = RULEBOOK.replace("all-of (messagerie)", "all-of (messagerie, ");
    assert_eq!(
        labels(&text, at(&text, "all-of (messagerie, ", 0) + 20),
        ["socle", "teletransmission"]
    );
    // Nothing inside a text or a comment.
    assert_eq!(
        labels(RULEBOOK, at(RULEBOOK, "Socle", 0) + 2),
        Vec::<String>::new()
    );
}

#[test]
fn completion_offers_the_clauses_that_may_come_next_in_order() {
    let text = RULEBOOK.replace(
        "  declarative\n  met when actes_fse >= 1\n",
        "  declarative\n  met when actes_fse >= 1\n  \n",
    );
    let offset = at(&text, "actes_fse >= 1\n  \n", 0) + "actes_fse >= 1\n  ".len();
    let a = Analysis::new("x.forfait", &text);
    let got: Vec<String> = a
        .completion(offset)
        .items
        .into_iter()
        .map(|c| c.label)
        .collect();
    assert_eq!(
        got,
        [
            "neutralised",
            "neutralised when",
            "quote",
            "requires",
            "independent",
            "pays"
        ]
    );
    // At the start of a line with no indentation: the items too.
    let offset = at(RULEBOOK, "group socle", 0);
    let a = analysis();
    let got: Vec<String> = a
        .completion(offset)
        .items
        .into_iter()
        .map(|c| c.label)
        .collect();
    assert!(got.contains(&"indicator".to_string()), "{got:?}");
}

#[test]
fn highlights_tell_keywords_from_names_by_kind() {
    let a = analysis();
    let highlight_of = |pattern: &str, nth: usize| {
        let start = at(RULEBOOK, pattern, nth);
        a.highlights()
            .into_iter()
            .find(|h| h.span.start == start)
            .map(|h| (h.highlight, h.definition))
    };
    assert_eq!(
        highlight_of("indicator", 0),
        Some((Highlight::Keyword, false))
    );
    assert_eq!(
        highlight_of("socle", 0),
        Some((Highlight::Name(SymbolKind::Group), false))
    );
    assert_eq!(
        highlight_of("socle", 1),
        Some((Highlight::Name(SymbolKind::Group), true))
    );
    assert_eq!(
        highlight_of("actes_fse", 1),
        Some((Highlight::Name(SymbolKind::Input), false))
    );
    assert_eq!(
        highlight_of("sous_dense", 2),
        Some((Highlight::Name(SymbolKind::Choice), false))
    );
    assert_eq!(
        highlight_of("zones_aidees", 1),
        Some((Highlight::Name(SymbolKind::List), false))
    );
    assert_eq!(highlight_of("\"Socle\"", 0), Some((Highlight::Text, false)));
    assert_eq!(highlight_of("490", 0), Some((Highlight::Number, false)));
    assert_eq!(highlight_of(">=", 0), Some((Highlight::Operator, false)));
}

#[test]
fn the_outline_has_every_item_with_its_label() {
    let a = analysis();
    let symbols = a.symbols();
    let names: Vec<(&str, OutlineKind)> =
        symbols.iter().map(|s| (s.name.as_str(), s.kind)).collect();
    assert_eq!(
        names,
        [
            ("demo_2024", OutlineKind::Header),
            ("actes_fse", OutlineKind::Input),
            ("actes_total", OutlineKind::Input),
            ("zone", OutlineKind::Input),
            ("zones_aidees", OutlineKind::List),
            ("teletransmission", OutlineKind::Indicator),
            ("messagerie", OutlineKind::Indicator),
            ("socle", OutlineKind::Group),
            ("TOTAL maximal", OutlineKind::StatedTotal),
        ]
    );
    assert_eq!(symbols[3].children.len(), 2);
    assert_eq!(
        symbols[5].detail.as_deref(),
        Some("Taux de télétransmission ≥ 70 %")
    );
    assert_eq!(a.folding().len(), 9);
}

#[test]
fn formatting_is_fmts_layout() {
    let messy = RULEBOOK.replace("  section \"1.5\"\n", "      section    \"1.5\"\n");
    let a = Analysis::new("x.forfait", &messy);
    assert_eq!(a.format().as_deref(), Ok(RULEBOOK));
}

#[test]
fn no_question_panics_anywhere_in_a_text() {
    // Every offset of a rulebook, broken in a few ways, answers without panicking.
    for text in [
        RULEBOOK.to_string(),
        RULEBOOK.replace("met when actes_fse >= 1", "met when ≥ é \"open"),
        RULEBOOK[..RULEBOOK.len() / 2].to_string(),
        "é\u{FEFF}≥(((".to_string(),
        String::new(),
    ] {
        let a = Analysis::new("x.forfait", &text);
        for offset in 0..=text.len() + 2 {
            let _ = a.hover(offset);
            let _ = a.definition(offset);
            let _ = a.references(offset, true);
            let _ = a.completion(offset);
            let _ = a.rename(offset, "nouveau");
        }
        let _ = (a.highlights(), a.symbols(), a.folding(), a.format());
        let _ = a.fixes(Span::new(0, text.len()), Lang::En);
    }
}

#[test]
fn a_decimal_comma_is_fixed_to_a_point() {
    let text = RULEBOOK.replace("pays 490 EUR", "pays 490,5 EUR");
    let a = Analysis::new("2024-demo.forfait", &text);
    let d = &a.diagnostics(Lang::En)[0];
    assert_eq!(d.code.as_deref(), Some("forfait::parse::syntax"));
    let edit = &d.fixes[0].edits[0];
    assert_eq!(&text[edit.span.start..edit.span.end], "490,5");
    assert_eq!(edit.text, "490.5");
}

#[test]
fn an_unknown_value_is_fixed_to_the_likely_one() {
    let text = RULEBOOK.replace("when zone = sous_dense", "when zone = sous_dens");
    let a = Analysis::new("2024-demo.forfait", &text);
    let d = &a.diagnostics(Lang::En)[0];
    assert_eq!(d.code.as_deref(), Some("forfait::check::unknown_value"));
    let edit = &d.fixes[0].edits[0];
    assert_eq!(&text[edit.span.start..edit.span.end], "sous_dens");
    assert_eq!(edit.text, "sous_dense");
    // Too far from any value: the values are listed, and there is no fix.
    let text = RULEBOOK.replace("when zone = sous_dense", "when zone = montagne");
    let a = Analysis::new("2024-demo.forfait", &text);
    let d = &a.diagnostics(Lang::En)[0];
    assert_eq!(d.code.as_deref(), Some("forfait::check::unknown_value"));
    assert_eq!(d.fixes, vec![]);
}

#[test]
fn an_empty_file_starts_with_its_header() {
    let a = Analysis::new("x.forfait", "");
    let got: Vec<String> = a.completion(0).items.into_iter().map(|c| c.label).collect();
    assert_eq!(got, ["rulebook"]);
}

#[test]
fn the_of_of_a_list_is_explained_as_a_lists() {
    let a = analysis();
    let hover = a.hover(at(RULEBOOK, " of zone", 0) + 2).expect("hover");
    assert!(
        hover
            .markdown
            .contains("A list holds the values of one input"),
        "{}",
        hover.markdown
    );
}

#[test]
fn the_commonest_slips_come_with_their_fix() {
    // (what the officer typed in place of what, the text the fix writes)
    let slips = [
        (">= 70 %", "=> 70 %", ">="),
        (">= 70 %", ">= 0,7", "70 %"),
        ("% and zone", "% et zone", "and"),
        ("pays 490 EUR", "pays 490 euros", "EUR"),
        (
            "met when actes_fse >= 1",
            "met when actes_fsé >= 1",
            "actes_fse",
        ),
        (
            "met when actes_fse >= 1",
            "met when Actes_Fse >= 1",
            "actes_fse",
        ),
    ];
    for (from, to, fix) in slips {
        let text = RULEBOOK.replacen(from, to, 1);
        let a = Analysis::new("2024-demo.forfait", &text);
        let d = &a.diagnostics(Lang::Fr)[0];
        assert_eq!(d.fixes.len(), 1, "{to}: {d:?}");
        assert_eq!(d.fixes[0].title, format!("écrire `{fix}`"), "{to}");
        let edit = &d.fixes[0].edits[0];
        assert_eq!(edit.text, fix, "{to}");
        let fixed = format!(
            "{}{}{}",
            &text[..edit.span.start],
            edit.text,
            &text[edit.span.end..]
        );
        assert!(
            crate::parse(&fixed).is_ok(),
            "{to}: the fix parses:\n{fixed}"
        );
    }
}
