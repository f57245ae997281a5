use plimsoll_diagnostic::RuleMeta;
use plimsoll_dockerfile::Keyword;
use plimsoll_model::{Container, ImageUse};

use crate::{
    CommandCtx, ComposeCtx, DockerfileCtx, IamCtx, InstructionCtx, KubernetesCtx, Reporter, SourceCtx,
    SuppressionsCtx, YamlCtx,
};

/// A rule: metadata plus the checks it runs. Declared with [`crate::declare_rule!`].
#[derive(Debug)]
pub struct Rule {
    pub meta: RuleMeta,
    pub checks: &'static [Check],
}

/// What a rule looks at. The three shapes of the design: per syntax node (`Instruction`, `RunCommand`), per
/// model object (`Image`, `Container`) and finish-at-end (`Dockerfile`, `Source`).
#[derive(Debug)]
pub enum Check {
    /// Every file, before parsing: encoding and size problems.
    Source(fn(&SourceCtx, &mut Reporter)),
    /// Each Dockerfile instruction of the listed kinds, including the instruction inside `ONBUILD`
    /// ([`InstructionCtx::onbuild`] tells).
    Instruction(&'static [Keyword], fn(&InstructionCtx, &mut Reporter)),
    /// Each simple command of each `RUN` (shell form, exec form, heredoc scripts, `ONBUILD RUN`).
    RunCommand(fn(&CommandCtx, &mut Reporter)),
    /// Once per Dockerfile, after the per-node checks: whole-file and cross-instruction facts.
    Dockerfile(fn(&DockerfileCtx, &mut Reporter)),
    /// Once per YAML or JSON file (Compose, Kubernetes, IAM): the tree as read, for syntax-level problems.
    Yaml(fn(&YamlCtx, &mut Reporter)),
    /// Once per Compose file, with its lowered services.
    Compose(fn(&ComposeCtx, &mut Reporter)),
    /// Once per Kubernetes manifest, with its objects and lowered containers.
    Kubernetes(fn(&KubernetesCtx, &mut Reporter)),
    /// Once per file of AWS IAM policies, with every policy it holds.
    Iam(fn(&IamCtx, &mut Reporter)),
    /// Each image reference of any format.
    Image(fn(&ImageUse, &mut Reporter)),
    /// Each container of any format.
    Container(fn(&Container, &mut Reporter)),
    /// Once per file that has plimsoll's own suppressions, after they were applied: unused and unknown ids.
    /// Findings reported here are suppressed by the same pragmas (`ignore-file[unused-suppression]`).
    Suppressions(fn(&SuppressionsCtx, &mut Reporter)),
}
