//! Every key a configuration file may hold: the one table the parser validates against, `config show`
//! walks and the JSON schema is generated from, so the three cannot disagree.

/// What a key's value must be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A path to another configuration file, relative to the file naming it.
    Path,
    /// A list of rule selectors: codes, names, family prefixes, peers' ids or `ALL`.
    Selectors,
    /// A list of globs, relative to the configuration file's directory.
    Globs,
    /// A list of plain strings.
    Strings,
    Bool,
    /// `error`, `warning` or `info`.
    Severity,
    /// A table from a glob (optionally `#Sid`) to a list of rule selectors.
    PathIgnores,
    /// A table from a rule selector to a severity.
    Severities,
    /// A table from `KIND` or `GROUP/KIND` to a dot-separated path.
    WorkloadKinds,
}

/// One key, with the help editors show for it.
#[derive(Debug)]
pub struct Key {
    /// `select`, or `images.trusted-registries` inside a section.
    pub name: &'static str,
    pub kind: Kind,
    pub help: &'static str,
    /// An example value, as TOML.
    pub example: &'static str,
}

impl Key {
    /// The section (`images`) and the name within it (`trusted-registries`); top-level keys have no section.
    pub fn split(&self) -> (Option<&'static str>, &'static str) {
        match self.name.split_once('.') {
            Some((section, name)) => (Some(section), name),
            None => (None, self.name),
        }
    }
}

/// The tables a file may contain besides top-level keys, with their help.
pub const SECTIONS: &[(&str, &str)] = &[
    (
        "severity",
        "Severity overrides: a rule selector mapped to `error`, `warning` or `info`. The most specific selector wins (a rule over a family over `ALL`).",
    ),
    ("files", "Which files are linted and as what: paths to skip and extra names for each kind of file."),
    ("images", "Where images may come from."),
    ("labels", "Labels images and workloads must carry."),
    ("capabilities", "Linux capabilities containers add."),
    ("kubernetes", "Kubernetes-specific options."),
];

pub const KEYS: &[Key] = &[
    Key {
        name: "extend",
        kind: Kind::Path,
        help: "Another configuration file to inherit from, relative to this one. This file's keys replace the inherited ones; `extend-*` keys add to them.",
        example: r#""../plimsoll.toml""#,
    },
    Key {
        name: "select",
        kind: Kind::Selectors,
        help: "The rules to run instead of the defaults: codes (`ISO001`), names (`container-runs-as-root`), family prefixes (`ISO`), peers' ids (`DL3002`) or `ALL`.",
        example: r#"["ALL"]"#,
    },
    Key {
        name: "extend-select",
        kind: Kind::Selectors,
        help: "Rules to run in addition to the selected ones.",
        example: r#"["IMG009"]"#,
    },
    Key {
        name: "ignore",
        kind: Kind::Selectors,
        help: "Rules not to run. Within one file a more specific selector wins: `select = [\"ISO\"]` with `ignore = [\"ALL\"]` still runs ISO rules.",
        example: r#"["RES"]"#,
    },
    Key {
        name: "extend-ignore",
        kind: Kind::Selectors,
        help: "Rules not to run, in addition to `ignore` (kept when a file that extends this one sets its own `ignore`).",
        example: r#"["DL3008"]"#,
    },
    Key {
        name: "per-file-ignores",
        kind: Kind::PathIgnores,
        help: "Rules ignored in the files a glob matches (relative to this file's directory, or a bare file name). `GLOB#Sid` limits the ignore to the IAM policy statements with that `Sid`.",
        example: r#"{ "legacy/**" = ["ALL"], "policies/admin.json#BreakGlass" = ["IAM013"] }"#,
    },
    Key {
        name: "extend-per-file-ignores",
        kind: Kind::PathIgnores,
        help: "Like `per-file-ignores`, added to the inherited ones instead of replacing them.",
        example: r#"{ "tests/**" = ["SEC"] }"#,
    },
    Key {
        name: "fail-on",
        kind: Kind::Severity,
        help: "The lowest severity that makes `plimsoll check` fail (exit 1), for the files this configuration applies to; `--fail-on` overrides it.",
        example: r#""warning""#,
    },
    Key {
        name: "inline-ignores",
        kind: Kind::Bool,
        help: "Honour inline suppression comments (`# plimsoll: ignore[…]` and the peers' pragmas).",
        example: "true",
    },
    Key {
        name: "severity",
        kind: Kind::Severities,
        help: "Severity overrides: a rule selector mapped to `error`, `warning` or `info`. The most specific selector wins (a rule over a family over `ALL`).",
        example: r#"{ ISO = "error", ISO001 = "warning" }"#,
    },
    Key {
        name: "files.exclude",
        kind: Kind::Globs,
        help: "Paths the directory walk skips (globs relative to this file's directory, or bare names matched at any depth). Files named on the command line are linted anyway. Replaces the inherited list.",
        example: r#"["vendor", "third_party/**"]"#,
    },
    Key {
        name: "files.extend-exclude",
        kind: Kind::Globs,
        help: "Paths the directory walk skips, in addition to `exclude`.",
        example: r#"["generated/**"]"#,
    },
    Key {
        name: "files.dockerfile",
        kind: Kind::Globs,
        help: "Extra names of Dockerfiles, beyond `Dockerfile`, `Containerfile`, `Dockerfile.*`, `*.dockerfile`.",
        example: r#"["*.docker", "docker/*.build"]"#,
    },
    Key {
        name: "files.compose",
        kind: Kind::Globs,
        help: "Extra names of Compose files, beyond `compose.yaml`, `docker-compose.yml` and their variants.",
        example: r#"["stack/*.yml"]"#,
    },
    Key {
        name: "files.kubernetes",
        kind: Kind::Globs,
        help: "Files to read as Kubernetes manifests whatever their content looks like.",
        example: r#"["deploy/**/*.yaml"]"#,
    },
    Key {
        name: "files.iam",
        kind: Kind::Globs,
        help: "Files to read as IAM policies whatever their content looks like.",
        example: r#"["policies/*.json"]"#,
    },
    Key {
        name: "images.trusted-registries",
        kind: Kind::Strings,
        help: "Registries images may come from (`docker.io`, `ghcr.io/my-org`, `*.example.com`). Empty: any.",
        example: r#"["ghcr.io/my-org", "*.dkr.ecr.eu-west-1.amazonaws.com"]"#,
    },
    Key {
        name: "images.allowed-base-images",
        kind: Kind::Strings,
        help: "Images a Dockerfile may build on (`FROM`): patterns like image references, `*` within one part, matched against the reference as written and its full name (`python:3.13-slim` is `docker.io/library/python:3.13-slim`); a pattern without a tag allows every tag. Empty: any.",
        example: r#"["gcr.io/distroless/*", "python:3.13-slim*"]"#,
    },
    Key {
        name: "labels.required",
        kind: Kind::Strings,
        help: "Labels every image (final-stage `LABEL`) and every Kubernetes workload (`metadata.labels`) must carry.",
        example: r#"["org.opencontainers.image.source", "owner"]"#,
    },
    Key {
        name: "capabilities.dangerous",
        kind: Kind::Strings,
        help: "Capabilities reported whenever a container adds them, besides the built-in dangerous set.",
        example: r#"["NET_RAW"]"#,
    },
    Key {
        name: "capabilities.allowed",
        kind: Kind::Strings,
        help: "Capabilities never reported when added (a CNI plugin's `NET_ADMIN`, say).",
        example: r#"["NET_ADMIN"]"#,
    },
    Key {
        name: "kubernetes.workload-kinds",
        kind: Kind::WorkloadKinds,
        help: "Custom resources that run pods, linted as workloads: `KIND` or `GROUP/KIND` mapped to the dot-separated path of the pod spec.",
        example: r#"{ "serving.knative.dev/Service" = "spec.template.spec" }"#,
    },
];

/// The key with this full name (`select`, `images.trusted-registries`).
pub fn key(name: &str) -> Option<&'static Key> {
    KEYS.iter().find(|k| k.name == name)
}

/// The names valid in `section` (`None`: the top level, including section names).
pub fn names_in(section: Option<&str>) -> Vec<&'static str> {
    let keys =
        KEYS.iter().filter(|k| k.split().0 == section && k.kind != Kind::Severities).map(|k| k.split().1);
    let sections = SECTIONS.iter().map(|(name, _)| *name).filter(|_| section.is_none());
    keys.chain(sections).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_section_key_belongs_to_a_declared_section() {
        for key in KEYS {
            if let (Some(section), _) = key.split() {
                assert!(SECTIONS.iter().any(|(s, _)| *s == section), "{}", key.name);
            }
        }
        assert!(names_in(None).contains(&"select") && names_in(None).contains(&"images"));
        assert_eq!(names_in(None).iter().filter(|n| **n == "severity").count(), 1);
        assert!(names_in(Some("images")).contains(&"trusted-registries"));
        assert!(!names_in(Some("images")).contains(&"select"));
    }
}
