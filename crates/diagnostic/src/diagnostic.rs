use plimsoll_span::TextRange;

use crate::{RuleMeta, Severity};

/// One finding in one file. Plain data: rendering is the job of the output crate and the LSP server.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    pub rule: &'static RuleMeta,
    /// The effective severity (the rule's default unless configuration overrides it).
    pub severity: Severity,
    /// What is wrong, in one sentence, format-neutral where the rule is cross-format.
    pub message: String,
    /// The narrowest range that shows the problem; for a missing setting, its anchor.
    pub range: TextRange,
    /// Secondary locations that explain the finding ("USER set here", "stage defined here").
    pub labels: Vec<Label>,
    /// What to do instead, specific to the format at hand.
    pub help: Option<String>,
    pub fix: Option<Fix>,
}

impl Diagnostic {
    pub fn new(rule: &'static RuleMeta, range: TextRange, message: impl Into<String>) -> Self {
        Diagnostic {
            rule,
            severity: rule.severity,
            message: message.into(),
            range,
            labels: Vec::new(),
            help: None,
            fix: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_label(mut self, range: TextRange, message: impl Into<String>) -> Self {
        self.labels.push(Label { range, message: message.into() });
        self
    }

    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }

    /// Ordering used by every output so results are stable across runs and thread counts.
    pub fn sort_key(&self) -> (u32, u32, &'static str, &str) {
        (self.range.start, self.range.end, self.rule.code, &self.message)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub range: TextRange,
    pub message: String,
}

/// A text edit that resolves a finding. Only an explicit `--fix` (or an editor code action) applies it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub title: String,
    pub edits: Vec<Edit>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub range: TextRange,
    pub replacement: String,
}
