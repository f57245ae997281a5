use plimsoll_diagnostic::{Diagnostic, Fix, RuleMeta, Severity};
use plimsoll_span::TextRange;

use crate::Settings;

/// What a check reports through: it knows the rule, its effective severity and the settings.
pub struct Reporter<'a> {
    rule: &'static RuleMeta,
    severity: Severity,
    settings: &'a Settings,
    out: &'a mut Vec<Diagnostic>,
}

impl<'a> Reporter<'a> {
    pub(crate) fn new(
        rule: &'static RuleMeta,
        severity: Severity,
        settings: &'a Settings,
        out: &'a mut Vec<Diagnostic>,
    ) -> Self {
        Reporter { rule, severity, settings, out }
    }

    /// Reports a finding at `range` (the narrowest range that shows the problem).
    pub fn report(&mut self, range: TextRange, message: impl Into<String>) -> Emit<'_> {
        let mut diagnostic = Diagnostic::new(self.rule, range, message);
        diagnostic.severity = self.severity;
        self.out.push(diagnostic);
        Emit(self.out.last_mut().expect("just pushed"))
    }

    pub fn settings(&self) -> &Settings {
        self.settings
    }

    pub fn rule(&self) -> &'static RuleMeta {
        self.rule
    }
}

/// A reported finding being completed with help, labels or a fix.
pub struct Emit<'r>(&'r mut Diagnostic);

impl Emit<'_> {
    /// What to do instead, specific to the format at hand.
    pub fn help(self, help: impl Into<String>) -> Self {
        self.0.help = Some(help.into());
        self
    }

    /// A secondary location that explains the finding.
    pub fn label(self, range: TextRange, message: impl Into<String>) -> Self {
        self.0.labels.push(plimsoll_diagnostic::Label { range, message: message.into() });
        self
    }

    pub fn fix(self, fix: Fix) -> Self {
        self.0.fix = Some(fix);
        self
    }
}
