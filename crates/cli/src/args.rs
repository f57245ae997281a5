//! The command line, declared with clap's derive API.

use std::num::NonZeroUsize;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use plimsoll_diagnostic::Severity;
use plimsoll_output::OutputFormat;

use crate::report_targets::ReportTarget;

/// `plimsoll --version`: the release, and the data built into it that ages (the AWS action catalogue).
fn version_text() -> &'static str {
    static TEXT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    TEXT.get_or_init(|| {
        format!("{}\nAWS action catalogue: {}", env!("CARGO_PKG_VERSION"), plimsoll_iam::catalogue::SOURCE)
    })
}

#[derive(Debug, Parser)]
#[command(
    name = "plimsoll",
    version = version_text(),
    about = "A security linter for container infrastructure: Dockerfiles, Compose files, Kubernetes \
             manifests and IAM policies.",
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

// The command line is parsed once per run; boxing the flag structs would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint files and directories.
    Check(CheckArgs),
    /// List every rule.
    Rules(RulesArgs),
    /// Explain one rule: its metadata and documentation.
    Rule(RuleArgs),
    /// Accept the current findings, so `check --baseline` reports only new ones.
    #[command(subcommand)]
    Baseline(BaselineCommand),
    /// Inspect configuration: the settings that apply to a file, or the JSON schema of `plimsoll.toml`.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Run the language server (LSP over standard input and output) for editors.
    Server(ServerArgs),
    /// Merge the JSON reports or SARIF logs of sharded runs (`check --shard K/N`) into one.
    Merge(crate::merge::MergeArgs),
}

/// `plimsoll server`: editors start it and speak LSP on its standard input and output.
#[derive(Debug, Args)]
pub struct ServerArgs {
    /// Accepted for clients that always pass it (vscode-languageclient's stdio transport); stdio is the only
    /// transport.
    #[arg(long)]
    pub stdio: bool,
}

/// `plimsoll baseline create|update`: lint as `check` does (same paths and rule options), then write the
/// baseline named by `--baseline` (default `plimsoll-baseline.json`) instead of a report.
#[derive(Debug, Subcommand)]
pub enum BaselineCommand {
    /// Write every current finding to the baseline, replacing it.
    Create(CheckArgs),
    /// Drop the baseline's entries that no longer occur; never add new ones.
    Update(CheckArgs),
}

#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print the settings that apply to FILE and where each came from (default, a configuration file and
    /// line, the command line). Takes `check`'s flags, so `config show --select ISO FILE` shows their effect.
    Show(CheckArgs),
    /// Print the JSON schema of `plimsoll.toml` (for editors: Even Better TOML, taplo).
    Schema,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files and directories to lint; `-` reads standard input. Directories are walked honouring
    /// `.gitignore`; files named on the command line are always linted.
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,

    /// How to report findings, and where: `FORMAT` writes to standard output, `FORMAT=PATH` to a file.
    /// Repeat for several reports in one run (`--format sarif=plimsoll.sarif --format full`); at most one
    /// goes to standard output. Formats: full, concise, json, sarif, github, gitlab, checkstyle, junit.
    #[arg(
        long,
        value_name = "FORMAT[=PATH]",
        default_value = "full",
        value_parser = ReportTarget::parse,
        long_help = format_help()
    )]
    pub format: Vec<ReportTarget>,

    /// The lowest severity that makes the run fail (exit 1) [default: the configuration's `fail-on`, else
    /// info].
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<SeverityArg>,

    /// Use this configuration file for every input instead of each file's nearest `plimsoll.toml` or
    /// `.plimsoll.toml`.
    #[arg(long, value_name = "PATH", conflicts_with = "isolated")]
    pub config: Option<PathBuf>,

    /// Ignore every configuration file (`plimsoll.toml`, `.plimsoll.toml`, `.hadolint.yaml`).
    #[arg(long)]
    pub isolated: bool,

    /// The file name standard input stands for (`-`): decides its kind and is shown in the report.
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<String>,

    /// Run only these rules instead of the defaults: `ALL`, family prefixes (`ISO`), codes (`ISO001`), rule
    /// names or peer ids (`DL3002`).
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    pub select: Option<Vec<String>>,

    /// Run these rules in addition to the selected ones.
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    pub extend_select: Vec<String>,

    /// Do not run these rules.
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    pub ignore: Vec<String>,

    /// Ignore rules in the files a glob matches, or only in the IAM policy statements with a `Sid`:
    /// `GLOB=RULES` or `GLOB#SID=RULES` (`policies/*.json#LegacyAdmin=IAM013,IAM020`); repeat for more.
    #[arg(long, value_name = "GLOB[#SID]=RULES")]
    pub per_file_ignores: Vec<String>,

    /// A registry images may come from (`ghcr.io/my-org`, `*.example.com`); repeat or separate with commas.
    #[arg(long, value_name = "REGISTRY", value_delimiter = ',')]
    pub trusted_registry: Vec<String>,

    /// A custom Kubernetes resource that runs pods, linted as a workload: `KIND=PATH` or `GROUP/KIND=PATH`,
    /// the path dot-separated from the object to its pod spec (`serving.knative.dev/Service=spec.template.spec`);
    /// repeat for more.
    #[arg(long, value_name = "KIND=PATH")]
    pub workload_kind: Vec<String>,

    /// Report only findings that are not in this baseline file (written by `plimsoll baseline create`);
    /// for `baseline create`/`update`, the file to write (default `plimsoll-baseline.json`).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Ignore inline suppression comments (`# plimsoll: ignore[…]` and the peers' pragmas).
    #[arg(long)]
    pub no_inline_ignores: bool,

    /// When to color the full report (`auto`: when stdout is a terminal and `NO_COLOR` is unset).
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorArg::Auto)]
    pub color: ColorArg,

    /// Reuse the results of earlier runs stored in DIR, and store this run's (created if missing). A file's
    /// entry is used only while its content, the settings that apply to it, the files it reads and the
    /// plimsoll build are the same. Without this flag or `PLIMSOLL_CACHE_DIR`, nothing is written.
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,

    /// Do not use the cache, even when `PLIMSOLL_CACHE_DIR` names one.
    #[arg(long, conflicts_with = "cache_dir")]
    pub no_cache: bool,

    /// Worker threads for walking and linting (default: one per core).
    #[arg(long, value_name = "N")]
    pub threads: Option<NonZeroUsize>,

    /// Also say what was read but not checked (Kubernetes custom resources and other kinds no rule reads)
    #[arg(long, short)]
    pub verbose: bool,

    /// Lint only files of these kinds: dockerfile, compose, kubernetes, iam (repeat or separate with
    /// commas). Other files, even ones named on the command line, are skipped without a word: what
    /// pre-commit hooks for one kind want.
    #[arg(long, value_name = "KIND", value_delimiter = ',', value_parser = crate::discover::parse_kind)]
    pub kind: Vec<plimsoll_diagnostic::Format>,

    /// Follow symbolic links while walking directories (symbolic link loops are reported and skipped). By
    /// default links are not followed; a link named on the command line is always linted.
    #[arg(long)]
    pub follow_symlinks: bool,

    /// Lint only shard K of N (`--shard 2/4`): files are split by a stable hash of their path relative to
    /// the working directory, so N CI jobs lint a share each and `plimsoll merge` joins their JSON or SARIF
    /// reports. Kubernetes manifests of every shard are still read for cross-file checks. See
    /// docs/monorepo.md.
    #[arg(long, value_name = "K/N", value_parser = crate::shard::Shard::parse)]
    pub shard: Option<crate::shard::Shard>,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// `text` is an aligned table; `json` a versioned document for tools.
    #[arg(long, value_enum, default_value_t = ListFormatArg::Text)]
    pub format: ListFormatArg,
}

#[derive(Debug, Args)]
pub struct RuleArgs {
    /// A rule code (`ISO001`), name (`container-runs-as-root`) or peer id (`DL3002`).
    #[arg(value_name = "ID")]
    pub id: String,
}

/// The long help of `--format`: the general rule, then each format and what it is for.
fn format_help() -> String {
    let mut help = String::from(
        "How to report findings, and where: `FORMAT` writes to standard output, `FORMAT=PATH` to a file \
         (written whole, after linting). Repeat for several reports in one run \
         (`--format sarif=plimsoll.sarif --format full`); at most one goes to standard output. When none \
         does, the summary line goes to standard error.\n",
    );
    for format in OutputFormat::ALL {
        help.push_str(&format!("\n  {:<11} {}", format.name(), format.description()));
    }
    help
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SeverityArg {
    Info,
    Warning,
    Error,
}

impl From<SeverityArg> for Severity {
    fn from(severity: SeverityArg) -> Severity {
        match severity {
            SeverityArg::Info => Severity::Info,
            SeverityArg::Warning => Severity::Warning,
            SeverityArg::Error => Severity::Error,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ListFormatArg {
    Text,
    Json,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::Cli;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }
}
