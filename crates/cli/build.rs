//! Computes the build id: a hash of every source file the binary is built from, so the result cache
//! (`--cache-dir`) tells two builds apart when the version number does not change (a development build, a
//! patched checkout), while two builds of the same sources share entries (CI jobs that install the same
//! release, or build the same commit, reuse each other's cache).
//!
//! Why sources and not the executable: its modification time changes on every install, so a CI cache restored
//! into a fresh job would never hit; hashing the executable itself would cost every run a read of tens of
//! megabytes. The sources are hashed once, here, and only when one of them changes.

use std::path::{Path, PathBuf};
use std::{env, fs};

/// What goes into the binary, relative to the workspace root: the dependency versions and every crate. The
/// tests and fixtures inside the crates are hashed too: a change there makes a new build id for nothing,
/// which only costs one cold run.
const INPUTS: &[&str] = &["Cargo.lock", "Cargo.toml", "crates", "rules", "grammars"];

/// Directories that hold build output or tools, not sources.
const SKIPPED: &[&str] = &["target", "node_modules"];

fn main() {
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let root = manifest.join("../..");
    // Outside this workspace (a packaged crate), the crate's own files are all there is to hash.
    let inputs: Vec<PathBuf> = if root.join("Cargo.lock").is_file() && root.join("rules").is_dir() {
        INPUTS.iter().map(|input| root.join(input)).collect()
    } else {
        vec![manifest.clone()]
    };
    let mut hasher = blake3::Hasher::new();
    for input in &inputs {
        // A directory is scanned recursively by cargo for changes.
        println!("cargo::rerun-if-changed={}", input.display());
        let mut files = Vec::new();
        collect(input, &mut files);
        files.sort();
        for file in files {
            let relative = file.strip_prefix(&root).unwrap_or(&file);
            let bytes = fs::read(&file).unwrap_or_else(|err| panic!("{}: {err}", file.display()));
            // Length prefixes: no two different trees hash the same bytes.
            let name = relative.to_string_lossy();
            hasher.update(&(name.len() as u64).to_le_bytes());
            hasher.update(name.as_bytes());
            hasher.update(&(bytes.len() as u64).to_le_bytes());
            hasher.update(&bytes);
        }
    }
    let id = hasher.finalize().to_hex();
    println!("cargo::rustc-env=PLIMSOLL_BUILD_ID={}", &id[..32]);
}

/// The files under `path` (or `path` itself), skipping hidden entries and build output.
fn collect(path: &Path, files: &mut Vec<PathBuf>) {
    let Ok(meta) = fs::metadata(path) else { return };
    if meta.is_file() {
        files.push(path.to_path_buf());
        return;
    }
    let Ok(entries) = fs::read_dir(path) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') || SKIPPED.contains(&name.as_ref()) {
            continue;
        }
        collect(&entry.path(), files);
    }
}
