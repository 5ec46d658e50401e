//! Presence checks of an environment variable (`"X" in process.env`,
//! `Object.hasOwn(process.env, "X")`, `process.env.hasOwnProperty("X")`,
//! `Object.prototype.hasOwnProperty.call(process.env, "X")`, `Reflect.has(process.env,
//! "X")`, `Deno.env.has("X")`): rule `ts-env-presence`, with an unsafe fix that asks
//! the loader (`getConfigValue("x") !== undefined`; `=== undefined` for a negated check).
//! Unsafe because the loader may say "set" where the environment says "unset" (a store
//! that holds the key with an empty value) and the other way round.

use crate::detect::fields::Field;
use std::collections::HashSet;

use tree_sitter::Node;

use super::{Classified, Loader, Walker, classify, client_secret, escape, string_value};
use crate::Context;
use crate::detect::env::{self, EnvClass};
use crate::detect::parents::Parents;
use crate::detect::{Applicability, Finding, Fix, Severity};
use crate::fix::Edit;
use crate::rules::EnvRules;

pub(super) const PRESENCE_RULE: &str = "ts-env-presence";

/// One presence check found in the tree.
pub(super) struct Presence<'t> {
    /// The check itself: the `in` expression or the call.
    pub node: Node<'t>,
    pub name: String,
    /// What the environment is, qualified (`process.env`, `Deno.env`).
    pub holder: String,
    pub scope: usize,
}

impl<'t> Walker<'t, '_> {
    /// Every presence check of a variable with a literal name.
    pub(super) fn presences(&self, rules: &EnvRules) -> Vec<Presence<'t>> {
        let holder = |n: Node, scope: usize| {
            self.qualified(n, scope)
                .filter(|q| rules.members.contains_key(q) || rules.subscripts.contains_key(q))
        };
        let literal = |n: Option<&Node>| {
            n.and_then(|n| string_value(*n, self.src))
                .map(|(v, _)| v)
                .filter(|v| !v.is_empty())
        };
        let mut out = Vec::new();
        for &(node, scope) in &self.tests {
            let (Some(left), Some(right)) = (node.field("left"), node.field("right")) else {
                continue;
            };
            if let (Some(holder), Some(name)) = (holder(right, scope), literal(Some(&left))) {
                out.push(Presence {
                    node,
                    name,
                    holder,
                    scope,
                });
            }
        }
        for &(node, scope) in &self.candidates {
            if node.kind_name() != "call_expression" {
                continue;
            }
            let Some(function) = node.field("function") else {
                continue;
            };
            let args = self.args(node);
            let global = |name: &str| {
                self.scopes
                    .resolve(name, scope, node.start_byte())
                    .is_none()
            };
            let found = match self.text(function) {
                "Object.hasOwn" if global("Object") => Some((args.first(), args.get(1))),
                "Object.prototype.hasOwnProperty.call" if global("Object") => {
                    Some((args.first(), args.get(1)))
                }
                "Reflect.has" if global("Reflect") => Some((args.first(), args.get(1))),
                _ => None,
            };
            let (env, name) = match found {
                Some((Some(env), name)) => (holder(*env, scope), literal(name)),
                _ if self.qualified(function, scope).as_deref() == Some("Deno.env.has") => {
                    (Some("Deno.env".to_string()), literal(args.first()))
                }
                // `process.env.hasOwnProperty("X")`
                _ if function.kind_name() == "member_expression" => {
                    let method = function
                        .field("property")
                        .is_some_and(|p| self.text(p) == "hasOwnProperty");
                    let object = function.field("object");
                    match (method, object) {
                        (true, Some(o)) => (holder(o, scope), literal(args.first())),
                        _ => (None, None),
                    }
                }
                _ => (None, None),
            };
            if let (Some(holder), Some(name)) = (env, name) {
                out.push(Presence {
                    node,
                    name,
                    holder,
                    scope,
                });
            }
        }
        out.sort_by_key(|p| p.node.start_byte());
        out
    }

    /// The finding for one presence check, or `None` when its variable is not reported.
    pub(super) fn presence_finding(
        &self,
        p: &Presence<'t>,
        ctx: &Context,
        loader: &Loader,
        touched: &HashSet<String>,
    ) -> Option<Finding> {
        let name = &p.name;
        let class = classify(name, ctx)?;
        let key = env::config_key(name, &ctx.config.env);
        let span = p.node.byte_range();
        let plain = match class {
            Classified::ClientSecret(prefix) => {
                return Some(client_secret(name, &prefix, span, key));
            }
            Classified::Plain(plain) => plain,
        };
        let severity = match plain {
            EnvClass::Platform(_) => Severity::Info,
            _ => plain.severity()?,
        };
        let mut finding = Finding {
            rule: PRESENCE_RULE,
            severity,
            span,
            message: format!(
                "{} is tested for presence in the environment, bypassing the config loader",
                env::describe(name, plain)
            ),
            env_name: Some(name.clone()),
            config_key: Some(key.clone()),
            fix: None,
            no_fix_reason: None,
            help: None,
            secret: None,
            has_default: false,
            role: None,
        };
        if matches!(plain, EnvClass::Platform(_)) {
            env::mark_platform(&mut finding, plain);
            return Some(finding);
        }
        if let Err(reason) = self.loader_usable(p.scope, p.node.start_byte(), ctx, loader) {
            finding.no_fix_reason = Some(reason);
            return Some(finding);
        }
        let (target, negated) = negation(&self.parents, p.node);
        let mut comments = Vec::new();
        super::comments_in(target, &mut comments);
        if !comments.is_empty() {
            finding.no_fix_reason =
                Some("the check holds a comment that the rewrite would drop".into());
            return Some(finding);
        }
        let call = &ctx.config.typescript.call;
        let q = self.quote();
        let op = if negated { "===" } else { "!==" };
        let mut text = format!("{call}({q}{}{q}) {op} undefined", escape(&key, q));
        if needs_parens(&self.parents, target) {
            text = format!("({text})");
        }
        let rule_id = if p.holder == "import.meta.env" {
            "ts-import-meta-env"
        } else {
            PRESENCE_RULE
        };
        let mut title = format!(
            "Replace with `{call}({q}{}{q}) {op} undefined`",
            escape(&key, q)
        );
        if let Some(caveat) = self.caveat(name, rule_id, touched) {
            title.push_str(&format!(" ({caveat})"));
        }
        finding.fix = Some(Fix {
            title,
            applicability: Applicability::Unsafe,
            edits: vec![Edit::replace(target.byte_range(), text)],
            needs_import: true,
            gitignore: None,
            imports: Vec::new(),
        });
        Some(finding)
    }
}

/// The expression a rewrite replaces: the check, or the `!` that negates it (through
/// parentheses), and whether it was negated.
fn negation<'t>(parents: &Parents<'t>, node: Node<'t>) -> (Node<'t>, bool) {
    let mut parent = parents.of(node);
    while let Some(p) = parent.filter(|p| p.kind_name() == "parenthesized_expression") {
        parent = parents.of(p);
    }
    match parent {
        Some(p)
            if p.kind_name() == "unary_expression"
                && p.field("operator").is_some_and(|o| o.kind_name() == "!") =>
        {
            (p, true)
        }
        _ => (node, false),
    }
}

/// Whether an equality expression in place of `node` needs parentheses: anywhere but
/// where any expression of lower precedence than `===` already stands (an argument, a
/// condition, an operand of `&&`, `||` or `??`, a value or a statement).
fn needs_parens(parents: &Parents, node: Node) -> bool {
    let Some(parent) = parents.of(node) else {
        return false;
    };
    match parent.kind_name() {
        "binary_expression" => !parent
            .field("operator")
            .is_some_and(|o| matches!(o.kind_name(), "&&" | "||" | "??")),
        "parenthesized_expression"
        | "arguments"
        | "array"
        | "pair"
        | "variable_declarator"
        | "assignment_expression"
        | "return_statement"
        | "expression_statement"
        | "arrow_function"
        | "ternary_expression"
        | "spread_element"
        | "template_substitution"
        | "jsx_expression"
        | "sequence_expression"
        | "throw_statement" => false,
        _ => true,
    }
}
