//! Version-constraint facts shared by several managers.

use super::Pin;

/// Git (and Mercurial) refs that name a moving branch rather than a tag or a commit.
const BRANCHES: &[&str] =
    &["main", "master", "head", "develop", "development", "dev", "trunk", "default", "tip"];

/// Whether a VCS ref names a branch that moves (`main`, `master`, `HEAD`).
pub(super) fn is_branch(reference: &str) -> bool {
    BRANCHES.iter().any(|b| b.eq_ignore_ascii_case(reference))
}

/// The pin of a VCS ref: missing when empty, floating when it names a moving branch.
pub(super) fn vcs_ref(reference: &str) -> Pin<'_> {
    if reference.is_empty() {
        Pin::Missing
    } else if is_branch(reference) {
        Pin::Floating(reference)
    } else {
        Pin::Pinned
    }
}

/// The branch that a source-archive URL downloads, when it names one: GitHub's
/// `…/archive/refs/heads/<branch>.zip` and `…/archive/<branch>.tar.gz`, `…/tarball/<branch>`,
/// `…/zipball/<branch>`, and GitLab's `…/-/archive/<branch>/…`. Such an archive changes with every commit.
pub(super) fn archive_branch(url: &str) -> Option<&str> {
    let path = url.split(['#', '?']).next().unwrap_or(url);
    if let Some((_, rest)) = path.split_once("/archive/refs/heads/") {
        return Some(strip_archive_extension(rest.split('/').next().unwrap_or(rest)));
    }
    let segments: Vec<&str> = path.split('/').collect();
    segments.windows(2).find_map(|pair| {
        let name = strip_archive_extension(pair[1]);
        (matches!(pair[0], "archive" | "tarball" | "zipball") && is_branch(name)).then_some(name)
    })
}

fn strip_archive_extension(name: &str) -> &str {
    [".tar.gz", ".tgz", ".zip", ".tar.bz2"].iter().find_map(|e| name.strip_suffix(e)).unwrap_or(name)
}

/// The pin of a comparison constraint such as `>=1.0,<2`, `=1.2.3`, `~1.2` or `<3`: pinned when some clause
/// bounds the version from above (an exact version, a series, a compatible release or an upper bound),
/// floating when every clause is a lower bound or an exclusion. `separators` split the clauses.
pub(super) fn comparison<'a>(constraint: &'a str, separators: &[char]) -> Pin<'a> {
    let constraint = constraint.trim();
    if constraint.is_empty() {
        return Pin::Missing;
    }
    let bounded = constraint.split(separators).map(str::trim).filter(|c| !c.is_empty()).any(|clause| {
        let op_len = clause.find(|c: char| !"=<>!~^".contains(c)).unwrap_or(clause.len());
        let (op, rest) = clause.split_at(op_len);
        !rest.is_empty() && !op.starts_with('>') && !op.starts_with('!')
    });
    if bounded { Pin::Pinned } else { Pin::Floating(constraint) }
}

/// Whether `text` looks like the start of a version number: a digit, or `v` then a digit.
pub(super) fn starts_like_version(text: &str) -> bool {
    let text = text.strip_prefix(['v', 'V']).unwrap_or(text);
    text.starts_with(|c: char| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comparisons() {
        let cmp = |c| comparison(c, &[',']);
        assert_eq!(cmp("==1.2"), Pin::Pinned);
        assert_eq!(cmp(">=1.2,<2"), Pin::Pinned);
        assert_eq!(cmp("~=1.2"), Pin::Pinned);
        assert_eq!(cmp("<3"), Pin::Pinned);
        assert_eq!(cmp(">=1.2"), Pin::Floating(">=1.2"));
        assert_eq!(cmp(">1, !=1.5"), Pin::Floating(">1, !=1.5"));
        assert_eq!(cmp(""), Pin::Missing);
        assert_eq!(cmp("=="), Pin::Floating("=="));
    }

    #[test]
    fn refs() {
        assert_eq!(vcs_ref("v1.2.0"), Pin::Pinned);
        assert_eq!(vcs_ref("3f2a9c1"), Pin::Pinned);
        assert_eq!(vcs_ref("HEAD"), Pin::Floating("HEAD"));
        assert_eq!(vcs_ref("master"), Pin::Floating("master"));
        assert_eq!(vcs_ref(""), Pin::Missing);
        assert!(starts_like_version("v1") && starts_like_version("2.0") && !starts_like_version("latest"));
    }

    #[test]
    fn branch_archives() {
        let gh = "https://github.com/org/repo/archive/refs/heads/feature-x.zip";
        assert_eq!(archive_branch(gh), Some("feature-x"));
        assert_eq!(archive_branch("https://github.com/org/repo/archive/master.tar.gz"), Some("master"));
        assert_eq!(archive_branch("https://gitlab.com/org/repo/-/archive/main/repo-main.zip"), Some("main"));
        assert_eq!(archive_branch("https://api.github.com/repos/org/repo/tarball/HEAD"), Some("HEAD"));
        assert_eq!(archive_branch("https://github.com/org/repo/archive/refs/tags/v1.0.zip"), None);
        assert_eq!(archive_branch("https://github.com/org/repo/archive/v1.0.tar.gz"), None);
        assert_eq!(archive_branch("https://files.example.com/pkg-1.0.tar.gz"), None);
    }
}
