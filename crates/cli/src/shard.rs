//! `--shard K/N`: lint one deterministic share of the files, so N CI jobs (a GitHub Actions matrix,
//! Kubernetes Indexed Jobs) split a large tree between them and `plimsoll merge` joins their reports.
//!
//! A file belongs to shard `fnv1a(key) % N + 1`, where the key is its path relative to the working directory
//! with `/` separators. The hash is fixed (never the standard library's randomly seeded one), so every job
//! on every machine computes the same split, and a file's shard depends on its own path only: adding or
//! removing a file moves no other file.

use std::fmt;
use std::io::Write;
use std::path::{Component, Path};

use crate::discover::Target;
use crate::exit::Exit;
use crate::notes;

/// One share of a run: shard `index` of `count`, 1-based.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    index: u64,
    count: u64,
}

impl Shard {
    /// Parses `K/N` with `1 <= K <= N` (clap's value parser).
    pub fn parse(value: &str) -> Result<Shard, String> {
        let usage = || format!("`{value}` is not a shard: expected `K/N` with 1 <= K <= N, like `2/4`");
        let (index, count) = value.split_once('/').ok_or_else(usage)?;
        let number = |text: &str| text.trim().parse::<u64>().map_err(|_| usage());
        let (index, count) = (number(index)?, number(count)?);
        if count == 0 || index == 0 || index > count {
            return Err(usage());
        }
        Ok(Shard { index, count })
    }

    /// Whether the file shown as `path` belongs to this shard, `root` being the working directory.
    fn owns(&self, path: &str, root: Option<&Path>) -> bool {
        fnv1a(key(path, root).as_bytes()) % self.count + 1 == self.index
    }

    /// Keeps this shard's targets and says on standard error how many of the run's files that is, so a CI
    /// log shows which share each job linted.
    pub fn select(&self, targets: &mut Vec<Target>) {
        let total = targets.len();
        let root = std::env::current_dir().ok();
        targets.retain(|target| self.owns(&target.path, root.as_deref()));
        let files = if total == 1 { "file" } else { "files" };
        let _ = writeln!(std::io::stderr().lock(), "Shard {self}: {} of {total} {files}.", targets.len());
    }
}

/// `baseline create --shard`: a baseline written from one share of the files would drop the others'
/// accepted findings, which would all come back as new.
pub fn refuse_for_baseline() -> Exit {
    notes::error("`--shard` applies to `check` only: a baseline is written from the findings of every file");
    Exit::Error
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// The path a file is hashed by: relative to the working directory when it is an absolute path under it,
/// `/`-separated, without `.` components or repeated separators, so `./a//b`, `a/b` and `/repo/a/b` (run in
/// `/repo`) land in one shard on every operating system.
fn key(path: &str, root: Option<&Path>) -> String {
    let path = Path::new(path);
    let relative = root.and_then(|root| path.strip_prefix(root).ok()).filter(|_| path.is_absolute());
    let mut key = String::with_capacity(path.as_os_str().len());
    for component in relative.unwrap_or(path).components() {
        let part = match component {
            Component::CurDir => continue,
            Component::RootDir => {
                key.push('/');
                continue;
            }
            Component::Prefix(prefix) => prefix.as_os_str().to_string_lossy(),
            Component::ParentDir => "..".into(),
            Component::Normal(name) => name.to_string_lossy(),
        };
        if !key.is_empty() && !key.ends_with('/') {
            key.push('/');
        }
        key.push_str(&part);
    }
    key
}

/// 64-bit FNV-1a: tiny, fixed, and well spread over paths that share long prefixes.
fn fnv1a(bytes: &[u8]) -> u64 {
    const OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    bytes.iter().fold(OFFSET_BASIS, |hash, &byte| (hash ^ u64::from(byte)).wrapping_mul(PRIME))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_k_of_n_and_rejects_the_rest() {
        assert_eq!(Shard::parse("2/4"), Ok(Shard { index: 2, count: 4 }));
        assert_eq!(Shard::parse("1/1"), Ok(Shard { index: 1, count: 1 }));
        for bad in ["0/4", "5/4", "1/0", "2", "a/b", "-1/4", "1/4/2", ""] {
            let message = Shard::parse(bad).unwrap_err();
            assert!(message.contains("expected `K/N` with 1 <= K <= N"), "{bad}: {message}");
        }
    }

    #[test]
    fn fnv1a_matches_the_reference_vectors() {
        // From the FNV reference test suite (draft-eastlake-fnv).
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn keys_are_relative_slash_separated_and_normalised() {
        let root = Path::new("/repo");
        assert_eq!(key("./a//b/./Dockerfile", Some(root)), "a/b/Dockerfile");
        assert_eq!(key("/repo/a/Dockerfile", Some(root)), "a/Dockerfile");
        assert_eq!(key("/elsewhere/Dockerfile", Some(root)), "/elsewhere/Dockerfile");
        assert_eq!(key("../x/compose.yaml", Some(root)), "../x/compose.yaml");
        // A relative path that happens to start like the root is not made relative twice.
        assert_eq!(key("repo/Dockerfile", Some(Path::new("repo"))), "repo/Dockerfile");
    }

    #[test]
    fn every_path_is_in_exactly_one_shard_and_the_split_is_even() {
        let paths: Vec<String> = (0..4000).map(|i| format!("services/s{i}/Dockerfile")).collect();
        for count in [1, 2, 3, 7] {
            let shards: Vec<Shard> = (1..=count).map(|index| Shard { index, count }).collect();
            let mut sizes = vec![0usize; count as usize];
            for path in &paths {
                let owners: Vec<usize> = (0..shards.len()).filter(|&i| shards[i].owns(path, None)).collect();
                assert_eq!(owners.len(), 1, "{path} in shards {owners:?} of {count}");
                sizes[owners[0]] += 1;
            }
            let fair = paths.len() / count as usize;
            assert!(sizes.iter().all(|&size| size.abs_diff(fair) < fair / 5 + 1), "{count}: {sizes:?}");
        }
    }
}
