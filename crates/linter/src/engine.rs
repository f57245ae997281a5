use plimsoll_diagnostic::{Diagnostic, Format, RuleMeta, Severity};
use plimsoll_dockerfile::{Analysis, Body, Instruction, Keyword};
use plimsoll_kubernetes::Project;
use plimsoll_kubernetes::project::Facts;
use plimsoll_model::{Container, ImageUse, Model};
use plimsoll_span::TextRange;
use std::path::{Path, PathBuf};

use crate::path_ignores;
use crate::suppress::annotations::add_annotation_suppressions;
use crate::suppress::{Suppressions, dockerfile_suppressions, yaml_suppressions};
use crate::workspace::DockerfileBuilds;
use crate::{
    Check, CommandCtx, ComposeCtx, DockerfileCtx, FileContext, IamCtx, InstructionCtx, KubernetesCtx,
    Reporter, Rule, Settings, SourceCtx, SourceFile, SuppressionsCtx, YamlCtx,
};

type SourceFn = fn(&SourceCtx, &mut Reporter);
type InstructionFn = fn(&InstructionCtx, &mut Reporter);
type CommandFn = fn(&CommandCtx, &mut Reporter);
type DockerfileFn = fn(&DockerfileCtx, &mut Reporter);
type YamlFn = fn(&YamlCtx, &mut Reporter);
type ComposeFn = fn(&ComposeCtx, &mut Reporter);
type KubernetesFn = fn(&KubernetesCtx, &mut Reporter);
type IamFn = fn(&IamCtx, &mut Reporter);
type ImageFn = fn(&ImageUse, &mut Reporter);
type ContainerFn = fn(&Container, &mut Reporter);
type SuppressionsFn = fn(&SuppressionsCtx, &mut Reporter);

/// The enabled checks, bucketed by what they look at, built once per run.
#[derive(Default)]
struct Buckets {
    source: Vec<(&'static RuleMeta, SourceFn)>,
    /// Indexed by `Keyword as usize`.
    instruction: Vec<Vec<(&'static RuleMeta, InstructionFn)>>,
    run_command: Vec<(&'static RuleMeta, CommandFn)>,
    dockerfile: Vec<(&'static RuleMeta, DockerfileFn)>,
    yaml: Vec<(&'static RuleMeta, YamlFn)>,
    compose: Vec<(&'static RuleMeta, ComposeFn)>,
    kubernetes: Vec<(&'static RuleMeta, KubernetesFn)>,
    iam: Vec<(&'static RuleMeta, IamFn)>,
    image: Vec<(&'static RuleMeta, ImageFn)>,
    container: Vec<(&'static RuleMeta, ContainerFn)>,
    suppressions: Vec<(&'static RuleMeta, SuppressionsFn)>,
}

/// Lints files with a fixed rule set and settings. Cheap to share across threads.
pub struct Linter {
    settings: Settings,
    rules: Vec<&'static Rule>,
    buckets: Buckets,
    /// The enabled rules whose severity the settings override (usually none, so reporting stays a copy).
    severities: Vec<(&'static RuleMeta, Severity)>,
}

/// The outcome of linting one file.
#[derive(Debug, Default)]
pub struct FileReport {
    /// Findings after suppressions, sorted by position.
    pub diagnostics: Vec<Diagnostic>,
    /// Other files of the same format this one reads, to be linted too whatever their names: the Compose
    /// files a Compose file `include`s or `extends` from, next to this file's path.
    pub related: Vec<PathBuf>,
    /// What was read but not checked (Kubernetes objects of kinds no rule reads), for `--verbose`.
    pub skipped: Vec<String>,
}

impl Linter {
    /// `rules` is the full registry; the settings' selection decides which of them run.
    pub fn new(rules: &[&'static Rule], settings: Settings) -> Linter {
        let enabled: Vec<&'static Rule> =
            rules.iter().copied().filter(|r| settings.selection.is_enabled(&r.meta)).collect();
        let mut buckets =
            Buckets { instruction: vec![Vec::new(); Keyword::Unknown as usize + 1], ..Buckets::default() };
        for rule in &enabled {
            let meta = &rule.meta;
            for check in rule.checks {
                match *check {
                    Check::Source(f) => buckets.source.push((meta, f)),
                    Check::Instruction(kinds, f) => {
                        for &kind in kinds {
                            buckets.instruction[kind as usize].push((meta, f));
                        }
                    }
                    Check::RunCommand(f) => buckets.run_command.push((meta, f)),
                    Check::Dockerfile(f) => buckets.dockerfile.push((meta, f)),
                    Check::Yaml(f) => buckets.yaml.push((meta, f)),
                    Check::Compose(f) => buckets.compose.push((meta, f)),
                    Check::Kubernetes(f) => buckets.kubernetes.push((meta, f)),
                    Check::Iam(f) => buckets.iam.push((meta, f)),
                    Check::Image(f) => buckets.image.push((meta, f)),
                    Check::Container(f) => buckets.container.push((meta, f)),
                    Check::Suppressions(f) => buckets.suppressions.push((meta, f)),
                }
            }
        }
        let severities = enabled
            .iter()
            .map(|rule| (&rule.meta, settings.severity_of(&rule.meta)))
            .filter(|(meta, severity)| meta.severity != *severity)
            .collect();
        Linter { settings, rules: enabled, buckets, severities }
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The rules that run.
    pub fn enabled_rules(&self) -> &[&'static Rule] {
        &self.rules
    }

    /// Whether plimsoll has a front end for the format yet.
    pub fn supports(format: Format) -> bool {
        matches!(format, Format::Dockerfile | Format::Compose | Format::Kubernetes | Format::Iam)
    }

    /// Lints one file of a known format that has no path and no neighbours (a buffer, a test).
    pub fn lint(&self, source: &SourceFile, format: Format) -> FileReport {
        self.lint_in(source, format, &FileContext::detached())
    }

    /// Lints one file of a known format; `context` says where it is, so a Compose file can read the
    /// Dockerfiles its services build.
    pub fn lint_in(&self, source: &SourceFile, format: Format, context: &FileContext) -> FileReport {
        let mut out = Vec::new();
        let mut related = Vec::new();
        let mut skipped = Vec::new();
        let source_ctx = SourceCtx {
            text: &source.text,
            invalid_utf8_at: source.invalid_utf8_at,
            too_large: source.too_large,
        };
        for &(meta, f) in &self.buckets.source {
            if meta.formats.contains(&format) {
                f(&source_ctx, &mut self.reporter(meta, &mut out));
            }
        }
        if source.too_large.is_some() {
            return FileReport { diagnostics: out, related, skipped };
        }
        match format {
            Format::Dockerfile => self.lint_dockerfile(&source.text, &mut out),
            Format::Compose => related = self.lint_compose(&source.text, context, &mut out),
            Format::Kubernetes => skipped = self.lint_kubernetes(source, context, &mut out),
            Format::Iam => self.lint_iam(source, context, &mut out),
        }
        if format != Format::Iam {
            path_ignores::apply(&self.settings.path_ignores, context.path, &[], &mut out);
        }
        out.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        out.dedup_by(|a, b| a.sort_key() == b.sort_key());
        FileReport { diagnostics: out, related, skipped }
    }

    fn reporter<'a>(&'a self, meta: &'static RuleMeta, out: &'a mut Vec<Diagnostic>) -> Reporter<'a> {
        let severity = self
            .severities
            .iter()
            .find(|(rule, _)| std::ptr::eq(*rule, meta))
            .map_or(meta.severity, |&(_, severity)| severity);
        Reporter::new(meta, severity, &self.settings, out)
    }

    fn lint_dockerfile(&self, text: &str, out: &mut Vec<Diagnostic>) {
        let file = plimsoll_dockerfile::parse(text);
        let analysis = Analysis::new(&file);
        let model = plimsoll_dockerfile::lower(&file, &analysis);
        let doc = DockerfileCtx { text, file: &file, analysis: &analysis, model: &model };
        let mut found = Vec::new();
        for (index, instruction) in file.instructions.iter().enumerate() {
            let stage = analysis.stage_of(index);
            let (inner, onbuild) = match &instruction.body {
                Body::Onbuild(inner) => (&**inner, Some(instruction)),
                _ => (instruction, None),
            };
            if onbuild.is_some() {
                self.run_instruction(&doc, index, instruction, None, stage, &mut found);
            }
            self.run_instruction(&doc, index, inner, onbuild, stage, &mut found);
        }
        for &(meta, f) in &self.buckets.dockerfile {
            f(&doc, &mut self.reporter(meta, &mut found));
        }
        self.run_model(&model, Format::Dockerfile, &mut found);
        self.suppress(text, Format::Dockerfile, &mut found, || {
            dockerfile_suppressions(text, &file, &analysis, self.settings.today)
        });
        out.append(&mut found);
    }

    /// Returns the Compose files this one reads.
    fn lint_compose(&self, text: &str, context: &FileContext, out: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
        let tree = plimsoll_yaml::parse_yaml(text);
        let builds = DockerfileBuilds { context: *context };
        let compose = plimsoll_compose::lower(&tree, context.file_name(), &builds);
        let mut found = Vec::new();
        self.run_yaml(text, &tree, Format::Compose, &mut found);
        let ctx = ComposeCtx { text, tree: &tree, compose: &compose };
        for &(meta, f) in &self.buckets.compose {
            f(&ctx, &mut self.reporter(meta, &mut found));
        }
        self.run_model(&compose.model, Format::Compose, &mut found);
        self.suppress(text, Format::Compose, &mut found, || {
            yaml_suppressions(text, &tree, self.settings.today)
        });
        out.append(&mut found);
        let dir = context.path.map(|p| p.parent().unwrap_or(Path::new("")));
        let Some(dir) = dir else { return Vec::new() };
        compose.references.iter().map(|r| dir.join(&r.value)).collect()
    }

    fn lint_iam(&self, source: &SourceFile, context: &FileContext, out: &mut Vec<Diagnostic>) {
        let text = source.text.as_str();
        let tree = source.yaml_tree();
        let file = plimsoll_iam::read(tree);
        let mut found = Vec::new();
        self.run_yaml(text, tree, Format::Iam, &mut found);
        let ctx = IamCtx { text, tree, file: &file };
        for &(meta, f) in &self.buckets.iam {
            f(&ctx, &mut self.reporter(meta, &mut found));
        }
        if !tree.comments.is_empty() {
            self.suppress(text, Format::Iam, &mut found, || {
                yaml_suppressions(text, tree, self.settings.today)
            });
        }
        if !self.settings.path_ignores.is_empty() {
            let statements: Vec<(&str, TextRange)> = file
                .policies
                .iter()
                .flat_map(|p| &p.statements)
                .filter_map(|s| Some((s.sid.as_ref()?.value.as_str(), s.range)))
                .collect();
            path_ignores::apply(&self.settings.path_ignores, context.path, &statements, &mut found);
        }
        out.append(&mut found);
    }

    /// What a Kubernetes file tells the checks of other files (see [`Project`]); `None` for other formats.
    /// `path` is where the file is: objects without a namespace only meet those of the same directory.
    pub fn project_facts(&self, source: &SourceFile, format: Format, path: Option<&Path>) -> Option<Facts> {
        let kinds = &self.settings.workload_kinds;
        if format != Format::Kubernetes || source.too_large.is_some() {
            return None;
        }
        // CRD bundles are most manifest bytes and hold no facts: recognised from their text, they are parsed
        // only when linted.
        if plimsoll_kubernetes::holds_no_facts(&source.text, kinds) {
            return Some(Facts::default().at(path));
        }
        Some(Facts::of(source.yaml_tree(), kinds).at(path))
    }

    /// Returns a note on the objects no rule checks.
    fn lint_kubernetes(
        &self,
        source: &SourceFile,
        context: &FileContext,
        out: &mut Vec<Diagnostic>,
    ) -> Vec<String> {
        let text = source.text.as_str();
        let tree = source.yaml_tree();
        // On its own (standard input, an editor buffer, a test) the file is its own project.
        let alone;
        let project = match context.workspace.kubernetes_project() {
            Some(project) => project,
            None => {
                alone = Project::new([Facts::of(tree, &self.settings.workload_kinds).at(context.path)]);
                &alone
            }
        };
        let project = project.scoped(context.path);
        let manifest = plimsoll_kubernetes::lower_in(tree, &self.settings.workload_kinds, project);
        let mut found = Vec::new();
        self.run_yaml(text, tree, Format::Kubernetes, &mut found);
        let ctx = KubernetesCtx { text, tree, manifest: &manifest, project };
        for &(meta, f) in &self.buckets.kubernetes {
            f(&ctx, &mut self.reporter(meta, &mut found));
        }
        self.run_model(&manifest.model, Format::Kubernetes, &mut found);
        self.suppress(text, Format::Kubernetes, &mut found, || {
            let mut suppressions = yaml_suppressions(text, tree, self.settings.today);
            add_annotation_suppressions(text, tree, &manifest.objects, &mut suppressions);
            suppressions
        });
        label_helm_sources(text, tree, &mut found);
        out.append(&mut found);
        unchecked_kinds(&manifest.objects)
    }

    /// Applies the file's inline suppressions (`build` reads them) to `found`, then lets the suppression
    /// rules report on plimsoll's own ones. A file that never says `plimsoll` and has no finding costs
    /// nothing; with inline ignores off, nothing is suppressed and nothing is said about pragmas.
    fn suppress(
        &self,
        text: &str,
        format: Format,
        found: &mut Vec<Diagnostic>,
        build: impl FnOnce() -> Suppressions,
    ) {
        if !self.settings.inline_ignores {
            return;
        }
        let report = self.buckets.suppressions.iter().any(|(meta, _)| meta.formats.contains(&format))
            && text.contains("plimsoll");
        if found.is_empty() && !report {
            return;
        }
        let mut suppressions = build();
        suppressions.apply(found);
        if !report || suppressions.own().is_empty() {
            return;
        }
        let mut reported = self.report_suppressions(text, format, &suppressions);
        // A pragma may name the suppression rules themselves (`ignore-file[unused-suppression]`). When one
        // silenced a report it is used now, so the reports are made again: with used ids only growing, the
        // second round is final.
        let before = reported.len();
        suppressions.apply(&mut reported);
        if reported.len() < before {
            reported = self.report_suppressions(text, format, &suppressions);
            suppressions.apply(&mut reported);
        }
        found.append(&mut reported);
    }

    fn report_suppressions(
        &self,
        text: &str,
        format: Format,
        suppressions: &Suppressions,
    ) -> Vec<Diagnostic> {
        let mut reported = Vec::new();
        let ctx = SuppressionsCtx { text, format, suppressions: suppressions.own() };
        for &(meta, f) in &self.buckets.suppressions {
            if meta.formats.contains(&format) {
                f(&ctx, &mut self.reporter(meta, &mut reported));
            }
        }
        reported
    }

    fn run_yaml(&self, text: &str, tree: &plimsoll_yaml::Tree, format: Format, out: &mut Vec<Diagnostic>) {
        let ctx = YamlCtx { text, tree };
        for &(meta, f) in &self.buckets.yaml {
            if meta.formats.contains(&format) {
                f(&ctx, &mut self.reporter(meta, out));
            }
        }
    }

    fn run_instruction<'a>(
        &self,
        doc: &'a DockerfileCtx<'a>,
        index: usize,
        instruction: &'a Instruction,
        onbuild: Option<&'a Instruction>,
        stage: Option<&'a plimsoll_dockerfile::Stage>,
        out: &mut Vec<Diagnostic>,
    ) {
        let ctx = InstructionCtx { doc, index, instruction, onbuild, stage };
        for &(meta, f) in &self.buckets.instruction[instruction.keyword as usize] {
            f(&ctx, &mut self.reporter(meta, out));
        }
        let Body::Run(form) = &instruction.body else { return };
        let Some(script) = form.script() else { return };
        if self.buckets.run_command.is_empty() {
            return;
        }
        for (id, command) in script.commands.iter().enumerate() {
            let ctx = CommandCtx { doc, index, instruction, onbuild, stage, script, id, command };
            for &(meta, f) in &self.buckets.run_command {
                f(&ctx, &mut self.reporter(meta, out));
            }
        }
    }

    fn run_model(&self, model: &Model, format: Format, out: &mut Vec<Diagnostic>) {
        for image in &model.images {
            for &(meta, f) in &self.buckets.image {
                if meta.formats.contains(&format) {
                    f(image, &mut self.reporter(meta, out));
                }
            }
        }
        for container in &model.containers {
            for &(meta, f) in &self.buckets.container {
                if meta.formats.contains(&format) {
                    f(container, &mut self.reporter(meta, out));
                }
            }
        }
    }
}

/// Output of `helm template` marks each document with `# Source: chart/templates/x.yaml`: findings get a
/// label at the template's name, so they lead back to the file to edit.
fn label_helm_sources(text: &str, tree: &plimsoll_yaml::Tree, found: &mut [Diagnostic]) {
    let sources: Vec<(TextRange, &str)> = tree
        .comments
        .iter()
        .filter_map(|c| {
            let comment = c.range.slice(text);
            let at = comment.find("Source:")?;
            if !comment[..at].trim_start_matches('#').trim().is_empty() {
                return None;
            }
            let path = comment[at + "Source:".len()..].trim();
            let start = c.range.start as usize + comment.find(path)?;
            (!path.is_empty()).then(|| (TextRange::new(start as u32, (start + path.len()) as u32), path))
        })
        .collect();
    if sources.is_empty() {
        return;
    }
    for diagnostic in found {
        let before = sources.partition_point(|(range, _)| range.start <= diagnostic.range.start);
        if let Some((range, path)) = before.checked_sub(1).map(|i| sources[i]) {
            diagnostic.labels.push(plimsoll_diagnostic::Label {
                range,
                message: format!("rendered from the Helm template `{path}`"),
            });
        }
    }
}

/// `["2 objects of kinds no rule checks: Certificate, ConfigMap"]`, or nothing.
fn unchecked_kinds(objects: &[plimsoll_kubernetes::Object]) -> Vec<String> {
    let mut kinds: Vec<&str> = objects
        .iter()
        .filter(|o| !plimsoll_kubernetes::is_checked(o))
        .map(|o| o.kind.value.as_str())
        .collect();
    let count = kinds.len();
    if count == 0 {
        return Vec::new();
    }
    kinds.sort_unstable();
    kinds.dedup();
    let objects = if count == 1 { "object" } else { "objects" };
    vec![format!("{count} {objects} of kinds no rule checks, not linted: {}", kinds.join(", "))]
}
