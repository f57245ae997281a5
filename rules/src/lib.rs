//! Every plimsoll rule. One file per rule under `src/<family>/` holds the declaration (code, name, family,
//! severity, formats, peer aliases), the documentation (the doc comment), the check and its tests; the
//! registry ([`all`]) is generated from the files by `build.rs`.
//!
//! Shared knowledge that several rules need (package managers, secret patterns, sensitive paths) lives in
//! [`support`].

pub mod support;

#[cfg(test)]
mod doc_examples;
#[cfg(test)]
mod testing;

include!(concat!(env!("OUT_DIR"), "/registry.rs"));

/// Every rule, sorted by code.
pub fn all() -> &'static [&'static plimsoll_linter::Rule] {
    ALL
}

/// Looks a rule up by code, name or peer alias.
pub fn find(id: &str) -> Option<&'static plimsoll_linter::Rule> {
    let id = id.trim();
    ALL.iter()
        .copied()
        .find(|r| r.meta.code.eq_ignore_ascii_case(id) || r.meta.name.eq_ignore_ascii_case(id))
        .or_else(|| ALL.iter().copied().find(|r| r.meta.is_named(id)))
}
