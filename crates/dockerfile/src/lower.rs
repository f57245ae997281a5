//! Lowering a Dockerfile to the format-neutral model: every image it uses, and the container its final
//! stage describes.

use plimsoll_diagnostic::Format;
use plimsoll_model::known_images::{KnownUser, default_user, mentions_windows};
use plimsoll_model::{
    Container, EnvVar, ImageRole, ImageSpec, ImageUse, Model, Port, Protocol, Runtime, Setting, User, UserRef,
};
use plimsoll_span::{Spanned, TextRange};

use crate::analysis::{Analysis, Base, Stage, image_spec};
use crate::ast::{Body, DWord, Dockerfile, Instruction};

pub fn lower(file: &Dockerfile, analysis: &Analysis) -> Model {
    Model {
        images: images(file, analysis),
        containers: analysis.final_stage().map(|s| container(file, analysis, s)).into_iter().collect(),
    }
}

fn images(file: &Dockerfile, analysis: &Analysis) -> Vec<ImageUse> {
    let mut out = Vec::new();
    for stage in &analysis.stages {
        let from = &file.instructions[stage.from];
        if let (Base::Image { spec, via }, Body::From(f)) = (&stage.base, &from.body) {
            out.push(image_use(ImageRole::Base, spec.clone(), &f.image, via.first().copied()));
        }
        for index in stage.body.clone() {
            let inst = file.instructions[index].effective();
            for source in build_sources(inst) {
                let expanded = analysis.expand_at(file, index, &source.text);
                if analysis.stage_named(&expanded.text, stage.index).is_some() {
                    continue;
                }
                let spec = image_spec(&expanded);
                out.push(image_use(ImageRole::BuildSource, spec, &source, expanded.via.first().copied()));
            }
        }
    }
    out
}

/// Images an instruction reads files from: `COPY --from=<x>` and `RUN --mount=…,from=<x>`. Stage names are
/// filtered out by the caller.
fn build_sources(inst: &Instruction) -> Vec<DWord> {
    let mut out = Vec::new();
    for flag in &inst.flags {
        match flag.name.value.as_str() {
            "from" => out.extend(flag.value.clone()),
            "mount" => {
                for option in flag.options() {
                    if option.key.value == "from"
                        && let Some(value) = option.value
                    {
                        out.push(DWord { text: value.value, range: value.range });
                    }
                }
            }
            _ => {}
        }
    }
    out
}

fn image_use(role: ImageRole, spec: ImageSpec, word: &DWord, via: Option<TextRange>) -> ImageUse {
    ImageUse { format: Format::Dockerfile, role, spec, written: word.text.clone(), range: word.range, via }
}

/// The container an image built up to `stage` describes (the final stage unless a build targets another).
pub fn container(file: &Dockerfile, analysis: &Analysis, stage: &Stage) -> Container {
    let from = &file.instructions[stage.from];
    let name = match &from.body {
        Body::From(f) => f.name.as_ref().map(|n| Spanned::new(n.text.clone(), n.range)),
        _ => None,
    };
    // The image the final stage ends up on, following `FROM <stage>` chains.
    let root = analysis.lineage(stage.index).last().unwrap_or(stage);
    let image = match (&root.base, &file.instructions[root.from].body) {
        (Base::Image { spec, via }, Body::From(f)) => {
            Some(image_use(ImageRole::Base, spec.clone(), &f.image, via.first().copied()))
        }
        _ => None,
    };
    let mut ports = Vec::new();
    let mut env = Vec::new();
    let mut user = None;
    // Walk from the root ancestor down to the final stage so later instructions win.
    let lineage: Vec<&Stage> = analysis.lineage(stage.index).collect();
    for s in lineage.iter().rev() {
        for index in s.body.clone() {
            let inst = &file.instructions[index];
            match &inst.body {
                Body::User(u) => user = Some((index, u)),
                Body::Expose(words) => ports.extend(
                    words.iter().map(|w| port(&analysis.expand_at(file, index, &w.text).text, w.range)),
                ),
                Body::Env(pairs) => env.extend(pairs.iter().map(|kv| EnvVar {
                    name: Spanned::new(kv.key.text.clone(), kv.key.range),
                    value: Some(Spanned::new(kv.value.text.clone(), kv.value.range)),
                })),
                _ => {}
            }
        }
    }
    let user = match user {
        Some((index, u)) => {
            let expand = |w: &DWord| analysis.expand_at(file, index, &w.text);
            let user_text = expand(&u.user);
            let parsed = User {
                user: if user_text.complete {
                    UserRef::parse(&user_text.text)
                } else {
                    UserRef::Unknown(u.user.text.clone())
                },
                group: u.group.as_ref().map(|g| {
                    let g_text = expand(g);
                    if g_text.complete {
                        UserRef::parse(&g_text.text)
                    } else {
                        UserRef::Unknown(g.text.clone())
                    }
                }),
            };
            let range = u.group.as_ref().map_or(u.user.range, |g| u.user.range.cover(g.range));
            Setting::Explicit(parsed, range)
        }
        None => base_user(image.as_ref(), from),
    };
    let anchor = anchor(from);
    let runtime = Runtime::unset(anchor);
    let windows = image.as_ref().is_some_and(ImageUse::is_windows);
    Container {
        format: Format::Dockerfile,
        name,
        anchor,
        image,
        user,
        ports,
        env,
        build_args: Vec::new(),
        windows,
        runtime,
        partial: false,
    }
}

/// What the base image says about its user when no `USER` is set.
fn base_user(image: Option<&ImageUse>, from: &Instruction) -> Setting<User> {
    let anchor = anchor(from);
    let Some(image) = image else { return Setting::Unset { anchor } };
    let known = match (&image.spec, image.image()) {
        (_, Some(reference)) => default_user(reference),
        (ImageSpec::Unresolved(text), None) if mentions_windows(text) => Some(KnownUser::Windows),
        _ => None,
    };
    match known {
        Some(KnownUser::NonRoot(name)) => {
            Setting::Inherited(User { user: UserRef::Name(name.to_string()), group: None }, image.range)
        }
        // Windows containers have no root user in the Linux sense; user rules do not apply.
        Some(KnownUser::Windows) => Setting::Inherited(
            User { user: UserRef::Unknown("Windows container user".into()), group: None },
            image.range,
        ),
        None => Setting::Unset { anchor },
    }
}

/// The first line of the `FROM` instruction: where findings about the whole image point.
fn anchor(from: &Instruction) -> TextRange {
    match &from.body {
        Body::From(f) => from.keyword_range.cover(f.name.as_ref().map_or(f.image.range, |n| n.range)),
        _ => from.keyword_range,
    }
}

/// Reads `80`, `80/tcp`, `8000-8010/udp`.
fn port(text: &str, range: TextRange) -> Port {
    let (number, protocol) = text.split_once('/').unwrap_or((text, "tcp"));
    let protocol = match protocol.to_ascii_lowercase().as_str() {
        "udp" => Protocol::Udp,
        "sctp" => Protocol::Sctp,
        _ => Protocol::Tcp,
    };
    let (start, end) = number.split_once('-').unwrap_or((number, number));
    Port { start: start.parse().ok(), end: end.parse().ok(), protocol, range, published: None }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_parse() {
        let r = TextRange::default();
        assert_eq!(port("22", r).start, Some(22));
        assert_eq!(port("53/udp", r).protocol, Protocol::Udp);
        let range = port("8000-8010/tcp", r);
        assert_eq!((range.start, range.end), (Some(8000), Some(8010)));
        assert_eq!(port("$PORT", r).start, None);
    }
}
