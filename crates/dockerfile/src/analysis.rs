//! What the instructions mean together: build stages, which stage or image each stage starts from, and the
//! values of ARG and ENV variables at each instruction.

use std::collections::HashMap;
use std::ops::Range;

use plimsoll_model::ImageSpec;
use plimsoll_span::TextRange;

use crate::ast::{Body, DWord, Dockerfile, Instruction, Keyword};
use crate::vars::{Expanded, VarValue, expand};

/// One build stage: a `FROM` and the instructions up to the next `FROM`.
#[derive(Clone, Debug)]
pub struct Stage {
    pub index: usize,
    /// Index of the stage's `FROM` in [`Dockerfile::instructions`].
    pub from: usize,
    /// Indices of the instructions after the `FROM`, up to the next `FROM`.
    pub body: Range<usize>,
    /// The name after `AS`, lower-cased.
    pub name: Option<String>,
    pub base: Base,
}

/// What a stage starts from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Base {
    /// An earlier stage of the same file (`FROM builder`).
    Stage(usize),
    /// An image (or `scratch`, or a reference that cannot be resolved).
    Image { spec: ImageSpec, via: Vec<TextRange> },
}

/// Stages and variable scopes of a parsed Dockerfile.
#[derive(Clone, Debug, Default)]
pub struct Analysis {
    pub stages: Vec<Stage>,
    /// `ARG`s declared before the first `FROM`: usable in `FROM` lines, and inside a stage after `ARG NAME`.
    global_args: HashMap<String, VarValue>,
    /// For each instruction, the stage it belongs to (`None` before the first `FROM`).
    stage_of: Vec<Option<usize>>,
    escape: char,
}

impl Analysis {
    pub fn new(file: &Dockerfile) -> Analysis {
        let mut analysis = Analysis {
            escape: file.escape,
            stage_of: Vec::with_capacity(file.instructions.len()),
            ..Analysis::default()
        };
        for (index, inst) in file.instructions.iter().enumerate() {
            match &inst.body {
                Body::From(from) => {
                    if let Some(last) = analysis.stages.last_mut() {
                        last.body.end = index;
                    }
                    let stage = analysis.stages.len();
                    let base = analysis.base_of(&from.image);
                    analysis.stages.push(Stage {
                        index: stage,
                        from: index,
                        body: index + 1..file.instructions.len(),
                        name: from.name.as_ref().map(|n| n.text.to_ascii_lowercase()),
                        base,
                    });
                }
                Body::Arg(args) if analysis.stages.is_empty() => {
                    for arg in args {
                        let value = VarValue {
                            value: arg.default.as_ref().and_then(|d| known(analysis.expand_global(&d.text))),
                            defined_at: arg.default.as_ref().map_or(arg.range, |d| d.range),
                        };
                        analysis.global_args.insert(arg.name.text.clone(), value);
                    }
                }
                _ => {}
            }
            analysis.stage_of.push(analysis.stages.len().checked_sub(1));
        }
        analysis
    }

    /// The stage an instruction belongs to.
    pub fn stage_of(&self, instruction: usize) -> Option<&Stage> {
        self.stage_of.get(instruction).copied().flatten().map(|s| &self.stages[s])
    }

    /// The last stage: the image `docker build` produces without `--target`.
    pub fn final_stage(&self) -> Option<&Stage> {
        self.stages.last()
    }

    /// The stage a `COPY --from=`/`--mount=from=` value names: a stage name or a stage index, defined
    /// before `before_stage`.
    pub fn stage_named(&self, name: &str, before_stage: usize) -> Option<&Stage> {
        let earlier = &self.stages[..before_stage.min(self.stages.len())];
        if let Ok(index) = name.parse::<usize>() {
            return earlier.get(index);
        }
        earlier.iter().rev().find(|s| s.name.as_deref().is_some_and(|n| n.eq_ignore_ascii_case(name)))
    }

    /// The chain of stages a stage inherits from inside this file, starting with the stage itself.
    pub fn lineage(&self, stage: usize) -> impl Iterator<Item = &Stage> {
        let mut seen = 0usize;
        std::iter::successors(self.stages.get(stage), move |s| {
            seen += 1;
            match s.base {
                // Bases are always earlier stages, so the chain ends; the counter is a belt against cycles.
                Base::Stage(parent) if parent < s.index && seen <= self.stages.len() => {
                    self.stages.get(parent)
                }
                _ => None,
            }
        })
    }

    /// Substitutes variables in a `FROM` line: only global ARGs are in scope there.
    pub fn expand_global(&self, text: &str) -> Expanded {
        expand(text, self.escape, |name| self.global_args.get(name))
    }

    /// Substitutes variables as the build sees them at instruction `at`: the stage's ENV (including ENV of
    /// stages it inherits from) and the ARGs declared in the stage before `at`.
    pub fn expand_at(&self, file: &Dockerfile, at: usize, text: &str) -> Expanded {
        if !text.contains('$') {
            return Expanded { text: text.to_string(), complete: true, via: Vec::new() };
        }
        let Some(stage) = self.stage_of(at) else { return self.expand_global(text) };
        let scope = self.scope_at(file, stage.index, at);
        expand(text, self.escape, |name| scope.get(name))
    }

    /// The variables visible at instruction `at` of `stage` (later definitions win).
    fn scope_at(&self, file: &Dockerfile, stage: usize, at: usize) -> HashMap<String, VarValue> {
        let lineage: Vec<&Stage> = self.lineage(stage).collect();
        let mut scope = HashMap::new();
        for (depth, s) in lineage.iter().enumerate().rev() {
            let own = depth == 0;
            let end = if own { at.min(s.body.end) } else { s.body.end };
            for inst in &file.instructions[s.body.start.min(end)..end] {
                match &inst.body {
                    Body::Env(pairs) => {
                        for kv in pairs {
                            let value = known(expand(&kv.value.text, self.escape, |n| scope.get(n)));
                            let var = VarValue { value, defined_at: kv.value.range };
                            scope.insert(kv.key.text.clone(), var);
                        }
                    }
                    // ARG values do not carry into stages built on this one, only ENV does.
                    Body::Arg(args) if own => {
                        for arg in args {
                            let var = match &arg.default {
                                Some(d) => VarValue {
                                    value: known(expand(&d.text, self.escape, |n| scope.get(n))),
                                    defined_at: d.range,
                                },
                                None => self
                                    .global_args
                                    .get(&arg.name.text)
                                    .cloned()
                                    .unwrap_or(VarValue { value: None, defined_at: arg.range }),
                            };
                            scope.insert(arg.name.text.clone(), var);
                        }
                    }
                    _ => {}
                }
            }
        }
        scope
    }

    fn base_of(&self, image: &DWord) -> Base {
        let expanded = self.expand_global(&image.text);
        if expanded.complete
            && let Some(stage) = self.stage_named(&expanded.text, self.stages.len())
            && !expanded.text.chars().all(|c| c.is_ascii_digit())
        {
            return Base::Stage(stage.index);
        }
        Base::Image { spec: image_spec(&expanded), via: expanded.via }
    }
}

/// The value of a substitution when every variable in it was known.
fn known(expanded: Expanded) -> Option<String> {
    expanded.complete.then_some(expanded.text)
}

/// Reads a substituted image reference: unresolved when a variable has no known value.
pub fn image_spec(expanded: &Expanded) -> ImageSpec {
    if !expanded.complete || expanded.text.is_empty() {
        return ImageSpec::Unresolved(expanded.text.clone());
    }
    ImageSpec::from_text(&expanded.text)
}

impl Instruction {
    /// The instruction run by this one: itself, or the instruction inside `ONBUILD`.
    pub fn effective(&self) -> &Instruction {
        match &self.body {
            Body::Onbuild(inner) => inner,
            _ => self,
        }
    }

    /// The flag named `name` (lower-case, without dashes).
    pub fn flag(&self, name: &str) -> Option<&crate::ast::Flag> {
        self.flags.iter().find(|f| f.name.value == name)
    }

    pub fn is(&self, keyword: Keyword) -> bool {
        self.keyword == keyword
    }
}
