//! A row per declaration and a column per indicator and payment line, for a spreadsheet.

use super::Evaluated;
use crate::model::CompiledRulebook;

/// Every record as CSV: `id,status,total_euros[,total_points],<indicator>...,pays_<line>...,errors`.
pub fn render(rulebook: &CompiledRulebook, records: &[Evaluated]) -> String {
    let mut writer = ::csv::Writer::from_writer(Vec::new());
    let has_points = rulebook.meta.point_value.is_some();
    let mut header = vec!["id".to_string(), "status".into(), "total_euros".into()];
    if has_points {
        header.push("total_points".into());
    }
    header.extend(rulebook.indicators.iter().map(|i| i.name.clone()));
    header.extend(
        rulebook
            .payments
            .iter()
            .map(|p| format!("pays_{}", rulebook.target_name(p.owner))),
    );
    header.extend([
        "rulebook_hash".to_string(),
        "source".into(),
        "errors".into(),
    ]);
    let width = header.len();
    let _ = writer.write_record(&header);
    for record in records {
        let row: Vec<String> = match record {
            Evaluated::Outcome {
                file,
                location,
                outcome,
            } => {
                let mut row = vec![
                    outcome.declaration_id.clone(),
                    "evaluated".into(),
                    outcome.total_euros.to_string(),
                ];
                if has_points {
                    row.push(outcome.total_points.normalize().to_string());
                }
                row.extend(
                    outcome
                        .indicators
                        .iter()
                        .map(|o| o.status.as_str().to_string()),
                );
                row.extend(outcome.payments.iter().map(|p| p.euros.to_string()));
                row.extend([
                    rulebook.meta.content_hash.clone(),
                    format!("{file}:{location}"),
                    String::new(),
                ]);
                row
            }
            Evaluated::Rejected(r) => {
                let mut row = vec![r.id.clone().unwrap_or_default(), "rejected".into()];
                row.resize(width - 3, String::new());
                let errors = r
                    .problems
                    .iter()
                    .map(|p| match &p.field {
                        Some(f) => format!("{f}: {}", p.message),
                        None => p.message.clone(),
                    })
                    .collect::<Vec<_>>()
                    .join(" | ");
                row.extend([
                    rulebook.meta.content_hash.clone(),
                    format!("{}:{}", r.file, r.location),
                    errors,
                ]);
                row
            }
        };
        let _ = writer.write_record(&row);
    }
    writer
        .into_inner()
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .unwrap_or_default()
}
