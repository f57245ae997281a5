//! What a cached result depends on, hashed: BLAKE3 over length-prefixed fields, so that no two different
//! inputs feed the hasher the same bytes. Settings are hashed field by field from a destructuring that
//! names every field, so a setting added to [`Settings`] does not compile until it is part of the key.

use std::path::Path;

use plimsoll_diagnostic::{Format, Severity};
use plimsoll_linter::{PathIgnore, RuleSelector, Selection, Settings, SourceFile};

/// A BLAKE3 hash.
pub type Digest = [u8; 32];

/// A hash of a list of fields. `domain` names what is hashed, so a key of one kind never equals another's.
pub struct Key(blake3::Hasher);

impl Key {
    pub fn new(domain: &str) -> Key {
        let mut key = Key(blake3::Hasher::new());
        key.str(domain);
        key
    }

    pub fn finish(&self) -> Digest {
        *self.0.finalize().as_bytes()
    }

    pub fn u8(&mut self, value: u8) -> &mut Key {
        self.0.update(&[value]);
        self
    }

    pub fn u64(&mut self, value: u64) -> &mut Key {
        self.0.update(&value.to_le_bytes());
        self
    }

    pub fn bool(&mut self, value: bool) -> &mut Key {
        self.u8(u8::from(value))
    }

    pub fn bytes(&mut self, value: &[u8]) -> &mut Key {
        self.u64(value.len() as u64);
        self.0.update(value);
        self
    }

    pub fn str(&mut self, value: &str) -> &mut Key {
        self.bytes(value.as_bytes())
    }

    /// A path as the operating system spells it (not lossily decoded: two paths never share a key).
    pub fn path(&mut self, value: &Path) -> &mut Key {
        self.bytes(value.as_os_str().as_encoded_bytes())
    }

    pub fn digest(&mut self, value: &Digest) -> &mut Key {
        self.0.update(value);
        self
    }

    pub fn opt_str(&mut self, value: Option<&str>) -> &mut Key {
        match value {
            None => self.u8(0),
            Some(value) => self.u8(1).str(value),
        }
    }

    pub fn opt_u64(&mut self, value: Option<u64>) -> &mut Key {
        match value {
            None => self.u8(0),
            Some(value) => self.u8(1).u64(value),
        }
    }

    pub fn strings(&mut self, values: &[String]) -> &mut Key {
        self.u64(values.len() as u64);
        for value in values {
            self.str(value);
        }
        self
    }
}

/// Everything the linter sees of a file: its text and what was wrong with its bytes. (Two files whose
/// invalid bytes decode alike lint alike, so they may share a digest.)
pub fn source(source: &SourceFile) -> Digest {
    Key::new("source")
        .bytes(source.text.as_bytes())
        .opt_u64(source.invalid_utf8_at.map(u64::from))
        .opt_u64(source.too_large)
        .finish()
}

/// Another file's content as a check read it (`None`: missing or unreadable).
pub fn read(text: Option<&str>) -> Option<Digest> {
    text.map(|text| *blake3::hash(text.as_bytes()).as_bytes())
}

/// The resolved settings a linter runs with: its rule selection, severities, options, the date
/// end-of-life checks and expiring suppressions compare against, and the ignores by path.
pub fn settings(settings: &Settings) -> Digest {
    let Settings {
        selection,
        severity_overrides,
        trusted_registries,
        allowed_base_images,
        required_labels,
        dangerous_capabilities,
        allowed_capabilities,
        today,
        inline_ignores,
        workload_kinds,
        path_ignores,
    } = settings;
    let mut key = Key::new("settings");
    let Selection { select, extend_select, ignore } = selection;
    match select {
        None => key.u8(0),
        Some(select) => selectors(key.u8(1), select),
    };
    selectors(&mut key, extend_select);
    selectors(&mut key, ignore);
    key.u64(severity_overrides.len() as u64);
    for (selector, severity) in severity_overrides {
        selectors(&mut key, std::slice::from_ref(selector)).u8(severity_code(*severity));
    }
    key.strings(trusted_registries)
        .strings(allowed_base_images)
        .strings(required_labels)
        .strings(dangerous_capabilities)
        .strings(allowed_capabilities);
    key.bytes(&today.year.to_le_bytes()).u8(today.month).u8(today.day).bool(*inline_ignores);
    key.bytes(&workload_kinds_json(workload_kinds));
    key.u64(path_ignores.len() as u64);
    for ignore in path_ignores {
        path_ignore(&mut key, ignore);
    }
    key.finish()
}

/// The custom workload kinds, which also decide a file's Kubernetes facts.
pub fn workload_kinds(settings: &Settings) -> Digest {
    Key::new("workload kinds").bytes(&workload_kinds_json(&settings.workload_kinds)).finish()
}

fn workload_kinds_json(kinds: &plimsoll_linter::WorkloadKinds) -> Vec<u8> {
    // Plain strings and lists: serialising cannot fail.
    serde_json::to_vec(kinds).unwrap_or_default()
}

fn selectors<'k>(key: &'k mut Key, selectors: &[RuleSelector]) -> &'k mut Key {
    key.u64(selectors.len() as u64);
    for selector in selectors {
        match selector {
            RuleSelector::All => key.u8(0),
            RuleSelector::Family(family) => key.u8(1).str(family.prefix()),
            RuleSelector::Rule(id) => key.u8(2).str(id),
        };
    }
    key
}

fn path_ignore(key: &mut Key, ignore: &PathIgnore) {
    // The compiled glob is derived from `pattern`.
    key.str(&ignore.pattern).opt_str(ignore.sid.as_deref());
    selectors(key, &ignore.rules);
    match &ignore.base {
        None => key.u8(0),
        Some(base) => key.u8(1).path(base),
    };
}

pub fn severity_code(severity: Severity) -> u8 {
    match severity {
        Severity::Info => 0,
        Severity::Warning => 1,
        Severity::Error => 2,
    }
}

pub fn format_code(format: Format) -> u8 {
    match format {
        Format::Dockerfile => 0,
        Format::Compose => 1,
        Format::Kubernetes => 2,
        Format::Iam => 3,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_delimited() {
        let ab_c = Key::new("t").str("ab").str("c").finish();
        let a_bc = Key::new("t").str("a").str("bc").finish();
        assert_ne!(ab_c, a_bc);
        assert_ne!(Key::new("t").opt_str(None).finish(), Key::new("t").opt_str(Some("")).finish());
        assert_ne!(Key::new("a").finish(), Key::new("b").finish(), "domains differ");
    }

    #[test]
    fn every_setting_changes_the_digest() {
        let mut base = Settings::default();
        base.today.day = 2;
        let digest = settings(&base);
        assert_eq!(digest, settings(&base.clone()), "stable");
        let mut kinds = plimsoll_linter::WorkloadKinds::default();
        kinds.add("keda.sh/ScaledJob=spec.jobTargetRef.template.spec").unwrap();
        let variants = [
            Settings {
                selection: Selection { select: Some(vec![RuleSelector::All]), ..Selection::default() },
                ..base.clone()
            },
            Settings {
                selection: Selection { ignore: vec![RuleSelector::parse("ISO001")], ..Selection::default() },
                ..base.clone()
            },
            Settings {
                severity_overrides: vec![(RuleSelector::parse("ISO"), Severity::Error)],
                ..base.clone()
            },
            Settings { trusted_registries: vec!["ghcr.io".into()], ..base.clone() },
            Settings { allowed_base_images: vec!["alpine:*".into()], ..base.clone() },
            Settings { required_labels: vec!["owner".into()], ..base.clone() },
            Settings { dangerous_capabilities: vec!["NET_RAW".into()], ..base.clone() },
            Settings { allowed_capabilities: vec!["NET_ADMIN".into()], ..base.clone() },
            {
                let mut tomorrow = base.clone();
                tomorrow.today.day = 3;
                tomorrow
            },
            Settings { inline_ignores: false, ..base.clone() },
            Settings { workload_kinds: kinds, ..base.clone() },
            Settings {
                path_ignores: vec![PathIgnore::parse("policies/*.json#Admin=IAM013").unwrap()],
                ..base.clone()
            },
        ];
        let mut seen = vec![digest];
        for variant in &variants {
            let changed = settings(variant);
            assert!(!seen.contains(&changed), "{variant:?}");
            seen.push(changed);
        }
    }

    #[test]
    fn the_source_digest_covers_what_the_linter_sees() {
        let text = SourceFile::from_text("FROM alpine\n");
        let invalid = SourceFile::from_bytes(b"FROM alpine\xff\n".to_vec());
        assert_ne!(source(&text), source(&invalid));
        assert_ne!(source(&SourceFile::too_large(1)), source(&SourceFile::too_large(2)));
        assert_eq!(source(&text), source(&SourceFile::from_bytes(b"FROM alpine\n".to_vec())));
    }
}
