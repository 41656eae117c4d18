//! Justified exceptions: an entry's `exceptions` silence, for that entry only, warnings that do
//! not apply to it, each with a reason and the last day it holds. Only warnings may be
//! excepted, and not those a migration or a person must resolve (NSI305); after `until` the
//! warning returns beside a note (NSI306).

use std::fmt::Write as _;

use super::RuleContext;
use super::rules::{self, may_be_excepted};
use crate::catalogue::diagnostic::Severity;

/// Check the entry's exceptions, and silence the warnings the valid, current ones name. Runs
/// after every other rule.
pub fn check(context: &mut RuleContext<'_>) {
    let count = context.list_at("/exceptions").len();
    let mut silenced: Vec<&'static str> = Vec::new();
    for i in 0..count {
        let pointer = format!("/exceptions/{i}/rule");
        let Some(code) = context.str_at(&pointer).map(str::to_owned) else {
            continue;
        };
        let Some(rule) = rules::find(&code).filter(|r| r.code == code) else {
            context.report(
                &rules::EXCEPTION_NOT_ALLOWED,
                &pointer,
                format!("`{code}` is not a rule of nsi"),
                Some("`nsi validate --explain all` lists the rules".into()),
            );
            continue;
        };
        if !may_be_excepted(rule) {
            let why = if rule.severity == Severity::Error {
                "an error; errors are never excepted: fix the entry"
            } else {
                "a warning that a migration or a person must resolve"
            };
            let mut hint = String::from("remove this exception");
            let _ = write!(hint, " (RULES.md lists the rules that may be excepted)");
            context.report(
                &rules::EXCEPTION_NOT_ALLOWED,
                &pointer,
                format!("{code} `{}` may not be excepted: it is {why}", rule.name),
                Some(hint),
            );
            continue;
        }
        let until_pointer = format!("/exceptions/{i}/until");
        match context.date_at(&until_pointer) {
            Some(until) if until < context.today => {
                context.report(
                    &rules::EXCEPTION_EXPIRED,
                    &until_pointer,
                    format!(
                        "the exception for {code} `{}` ended on {until}: its warning is back",
                        rule.name
                    ),
                    Some(
                        "fix what the warning says, or move `until` forward if the reason still \
                         holds"
                            .into(),
                    ),
                );
            }
            Some(_) => silenced.push(rule.code),
            // A malformed date is the schema's finding; the exception holds nothing.
            None => {}
        }
    }
    if !silenced.is_empty() {
        context.findings.retain(|finding| {
            !(finding.rule.severity == Severity::Warning && silenced.contains(&finding.rule.code))
        });
    }
}
