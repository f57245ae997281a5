//! What a pragma covers in a Dockerfile: the next instruction, a stage, the file.

use plimsoll_dockerfile::{Analysis, Dockerfile, Keyword};
use plimsoll_model::Date;
use plimsoll_span::TextRange;

use super::lines::{Lines, Units};
use super::{Suppressions, Targets};

struct DockerfileTargets<'a> {
    lines: Lines<'a>,
    file: &'a Dockerfile,
    analysis: &'a Analysis,
    /// The instructions' ranges, in source order.
    instructions: Vec<TextRange>,
    units: Units,
}

impl DockerfileTargets<'_> {
    /// From the stage's `FROM` to the end of its last instruction.
    fn stage_range(&self, stage: &plimsoll_dockerfile::Stage) -> TextRange {
        let last = stage.body.end.checked_sub(1).filter(|&i| i >= stage.from).unwrap_or(stage.from);
        self.instructions[stage.from].cover(self.instructions[last])
    }
}

impl Targets for DockerfileTargets<'_> {
    fn next(&self, comment: TextRange) -> Option<TextRange> {
        self.units.next_statement(&self.lines, comment)
    }

    /// KICS reports Dockerfile findings per instruction: its `ignore-line` covers the next one.
    fn line(&self, comment: TextRange) -> Option<TextRange> {
        self.next(comment)
    }

    fn stage(&self, comment: TextRange, inside: bool) -> Option<TextRange> {
        let following = self.instructions.partition_point(|i| i.start < comment.start);
        // Only comments and blank lines may stand between the pragma and the `FROM` it names.
        let next_line = self.lines.target_line(comment);
        let right_above = next_line
            .is_some_and(|line| self.instructions.get(following).is_some_and(|i| i.start == line.start));
        if right_above && self.file.instructions[following].keyword == Keyword::From {
            let stages = &self.analysis.stages;
            let stage =
                stages.get(stages.partition_point(|s| s.from < following)).filter(|s| s.from == following)?;
            return Some(self.stage_range(stage));
        }
        if !inside {
            return None;
        }
        let stages = &self.analysis.stages;
        let within = stages.partition_point(|s| self.instructions[s.from].start < comment.start);
        Some(self.stage_range(&stages[within.checked_sub(1)?]))
    }

    /// Checkov's skip comments cover the whole Dockerfile.
    fn resource(&self, _: TextRange) -> Option<Option<TextRange>> {
        Some(None)
    }
}

/// Suppression comments and the BuildKit `# check=skip=` directive of a Dockerfile.
pub(crate) fn dockerfile_suppressions(
    text: &str,
    file: &Dockerfile,
    analysis: &Analysis,
    today: Date,
) -> Suppressions {
    let instructions: Vec<TextRange> = file.instructions.iter().map(|i| i.range).collect();
    let targets = DockerfileTargets {
        lines: Lines::new(text),
        file,
        analysis,
        units: Units::new(instructions.clone()),
        instructions,
    };
    let comments = file.comments.iter().map(|c| c.range);
    let mut suppressions = Suppressions::from_comments(text, comments, &targets, today);
    for directive in &file.directives {
        if directive.name.value == "check" {
            // `# check=skip=Rule1,Rule2;error=true`
            for part in directive.value.value.split(';') {
                if let Some(list) = part.trim().strip_prefix("skip=") {
                    suppressions.add_file_wide(list.split(',').map(|s| s.trim().to_string()).collect());
                }
            }
        }
    }
    suppressions
}
