//! Reporters: one module per output format, all reading the same sorted `Outcome`.
//! They write to the writer they are given and never decide what a finding is.

pub mod human;
pub mod json;

use crate::check::FileResult;
use crate::detect::Finding;
use crate::fix::Edit;

/// A finding's fix as edits that can be applied on their own: the fix's edits plus the
/// loader import when the file lacks it.
pub fn standalone_edits(file: &FileResult, finding: &Finding) -> Vec<Edit> {
    let Some(fix) = &finding.fix else {
        return Vec::new();
    };
    let mut edits = fix.edits.clone();
    if fix.needs_import {
        if let Some(import) = &file.analysis_plan.import {
            edits.push(import.clone());
        }
    }
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    edits
}
