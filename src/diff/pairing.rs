//! The context every comparison works in: the two rulebooks, with their indicators and
//! groups matched by name, then what is left paired as renames (same label and section,
//! then same label), and the names each side gives a rule.

use crate::model::{CompiledRulebook, Target};
use crate::profession::ForProfession;

/// Items of the old rulebook matched with those of the new one, both ways.
pub(super) struct Matching {
    /// For each old item, its new counterpart.
    pub(super) forward: Vec<Option<usize>>,
    /// For each new item, its old counterpart.
    pub(super) back: Vec<Option<usize>>,
}

impl Matching {
    /// `old` and `new` items, none matched yet.
    pub(super) fn new(old: usize, new: usize) -> Matching {
        Matching {
            forward: vec![None; old],
            back: vec![None; new],
        }
    }

    /// Matches each old item still unmatched with the first unmatched new one that `same`
    /// (old index, new index) accepts.
    pub(super) fn link_where(&mut self, same: impl Fn(usize, usize) -> bool) {
        for i in 0..self.forward.len() {
            if self.forward[i].is_some() {
                continue;
            }
            if let Some(j) = (0..self.back.len()).find(|&j| self.back[j].is_none() && same(i, j)) {
                self.forward[i] = Some(j);
                self.back[j] = Some(i);
            }
        }
    }
}

/// What matches an indicator or a group: its name, its label, its section.
type Key<'a> = (&'a str, &'a str, Option<&'a str>);

/// Matches items by name (names are unique in a rulebook), then pairs what is left as
/// renames: same label and section first, then same label.
fn pair(old: &[Key<'_>], new: &[Key<'_>]) -> Matching {
    let mut matching = Matching::new(old.len(), new.len());
    matching.link_where(|i, j| new[j].0 == old[i].0);
    matching.link_where(|i, j| new[j].1 == old[i].1 && new[j].2 == old[i].2);
    matching.link_where(|i, j| new[j].1 == old[i].1);
    matching
}

/// The two rulebooks compared, their indicators and groups matched.
pub(super) struct Ctx<'a> {
    pub(super) old: &'a CompiledRulebook,
    pub(super) new: &'a CompiledRulebook,
    pub(super) indicators: Matching,
    pub(super) groups: Matching,
    /// `--profession`: only what concerns it is compared (see `only`).
    pub(super) only: Option<Only<'a>>,
}

/// One profession, as each side sees it (`None`: that rulebook does not cover it).
pub(super) struct Only<'a> {
    pub(super) old: Option<ForProfession<'a>>,
    pub(super) new: Option<ForProfession<'a>>,
    pub(super) name: String,
}

/// The counterpart of `t` through the indicators' and the groups' matches (one direction).
fn across(t: Target, indicators: &[Option<usize>], groups: &[Option<usize>]) -> Option<Target> {
    match t {
        Target::Indicator(i) => indicators.get(i).copied().flatten().map(Target::Indicator),
        Target::Group(g) => groups.get(g).copied().flatten().map(Target::Group),
    }
}

impl<'a> Ctx<'a> {
    pub(super) fn new(old: &'a CompiledRulebook, new: &'a CompiledRulebook) -> Ctx<'a> {
        let indicator_keys = |rb: &'a CompiledRulebook| -> Vec<Key<'a>> {
            rb.indicators
                .iter()
                .map(|i| {
                    (
                        i.head.name.as_str(),
                        i.head.label.as_str(),
                        Some(i.section.as_str()),
                    )
                })
                .collect()
        };
        let group_keys = |rb: &'a CompiledRulebook| -> Vec<Key<'a>> {
            rb.groups
                .iter()
                .map(|g| {
                    (
                        g.head.name.as_str(),
                        g.head.label.as_str(),
                        g.section.as_deref(),
                    )
                })
                .collect()
        };
        Ctx {
            old,
            new,
            indicators: pair(&indicator_keys(old), &indicator_keys(new)),
            groups: pair(&group_keys(old), &group_keys(new)),
            only: None,
        }
    }

    /// The two rulebooks compared for one profession only.
    pub(super) fn for_profession(
        old: &'a CompiledRulebook,
        new: &'a CompiledRulebook,
        profession: &str,
    ) -> Ctx<'a> {
        Ctx {
            only: Some(Only {
                old: ForProfession::new(old, profession),
                new: ForProfession::new(new, profession),
                name: profession.to_string(),
            }),
            ..Ctx::new(old, new)
        }
    }

    /// The new rulebook's counterpart of an old target.
    pub(super) fn to_new(&self, t: Target) -> Option<Target> {
        across(t, &self.indicators.forward, &self.groups.forward)
    }

    /// The old rulebook's counterpart of a new target.
    pub(super) fn to_old(&self, t: Target) -> Option<Target> {
        across(t, &self.indicators.back, &self.groups.back)
    }

    /// An old target's name as the new rulebook calls it (its old name if it is gone).
    pub(super) fn old_name_now(&self, t: Target) -> String {
        match self.to_new(t) {
            Some(n) => self.new_name(n),
            None => self.old.target_name(t).to_string(),
        }
    }

    /// A new target's name.
    pub(super) fn new_name(&self, t: Target) -> String {
        self.new.target_name(t).to_string()
    }

    /// The name of one rule seen on both sides: the new one's, else the old one's.
    pub(super) fn either_name(
        &self,
        old_t: Option<Target>,
        new_t: Option<Target>,
    ) -> Option<String> {
        match (new_t, old_t) {
            (Some(t), _) => Some(self.new_name(t)),
            (None, Some(t)) => Some(self.old.target_name(t).to_string()),
            (None, None) => None,
        }
    }
}
