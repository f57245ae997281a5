//! Suppressions kept outside the files they apply to: JSON has no comments, so an IAM policy's findings
//! are silenced by path (and by statement `Sid`) here. `--per-file-ignores` builds them; the configuration
//! file's `per-file-ignores` table is meant to build the same values.

use std::path::{Component, Path, PathBuf};

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
    /// The absolute directory the glob is relative to (a configuration file's); `None`: the path as given.
    pub base: Option<PathBuf>,
}

impl PathIgnore {
    pub fn new(pattern: &str, sid: Option<&str>, rules: Vec<RuleSelector>) -> Result<PathIgnore, String> {
        let matcher =
            Glob::new(pattern).map_err(|e| format!("invalid glob `{pattern}`: {e}"))?.compile_matcher();
        let sid = sid.map(str::to_string);
        Ok(PathIgnore { pattern: pattern.to_string(), matcher, sid, rules, base: None })
    }

    /// The same ignore, its glob relative to the absolute directory `base` (a configuration file's).
    pub fn relative_to(mut self, base: PathBuf) -> PathIgnore {
        self.base = Some(base);
        self
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

    /// Whether the glob matches `path` (relative to [`PathIgnore::base`] when set) or its file name alone.
    pub fn applies_to(&self, path: &Path) -> bool {
        let relative = match &self.base {
            None => self.matcher.is_match(path),
            Some(base) => absolute_path(path).strip_prefix(base).is_ok_and(|p| self.matcher.is_match(p)),
        };
        relative || path.file_name().is_some_and(|name| self.matcher.is_match(name))
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

/// `path` made absolute against the working directory, `.` and `..` resolved lexically (symbolic links are
/// not followed: `a/link/..` is `a`, as people read the path).
pub fn absolute_path(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut out = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
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

    #[test]
    fn a_base_directory_anchors_the_glob() {
        let ignore =
            PathIgnore::parse("policies/*.json=ALL").unwrap().relative_to(PathBuf::from("/repo/team"));
        assert!(ignore.applies_to(Path::new("/repo/team/policies/a.json")));
        assert!(ignore.applies_to(Path::new("/repo/team/x/../policies/a.json")));
        assert!(!ignore.applies_to(Path::new("/repo/policies/a.json")));
        assert_eq!(absolute_path(Path::new("/a/./b/../c")), PathBuf::from("/a/c"));
        assert!(absolute_path(Path::new("rel")).is_absolute());
    }
}
