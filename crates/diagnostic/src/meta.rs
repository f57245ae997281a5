use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// How serious a finding is. Ordered: `Info < Warning < Error`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub const ALL: [Severity; 3] = [Severity::Info, Severity::Warning, Severity::Error];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Severity {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Severity::ALL
            .into_iter()
            .find(|sev| sev.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| format!("unknown severity `{s}` (expected info, warning or error)"))
    }
}

/// The input formats plimsoll reads. The spelling of [`Format::as_str`] is part of the JSON contract.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Dockerfile,
    Compose,
    Kubernetes,
    Iam,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Dockerfile => "dockerfile",
            Format::Compose => "compose",
            Format::Kubernetes => "kubernetes",
            Format::Iam => "iam",
        }
    }

    /// How people name files of the format, in the plural ("Dockerfiles", "IAM policies").
    pub fn plural_name(self) -> &'static str {
        match self {
            Format::Dockerfile => "Dockerfiles",
            Format::Compose => "Docker Compose files",
            Format::Kubernetes => "Kubernetes manifests",
            Format::Iam => "IAM policies",
        }
    }

    /// How people name the format in prose ("a Dockerfile", "a Compose file").
    pub fn display_name(self) -> &'static str {
        match self {
            Format::Dockerfile => "Dockerfile",
            Format::Compose => "Docker Compose file",
            Format::Kubernetes => "Kubernetes manifest",
            Format::Iam => "IAM policy",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Rule families; a rule's code is its family prefix plus a number (`ISO001`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Family {
    /// Image provenance and build-time supply chain.
    Img,
    /// Secrets and credentials.
    Sec,
    /// Isolation and breakout: users, privileges, capabilities, host namespaces, mounts.
    Iso,
    /// Network exposure and orchestration.
    Net,
    /// Resource limits.
    Res,
    /// AWS IAM policies.
    Iam,
    /// Kubernetes RBAC.
    Rbac,
    /// Dockerfile hygiene.
    Df,
    /// Syntax and document errors.
    Syn,
}

impl Family {
    pub const ALL: [Family; 9] = [
        Family::Img,
        Family::Sec,
        Family::Iso,
        Family::Net,
        Family::Res,
        Family::Iam,
        Family::Rbac,
        Family::Df,
        Family::Syn,
    ];

    /// The code prefix, which is also the family's name in `plimsoll rules` and in configuration.
    pub fn prefix(self) -> &'static str {
        match self {
            Family::Img => "IMG",
            Family::Sec => "SEC",
            Family::Iso => "ISO",
            Family::Net => "NET",
            Family::Res => "RES",
            Family::Iam => "IAM",
            Family::Rbac => "RBAC",
            Family::Df => "DF",
            Family::Syn => "SYN",
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            Family::Img => "image provenance and build-time supply chain",
            Family::Sec => "secrets and credentials",
            Family::Iso => "isolation and container breakout",
            Family::Net => "network exposure and orchestration",
            Family::Res => "resource limits",
            Family::Iam => "AWS IAM policies",
            Family::Rbac => "Kubernetes RBAC",
            Family::Df => "Dockerfile hygiene",
            Family::Syn => "syntax and document errors",
        }
    }
}

impl fmt::Display for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.prefix())
    }
}

/// Everything about a rule that does not depend on the input: identity, defaults and documentation.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable code, never reused: family prefix plus three digits (`ISO001`).
    pub code: &'static str,
    /// Kebab-case name of the bad pattern; reads as "allow <name>" (`container-runs-as-root`).
    pub name: &'static str,
    pub family: Family,
    pub severity: Severity,
    /// Whether the rule runs when the configuration does not mention it.
    pub default_enabled: bool,
    pub formats: &'static [Format],
    /// The peers' ids for the same check, spelled as the peers spell them (`DL3002`, `CKV_DOCKER_8`,
    /// `DS-0002`, KICS query UUIDs, …); their suppression pragmas and config ids select this rule.
    pub aliases: &'static [&'static str],
    /// The documentation as written in the rule's doc comment: Markdown lines, each usually starting with
    /// the space that follows `///`. Use [`RuleMeta::documentation`] for clean Markdown.
    pub doc: &'static str,
}

/// Where rule documentation is published: one generated page per rule under `docs/rules/` in the repository.
pub const DOCS_BASE_URL: &str = "https://github.com/plimsoll-dev/plimsoll/blob/main/docs/rules/";

impl RuleMeta {
    /// The rule's documentation page (editors link a diagnostic's code to it).
    pub fn docs_url(&self) -> String {
        format!("{DOCS_BASE_URL}{}.md", self.code)
    }

    /// The Markdown documentation (`## What it does`, `## Why is this bad?`, `## Example`, `## References`)
    /// with the doc-comment indentation removed.
    pub fn documentation(&self) -> String {
        let mut out = String::with_capacity(self.doc.len());
        for line in self.doc.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out.trim().to_string() + "\n"
    }

    /// The first sentence of the "What it does" section: the one-line summary used in listings.
    pub fn summary(&self) -> String {
        let doc = self.documentation();
        let body = doc.split("## What it does").nth(1).unwrap_or(&doc);
        let section = body.trim_start().split("\n#").next().unwrap_or("");
        // The first paragraph, without a list that follows it.
        let paragraph = section.split("\n\n").next().unwrap_or("").split("\n- ").next().unwrap_or("");
        let text = paragraph.split_whitespace().collect::<Vec<_>>().join(" ");
        match text.find(". ") {
            Some(i) => text[..=i].to_string(),
            // A paragraph that introduces a list ends with `:`; the summary stands alone.
            None => match text.strip_suffix(':') {
                Some(intro) => format!("{intro}."),
                None => text,
            },
        }
    }

    /// Whether `id` names this rule: its code, its name or one of its peer aliases (case-insensitive; Trivy's
    /// `AVD-` prefix and zero padding are ignored, so `DS002`, `DS-0002` and `AVD-DS-0002` all match).
    pub fn is_named(&self, id: &str) -> bool {
        let id = id.trim();
        self.code.eq_ignore_ascii_case(id)
            || self.name.eq_ignore_ascii_case(id)
            || self.aliases.iter().any(|alias| alias_eq(alias, id))
    }
}

/// Compares peer ids loosely: case-insensitive, optional `AVD-` prefix, optional dash and zero padding in
/// Trivy-style numbered ids, and KICS UUIDs by their first block.
pub fn alias_eq(alias: &str, id: &str) -> bool {
    fn normal(s: &str) -> String {
        let upper = s.trim().to_ascii_uppercase();
        let upper = upper.strip_prefix("AVD-").unwrap_or(&upper).to_string();
        let digits_at = upper.find(|c: char| c.is_ascii_digit());
        if let Some(at) = digits_at {
            let (head, tail) = upper.split_at(at);
            let head = head.trim_end_matches('-');
            let numbered = ["DS", "KSV", "KCV", "AWS"].contains(&head);
            if numbered && tail.chars().all(|c| c.is_ascii_digit()) {
                return format!("{head}-{}", tail.trim_start_matches('0'));
            }
        }
        let is_uuid = upper.len() == 36 && upper.chars().all(|c| c.is_ascii_hexdigit() || c == '-');
        if is_uuid { upper[..8].to_string() } else { upper }
    }
    normal(alias) == normal(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severity_order_and_parse() {
        assert!(Severity::Info < Severity::Warning && Severity::Warning < Severity::Error);
        assert_eq!("WARNING".parse::<Severity>(), Ok(Severity::Warning));
        assert!("fatal".parse::<Severity>().is_err());
    }

    #[test]
    fn aliases_compare_loosely() {
        assert!(alias_eq("DS-0002", "AVD-DS-0002"));
        assert!(alias_eq("DS-0002", "ds002"));
        assert!(alias_eq("KSV-0017", "KSV017"));
        assert!(alias_eq("fd54f200-402c-4333-a5a4-36ef6709af2f", "FD54F200-402C-4333-A5A4-36EF6709AF2F"));
        assert!(alias_eq("DL3002", "dl3002"));
        assert!(!alias_eq("DL3002", "DL3003"));
        assert!(!alias_eq("DS-0002", "DS-0020"));
    }

    #[test]
    fn summary_is_first_sentence() {
        let meta = RuleMeta {
            code: "X001",
            name: "x",
            family: Family::Df,
            severity: Severity::Info,
            default_enabled: true,
            formats: &[Format::Dockerfile],
            aliases: &[],
            doc: " ## What it does\n Flags\n things. More text.\n\n ## Why is this bad?\n Because.",
        };
        assert_eq!(meta.summary(), "Flags things.");
        assert!(meta.documentation().starts_with("## What it does\nFlags\n"));
    }
}
