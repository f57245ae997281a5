//! `plimsoll config show FILE` and `plimsoll config schema`.

use std::io::{self, Write};
use std::path::Path;

use plimsoll_diagnostic::{Format, RuleMeta};
use plimsoll_linter::{kind_from_content, kind_from_name};

use crate::args::{CheckArgs, ConfigCommand};
use crate::check;
use crate::exit::Exit;
use crate::notes;

pub fn run(command: ConfigCommand) -> Exit {
    let rules: Vec<&'static RuleMeta> = plimsoll_rules::all().iter().map(|rule| &rule.meta).collect();
    let text = match command {
        ConfigCommand::Schema => plimsoll_config::schema_json(&rules),
        ConfigCommand::Show(args) => match show(&args, &rules) {
            Ok(text) => text,
            Err(message) => {
                notes::error(message);
                return Exit::Error;
            }
        },
    };
    let mut stdout = io::stdout().lock();
    match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
        Err(err) if err.kind() != io::ErrorKind::BrokenPipe => {
            notes::error(format_args!("cannot write: {}", notes::io_message(&err)));
            Exit::Error
        }
        _ => Exit::Clean,
    }
}

fn show(args: &CheckArgs, rules: &[&'static RuleMeta]) -> Result<String, String> {
    let [file] = args.paths.as_slice() else {
        return Err("`config show` takes one FILE".to_string());
    };
    let (cli, configs) = check::configuration(args, rules)?;
    // The kind matters only for `.hadolint.yaml`, which serves Dockerfiles; a file that does not exist yet
    // is shown by its name.
    let path = Path::new(file);
    let format = configs
        .for_file(path, Format::Kubernetes)
        .files
        .kind_of(&plimsoll_config::absolute(path))
        .or_else(|| kind_from_name(path))
        .or_else(|| std::fs::read_to_string(path).ok().and_then(|text| kind_from_content(&text)))
        .unwrap_or(Format::Kubernetes);
    // A directory stands for the files directly in it.
    let config =
        if path.is_dir() { configs.for_directory(path, format) } else { configs.for_file(path, format) };
    let errors = configs.errors();
    if let Some(first) = errors.first() {
        return Err(first.to_string());
    }
    Ok(plimsoll_config::show(&crate::discover::display(path), &config, &cli, rules))
}
