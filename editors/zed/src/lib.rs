//! Zed extension that starts `plimsoll server` for Dockerfile, YAML and JSON buffers.
//!
//! Zed has no built-in way to run a language server from PATH, so the extension says which command to run.
//! It downloads nothing: plimsoll is a single binary the user already has (`cargo install`, a release,
//! a package manager). The binary comes from the `lsp.plimsoll.binary` settings when given, else from the
//! worktree's PATH as the user's login shell sees it.

use zed_extension_api::{self as zed, LanguageServerId, Result, serde_json::Value, settings::LspSettings};

/// The section the server asks for in `workspace/configuration`.
const SETTINGS_SECTION: &str = "plimsoll";

struct PlimsollExtension;

impl PlimsollExtension {
    fn lsp_settings(server_id: &LanguageServerId, worktree: &zed::Worktree) -> LspSettings {
        // A settings file that does not parse should not stop the server from starting with defaults:
        // Zed reports the broken settings file on its own.
        LspSettings::for_worktree(server_id.as_ref(), worktree).unwrap_or_default()
    }
}

impl zed::Extension for PlimsollExtension {
    fn new() -> Self {
        Self
    }

    fn language_server_command(
        &mut self,
        server_id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<zed::Command> {
        let binary = Self::lsp_settings(server_id, worktree).binary;
        let configured_path = binary.as_ref().and_then(|binary| binary.path.clone());
        let command = configured_path.or_else(|| worktree.which("plimsoll")).ok_or_else(|| {
            "plimsoll was not found on PATH: install it, or set `lsp.plimsoll.binary.path` in Zed's \
             settings"
                .to_string()
        })?;
        let args = binary
            .as_ref()
            .and_then(|binary| binary.arguments.clone())
            .unwrap_or_else(|| vec!["server".to_string()]);
        let mut env = worktree.shell_env();
        if let Some(extra) = binary.and_then(|binary| binary.env) {
            // Settings override the shell's value of a variable rather than adding a second one.
            env.retain(|(name, _)| !extra.contains_key(name));
            env.extend(extra);
        }
        Ok(zed::Command { command, args, env })
    }

    /// `lsp.plimsoll.initialization_options` when set, else the same object as `lsp.plimsoll.settings`:
    /// users write their settings once and the server has them before it lints the first buffer.
    fn language_server_initialization_options(
        &mut self,
        server_id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<Option<Value>> {
        let settings = Self::lsp_settings(server_id, worktree);
        Ok(settings.initialization_options.or(settings.settings))
    }

    /// Zed answers `workspace/configuration` by looking the requested section up in this object, so the
    /// user's `lsp.plimsoll.settings` is returned under the `plimsoll` key.
    fn language_server_workspace_configuration(
        &mut self,
        server_id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<Option<Value>> {
        let settings = Self::lsp_settings(server_id, worktree).settings;
        Ok(settings.map(|settings| zed::serde_json::json!({ SETTINGS_SECTION: settings })))
    }
}

zed::register_extension!(PlimsollExtension);
