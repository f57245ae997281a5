//! Inline suppressions: plimsoll's own comments and annotations, and the peers' pragmas, mapped onto our
//! rules through their aliases ([`RuleMeta::is_named`]). Each pragma may carry a reason.
//!
//! | comment | scope |
//! |---|---|
//! | `# plimsoll: ignore[CODE, …] reason` | the next statement: Dockerfile instruction (inside a continuation, the next line), YAML key with its value, list item; above a document's first key, the whole document |
//! | `# plimsoll: ignore-stage[CODE, …] reason` | the Dockerfile stage whose `FROM` follows, or the stage the comment is in |
//! | `# plimsoll: ignore-file[CODE, …] reason` | the whole file |
//! | `# hadolint ignore=DL3008,DL3015  # reason` | the next instruction |
//! | `# hadolint stage ignore=…` | the stage whose `FROM` follows right after (hadolint 2.15) |
//! | `# hadolint global ignore=…` | the whole file |
//! | `#trivy:ignore:DS-0002` (`[exp:2026-12-31]` or `:exp:2026-12-31`) | the next statement, until the expiry date |
//! | `#checkov:skip=CKV_DOCKER_3:reason` | the resource: the YAML document the comment is in; a whole Dockerfile |
//! | `# kics-scan ignore-line` / `ignore-block` | the next line / the next statement with its value |
//! | `# kics-scan ignore` / `disable=<uuid>,…` / `enable=<uuid>,…` | the file: every rule / those / all but those |
//! | `# check=skip=SecretsUsedInArgOrEnv` (BuildKit directive) | the whole file |
//! | `# dclint disable-line [rule …]` (`disable-next-line`) | its line, or the next statement when alone on its line |
//! | `# dclint disable [rule …]` / `# dclint disable-file` | the whole file |
//!
//! Kubernetes annotations: see [`annotations`]. plimsoll's own pragmas and annotation entries are kept
//! with their ids' positions and what they matched, for the unused- and unknown-suppression rules
//! ([`crate::Check::Suppressions`]); the peers' are honoured silently (the peer tool may still need them).

pub(crate) mod annotations;
mod dockerfile;
mod lines;
mod pragma;
mod yaml;

pub(crate) use dockerfile::dockerfile_suppressions;
pub(crate) use yaml::yaml_suppressions;

use plimsoll_diagnostic::{Diagnostic, RuleMeta};
use plimsoll_model::Date;
use plimsoll_span::TextRange;

use pragma::{Ids, Scope};

/// One of plimsoll's own suppressions as written, and which of its ids matched a finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suppression {
    /// The comment (`#` included), or the annotation entry's `id=reason` item.
    pub range: TextRange,
    pub kind: SuppressionKind,
    pub reason: Option<String>,
    /// Empty for a comment that starts with `plimsoll:` but could not be read.
    pub ids: Vec<SuppressedId>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SuppressionKind {
    /// `# plimsoll: ignore[…]`, `ignore-stage[…]`, `ignore-file[…]`.
    Comment,
    /// `plimsoll.io/ignore` or `plimsoll.io/ignore.<container>` on a Kubernetes object.
    Annotation,
}

/// One id of a suppression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SuppressedId {
    /// As written: a code, a name or a peer's alias.
    pub id: String,
    pub range: TextRange,
    /// Whether it silenced at least one finding.
    pub used: bool,
}

/// Resolves what a pragma covers in one format: `None` when it covers nothing (a next-line pragma at the
/// end of the file), `Some(None)` for the whole file.
pub(crate) trait Targets {
    fn next(&self, comment: TextRange) -> Option<TextRange>;
    fn line(&self, comment: TextRange) -> Option<TextRange>;
    fn stage(&self, comment: TextRange, inside: bool) -> Option<TextRange>;
    fn resource(&self, comment: TextRange) -> Option<Option<TextRange>>;
}

#[derive(Debug)]
struct Entry {
    ids: Ids,
    /// `None`: the whole file.
    scope: Option<TextRange>,
    /// Index in [`Suppressions::own`] for plimsoll's own suppressions.
    own: Option<usize>,
    /// False for one of our pragmas that covers nothing (a next-line pragma at the end of the file): kept
    /// to be reported as unused, never applied.
    active: bool,
}

/// The suppressions in effect for one file.
#[derive(Debug, Default)]
pub(crate) struct Suppressions {
    entries: Vec<Entry>,
    own: Vec<Suppression>,
}

impl Suppressions {
    /// Reads suppression comments (their ranges, `#` included); peers' pragmas past their expiry date
    /// (`today` is later) are dropped.
    pub(crate) fn from_comments(
        text: &str,
        comments: impl IntoIterator<Item = TextRange>,
        targets: &dyn Targets,
        today: Date,
    ) -> Suppressions {
        let mut suppressions = Suppressions::default();
        for range in comments {
            let raw = range.slice(text);
            let Some(pragma) = pragma::parse(raw) else {
                // `# plimsoll: ignore ISO001` (no brackets), `# plimsoll: ingore[…]`: meant as ours, read as
                // nothing. Kept without ids, for the malformed-suppression rule.
                if pragma::is_own(raw) {
                    let kind = SuppressionKind::Comment;
                    suppressions.own.push(Suppression { range, kind, reason: None, ids: Vec::new() });
                }
                continue;
            };
            if pragma.expires.is_some_and(|expiry| expiry < today) {
                continue;
            }
            // `None`: no target; `Some(None)`: the whole file.
            let target = match pragma.scope {
                Scope::File => Some(None),
                Scope::Next => targets.next(range).map(Some),
                Scope::Line => targets.line(range).map(Some),
                Scope::Stage { inside } => targets.stage(range, inside).map(Some),
                Scope::Resource => targets.resource(range),
            };
            let (scope, active) = match target {
                Some(scope) => (scope, true),
                None if pragma.own => (Some(range), false),
                None => continue,
            };
            let own = pragma.own.then(|| {
                let Ids::Listed(ids) = &pragma.ids else { return None };
                let ids = ids
                    .iter()
                    .map(|(id, at)| {
                        let start = range.start + *at as u32;
                        SuppressedId {
                            id: id.clone(),
                            range: TextRange::new(start, start + id.len() as u32),
                            used: false,
                        }
                    })
                    .collect();
                suppressions.own.push(Suppression {
                    range,
                    kind: SuppressionKind::Comment,
                    reason: pragma.reason.clone(),
                    ids,
                });
                Some(suppressions.own.len() - 1)
            });
            suppressions.entries.push(Entry { ids: pragma.ids, scope, own: own.flatten(), active });
        }
        suppressions
    }

    /// Adds a file-wide suppression of the given ids (BuildKit's `# check=skip=` directive).
    pub(crate) fn add_file_wide(&mut self, ids: Vec<String>) {
        let ids = Ids::Listed(ids.into_iter().map(|id| (id, 0)).collect());
        self.entries.push(Entry { ids, scope: None, own: None, active: true });
    }

    /// Adds a peer's suppression of `ids` (every rule when `None`) for findings inside `scope` (a
    /// Kubernetes object that carries the peer's annotation).
    pub(crate) fn add_scoped(&mut self, ids: Option<Vec<String>>, scope: TextRange) {
        let ids = ids.map_or(Ids::All, |ids| Ids::Listed(ids.into_iter().map(|id| (id, 0)).collect()));
        self.entries.push(Entry { ids, scope: Some(scope), own: None, active: true });
    }

    /// Adds one of plimsoll's own suppressions (an annotation entry) for findings inside `scope`; with no
    /// scope (a container name that matches no container) it suppresses nothing and is reported as unused.
    pub(crate) fn add_own(&mut self, suppression: Suppression, scope: Option<TextRange>) {
        let ids = Ids::Listed(suppression.ids.iter().map(|id| (id.id.clone(), 0)).collect());
        let active = scope.is_some();
        let scope = Some(scope.unwrap_or(suppression.range));
        self.own.push(suppression);
        self.entries.push(Entry { ids, scope, own: Some(self.own.len() - 1), active });
    }

    /// Drops the suppressed findings, and records which ids of our own suppressions matched one.
    ///
    /// Findings are swept in order of position against the scopes open there, so a file of many
    /// pragmas and many findings costs the sum, not the product.
    pub(crate) fn apply(&mut self, found: &mut Vec<Diagnostic>) {
        if self.entries.is_empty() || found.is_empty() {
            return;
        }
        let Suppressions { entries, own } = self;
        let active = || entries.iter().enumerate().filter(|(_, e)| e.active);
        let file_wide: Vec<usize> = active().filter(|(_, e)| e.scope.is_none()).map(|(i, _)| i).collect();
        let mut scoped: Vec<(TextRange, usize)> = active().filter_map(|(i, e)| Some((e.scope?, i))).collect();
        scoped.sort_unstable_by_key(|(scope, _)| scope.start);
        let mut order: Vec<usize> = (0..found.len()).collect();
        order.sort_by_key(|&i| found[i].range.start);
        let (mut next, mut open) = (0, Vec::new());
        let mut suppressed = vec![false; found.len()];
        for finding in order {
            let diagnostic = &found[finding];
            let at = diagnostic.range.start;
            while let Some(&(scope, entry)) = scoped.get(next).filter(|(scope, _)| scope.start <= at) {
                open.push((scope, entry));
                next += 1;
            }
            // Findings come in order: a scope that ends before this one ends before every later one.
            open.retain(|(scope, _)| scope.contains(at) || scope.start == at);
            let candidates = file_wide.iter().copied().chain(open.iter().map(|&(_, entry)| entry));
            for entry in candidates {
                let entry = &entries[entry];
                match (&entry.ids, entry.own) {
                    (Ids::Listed(ids), Some(index)) => {
                        for (id, record) in ids.iter().zip(own[index].ids.iter_mut()) {
                            if diagnostic.rule.is_named(&id.0) {
                                record.used = true;
                                suppressed[finding] = true;
                            }
                        }
                    }
                    (ids, _) => suppressed[finding] |= ids_match(ids, diagnostic.rule),
                }
            }
        }
        let mut index = 0;
        found.retain(|_| {
            index += 1;
            !suppressed[index - 1]
        });
    }

    /// plimsoll's own suppressions, after [`Suppressions::apply`].
    pub(crate) fn own(&self) -> &[Suppression] {
        &self.own
    }
}

fn ids_match(ids: &Ids, rule: &RuleMeta) -> bool {
    match ids {
        Ids::All => true,
        Ids::Listed(list) => list.iter().any(|(id, _)| rule.is_named(id)),
        Ids::AllExcept(list) => !list.iter().any(|id| rule.is_named(id)),
    }
}
