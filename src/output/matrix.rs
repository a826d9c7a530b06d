//! The regression matrix as a Markdown table (for a pull request) or JSON.

use serde_json::{json, Value as Json};

use crate::french;
use crate::matrix::{Cell, Matrix};
use crate::model::CompiledRulebook;

/// A Markdown table: a row per situation, a column per rulebook (year).
pub fn markdown(rulebooks: &[CompiledRulebook], matrix: &Matrix) -> String {
    let mut out = String::from("| Situation |");
    for &c in &matrix.columns {
        let meta = &rulebooks[c].meta;
        out.push_str(&format!(" {} {} |", meta.scheme, meta.exercice));
    }
    out.push_str("\n| --- |");
    for _ in &matrix.columns {
        out.push_str(" ---: |");
    }
    out.push('\n');
    for row in &matrix.rows {
        out.push_str(&format!("| {} |", row.id));
        for cell in &row.cells {
            let text = match cell {
                Cell::Paid { euros } => french::euros(*euros),
                Cell::NotCovered => "non couvert".into(),
                Cell::Rejected { reason } => format!("rejeté ({reason})"),
            };
            out.push_str(&format!(" {} |", text.replace('|', "/")));
        }
        out.push('\n');
    }
    out.push('\n');
    for &c in &matrix.columns {
        let meta = &rulebooks[c].meta;
        out.push_str(&format!(
            "- {} {} : {} ({}, {})\n",
            meta.scheme,
            meta.exercice,
            meta.title,
            meta.name,
            super::text::short_hash(&meta.content_hash)
        ));
    }
    out
}

pub fn json(rulebooks: &[CompiledRulebook], matrix: &Matrix) -> String {
    let columns: Vec<Json> = matrix
        .columns
        .iter()
        .map(|&c| {
            let meta = &rulebooks[c].meta;
            json!({"name": meta.name, "scheme": meta.scheme, "exercice": meta.exercice, "hash": meta.content_hash})
        })
        .collect();
    let rows: Vec<Json> = matrix
        .rows
        .iter()
        .map(|row| {
            let cells: Vec<Json> = row
                .cells
                .iter()
                .map(|cell| match cell {
                    Cell::Paid { euros } => {
                        json!({"status": "evaluated", "euros": euros.to_string()})
                    }
                    Cell::NotCovered => json!({"status": "not_covered"}),
                    Cell::Rejected { reason } => json!({"status": "rejected", "reason": reason}),
                })
                .collect();
            json!({"id": row.id, "cells": cells})
        })
        .collect();
    serde_json::to_string_pretty(&json!({"columns": columns, "rows": rows})).unwrap_or_default()
}
