//! The JSON contract (documented in docs/output-json.md): one object per declaration,
//! statuses spelled `met`, `not_met`, `neutralised`, `not_applicable`, amounts as decimal
//! strings, and the rulebook's name and content hash in every object.

use serde::Serialize;
use serde_json::{Map, Value as Json};

use crate::eval::{Outcome, PaymentStatus};
use crate::model::{CompiledRulebook, Slot, Target};
use crate::record::Evaluated;
use crate::value::Value;

/// The version of the JSON contract; bumped on any incompatible change.
pub const CONTRACT_VERSION: u32 = 1;

#[derive(Serialize)]
struct RulebookRef<'a> {
    name: &'a str,
    title: &'a str,
    exercice: u16,
    hash: &'a str,
}

#[derive(Serialize)]
struct Source<'a> {
    file: &'a str,
    location: String,
}

#[derive(Serialize)]
struct EvaluatedJson<'a> {
    contract: u32,
    rulebook: RulebookRef<'a>,
    source: Source<'a>,
    id: &'a str,
    status: &'static str,
    total: Total,
    indicators: Vec<IndicatorJson<'a>>,
    groups: Vec<GroupJson<'a>>,
    payments: Vec<PaymentJson<'a>>,
}

#[derive(Serialize)]
struct Total {
    euros: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    points: Option<String>,
}

#[derive(Serialize)]
struct IndicatorJson<'a> {
    name: &'a str,
    label: &'a str,
    section: &'a str,
    status: &'static str,
    values: Map<String, Json>,
    explanation: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    neutralisation: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    total_if_met: Option<String>,
}

#[derive(Serialize)]
struct GroupJson<'a> {
    name: &'a str,
    label: &'a str,
    status: &'static str,
    members_met: usize,
    members_counted: usize,
}

#[derive(Serialize)]
struct PaymentJson<'a> {
    name: &'a str,
    label: &'a str,
    status: &'static str,
    euros: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    points: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    units: Option<u64>,
    /// The status of the indicator or group that pays the line.
    owner_status: &'static str,
    /// When the owner is met but a gate is not: the gate's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    blocked_by: Option<&'a str>,
    reason: String,
}

#[derive(Serialize)]
struct RejectedJson<'a> {
    contract: u32,
    rulebook: RulebookRef<'a>,
    source: Source<'a>,
    id: Option<&'a str>,
    status: &'static str,
    errors: Vec<ErrorJson<'a>>,
}

#[derive(Serialize)]
struct ErrorJson<'a> {
    code: &'a str,
    field: Option<&'a str>,
    message: &'a str,
    expected: Option<&'a str>,
}

fn rulebook_ref(rulebook: &CompiledRulebook) -> RulebookRef<'_> {
    RulebookRef {
        name: &rulebook.meta.name,
        title: &rulebook.meta.title,
        exercice: rulebook.meta.exercice,
        hash: &rulebook.meta.content_hash,
    }
}

/// Every record as a JSON array, pretty-printed.
pub fn render(rulebook: &CompiledRulebook, records: &[Evaluated]) -> String {
    let items: Vec<Json> = records.iter().map(|r| to_json(rulebook, r)).collect();
    serde_json::to_string_pretty(&items).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

/// One record as one JSON object (also used, one per line, for JSON lines).
pub fn to_json(rulebook: &CompiledRulebook, record: &Evaluated) -> Json {
    let value = match record {
        Evaluated::Outcome {
            file,
            location,
            outcome,
        } => serde_json::to_value(outcome_json(rulebook, file, &location.to_string(), outcome)),
        Evaluated::Rejected(r) => serde_json::to_value(RejectedJson {
            contract: CONTRACT_VERSION,
            rulebook: rulebook_ref(rulebook),
            source: Source {
                file: &r.file,
                location: r.location.to_string(),
            },
            id: r.id.as_deref(),
            status: "rejected",
            errors: r
                .problems
                .iter()
                .map(|p| ErrorJson {
                    code: p.code,
                    field: p.field.as_deref(),
                    message: &p.message,
                    expected: p.expected.as_deref(),
                })
                .collect(),
        }),
    };
    value.unwrap_or(Json::Null)
}

fn outcome_json<'a>(
    rulebook: &'a CompiledRulebook,
    file: &'a str,
    location: &str,
    outcome: &'a Outcome,
) -> EvaluatedJson<'a> {
    let has_points = rulebook.meta.point_value.is_some();
    EvaluatedJson {
        contract: CONTRACT_VERSION,
        rulebook: rulebook_ref(rulebook),
        source: Source {
            file,
            location: location.to_string(),
        },
        id: &outcome.declaration_id,
        status: "evaluated",
        total: Total {
            euros: outcome.total_euros.to_string(),
            points: has_points.then(|| outcome.total_points.normalize().to_string()),
        },
        indicators: rulebook
            .indicators
            .iter()
            .enumerate()
            .map(|(i, ind)| {
                let o = &outcome.indicators[i];
                IndicatorJson {
                    name: &ind.head.name,
                    label: &ind.head.label,
                    section: &ind.section,
                    status: o.status.as_str(),
                    values: decisive_values(rulebook, i, &outcome.values),
                    explanation: super::text::indicator_reason(rulebook, outcome, i),
                    neutralisation: o
                        .neutralised_by
                        .map(|n| ind.neutralisations[n].words.as_str()),
                    total_if_met: o.total_if_met.map(|t| t.to_string()),
                }
            })
            .collect(),
        groups: rulebook
            .groups
            .iter()
            .enumerate()
            .map(|(g, group)| GroupJson {
                name: &group.head.name,
                label: &group.head.label,
                status: outcome.groups[g].status.as_str(),
                members_met: outcome.groups[g].members_met,
                members_counted: outcome.groups[g].members_counted,
            })
            .collect(),
        payments: rulebook
            .payments
            .iter()
            .enumerate()
            .map(|(p, payment)| {
                let line = &outcome.payments[p];
                let in_points = line.points.is_some();
                PaymentJson {
                    name: rulebook.target_name(payment.owner),
                    label: &rulebook.rule(payment.owner).label,
                    status: if line.status == PaymentStatus::Paid {
                        "paid"
                    } else {
                        "not_paid"
                    },
                    euros: line.euros.to_string(),
                    points: in_points
                        .then(|| line.points.unwrap_or_default().normalize().to_string()),
                    units: line.units,
                    owner_status: outcome.status_of(payment.owner).as_str(),
                    blocked_by: match &line.status {
                        PaymentStatus::GateNotMet(chain) => {
                            chain.last().map(|gate| rulebook.target_name(*gate))
                        }
                        _ => None,
                    },
                    reason: super::text::payment_reason(rulebook, outcome, p),
                }
            })
            .collect(),
    }
}

/// The inputs an indicator's status is decided on, with their values.
fn decisive_values(
    rulebook: &CompiledRulebook,
    indicator: usize,
    values: &[Value],
) -> Map<String, Json> {
    rulebook
        .status_reads(Target::Indicator(indicator))
        .into_iter()
        .map(|slot| {
            (
                rulebook.inputs[slot].name.clone(),
                value_json(rulebook, slot, values.get(slot).unwrap_or(&Value::Missing)),
            )
        })
        .collect()
}

pub fn value_json(rulebook: &CompiledRulebook, slot: Slot, value: &Value) -> Json {
    match value {
        Value::Missing | Value::Absent => Json::Null,
        Value::YesNo(b) => Json::Bool(*b),
        Value::Count(n) => Json::from(*n),
        Value::Decimal(d) => Json::String(d.to_string()),
        Value::Date(d) => Json::String(d.to_string()),
        Value::Text(t) => Json::String(t.clone()),
        Value::Choice(c) => Json::String(rulebook.choice_name(slot, *c).to_string()),
    }
}
