//! Suppressions kept outside the files they apply to: JSON has no comments, so an IAM policy's findings
//! are silenced by path (and by statement `Sid`) here. `--per-file-ignores` builds them; the configuration
//! file's `per-file-ignores` table is meant to build the same values.

use std::path::Path;

use globset::{Glob, GlobMatcher};
use plimsoll_diagnostic::Diagnostic;
use plimsoll_span::TextRange;

use crate::RuleSelector;

/// Rules ignored in the files a glob matches, or only inside the policy statements with a given `Sid`.
#[derive(Clone, Debug)]
pub struct PathIgnore {
    /// The glob as written: matched against the path as given and against the file name alone.
    pub pattern: String,
    matcher: GlobMatcher,
    /// Only findings inside IAM statements whose `Sid` is this (case-sensitive, as IAM compares Sids).
    pub sid: Option<String>,
    pub rules: Vec<RuleSelector>,
}

impl PathIgnore {
    pub fn new(pattern: &str, sid: Option<&str>, rules: Vec<RuleSelector>) -> Result<PathIgnore, String> {
        let matcher =
            Glob::new(pattern).map_err(|e| format!("invalid glob `{pattern}`: {e}"))?.compile_matcher();
        let sid = sid.map(str::to_string);
        Ok(PathIgnore { pattern: pattern.to_string(), matcher, sid, rules })
    }

    /// Reads `GLOB=RULES` or `GLOB#SID=RULES`, `RULES` a comma-separated list of codes, names, aliases,
    /// families or `ALL`: `policies/*.json#LegacyAdmin=IAM013`.
    pub fn parse(spec: &str) -> Result<PathIgnore, String> {
        let (target, rules) =
            spec.rsplit_once('=').ok_or_else(|| format!("`{spec}`: expected `GLOB[#SID]=RULE[,RULE…]`"))?;
        let rules: Vec<RuleSelector> =
            rules.split(',').map(str::trim).filter(|r| !r.is_empty()).map(RuleSelector::parse).collect();
        if rules.is_empty() {
            return Err(format!("`{spec}`: no rules after `=`"));
        }
        let (pattern, sid) = match target.split_once('#') {
            Some((pattern, sid)) => (pattern, Some(sid.trim()).filter(|s| !s.is_empty())),
            None => (target, None),
        };
        PathIgnore::new(pattern.trim(), sid, rules)
    }

    pub fn applies_to(&self, path: &Path) -> bool {
        self.matcher.is_match(path) || path.file_name().is_some_and(|name| self.matcher.is_match(name))
    }

    fn suppresses(&self, diagnostic: &Diagnostic, statements: &[(&str, TextRange)]) -> bool {
        if !self.rules.iter().any(|r| r.matches(diagnostic.rule)) {
            return false;
        }
        match &self.sid {
            None => true,
            Some(sid) => {
                statements.iter().any(|(s, range)| s == sid && range.contains_range(diagnostic.range))
            }
        }
    }
}

/// Drops the findings of a file at `path` that `ignores` cover. `statements` are the file's IAM
/// statements with a `Sid` and their ranges (empty for other formats).
pub(crate) fn apply(
    ignores: &[PathIgnore],
    path: Option<&Path>,
    statements: &[(&str, TextRange)],
    found: &mut Vec<Diagnostic>,
) {
    let Some(path) = path else { return };
    let relevant: Vec<&PathIgnore> = ignores.iter().filter(|i| i.applies_to(path)).collect();
    if !relevant.is_empty() {
        found.retain(|d| !relevant.iter().any(|i| i.suppresses(d, statements)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_globs_sids_and_rules() {
        let ignore = PathIgnore::parse("policies/*.json#LegacyAdmin=IAM013, iam").unwrap();
        assert_eq!(ignore.pattern, "policies/*.json");
        assert_eq!(ignore.sid.as_deref(), Some("LegacyAdmin"));
        assert_eq!(ignore.rules.len(), 2);
        assert!(ignore.applies_to(Path::new("policies/admin.json")));
        assert!(!ignore.applies_to(Path::new("other/admin.json")));
        let by_name = PathIgnore::parse("admin.json=ALL").unwrap();
        assert!(by_name.applies_to(Path::new("deep/dir/admin.json")) && by_name.sid.is_none());
        assert!(PathIgnore::parse("no-rules").is_err());
        assert!(PathIgnore::parse("x.json=").is_err());
        assert!(PathIgnore::parse("[=IAM001").is_err());
    }
}
