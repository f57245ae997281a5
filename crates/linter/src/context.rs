use plimsoll_dockerfile::{Analysis, Dockerfile, Instruction, Stage};
use plimsoll_model::Model;
use plimsoll_shell::{Command, CommandId, Script};

/// A file as read from disk or from an editor buffer, before any parsing.
#[derive(Debug)]
pub struct SourceCtx<'a> {
    pub text: &'a str,
    /// Byte offset of the first invalid UTF-8 sequence in the original bytes, if any (they were replaced
    /// with U+FFFD in `text`).
    pub invalid_utf8_at: Option<u32>,
    /// The file's size when it was too large to lint (its text is then empty).
    pub too_large: Option<u64>,
}

/// plimsoll's own suppressions of one file (comments and annotations), after they were applied: which of
/// their ids silenced a finding. Built only when the file mentions `plimsoll` and inline ignores are on.
#[derive(Debug)]
pub struct SuppressionsCtx<'a> {
    pub text: &'a str,
    pub format: plimsoll_diagnostic::Format,
    pub suppressions: &'a [crate::Suppression],
}

/// A YAML or JSON file (Compose, Kubernetes, IAM), parsed.
#[derive(Debug)]
pub struct YamlCtx<'a> {
    pub text: &'a str,
    pub tree: &'a plimsoll_yaml::Tree,
}

/// A parsed and lowered Compose file.
#[derive(Debug)]
pub struct ComposeCtx<'a> {
    pub text: &'a str,
    pub tree: &'a plimsoll_yaml::Tree,
    pub compose: &'a plimsoll_compose::ComposeFile,
}

/// A parsed Kubernetes manifest: its objects, and the containers of its workloads.
#[derive(Debug)]
pub struct KubernetesCtx<'a> {
    pub text: &'a str,
    pub tree: &'a plimsoll_yaml::Tree,
    pub manifest: &'a plimsoll_kubernetes::KubernetesFile,
    /// The Kubernetes objects of the whole run (empty when the file is linted on its own).
    pub project: plimsoll_kubernetes::project::Scoped<'a>,
}

/// A file's AWS IAM policies, read and normalised.
#[derive(Debug)]
pub struct IamCtx<'a> {
    pub text: &'a str,
    pub tree: &'a plimsoll_yaml::Tree,
    pub file: &'a plimsoll_iam::IamFile,
}

/// A parsed, analysed and lowered Dockerfile.
#[derive(Debug)]
pub struct DockerfileCtx<'a> {
    pub text: &'a str,
    pub file: &'a Dockerfile,
    pub analysis: &'a Analysis,
    pub model: &'a Model,
}

/// One instruction, seen by [`crate::Check::Instruction`].
#[derive(Debug)]
pub struct InstructionCtx<'a> {
    pub doc: &'a DockerfileCtx<'a>,
    /// Index in `doc.file.instructions` of the top-level instruction (the `ONBUILD` for a wrapped one).
    pub index: usize,
    /// The instruction itself (for `ONBUILD RUN x`, the `RUN x`).
    pub instruction: &'a Instruction,
    /// The wrapping `ONBUILD`, when the instruction runs in downstream builds.
    pub onbuild: Option<&'a Instruction>,
    pub stage: Option<&'a Stage>,
}

/// One simple command of a `RUN`, seen by [`crate::Check::RunCommand`].
#[derive(Debug)]
pub struct CommandCtx<'a> {
    pub doc: &'a DockerfileCtx<'a>,
    pub index: usize,
    /// The `RUN` instruction (inside `ONBUILD` when `onbuild` is set).
    pub instruction: &'a Instruction,
    pub onbuild: Option<&'a Instruction>,
    pub stage: Option<&'a Stage>,
    pub script: &'a Script,
    pub id: CommandId,
    pub command: &'a Command,
}

impl InstructionCtx<'_> {
    /// Substitutes ARG/ENV variables as the build sees them at this instruction.
    pub fn expand(&self, text: &str) -> plimsoll_dockerfile::Expanded {
        self.doc.analysis.expand_at(self.doc.file, self.index, text)
    }

    /// Whether this instruction belongs to the last stage (the image `docker build` produces).
    pub fn in_final_stage(&self) -> bool {
        self.stage.is_some_and(|s| s.index + 1 == self.doc.analysis.stages.len())
    }
}

impl CommandCtx<'_> {
    /// Substitutes ARG/ENV variables as the build sees them at this command's instruction.
    pub fn expand(&self, text: &str) -> plimsoll_dockerfile::Expanded {
        self.doc.analysis.expand_at(self.doc.file, self.index, text)
    }

    /// Whether the `RUN` has a `--mount=type=secret` (credentials then do not end up in the image).
    pub fn has_secret_mount(&self) -> bool {
        self.instruction.flags.iter().filter(|f| f.name.value == "mount").any(|f| {
            f.options()
                .iter()
                .any(|o| o.key.value == "type" && o.value.as_ref().is_some_and(|v| v.value == "secret"))
        })
    }
}
