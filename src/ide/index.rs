//! Every name of a rulebook: where each is defined and where it is used, from the AST.
//!
//! Names resolve as `check` resolves them: inputs, lists, indicators and groups share one
//! namespace (the first definition wins, as in `check`); the values of a `one of` input
//! belong to it, and a bare word in a comparison is a value of the `one of` input on the
//! other side when it names no input. The built-in `profession` is an input whose values
//! are the header's professions.

use std::collections::HashMap;

use crate::syntax::ast::{self, Condition, Item, Operand, Rulebook, SetRef, Span};

/// A symbol's number in [`NameIndex::symbols`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SymbolId(pub usize);

/// What a name stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SymbolKind {
    Input,
    List,
    Indicator,
    Group,
    /// A value of a `one of` input (or a profession, a value of `profession`).
    Choice,
}

impl SymbolKind {
    /// Inputs, lists, indicators and groups share one namespace; values do not.
    pub fn is_item(self) -> bool {
        !matches!(self, SymbolKind::Choice)
    }

    pub fn is_rule(self) -> bool {
        matches!(self, SymbolKind::Indicator | SymbolKind::Group)
    }
}

#[derive(Clone, Debug)]
pub struct Symbol {
    pub name: String,
    pub kind: SymbolKind,
    /// The name where it is defined; for the built-in `profession`, the header's
    /// `professions (...)`.
    pub definition: Span,
    /// Built in (`profession`): it has no definition to rename.
    pub builtin: bool,
    /// For a value, the input it belongs to.
    pub owner: Option<SymbolId>,
    /// The item that defines it, by its number in `Rulebook::items`.
    pub item: Option<usize>,
}

/// One occurrence of a name in the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Occurrence {
    pub span: Span,
    /// `None` when the name resolves to nothing (`check` reports it).
    pub symbol: Option<SymbolId>,
    pub definition: bool,
}

/// Where a name is written, and what it resolves to.
#[derive(Clone, Debug, Default)]
pub struct NameIndex {
    pub symbols: Vec<Symbol>,
    /// In source order.
    pub occurrences: Vec<Occurrence>,
    items: HashMap<String, SymbolId>,
    /// Each input's values by name.
    values: HashMap<(SymbolId, String), SymbolId>,
}

impl NameIndex {
    pub fn new(rulebook: &Rulebook) -> NameIndex {
        let mut index = NameIndex::default();
        index.definitions(rulebook);
        index.references(rulebook);
        index
            .occurrences
            .sort_by_key(|o| (o.span.start, o.span.end));
        index
            .occurrences
            .dedup_by_key(|o| (o.span.start, o.span.end));
        index
    }

    pub fn symbol(&self, id: SymbolId) -> Option<&Symbol> {
        self.symbols.get(id.0)
    }

    /// The input, list, indicator or group of that name.
    pub fn item(&self, name: &str) -> Option<SymbolId> {
        self.items.get(name).copied()
    }

    /// The value `name` of input `input`.
    pub fn choice(&self, input: SymbolId, name: &str) -> Option<SymbolId> {
        self.values.get(&(input, name.to_string())).copied()
    }

    /// The values of input `input`, in the order written.
    pub fn choices(&self, input: SymbolId) -> impl Iterator<Item = (SymbolId, &Symbol)> {
        self.symbols
            .iter()
            .enumerate()
            .filter(move |(_, s)| s.kind == SymbolKind::Choice && s.owner == Some(input))
            .map(|(i, s)| (SymbolId(i), s))
    }

    /// The occurrence under `offset`; a cursor just after a name is on it.
    pub fn at(&self, offset: usize) -> Option<&Occurrence> {
        let i = self.occurrences.partition_point(|o| o.span.end < offset);
        self.occurrences
            .get(i)
            .filter(|o| o.span.start <= offset && offset <= o.span.end)
    }

    /// Every occurrence of `symbol`, its definition included, in source order.
    pub fn occurrences_of(&self, symbol: SymbolId) -> impl Iterator<Item = &Occurrence> {
        self.occurrences
            .iter()
            .filter(move |o| o.symbol == Some(symbol))
    }

    fn define(
        &mut self,
        name: &ast::Name,
        kind: SymbolKind,
        owner: Option<SymbolId>,
        item: Option<usize>,
    ) -> SymbolId {
        let id = SymbolId(self.symbols.len());
        self.symbols.push(Symbol {
            name: name.text.clone(),
            kind,
            definition: name.span,
            builtin: false,
            owner,
            item,
        });
        self.occurrences.push(Occurrence {
            span: name.span,
            symbol: Some(id),
            definition: true,
        });
        match owner {
            Some(input) => {
                self.values.entry((input, name.text.clone())).or_insert(id);
            }
            None => {
                self.items.entry(name.text.clone()).or_insert(id);
            }
        }
        id
    }

    fn definitions(&mut self, rulebook: &Rulebook) {
        let header = &rulebook.header;
        let profession = SymbolId(self.symbols.len());
        self.symbols.push(Symbol {
            name: "profession".into(),
            kind: SymbolKind::Input,
            definition: header.professions_span,
            builtin: true,
            owner: None,
            item: None,
        });
        self.items.insert("profession".into(), profession);
        for value in &header.professions {
            self.define(&value.name, SymbolKind::Choice, Some(profession), None);
        }
        for (i, item) in rulebook.items.iter().enumerate() {
            match item {
                Item::Input(input) => {
                    let id = self.define(&input.name, SymbolKind::Input, None, Some(i));
                    if let ast::InputType::OneOf(values) = &input.ty {
                        for value in values {
                            self.define(&value.name, SymbolKind::Choice, Some(id), Some(i));
                        }
                    }
                }
                Item::List(list) => {
                    self.define(&list.name, SymbolKind::List, None, Some(i));
                }
                Item::Indicator(indicator) => {
                    self.define(&indicator.name, SymbolKind::Indicator, None, Some(i));
                }
                Item::Group(group) => {
                    self.define(&group.name, SymbolKind::Group, None, Some(i));
                }
                Item::StatedTotal(_) => {}
            }
        }
    }

    /// The name of an item that does not parse (`indicator NAME ...`), so that it can
    /// still be completed and reached while it is being written.
    pub(crate) fn define_unparsed(&mut self, name: &str, kind: SymbolKind, span: Span) {
        if self.items.contains_key(name) {
            return;
        }
        let id = SymbolId(self.symbols.len());
        self.symbols.push(Symbol {
            name: name.to_string(),
            kind,
            definition: span,
            builtin: false,
            owner: None,
            item: None,
        });
        self.items.insert(name.to_string(), id);
        let at = self
            .occurrences
            .partition_point(|o| o.span.start < span.start);
        self.occurrences.insert(
            at,
            Occurrence {
                span,
                symbol: Some(id),
                definition: true,
            },
        );
    }

    fn refer(&mut self, name: &ast::Name, symbol: Option<SymbolId>) {
        self.occurrences.push(Occurrence {
            span: name.span,
            symbol,
            definition: false,
        });
    }

    fn refer_item(&mut self, name: &ast::Name) -> Option<SymbolId> {
        let symbol = self.item(&name.text);
        self.refer(name, symbol);
        symbol
    }

    fn refer_choice(&mut self, name: &ast::Name, input: Option<SymbolId>) {
        let symbol = input.and_then(|i| self.choice(i, &name.text));
        self.refer(name, symbol);
    }

    fn references(&mut self, rulebook: &Rulebook) {
        for item in &rulebook.items {
            match item {
                Item::Input(input) => {
                    if let ast::Missing::Means(ast::Literal::Name(value)) = &input.missing {
                        let owner = self.item(&input.name.text);
                        self.refer_choice(value, owner);
                    }
                }
                Item::List(list) => {
                    let input = self.refer_item(&list.of_input);
                    for value in &list.values {
                        self.refer_choice(value, input);
                    }
                }
                Item::Indicator(indicator) => {
                    if let Some(c) = &indicator.applies {
                        self.condition(c);
                    }
                    self.condition(&indicator.met);
                    for n in &indicator.neutralisations {
                        if let Some(c) = &n.when {
                            self.condition(c);
                        }
                    }
                    self.gating(indicator.gating.as_ref());
                    self.pays(indicator.pays.as_ref());
                }
                Item::Group(group) => {
                    for member in &group.members {
                        self.refer_item(member);
                    }
                    self.gating(group.gating.as_ref());
                    self.pays(group.pays.as_ref());
                }
                Item::StatedTotal(total) => {
                    for name in total.scope.iter().flatten() {
                        self.refer_item(name);
                    }
                    if let Some(c) = &total.profile {
                        self.condition(c);
                    }
                }
            }
        }
    }

    fn gating(&mut self, gating: Option<&ast::Gating>) {
        if let Some(ast::Gating::Requires(name)) = gating {
            self.refer_item(name);
        }
    }

    fn pays(&mut self, pays: Option<&ast::Pays>) {
        for variant in pays.iter().flat_map(|p| &p.variants) {
            if let Some(per) = &variant.per {
                self.refer_item(per);
            }
            if let ast::Guard::When(c) = &variant.guard {
                self.condition(c);
            }
        }
    }

    /// The `one of` input an operand is, if it is one.
    fn choice_input(&self, operand: &Operand) -> Option<SymbolId> {
        let Operand::Name(name) = operand else {
            return None;
        };
        let id = self.item(&name.text)?;
        let has_values = self.choices(id).next().is_some();
        (self.symbols[id.0].kind == SymbolKind::Input && has_values).then_some(id)
    }

    fn condition(&mut self, condition: &Condition) {
        match condition {
            Condition::Or(parts, _) | Condition::And(parts, _) => {
                for part in parts {
                    self.condition(part);
                }
            }
            Condition::Not(inner, _) => self.condition(inner),
            Condition::Compare { left, right, .. } => {
                let (l, r) = (self.choice_input(left), self.choice_input(right));
                self.operand(left, r);
                self.operand(right, l);
            }
            Condition::Member { operand, set, .. } => {
                let input = self.choice_input(operand);
                self.operand(operand, None);
                match set {
                    SetRef::List(name) => {
                        self.refer_item(name);
                    }
                    SetRef::Values(values, _) => {
                        for value in values {
                            self.refer_choice(value, input);
                        }
                    }
                }
            }
            Condition::Holds(operand) => self.operand(operand, None),
        }
    }

    /// A name in a condition: an input if there is one of that name, else a value of the
    /// `one of` input on the other side, else whatever else it names (an error `check`
    /// reports, but the editor can still go there).
    fn operand(&mut self, operand: &Operand, other: Option<SymbolId>) {
        match operand {
            Operand::Name(name) => {
                let item = self.item(&name.text);
                let input = item.filter(|i| self.symbols[i.0].kind == SymbolKind::Input);
                let symbol = input
                    .or_else(|| other.and_then(|o| self.choice(o, &name.text)))
                    .or(item);
                self.refer(name, symbol);
            }
            Operand::Ratio(numerator, denominator, _) => {
                self.refer_item(numerator);
                self.refer_item(denominator);
            }
            _ => {}
        }
    }
}

/// Names the declaration itself uses: `check` refuses them for inputs and rules.
pub const DECLARATION_FIELDS: [&str; 2] = ["id", "profession"];
