//! Baselines: the findings a team has accepted, recorded as rule, path and fingerprint
//! (never a line number, never a secret), sorted so that rewriting an unchanged tree
//! gives the same bytes. A run with a baseline reports only what is not in it.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use miette::Diagnostic;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::outcome::Outcome;
use crate::report::fingerprints;

/// The version of the file's shape.
pub const VERSION: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    pub findings: Vec<Entry>,
}

/// One accepted finding.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub path: String,
    pub rule: String,
    pub fingerprint: String,
}

/// A baseline that cannot be read or used.
#[derive(Debug, Error, Diagnostic)]
pub enum BaselineError {
    #[error("cannot read baseline {path}: {source}")]
    #[diagnostic(code(shush::baseline::read))]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("invalid baseline {path}: {message}")]
    #[diagnostic(
        code(shush::baseline::invalid),
        help("write a new one with `shush check --write-baseline FILE`")
    )]
    Invalid { path: PathBuf, message: String },
    #[error("cannot write baseline {path}: {source}")]
    #[diagnostic(code(shush::baseline::write))]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

fn entries(outcome: &Outcome) -> impl Iterator<Item = Entry> + '_ {
    outcome.files.iter().flat_map(|file| {
        let path = file.source.path.to_string_lossy().replace('\\', "/");
        file.findings
            .iter()
            .zip(fingerprints(file))
            .map(move |(f, fingerprint)| Entry {
                path: path.clone(),
                rule: f.rule.to_string(),
                fingerprint,
            })
    })
}

impl Baseline {
    /// The baseline of everything the outcome reports, sorted.
    pub fn of(outcome: &Outcome) -> Baseline {
        let set: BTreeSet<Entry> = entries(outcome).collect();
        Baseline {
            version: VERSION,
            findings: set.into_iter().collect(),
        }
    }

    pub fn load(path: &Path) -> Result<Baseline, BaselineError> {
        let text = std::fs::read_to_string(path).map_err(|source| BaselineError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let baseline: Baseline =
            serde_json::from_str(&text).map_err(|e| BaselineError::Invalid {
                path: path.to_path_buf(),
                message: e.to_string(),
            })?;
        if baseline.version != VERSION {
            return Err(BaselineError::Invalid {
                path: path.to_path_buf(),
                message: format!("version {} is not {VERSION}", baseline.version),
            });
        }
        Ok(baseline)
    }

    /// Writes the baseline as pretty JSON, atomically.
    pub fn write(&self, path: &Path) -> Result<(), BaselineError> {
        let err = |source| BaselineError::Write {
            path: path.to_path_buf(),
            source,
        };
        let mut text = serde_json::to_string_pretty(self).map_err(|e| err(e.into()))?;
        text.push('\n');
        crate::fix::write::write_new(path, text.as_bytes()).map_err(err)
    }

    /// Drops the findings the baseline holds; returns how many.
    pub fn filter(&self, outcome: &mut Outcome) -> usize {
        let known: BTreeSet<&Entry> = self.findings.iter().collect();
        let mut dropped = 0;
        for file in &mut outcome.files {
            let path = file.source.path.to_string_lossy().replace('\\', "/");
            let keep: Vec<bool> = file
                .findings
                .iter()
                .zip(fingerprints(file))
                .map(|(f, fingerprint)| {
                    !known.contains(&Entry {
                        path: path.clone(),
                        rule: f.rule.to_string(),
                        fingerprint,
                    })
                })
                .collect();
            dropped += keep.iter().filter(|k| !**k).count();
            let mut keep = keep.into_iter();
            file.findings.retain(|_| keep.next().unwrap_or(true));
        }
        outcome.recount();
        dropped
    }
}
