//! `plimsoll server`: the language server. Editors send the text of open Dockerfiles, Compose files,
//! Kubernetes manifests and IAM policies as it is typed; the server lints each with the same engine and
//! configuration as `plimsoll check` and sends the findings back as diagnostics, with fixes and
//! ignore-comments as code actions and rule documentation on hover.
//!
//! The main loop ([`server`]) is synchronous and owns all state; lints run on a small thread pool
//! ([`jobs`]) and are dropped when a newer edit overtakes them.

mod actions;
mod convert;
mod documents;
mod engine;
mod hover;
mod jobs;
mod server;
mod settings;
mod transport;
mod uri;

pub use server::serve;

/// Serves one client on standard input and output. `Ok(true)` when the client shut the server down
/// properly (`shutdown`, then `exit`).
pub fn run_stdio() -> Result<bool, String> {
    let (connection, threads) =
        transport::stdio().map_err(|err| format!("cannot start the server: {err}"))?;
    let clean = serve(connection)?;
    threads.join().map_err(|err| format!("cannot write to the client: {err}"))?;
    Ok(clean)
}
