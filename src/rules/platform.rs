//! The platform catalogue (`rules/env-platform.toml`): the environment variables that
//! the operating system, the terminal, the toolchain, a CI system or the runtime
//! platform sets, grouped by that source. Parsed strictly, once; never runs a detector.

use std::collections::HashMap;
use std::sync::OnceLock;

use miette::{NamedSource, SourceSpan};
use serde::Deserialize;

use crate::rules::PackError;

/// The embedded catalogue: its file name and text.
pub const EMBEDDED: (&str, &str) = (
    "env-platform.toml",
    include_str!("../../rules/env-platform.toml"),
);

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCatalogue {
    #[serde(rename = "group")]
    groups: Vec<RawGroup>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGroup {
    id: String,
    summary: String,
    /// Where the platform documents the variables it sets.
    docs: Vec<String>,
    names: Vec<String>,
    #[serde(default, rename = "example")]
    examples: Vec<Example>,
}

/// Names a group must cover (`platform`) and names it must not (`not`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    #[serde(default)]
    pub platform: Vec<String>,
    #[serde(default)]
    pub not: Vec<String>,
}

/// One source of variables.
#[derive(Debug, Clone)]
pub struct Group {
    pub id: String,
    pub summary: String,
    pub docs: Vec<String>,
    pub examples: Vec<Example>,
}

/// The catalogue, compiled for lookup: exact names by name, globs in file order.
#[derive(Debug, Default)]
pub struct Catalogue {
    pub groups: Vec<Group>,
    exact: HashMap<String, usize>,
    globs: Vec<(String, usize)>,
}

impl Catalogue {
    /// Parses a catalogue; a group id or an exact name that appears twice is an error.
    pub fn parse(name: &str, text: &str) -> Result<Catalogue, PackError> {
        let err = |message: String, needle: &str| PackError {
            message,
            src: NamedSource::new(name, text.to_string()),
            span: text
                .find(needle)
                .map(|i| SourceSpan::from(i..i + needle.len().max(1))),
        };
        let raw: RawCatalogue = toml::from_str(text).map_err(|e| PackError {
            message: e.message().trim().to_string(),
            src: NamedSource::new(name, text.to_string()),
            span: e
                .span()
                .map(|r| SourceSpan::from(r.start..r.end.max(r.start + 1))),
        })?;
        let mut cat = Catalogue::default();
        for (index, group) in raw.groups.into_iter().enumerate() {
            let quoted = format!("\"{}\"", group.id);
            let kebab = !group.id.is_empty()
                && group
                    .id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            if !kebab {
                return Err(err(
                    format!("group id `{}` is not kebab-case", group.id),
                    &quoted,
                ));
            }
            if cat.groups.iter().any(|g| g.id == group.id) {
                return Err(err(
                    format!("group id `{}` appears twice", group.id),
                    &quoted,
                ));
            }
            for n in &group.names {
                if n.contains('*') {
                    cat.globs.push((n.clone(), index));
                } else if let Some(&other) = cat.exact.get(n) {
                    let where_ = if other == index {
                        "twice in this group".to_string()
                    } else {
                        format!("in group `{}` too", cat.groups[other].id)
                    };
                    return Err(err(
                        format!("`{n}` is listed {where_}"),
                        &format!("\"{n}\""),
                    ));
                } else {
                    cat.exact.insert(n.clone(), index);
                }
            }
            cat.groups.push(Group {
                id: group.id,
                summary: group.summary,
                docs: group.docs,
                examples: group.examples,
            });
        }
        Ok(cat)
    }

    /// The embedded catalogue, parsed once per process.
    pub fn embedded() -> &'static Catalogue {
        static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
        CATALOGUE.get_or_init(|| {
            Catalogue::parse(EMBEDDED.0, EMBEDDED.1).expect("the embedded catalogue is valid")
        })
    }

    /// The group that sets `name`. An exact entry always counts; a glob (`GITHUB_*`) only
    /// when the name does not look like a secret (`secret`), so that it never covers a
    /// credential the team maps in itself (`GITHUB_TOKEN`).
    pub fn group_of(&self, name: &str, secret: bool) -> Option<&str> {
        let index = match self.exact.get(name) {
            Some(&i) => Some(i),
            None if secret => None,
            None => self
                .globs
                .iter()
                .find(|(glob, _)| crate::detect::env::glob_match(glob, name))
                .map(|&(_, i)| i),
        }?;
        Some(self.groups[index].id.as_str())
    }

    pub fn has_group(&self, id: &str) -> bool {
        self.groups.iter().any(|g| g.id == id)
    }

    /// The groups' ids, in file order, for messages.
    pub fn ids(&self) -> Vec<&str> {
        self.groups.iter().map(|g| g.id.as_str()).collect()
    }
}

/// A catalogue example that does not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub group: String,
    pub example: usize,
    pub message: String,
}

/// Checks every example of the catalogue with the default secret words (what
/// `classify` sees: a glob never covers a secret-looking name).
pub fn check_examples(cat: &Catalogue) -> (usize, Vec<Failure>) {
    let cfg = crate::config::EnvConfig::default();
    let mut failures = Vec::new();
    let mut count = 0;
    for group in &cat.groups {
        for (i, example) in group.examples.iter().enumerate() {
            count += 1;
            let found =
                |name: &str| cat.group_of(name, crate::detect::env::looks_secret(name, &cfg));
            for name in &example.platform {
                if found(name) != Some(group.id.as_str()) {
                    failures.push(Failure {
                        group: group.id.clone(),
                        example: i + 1,
                        message: format!(
                            "`{name}` should be in `{}`, found {:?}",
                            group.id,
                            found(name)
                        ),
                    });
                }
            }
            for name in &example.not {
                if let Some(other) = found(name) {
                    failures.push(Failure {
                        group: group.id.clone(),
                        example: i + 1,
                        message: format!(
                            "`{name}` should not be a platform variable, found in `{other}`"
                        ),
                    });
                }
            }
        }
    }
    (count, failures)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_catalogue_examples_hold() {
        let cat = Catalogue::embedded();
        assert_eq!(
            cat.ids(),
            ["os", "terminal", "toolchain", "ci", "runtime"],
            "the five sources the README documents"
        );
        let (count, failures) = check_examples(cat);
        assert!(count >= 5);
        assert!(failures.is_empty(), "{failures:#?}");
    }

    #[test]
    fn bad_catalogues_are_errors() {
        let twice = "[[group]]\nid = \"a\"\nsummary = \"s\"\ndocs = []\nnames = [\"X\"]\n\
                     [[group]]\nid = \"b\"\nsummary = \"s\"\ndocs = []\nnames = [\"X\"]\n";
        let e = Catalogue::parse("p.toml", twice).unwrap_err();
        assert!(e.message.contains("in group `a` too"), "{}", e.message);
        let unknown = "[[group]]\nid = \"a\"\nsummary = \"s\"\ndocs = []\nnames = []\nextra = 1\n";
        assert!(Catalogue::parse("p.toml", unknown).is_err());
        let bad_id = "[[group]]\nid = \"A B\"\nsummary = \"s\"\ndocs = []\nnames = []\n";
        assert!(Catalogue::parse("p.toml", bad_id).is_err());
    }

    #[test]
    fn exact_entries_cover_secret_looking_names_and_globs_do_not() {
        let cat = Catalogue::embedded();
        assert_eq!(cat.group_of("CI_JOB_TOKEN", true), Some("ci"));
        assert_eq!(cat.group_of("GITHUB_TOKEN", true), None);
        assert_eq!(cat.group_of("GITHUB_SHA", false), Some("ci"));
        assert_eq!(cat.group_of("API_KEY", true), None);
    }
}
