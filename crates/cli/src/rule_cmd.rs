//! `plimsoll rule ID`: one rule's metadata, its Markdown documentation and, last, the address of its page
//! (the one editors link a finding's code to), so a terminal can open it.

use std::io::{self, Write};

use plimsoll_diagnostic::RuleMeta;

use crate::args::RuleArgs;
use crate::exit::Exit;
use crate::notes;

pub fn run(args: &RuleArgs) -> Exit {
    let Some(rule) = plimsoll_rules::find(&args.id) else {
        notes::error(format_args!(
            "`{}` is not a rule code, name or peer id (`plimsoll rules` lists them)",
            args.id.trim()
        ));
        return Exit::Error;
    };
    let mut stdout = io::stdout().lock();
    match stdout.write_all(describe(&rule.meta).as_bytes()).and_then(|()| stdout.flush()) {
        Err(err) if err.kind() != io::ErrorKind::BrokenPipe => {
            notes::error(format_args!("cannot write the rule: {}", notes::io_message(&err)));
            Exit::Error
        }
        _ => Exit::Clean,
    }
}

fn describe(rule: &RuleMeta) -> String {
    let formats: Vec<&str> = rule.formats.iter().map(|format| format.display_name()).collect();
    let aliases = if rule.aliases.is_empty() { "none".to_string() } else { rule.aliases.join(", ") };
    let enabled = if rule.default_enabled { "yes" } else { "no (enable with --select or --extend-select)" };
    format!(
        "{code} {name}\n\
         \n\
         Family:     {family} ({description})\n\
         Severity:   {severity}\n\
         Enabled:    {enabled}\n\
         Formats:    {formats}\n\
         Aliases:    {aliases}\n\
         \n\
         {doc}\n\
         Documentation page: {url}\n",
        code = rule.code,
        name = rule.name,
        family = rule.family.prefix(),
        description = rule.family.description(),
        severity = rule.severity,
        formats = formats.join(", "),
        doc = rule.documentation(),
        url = rule.docs_url(),
    )
}
