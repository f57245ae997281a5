//! Inline suppressions: plimsoll's own comments and the peers' pragmas, mapped onto our rules through
//! their aliases.
//!
//! | comment | scope |
//! |---|---|
//! | `# plimsoll: ignore[CODE, …] reason` | the next instruction (or, inside a continuation, the next line) |
//! | `# plimsoll: ignore-file[CODE, …] reason` | the whole file |
//! | `# hadolint ignore=DL3008,DL3015` | the next instruction |
//! | `# hadolint global ignore=…` | the whole file |
//! | `# trivy:ignore:DS-0002` | the next instruction |
//! | `# checkov:skip=CKV_DOCKER_3:reason` | the whole file (as Checkov does for Dockerfiles) |
//! | `# kics-scan ignore-line` / `# kics-scan disable=<uuid>,…` | the next instruction / the whole file |
//! | `# check=skip=SecretsUsedInArgOrEnv` (BuildKit directive) | the whole file |
//! | `# dclint disable-line [rule …]` | its line, or the next statement when alone on its line |
//! | `# dclint disable [rule …]` / `# dclint disable-file` | the whole file |
//!
//! Ids are matched with [`RuleMeta::is_named`]: our codes and names, or any peer alias.

use plimsoll_diagnostic::{Diagnostic, RuleMeta};
use plimsoll_span::{LineIndex, TextRange};

#[derive(Clone, Debug, PartialEq, Eq)]
enum Ids {
    All,
    Some(Vec<String>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scope {
    File,
    Next,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Pragma {
    ids: Ids,
    scope: Scope,
}

/// The suppressions in effect for one file.
#[derive(Debug, Default)]
pub(crate) struct Suppressions {
    entries: Vec<(Ids, Option<TextRange>)>,
}

impl Suppressions {
    /// Reads suppression comments. `units` are the ranges of the file's statements (Dockerfile
    /// instructions, YAML entries and items); a next-line comment applies to the largest statement that
    /// starts on the next non-comment line, or to that line alone when it continues a statement. A comment
    /// at the end of a line of content applies to that line's statement.
    pub(crate) fn from_comments<'a>(
        text: &str,
        comments: impl IntoIterator<Item = (&'a str, TextRange)>,
        units: &[TextRange],
    ) -> Suppressions {
        let index = LineIndex::new(text);
        let mut entries = Vec::new();
        for (comment, range) in comments {
            let Some(pragma) = parse_pragma(comment) else { continue };
            let scope = match pragma.scope {
                Scope::File => None,
                Scope::Next => match next_target(text, &index, range, units) {
                    Some(target) => Some(target),
                    None => continue,
                },
            };
            entries.push((pragma.ids, scope));
        }
        Suppressions { entries }
    }

    /// Adds a file-wide suppression of the given ids (BuildKit's `# check=skip=` directive).
    pub(crate) fn add_file_wide(&mut self, ids: Vec<String>) {
        self.entries.push((Ids::Some(ids), None));
    }

    /// Adds a suppression of `ids` (every rule when `None`) for findings inside `scope` (a Kubernetes
    /// object that carries an ignore annotation).
    pub(crate) fn add_scoped(&mut self, ids: Option<Vec<String>>, scope: TextRange) {
        self.entries.push((ids.map_or(Ids::All, Ids::Some), Some(scope)));
    }

    pub(crate) fn suppresses(&self, diagnostic: &Diagnostic) -> bool {
        self.entries.iter().any(|(ids, scope)| {
            scope.is_none_or(|s| s.contains(diagnostic.range.start) || s.start == diagnostic.range.start)
                && ids_match(ids, diagnostic.rule)
        })
    }
}

fn ids_match(ids: &Ids, rule: &RuleMeta) -> bool {
    match ids {
        Ids::All => true,
        Ids::Some(list) => list.iter().any(|id| rule.is_named(id)),
    }
}

/// The range a next-line pragma covers.
fn next_target(text: &str, index: &LineIndex, comment: TextRange, units: &[TextRange]) -> Option<TextRange> {
    let own_line = index.line_of(comment.start);
    // A comment after content on its own line (`privileged: true  # plimsoll: ignore[…]`) covers that line.
    let before = TextRange::new(index.line_start(own_line), comment.start).slice(text);
    let first_line = if before.trim().is_empty() { own_line + 1 } else { own_line };
    for line in first_line..index.line_count() {
        let range = index.line_range(line, text);
        let content = range.slice(text).trim_start();
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let start = range.end - content.len() as u32;
        // The largest statement that starts on the line: a Dockerfile instruction with its continuation
        // lines, a YAML key with its whole value.
        let unit = units.iter().filter(|u| u.start == start).max_by_key(|u| u.len());
        return Some(match unit {
            Some(unit) => *unit,
            None => TextRange::new(range.start, range.end.max(range.start + 1)),
        });
    }
    None
}

fn split_ids(list: &str) -> Vec<String> {
    list.split([',', ' ']).map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect()
}

/// Reads one comment's text (without `#`).
fn parse_pragma(comment: &str) -> Option<Pragma> {
    let comment = comment.trim().trim_start_matches('#').trim();
    if let Some(rest) = strip_prefix_ci(comment, "plimsoll:") {
        let rest = rest.trim_start();
        let (scope, rest) = if let Some(r) = strip_prefix_ci(rest, "ignore-file") {
            (Scope::File, r)
        } else {
            (Scope::Next, strip_prefix_ci(rest, "ignore")?)
        };
        let list = rest.trim_start().strip_prefix('[')?.split(']').next()?;
        let ids = split_ids(list);
        return (!ids.is_empty()).then_some(Pragma { ids: Ids::Some(ids), scope });
    }
    if let Some(rest) = strip_prefix_ci(comment, "hadolint") {
        let rest = rest.trim_start();
        let (scope, rest) = match strip_prefix_ci(rest, "global") {
            Some(r) => (Scope::File, r.trim_start()),
            None => (Scope::Next, rest),
        };
        let list = strip_prefix_ci(rest, "ignore=")?;
        let list = list.split('#').next().unwrap_or("").split_whitespace().next().unwrap_or("");
        return Some(Pragma { ids: Ids::Some(split_ids(list)), scope });
    }
    if let Some(rest) = strip_prefix_ci(comment, "trivy:ignore:") {
        let id = rest.split_whitespace().next()?;
        return Some(Pragma { ids: Ids::Some(vec![id.to_string()]), scope: Scope::Next });
    }
    let compact = comment.replace(' ', "");
    if let Some(rest) = strip_prefix_ci(&compact, "checkov:skip=") {
        let id = rest.split(':').next()?.trim();
        return (!id.is_empty()).then(|| Pragma { ids: Ids::Some(vec![id.to_string()]), scope: Scope::File });
    }
    if let Some(rest) = strip_prefix_ci(comment, "kics-scan") {
        let rest = rest.trim();
        if rest.eq_ignore_ascii_case("ignore-line") {
            return Some(Pragma { ids: Ids::All, scope: Scope::Next });
        }
        let list = strip_prefix_ci(rest, "disable=")?;
        return Some(Pragma { ids: Ids::Some(split_ids(list)), scope: Scope::File });
    }
    if let Some(rest) = strip_prefix_ci(comment, "dclint") {
        let rest = rest.trim_start();
        let (scope, list) = if let Some(r) = strip_prefix_ci(rest, "disable-line") {
            (Scope::Next, r)
        } else if let Some(r) = strip_prefix_ci(rest, "disable-file") {
            (Scope::File, r)
        } else {
            (Scope::File, strip_prefix_ci(rest, "disable")?)
        };
        // Without rule names dclint disables every rule.
        let ids = split_ids(list);
        let ids = if ids.is_empty() { Ids::All } else { Ids::Some(ids) };
        return Some(Pragma { ids, scope });
    }
    None
}

fn strip_prefix_ci<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix).then(|| &text[prefix.len()..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(list: &[&str]) -> Ids {
        Ids::Some(list.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn pragmas() {
        let p = |s: &str| parse_pragma(s);
        assert_eq!(
            p("plimsoll: ignore[ISO001, IMG002] builder only"),
            Some(Pragma { ids: ids(&["ISO001", "IMG002"]), scope: Scope::Next })
        );
        assert_eq!(
            p("plimsoll:ignore-file[sudo-in-run]"),
            Some(Pragma { ids: ids(&["sudo-in-run"]), scope: Scope::File })
        );
        assert_eq!(p("plimsoll: ignore"), None, "codes are required");
        assert_eq!(
            p("hadolint ignore=DL3008,DL3015 # pinned upstream"),
            Some(Pragma { ids: ids(&["DL3008", "DL3015"]), scope: Scope::Next })
        );
        assert_eq!(
            p("hadolint global ignore=DL3006"),
            Some(Pragma { ids: ids(&["DL3006"]), scope: Scope::File })
        );
        assert_eq!(
            p("trivy:ignore:AVD-DS-0002"),
            Some(Pragma { ids: ids(&["AVD-DS-0002"]), scope: Scope::Next })
        );
        assert_eq!(
            p("checkov:skip=CKV_DOCKER_3: runs as root on purpose"),
            Some(Pragma { ids: ids(&["CKV_DOCKER_3"]), scope: Scope::File })
        );
        assert_eq!(p("kics-scan ignore-line"), Some(Pragma { ids: Ids::All, scope: Scope::Next }));
        assert_eq!(
            p("dclint disable-line no-unbound-port-interfaces"),
            Some(Pragma { ids: ids(&["no-unbound-port-interfaces"]), scope: Scope::Next })
        );
        assert_eq!(p("dclint disable-file"), Some(Pragma { ids: Ids::All, scope: Scope::File }));
        assert_eq!(
            p("dclint disable service-image-require-explicit-tag"),
            Some(Pragma { ids: ids(&["service-image-require-explicit-tag"]), scope: Scope::File })
        );
        assert_eq!(p("just a comment"), None);
    }

    #[test]
    fn next_line_targets_the_instruction_or_the_continuation_line() {
        let text = "# plimsoll: ignore[X]\nRUN a \\\n  # plimsoll: ignore[Y]\n  b\nRUN c\n";
        let run1 = TextRange::new(22, text.find("\nRUN c").unwrap() as u32);
        let run2 = TextRange::new(text.find("RUN c").unwrap() as u32, text.len() as u32 - 1);
        let index = LineIndex::new(text);
        let first = next_target(text, &index, TextRange::new(0, 21), &[run1, run2]).unwrap();
        assert_eq!(first, run1);
        let inner_comment = text.find("# plimsoll: ignore[Y]").unwrap() as u32;
        let second =
            next_target(text, &index, TextRange::new(inner_comment, inner_comment + 5), &[run1, run2])
                .unwrap();
        assert_eq!(second.slice(text), "  b");
    }
}
