use plimsoll_diagnostic::{Family, RuleMeta};

/// One entry of `--select`/`--ignore`: `ALL`, a family prefix (`ISO`), a code (`ISO001`), a rule name
/// (`container-runs-as-root`) or a peer's id (`DL3002`, `CKV_DOCKER_8`, `DS-0002`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RuleSelector {
    All,
    Family(Family),
    /// A code, name or alias, matched with [`RuleMeta::is_named`].
    Rule(String),
}

impl RuleSelector {
    pub fn parse(text: &str) -> RuleSelector {
        let text = text.trim();
        if text.eq_ignore_ascii_case("ALL") {
            return RuleSelector::All;
        }
        match Family::ALL.into_iter().find(|f| f.prefix().eq_ignore_ascii_case(text)) {
            Some(family) => RuleSelector::Family(family),
            None => RuleSelector::Rule(text.to_string()),
        }
    }

    pub fn matches(&self, rule: &RuleMeta) -> bool {
        match self {
            RuleSelector::All => true,
            RuleSelector::Family(family) => rule.family == *family,
            RuleSelector::Rule(id) => rule.is_named(id),
        }
    }

    /// Whether the selector names at least one of `rules` (unknown selectors are usage errors).
    pub fn is_known<'a>(&self, rules: impl IntoIterator<Item = &'a RuleMeta>) -> bool {
        matches!(self, RuleSelector::All | RuleSelector::Family(_))
            || rules.into_iter().any(|r| self.matches(r))
    }
}

/// Which rules run: the defaults, or `select` instead of them, plus `extend_select`, minus `ignore`.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    pub select: Option<Vec<RuleSelector>>,
    pub extend_select: Vec<RuleSelector>,
    pub ignore: Vec<RuleSelector>,
}

impl Selection {
    pub fn is_enabled(&self, rule: &RuleMeta) -> bool {
        let base = match &self.select {
            Some(select) => select.iter().any(|s| s.matches(rule)),
            None => rule.default_enabled,
        };
        (base || self.extend_select.iter().any(|s| s.matches(rule)))
            && !self.ignore.iter().any(|s| s.matches(rule))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use plimsoll_diagnostic::{Format, Severity};

    const fn meta(code: &'static str, family: Family, default_enabled: bool) -> RuleMeta {
        RuleMeta {
            code,
            name: "some-rule",
            family,
            severity: Severity::Warning,
            default_enabled,
            formats: &[Format::Dockerfile],
            aliases: &["DL3002"],
            doc: "",
        }
    }

    static ON: RuleMeta = meta("ISO001", Family::Iso, true);
    static OFF: RuleMeta = meta("IMG009", Family::Img, false);

    #[test]
    fn defaults_then_select_and_ignore() {
        let default = Selection::default();
        assert!(default.is_enabled(&ON) && !default.is_enabled(&OFF));
        let only_img = Selection { select: Some(vec![RuleSelector::parse("img")]), ..Default::default() };
        assert!(!only_img.is_enabled(&ON) && only_img.is_enabled(&OFF));
        let extend = Selection { extend_select: vec![RuleSelector::parse("IMG009")], ..Default::default() };
        assert!(extend.is_enabled(&ON) && extend.is_enabled(&OFF));
        let ignore = Selection { ignore: vec![RuleSelector::parse("DL3002")], ..Default::default() };
        assert!(!ignore.is_enabled(&ON));
        let all = Selection { select: Some(vec![RuleSelector::parse("ALL")]), ..Default::default() };
        assert!(all.is_enabled(&OFF));
    }

    #[test]
    fn unknown_selectors_are_detected() {
        assert!(RuleSelector::parse("ISO001").is_known([&ON]));
        assert!(RuleSelector::parse("some-rule").is_known([&ON]));
        assert!(!RuleSelector::parse("XYZ999").is_known([&ON]));
    }
}
