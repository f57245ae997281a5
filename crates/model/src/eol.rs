//! End-of-life container base images: a bundled, hand-curated table of product release cycles with the
//! date their upstream support ends, and [`lookup`], which places an image reference (`python:2.7-slim`,
//! `debian:stretch`, `node:20-bullseye`) on a row of it. Whether a row is end-of-life is decided by
//! [`is_eol`] against the lint date, never by the table itself.
//!
//! # What the table holds
//!
//! Every cycle whose end-of-life date is known: the ones that had already ended on [`COMPILED`], the date the
//! table was compiled, and the supported ones whose end the project has already published (`node:22` ends
//! 2027-04-30, `debian:bookworm` 2028-06-30). A row is therefore not a verdict: `node:22` has a row but is
//! not end-of-life on the compile date, and a binary built from this table starts reporting it on
//! 2027-04-30 without anyone editing the table. Cycles whose end date is not yet known (a Go release ends when
//! the second release after it ships, on a date not yet fixed) are left out and never reported.
//!
//! Dates are the end of free, public upstream support: Debian LTS (not the earlier end of security-team
//! support, not the commercial ELTS), Ubuntu end of standard support (not ESM), RHEL end of maintenance
//! support, and so on; each product's comment says which, and the scheduled rows follow the same convention
//! as the ended ones of their product. Where the upstream page gives only a month, the row uses the month's
//! last day (never flags early). Scheduled dates are as published on the compile date; a project may still
//! move them (Fedora's follow its release schedule). The source of every row is the product's lifecycle
//! page, in [`EolEntry::source`].
//!
//! # How images are matched
//!
//! The product is recognised from the repository, never from the name alone: Docker Official Images
//! (`python`, `docker.io/library/python`) and their well-known mirrors (`public.ecr.aws/docker/library/…`,
//! `mirror.gcr.io/library/…`), plus the vendors' own registries listed below. `myregistry.io/python:2.7`
//! is someone's private image and does not match.
//!
//! The version is the tag's first `-`-separated token (`3.8.18` in `3.8.18-alpine3.18`), compared
//! component-wise: a row for `3.1` matches `3.1` and `3.1.4`, never `3.10`. A few rows also take a bare
//! major that the image publishes as an alias of the last minor of a finished series (`python:2` is 2.7,
//! `postgres:9` is 9.6, `mysql:8` is 8.4); a major that still gets new minors (`python:3`) is not matched.
//!
//! The remaining tag tokens are checked for a distribution variant, so `python:3.12-buster` and
//! `node:22-stretch` also match the Debian rows (the image is built on that OS); `-alpine3.12` and Ubuntu
//! codenames (`-focal`) are recognised the same way. This applies to the Docker Official Images and
//! Microsoft's .NET images, whose tag conventions are known. When both the runtime's row and a distribution
//! row match, [`lookup`] returns the one that ends first: the image stops receiving fixes as soon as either
//! part does. `python:3.12-bookworm` is therefore Debian 12 (2028-06-30), not Python 3.12 (2028-10-31), and
//! `python:3.9-bookworm` is Python 3.9 (2025-10-31). On a tie the runtime's row wins.
//!
//! Images without a tag, tagged `latest`, or pinned by digest only do not match: their version is unknown.
//! The exceptions are repositories that are EOL in every form: Docker Hub `centos` (CentOS Linux only; an
//! unplaceable tag, `latest` or a digest is reported as CentOS Linux 8, the last release) and Red Hat's
//! `ubi7`/`rhel7` repositories. Red Hat's `ubi8`–`ubi10`/`rhel8`–`rhel10` repositories match their RHEL
//! release the same way, whatever the tag. The deprecated Docker Hub `openjdk` image matches every tag
//! except the early-access (`-ea`) builds, which are the only ones still updated.

use crate::{Date, ImageRef};

/// The date this table was compiled: rows ending on or before it had ended by then, rows ending after it carry
/// the end date their project had scheduled by then.
pub const COMPILED: &str = "2026-11-28";
/// [`COMPILED`] as a [`Date`].
pub const COMPILED_DATE: Date = d(2026, 11, 28);

/// One end-of-life release cycle of a product.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EolEntry {
    /// The product, as its vendor names it (`Python`, `Debian`, `.NET`).
    pub product: &'static str,
    /// The release cycle (`2.7`, `10 (buster)`, `18.04 (bionic)`).
    pub cycle: &'static str,
    /// The end of upstream support.
    pub eol: Date,
    /// What to move to.
    pub successor: &'static str,
    /// The product's lifecycle page.
    pub source: &'static str,
}

/// Whether `entry` applies to `image` through the distribution its tag names (`python:3.12-buster` is
/// Debian 10, `node:22-alpine3.19` is Alpine 3.19) rather than through the image's own product.
pub fn through_distribution_tag(image: &ImageRef, entry: &EolEntry) -> bool {
    let distribution_row = [DEBIAN_P, UBUNTU_P, ALPINE_P].iter().any(|p| p.name == entry.product);
    distribution_row && !matches!(official_name(image), Some("debian" | "ubuntu" | "alpine"))
}

/// Whether `entry` is end-of-life on `today` (support ends on the `eol` date itself).
pub fn is_eol(entry: &EolEntry, today: Date) -> bool {
    today >= entry.eol
}

/// Every row of the table.
pub fn entries() -> impl Iterator<Item = &'static EolEntry> {
    PRODUCTS.iter().flat_map(|rows| rows.iter().map(|row| &row.entry))
}

/// The row an image reference falls on, if any: the cycle whose support ends first among the runtime's own
/// and the distribution variant's (see the module docs). Date-independent, and a row is not a verdict:
/// whether the image is end-of-life is [`is_eol`] with the lint date.
pub fn lookup(image: &ImageRef) -> Option<&'static EolEntry> {
    if let Some(name) = official_name(image) {
        return lookup_official(name, image.tag.as_deref());
    }
    let registry = image.registry().to_ascii_lowercase();
    let path = image.path.as_str();
    let tag = image.tag.as_deref();
    match (registry.as_str(), path) {
        ("mcr.microsoft.com", _) if is_dotnet_repository(path) => {
            let tag = tag?;
            earliest(versioned(DOTNET, tag), distro_variant(tag))
        }
        ("registry.access.redhat.com" | "registry.redhat.io", _) => versioned(RHEL, rhel_release(path)?),
        ("registry.fedoraproject.org", "fedora") | ("quay.io", "fedora/fedora") => versioned(FEDORA, tag?),
        ("public.ecr.aws", "amazonlinux/amazonlinux") => versioned(AMAZON_LINUX, tag?),
        ("docker.io" | "registry.opensuse.org", "opensuse/leap") => versioned(OPENSUSE_LEAP, tag?),
        // CentOS's own registry also hosts Stream 9 (supported) under `latest`, so only tags are matched.
        ("quay.io", "centos/centos") => versioned(CENTOS, tag?),
        _ => None,
    }
}

/// The Docker Official Image name (`python`) of `docker.io/library/python` or one of its mirrors.
fn official_name(image: &ImageRef) -> Option<&str> {
    let registry = image.registry();
    let path = image.path.as_str();
    let rest = if image.is_docker_hub() {
        match path.strip_prefix("library/") {
            Some(rest) => rest,
            None => path,
        }
    } else if registry.eq_ignore_ascii_case("public.ecr.aws") {
        path.strip_prefix("docker/library/")?
    } else if registry.eq_ignore_ascii_case("mirror.gcr.io") {
        path.strip_prefix("library/")?
    } else {
        return None;
    };
    (!rest.contains('/')).then_some(rest)
}

fn lookup_official(name: &str, tag: Option<&str>) -> Option<&'static EolEntry> {
    let rows = match name {
        "centos" => return centos_hub(tag),
        "openjdk" => return openjdk(tag?),
        "python" => PYTHON,
        "node" => NODE,
        "golang" => GOLANG,
        "ruby" => RUBY,
        "php" => PHP,
        "postgres" => POSTGRES,
        "mysql" => MYSQL,
        "mariadb" => MARIADB,
        "mongo" => MONGO,
        "debian" => DEBIAN,
        "ubuntu" => UBUNTU,
        "alpine" => ALPINE,
        "fedora" => FEDORA,
        "amazonlinux" => AMAZON_LINUX,
        _ => &[],
    };
    let tag = tag?;
    earliest(versioned(rows, tag), distro_variant(tag))
}

/// Of the runtime's row and the distribution variant's, the one whose support ends first; the runtime's on a
/// tie.
fn earliest(
    runtime: Option<&'static EolEntry>,
    distro: Option<&'static EolEntry>,
) -> Option<&'static EolEntry> {
    match (runtime, distro) {
        (Some(runtime), Some(distro)) => Some(if distro.eol < runtime.eol { distro } else { runtime }),
        (runtime, distro) => runtime.or(distro),
    }
}

/// Docker Hub `centos` only ever published CentOS Linux (5–8), all EOL.
fn centos_hub(tag: Option<&str>) -> Option<&'static EolEntry> {
    if let Some(tag) = tag {
        if let Some(entry) = versioned(CENTOS, tag) {
            return Some(entry);
        }
        // Not CentOS Linux: leave Stream tags we do not list alone.
        if tag.starts_with("stream") {
            return None;
        }
    }
    CENTOS.iter().find(|row| row.entry.cycle == CENTOS_LAST_LINUX).map(|row| &row.entry)
}

/// Every tag of the deprecated `openjdk` image except the early-access builds.
fn openjdk(tag: &str) -> Option<&'static EolEntry> {
    if tag == "latest" || tag.split('-').any(|token| token.eq_ignore_ascii_case("ea")) {
        return None;
    }
    OPENJDK.first().map(|row| &row.entry)
}

fn is_dotnet_repository(path: &str) -> bool {
    let Some(rest) = path.strip_prefix("dotnet/") else { return false };
    let rest = rest.strip_prefix("core/").unwrap_or(rest);
    matches!(rest, "sdk" | "aspnet" | "runtime" | "runtime-deps")
}

/// The RHEL major release of a Red Hat repository (`ubi8/ubi`, `ubi9-minimal`, `rhel7-atomic`): the digits
/// after `ubi`/`rhel` in its first path segment, up to a `-`. `ubi70` gives `70`, which no row matches.
fn rhel_release(path: &str) -> Option<&str> {
    let first = path.split('/').next().unwrap_or(path);
    let rest = first.strip_prefix("ubi").or_else(|| first.strip_prefix("rhel"))?;
    let release = rest.split('-').next().unwrap_or(rest);
    (!release.is_empty() && release.bytes().all(|b| b.is_ascii_digit())).then_some(release)
}

/// The row whose version pattern matches the tag's first token best.
fn versioned(rows: &'static [Row], tag: &str) -> Option<&'static EolEntry> {
    let version = tag.split('-').next().unwrap_or(tag);
    best_match(rows, version)
}

/// A distribution named by a later tag token (`-buster`, `-slim-stretch`, `-alpine3.12`, `-focal`); of
/// several, the one that ends first.
fn distro_variant(tag: &str) -> Option<&'static EolEntry> {
    tag.split('-')
        .skip(1)
        .filter_map(|token| {
            if let Some(version) = token.strip_prefix("alpine") {
                return if version.is_empty() { None } else { best_match(ALPINE, version) };
            }
            [DEBIAN, UBUNTU].into_iter().find_map(|rows| {
                rows.iter()
                    .find(|row| row.patterns.iter().any(|p| is_codename(p) && *p == token))
                    .map(|row| &row.entry)
            })
        })
        .min_by_key(|entry| entry.eol)
}

fn is_codename(pattern: &str) -> bool {
    pattern.bytes().all(|b| b.is_ascii_lowercase())
}

fn best_match(rows: &'static [Row], version: &str) -> Option<&'static EolEntry> {
    rows.iter()
        .filter_map(|row| row.patterns.iter().filter_map(|p| score(p, version)).max().map(|s| (s, row)))
        .max_by_key(|(s, _)| *s)
        .map(|(_, row)| &row.entry)
}

/// How well `pattern` matches `version`: `=X` matches `X` only; otherwise the pattern's dot-separated
/// components must be a prefix of the version's (`3.8` matches `3.8` and `3.8.18`, not `3.80` or `3`). More
/// specific patterns score higher.
fn score(pattern: &str, version: &str) -> Option<usize> {
    if let Some(exact) = pattern.strip_prefix('=') {
        return (exact == version).then_some(usize::MAX);
    }
    let mut wanted = pattern.split('.');
    let mut given = version.split('.');
    let mut matched = 0;
    for want in wanted.by_ref() {
        if given.next() != Some(want) {
            return None;
        }
        matched += 1;
    }
    Some(matched)
}

/// A table row: the tag versions that select it and the entry it reports.
struct Row {
    patterns: &'static [&'static str],
    entry: EolEntry,
}

/// What every row of a product shares.
#[derive(Clone, Copy)]
struct Product {
    name: &'static str,
    successor: &'static str,
    source: &'static str,
}

impl Product {
    /// The product with another successor, for a row whose end the product's usual advice outlives.
    const fn then(self, successor: &'static str) -> Product {
        Product { successor, ..self }
    }
}

const fn d(year: i32, month: u8, day: u8) -> Date {
    Date { year, month, day }
}

const fn row(product: Product, patterns: &'static [&'static str], cycle: &'static str, eol: Date) -> Row {
    Row {
        patterns,
        entry: EolEntry {
            product: product.name,
            cycle,
            eol,
            successor: product.successor,
            source: product.source,
        },
    }
}

static PRODUCTS: &[&[Row]] = &[
    DEBIAN,
    UBUNTU,
    ALPINE,
    CENTOS,
    RHEL,
    FEDORA,
    AMAZON_LINUX,
    OPENSUSE_LEAP,
    PYTHON,
    NODE,
    GOLANG,
    OPENJDK,
    RUBY,
    PHP,
    POSTGRES,
    MYSQL,
    MARIADB,
    MONGO,
    DOTNET,
];

// ---------------------------------------------------------------------------------------------------------
// Operating systems
// ---------------------------------------------------------------------------------------------------------

// Debian: end of Debian LTS (https://wiki.debian.org/LTS), i.e. five years of free security support. The
// regular security-team support ends about two years earlier; Freexian's commercial ELTS is not counted.
// Bookworm (12) and trixie (13) use their scheduled LTS ends, 2028-06-30 and 2030-06-30, the same convention
// as the ended releases.
const DEBIAN_P: Product = Product {
    name: "Debian",
    successor: "debian:trixie (13) or debian:bookworm (12)",
    source: "https://wiki.debian.org/LTS",
};
static DEBIAN: &[Row] = &[
    row(DEBIAN_P, &["6", "squeeze"], "6 (squeeze)", d(2016, 2, 29)),
    row(DEBIAN_P, &["7", "wheezy"], "7 (wheezy)", d(2018, 5, 31)),
    row(DEBIAN_P, &["8", "jessie"], "8 (jessie)", d(2020, 6, 30)),
    row(DEBIAN_P, &["9", "stretch"], "9 (stretch)", d(2022, 6, 30)),
    row(DEBIAN_P, &["10", "buster"], "10 (buster)", d(2024, 6, 30)),
    row(DEBIAN_P, &["11", "bullseye"], "11 (bullseye)", d(2026, 8, 31)),
    row(DEBIAN_P.then("debian:trixie (13)"), &["12", "bookworm"], "12 (bookworm)", d(2028, 6, 30)),
    row(DEBIAN_P.then("a newer Debian release"), &["13", "trixie"], "13 (trixie)", d(2030, 6, 30)),
];

// Ubuntu: end of standard support (https://wiki.ubuntu.com/Releases): five years for LTS releases, nine
// months for interim ones. Expanded Security Maintenance (Ubuntu Pro) is not counted. The 14.04 and 16.04
// pages give only "April 2019"/"April 2021", and 25.04/25.10 "January 2026"/"July 2026": those rows use the
// month's last day. 22.04 and 24.04 use the months Canonical's release-cycle page gives for the end of
// standard support, May 2027 and May 2029 (earlier pages said April; 20.04's end likewise moved from April
// to May 2025). 26.04 (resolute) is not listed: sources disagree on the month its standard support ends
// (April or May 2031). 26.10 is not listed either.
const UBUNTU_P: Product = Product {
    name: "Ubuntu",
    successor: "ubuntu:24.04 (noble) or ubuntu:22.04 (jammy)",
    source: "https://wiki.ubuntu.com/Releases",
};
static UBUNTU: &[Row] = &[
    row(UBUNTU_P, &["12.04", "precise"], "12.04 LTS (precise)", d(2017, 4, 28)),
    row(UBUNTU_P, &["12.10", "quantal"], "12.10 (quantal)", d(2014, 5, 16)),
    row(UBUNTU_P, &["13.04", "raring"], "13.04 (raring)", d(2014, 1, 27)),
    row(UBUNTU_P, &["13.10", "saucy"], "13.10 (saucy)", d(2014, 7, 17)),
    row(UBUNTU_P, &["14.04", "trusty"], "14.04 LTS (trusty)", d(2019, 4, 30)),
    row(UBUNTU_P, &["14.10", "utopic"], "14.10 (utopic)", d(2015, 7, 23)),
    row(UBUNTU_P, &["15.04", "vivid"], "15.04 (vivid)", d(2016, 2, 4)),
    row(UBUNTU_P, &["15.10", "wily"], "15.10 (wily)", d(2016, 7, 28)),
    row(UBUNTU_P, &["16.04", "xenial"], "16.04 LTS (xenial)", d(2021, 4, 30)),
    row(UBUNTU_P, &["16.10", "yakkety"], "16.10 (yakkety)", d(2017, 7, 20)),
    row(UBUNTU_P, &["17.04", "zesty"], "17.04 (zesty)", d(2018, 1, 13)),
    row(UBUNTU_P, &["17.10", "artful"], "17.10 (artful)", d(2018, 7, 19)),
    row(UBUNTU_P, &["18.04", "bionic"], "18.04 LTS (bionic)", d(2023, 5, 31)),
    row(UBUNTU_P, &["18.10", "cosmic"], "18.10 (cosmic)", d(2019, 7, 18)),
    row(UBUNTU_P, &["19.04", "disco"], "19.04 (disco)", d(2020, 1, 23)),
    row(UBUNTU_P, &["19.10", "eoan"], "19.10 (eoan)", d(2020, 7, 17)),
    row(UBUNTU_P, &["20.04", "focal"], "20.04 LTS (focal)", d(2025, 5, 31)),
    row(UBUNTU_P, &["20.10", "groovy"], "20.10 (groovy)", d(2021, 7, 22)),
    row(UBUNTU_P, &["21.04", "hirsute"], "21.04 (hirsute)", d(2022, 1, 20)),
    row(UBUNTU_P, &["21.10", "impish"], "21.10 (impish)", d(2022, 7, 14)),
    row(UBUNTU_P, &["22.10", "kinetic"], "22.10 (kinetic)", d(2023, 7, 20)),
    row(UBUNTU_P, &["23.04", "lunar"], "23.04 (lunar)", d(2024, 1, 25)),
    row(UBUNTU_P, &["23.10", "mantic"], "23.10 (mantic)", d(2024, 7, 12)),
    row(UBUNTU_P, &["24.10", "oracular"], "24.10 (oracular)", d(2025, 7, 10)),
    row(UBUNTU_P, &["25.04", "plucky"], "25.04 (plucky)", d(2026, 1, 31)),
    row(UBUNTU_P, &["25.10", "questing"], "25.10 (questing)", d(2026, 7, 31)),
    row(
        UBUNTU_P.then("ubuntu:24.04 or a newer LTS"),
        &["22.04", "jammy"],
        "22.04 LTS (jammy)",
        d(2027, 5, 31),
    ),
    row(
        UBUNTU_P.then("ubuntu:26.04 or a newer LTS"),
        &["24.04", "noble"],
        "24.04 LTS (noble)",
        d(2029, 5, 31),
    ),
];

// Alpine Linux: "End of support" column of https://alpinelinux.org/releases/ (main repository, two years
// per branch). 3.20 ended 2026-04-01 and 3.21 on 2026-11-01; 3.22 and 3.23 use the end of support the page
// gives. 3.24 is not listed (its date was not confirmed when the table was compiled).
const ALPINE_P: Product = Product {
    name: "Alpine Linux",
    successor: "a supported branch (alpine:3.22 or newer)",
    source: "https://alpinelinux.org/releases/",
};
static ALPINE: &[Row] = &[
    row(ALPINE_P, &["3.0"], "3.0", d(2016, 5, 1)),
    row(ALPINE_P, &["3.1"], "3.1", d(2016, 11, 1)),
    row(ALPINE_P, &["3.2"], "3.2", d(2017, 5, 1)),
    row(ALPINE_P, &["3.3"], "3.3", d(2017, 11, 1)),
    row(ALPINE_P, &["3.4"], "3.4", d(2018, 5, 1)),
    row(ALPINE_P, &["3.5"], "3.5", d(2018, 11, 1)),
    row(ALPINE_P, &["3.6"], "3.6", d(2019, 5, 1)),
    row(ALPINE_P, &["3.7"], "3.7", d(2019, 11, 1)),
    row(ALPINE_P, &["3.8"], "3.8", d(2020, 5, 1)),
    row(ALPINE_P, &["3.9"], "3.9", d(2020, 11, 1)),
    row(ALPINE_P, &["3.10"], "3.10", d(2021, 5, 1)),
    row(ALPINE_P, &["3.11"], "3.11", d(2021, 11, 1)),
    row(ALPINE_P, &["3.12"], "3.12", d(2022, 5, 1)),
    row(ALPINE_P, &["3.13"], "3.13", d(2022, 11, 1)),
    row(ALPINE_P, &["3.14"], "3.14", d(2023, 5, 1)),
    row(ALPINE_P, &["3.15"], "3.15", d(2023, 11, 1)),
    row(ALPINE_P, &["3.16"], "3.16", d(2024, 5, 23)),
    row(ALPINE_P, &["3.17"], "3.17", d(2024, 11, 22)),
    row(ALPINE_P, &["3.18"], "3.18", d(2025, 5, 9)),
    row(ALPINE_P, &["3.19"], "3.19", d(2025, 11, 1)),
    row(ALPINE_P, &["3.20"], "3.20", d(2026, 4, 1)),
    row(ALPINE_P, &["3.21"], "3.21", d(2026, 11, 1)),
    row(ALPINE_P.then("alpine:3.23 or newer"), &["3.22"], "3.22", d(2027, 5, 1)),
    row(ALPINE_P.then("a newer supported branch"), &["3.23"], "3.23", d(2027, 11, 1)),
];

// CentOS: CentOS Linux 5–8 (https://www.centos.org/centos-linux-eol/) and CentOS Stream 8–10. Streams end
// when the RHEL release they precede leaves full support: the project gives 2027-05-31 for Stream 9 and
// 2030-01-01 for Stream 10 (https://www.centos.org/centos-stream/). Docker Hub's `centos` image is
// deprecated and only ever shipped CentOS Linux; its `latest` was CentOS Linux 8.
const CENTOS_P: Product = Product {
    name: "CentOS",
    successor: "quay.io/centos/centos:stream9, rockylinux, almalinux or a Red Hat UBI 9 image",
    source: "https://www.centos.org/centos-linux-eol/",
};
const CENTOS_STREAM_P: Product = Product {
    source: "https://blog.centos.org/2023/04/end-dates-are-coming-for-centos-stream-8-and-centos-linux-7/",
    ..CENTOS_P
};
const CENTOS_STREAM_NEXT_P: Product = Product {
    source: "https://www.centos.org/centos-stream/",
    ..CENTOS_P.then("quay.io/centos/centos:stream10, rockylinux, almalinux or a Red Hat UBI image")
};
const CENTOS_LAST_LINUX: &str = "Linux 8";
static CENTOS: &[Row] = &[
    row(CENTOS_P, &["5", "centos5"], "Linux 5", d(2017, 3, 31)),
    row(CENTOS_P, &["6", "centos6"], "Linux 6", d(2020, 11, 30)),
    row(CENTOS_P, &["7", "centos7"], "Linux 7", d(2024, 6, 30)),
    row(CENTOS_P, &["8", "centos8"], CENTOS_LAST_LINUX, d(2021, 12, 31)),
    row(CENTOS_STREAM_P, &["stream8"], "Stream 8", d(2024, 5, 31)),
    row(CENTOS_STREAM_NEXT_P, &["stream9"], "Stream 9", d(2027, 5, 31)),
    row(
        CENTOS_STREAM_NEXT_P.then("a newer CentOS Stream, rockylinux, almalinux or a Red Hat UBI image"),
        &["stream10"],
        "Stream 10",
        d(2030, 1, 1),
    ),
];

// Red Hat Enterprise Linux / UBI: end of Maintenance Support (Maintenance Support 2 for RHEL 7;
// https://access.redhat.com/support/policy/updates/errata); Extended Life-cycle Support is a paid add-on.
// RHEL 8, 9 and 10 use their scheduled ends, ten years after release. Matched on Red Hat's registries for
// any `ubiN…`/`rhelN…` repository, whatever the tag.
const RHEL_P: Product = Product {
    name: "Red Hat Enterprise Linux (UBI)",
    successor: "registry.access.redhat.com/ubi9/ubi (or ubi8)",
    source: "https://access.redhat.com/support/policy/updates/errata",
};
static RHEL: &[Row] = &[
    row(RHEL_P, &["7"], "7 (UBI 7)", d(2024, 6, 30)),
    row(RHEL_P.then("registry.access.redhat.com/ubi10/ubi (or ubi9)"), &["8"], "8 (UBI 8)", d(2029, 5, 31)),
    row(RHEL_P.then("registry.access.redhat.com/ubi10/ubi"), &["9"], "9 (UBI 9)", d(2032, 5, 31)),
    row(RHEL_P.then("a newer Red Hat UBI release"), &["10"], "10 (UBI 10)", d(2035, 5, 31)),
];

// Fedora: https://docs.fedoraproject.org/en-US/releases/eol/ (a release is supported until four weeks after
// release N+2). 41 and 42 use the scheduled dates; the exact day may have moved, the month did not. 43 and
// 44 use the end of life in their release schedules (https://fedorapeople.org/groups/schedule/), which moves
// if release N+2 slips; 45 is not listed (its date was not confirmed when the table was compiled). Images
// before Fedora 20 are not listed.
const FEDORA_P: Product = Product {
    name: "Fedora Linux",
    successor: "a supported Fedora release (fedora:latest)",
    source: "https://docs.fedoraproject.org/en-US/releases/eol/",
};
static FEDORA: &[Row] = &[
    row(FEDORA_P, &["20"], "20", d(2015, 6, 23)),
    row(FEDORA_P, &["21"], "21", d(2015, 12, 1)),
    row(FEDORA_P, &["22"], "22", d(2016, 7, 19)),
    row(FEDORA_P, &["23"], "23", d(2016, 12, 20)),
    row(FEDORA_P, &["24"], "24", d(2017, 8, 8)),
    row(FEDORA_P, &["25"], "25", d(2017, 12, 12)),
    row(FEDORA_P, &["26"], "26", d(2018, 5, 29)),
    row(FEDORA_P, &["27"], "27", d(2018, 11, 30)),
    row(FEDORA_P, &["28"], "28", d(2019, 5, 28)),
    row(FEDORA_P, &["29"], "29", d(2019, 11, 26)),
    row(FEDORA_P, &["30"], "30", d(2020, 5, 26)),
    row(FEDORA_P, &["31"], "31", d(2020, 11, 24)),
    row(FEDORA_P, &["32"], "32", d(2021, 5, 25)),
    row(FEDORA_P, &["33"], "33", d(2021, 11, 30)),
    row(FEDORA_P, &["34"], "34", d(2022, 6, 7)),
    row(FEDORA_P, &["35"], "35", d(2022, 12, 13)),
    row(FEDORA_P, &["36"], "36", d(2023, 5, 16)),
    row(FEDORA_P, &["37"], "37", d(2023, 12, 5)),
    row(FEDORA_P, &["38"], "38", d(2024, 5, 21)),
    row(FEDORA_P, &["39"], "39", d(2024, 11, 26)),
    row(FEDORA_P, &["40"], "40", d(2025, 5, 13)),
    row(FEDORA_P, &["41"], "41", d(2025, 12, 15)),
    row(FEDORA_P, &["42"], "42", d(2026, 5, 13)),
    row(FEDORA_P, &["43"], "43", d(2026, 12, 9)),
    row(FEDORA_P, &["44"], "44", d(2027, 6, 2)),
];

// Amazon Linux: the Amazon Linux AMI (AL1, `amazonlinux:1`/`2018.03`) ended 2023-12-31
// (https://aws.amazon.com/amazon-linux-ami/faqs/); Amazon Linux 2 ended 2026-06-30 after its extension
// (https://aws.amazon.com/amazon-linux-2/faqs/). Amazon Linux 2023 uses the end of its maintenance phase,
// 2029-06-30 (https://aws.amazon.com/linux/amazon-linux-2023/faqs/); `amazonlinux:latest` is not matched.
const AMAZON_LINUX_P: Product = Product {
    name: "Amazon Linux",
    successor: "amazonlinux:2023",
    source: "https://aws.amazon.com/amazon-linux-2/faqs/",
};
static AMAZON_LINUX: &[Row] = &[
    row(
        Product { source: "https://aws.amazon.com/amazon-linux-ami/faqs/", ..AMAZON_LINUX_P },
        &["1", "2018.03", "2017.09", "2017.03"],
        "1 (Amazon Linux AMI)",
        d(2023, 12, 31),
    ),
    row(AMAZON_LINUX_P, &["2"], "2", d(2026, 6, 30)),
    row(
        Product { source: "https://aws.amazon.com/linux/amazon-linux-2023/faqs/", ..AMAZON_LINUX_P }
            .then("a newer Amazon Linux release"),
        &["2023"],
        "2023",
        d(2029, 6, 30),
    ),
];

// openSUSE Leap: https://en.opensuse.org/Lifetime. Leap 15.6, the last 15.x, ended 2026-04-30 (extended,
// as there is no Leap 15.7), so `opensuse/leap:15` is EOL too. Leap 16.0 uses its scheduled end, 2027-10-31
// (24 months); `opensuse/leap:16` is not matched, as 16.x is not finished.
const OPENSUSE_LEAP_P: Product = Product {
    name: "openSUSE Leap",
    successor: "openSUSE Leap 16.0",
    source: "https://en.opensuse.org/Lifetime",
};
static OPENSUSE_LEAP: &[Row] = &[
    row(OPENSUSE_LEAP_P, &["42.1"], "42.1", d(2017, 5, 17)),
    row(OPENSUSE_LEAP_P, &["42.2"], "42.2", d(2018, 1, 26)),
    row(OPENSUSE_LEAP_P, &["42.3", "=42"], "42.3", d(2019, 7, 1)),
    row(OPENSUSE_LEAP_P, &["15.0"], "15.0", d(2019, 12, 3)),
    row(OPENSUSE_LEAP_P, &["15.1"], "15.1", d(2021, 2, 2)),
    row(OPENSUSE_LEAP_P, &["15.2"], "15.2", d(2022, 1, 4)),
    row(OPENSUSE_LEAP_P, &["15.3"], "15.3", d(2022, 12, 31)),
    row(OPENSUSE_LEAP_P, &["15.4"], "15.4", d(2023, 12, 7)),
    row(OPENSUSE_LEAP_P, &["15.5"], "15.5", d(2024, 12, 31)),
    row(OPENSUSE_LEAP_P, &["15.6", "=15"], "15.6", d(2026, 4, 30)),
    row(OPENSUSE_LEAP_P.then("a newer openSUSE Leap release"), &["16.0"], "16.0", d(2027, 10, 31)),
];

// ---------------------------------------------------------------------------------------------------------
// Language runtimes
// ---------------------------------------------------------------------------------------------------------

// Python: https://devguide.python.org/versions/ (and each release's PEP). PEP 619 gives only "October 2026"
// for 3.10, so that row uses 2026-10-31; the page gives only the month for 3.11–3.15 too ("2027-10" to
// "2031-10"), so those rows use the month's last day as well.
const PYTHON_P: Product = Product {
    name: "Python",
    successor: "a supported Python 3 (python:3.13 or newer)",
    source: "https://devguide.python.org/versions/",
};
static PYTHON: &[Row] = &[
    row(PYTHON_P, &["2.6"], "2.6", d(2013, 10, 29)),
    row(PYTHON_P, &["2.7", "=2"], "2.7", d(2020, 1, 1)),
    row(PYTHON_P, &["3.0"], "3.0", d(2009, 6, 27)),
    row(PYTHON_P, &["3.1"], "3.1", d(2012, 4, 9)),
    row(PYTHON_P, &["3.2"], "3.2", d(2016, 2, 20)),
    row(PYTHON_P, &["3.3"], "3.3", d(2017, 9, 29)),
    row(PYTHON_P, &["3.4"], "3.4", d(2019, 3, 18)),
    row(PYTHON_P, &["3.5"], "3.5", d(2020, 9, 30)),
    row(PYTHON_P, &["3.6"], "3.6", d(2021, 12, 23)),
    row(PYTHON_P, &["3.7"], "3.7", d(2023, 6, 27)),
    row(PYTHON_P, &["3.8"], "3.8", d(2024, 10, 7)),
    row(PYTHON_P, &["3.9"], "3.9", d(2025, 10, 31)),
    row(PYTHON_P, &["3.10"], "3.10", d(2026, 10, 31)),
    row(PYTHON_P.then("a supported Python 3 (python:3.13 or newer)"), &["3.11"], "3.11", d(2027, 10, 31)),
    row(PYTHON_P.then("a supported Python 3 (python:3.14 or newer)"), &["3.12"], "3.12", d(2028, 10, 31)),
    row(PYTHON_P.then("a supported Python 3 (python:3.15 or newer)"), &["3.13"], "3.13", d(2029, 10, 31)),
    row(PYTHON_P.then("a newer supported Python 3"), &["3.14"], "3.14", d(2030, 10, 31)),
    row(PYTHON_P.then("a newer supported Python 3"), &["3.15"], "3.15", d(2031, 10, 31)),
];

// Node.js: https://github.com/nodejs/Release (schedule.json). Odd releases end two months after the next
// even one ships; Node 16 ended early with OpenSSL 1.1.1. Node 11 is 2019-06-01 in the release schedule
// (some trackers say 2019-06-30). 22, 24 and 26 use the ends in the schedule (2027-04-30, 2028-04-30,
// 2029-04-30). The image's LTS codename tags (`node:hydrogen-alpine`, `node:jod`) are matched too; 26's
// codename was not yet in the schedule. io.js (1–3) was a separate image and is not listed.
const NODE_P: Product = Product {
    name: "Node.js",
    successor: "a supported LTS release (node:24 or newer)",
    source: "https://github.com/nodejs/Release",
};
static NODE: &[Row] = &[
    row(NODE_P, &["0.10"], "0.10", d(2016, 10, 31)),
    row(NODE_P, &["0.12"], "0.12", d(2016, 12, 31)),
    row(NODE_P, &["4", "argon"], "4 (argon)", d(2018, 4, 30)),
    row(NODE_P, &["5"], "5", d(2016, 6, 30)),
    row(NODE_P, &["6", "boron"], "6 (boron)", d(2019, 4, 30)),
    row(NODE_P, &["7"], "7", d(2017, 6, 30)),
    row(NODE_P, &["8", "carbon"], "8 (carbon)", d(2019, 12, 31)),
    row(NODE_P, &["9"], "9", d(2018, 6, 30)),
    row(NODE_P, &["10", "dubnium"], "10 (dubnium)", d(2021, 4, 30)),
    row(NODE_P, &["11"], "11", d(2019, 6, 1)),
    row(NODE_P, &["12", "erbium"], "12 (erbium)", d(2022, 4, 30)),
    row(NODE_P, &["13"], "13", d(2020, 6, 1)),
    row(NODE_P, &["14", "fermium"], "14 (fermium)", d(2023, 4, 30)),
    row(NODE_P, &["15"], "15", d(2021, 6, 1)),
    row(NODE_P, &["16", "gallium"], "16 (gallium)", d(2023, 9, 11)),
    row(NODE_P, &["17"], "17", d(2022, 6, 1)),
    row(NODE_P, &["18", "hydrogen"], "18 (hydrogen)", d(2025, 4, 30)),
    row(NODE_P, &["19"], "19", d(2023, 6, 1)),
    row(NODE_P, &["20", "iron"], "20 (iron)", d(2026, 4, 30)),
    row(NODE_P, &["21"], "21", d(2024, 6, 1)),
    row(NODE_P, &["23"], "23", d(2025, 6, 1)),
    row(NODE_P, &["25"], "25", d(2026, 6, 1)),
    row(NODE_P.then("node:24 or a newer LTS release"), &["22", "jod"], "22 (jod)", d(2027, 4, 30)),
    row(NODE_P.then("node:26 or a newer LTS release"), &["24", "krypton"], "24 (krypton)", d(2028, 4, 30)),
    row(NODE_P.then("a newer LTS release"), &["26"], "26", d(2029, 4, 30)),
];

// Go: https://go.dev/doc/devel/release. Each release is supported until there are two newer major
// releases, so 1.N ends the day 1.(N+2) ships. As of the compile date the latest are 1.27 (2026-08-19) and
// 1.26 (2026-02-10); 1.25 ended when 1.27 shipped. 1.26 ends when 1.28 ships and 1.27 when 1.29 ships:
// those dates depend on releases not yet made, so the two are not listed (unlike the other products, Go has no
// scheduled rows). Images before 1.2 are not listed.
const GOLANG_P: Product =
    Product { name: "Go", successor: "golang:1.27 (or 1.26)", source: "https://go.dev/doc/devel/release" };
static GOLANG: &[Row] = &[
    row(GOLANG_P, &["1.2"], "1.2", d(2014, 12, 10)),
    row(GOLANG_P, &["1.3"], "1.3", d(2015, 8, 19)),
    row(GOLANG_P, &["1.4"], "1.4", d(2016, 2, 17)),
    row(GOLANG_P, &["1.5"], "1.5", d(2016, 8, 15)),
    row(GOLANG_P, &["1.6"], "1.6", d(2017, 2, 16)),
    row(GOLANG_P, &["1.7"], "1.7", d(2017, 8, 24)),
    row(GOLANG_P, &["1.8"], "1.8", d(2018, 2, 16)),
    row(GOLANG_P, &["1.9"], "1.9", d(2018, 8, 24)),
    row(GOLANG_P, &["1.10"], "1.10", d(2019, 2, 25)),
    row(GOLANG_P, &["1.11"], "1.11", d(2019, 9, 3)),
    row(GOLANG_P, &["1.12"], "1.12", d(2020, 2, 25)),
    row(GOLANG_P, &["1.13"], "1.13", d(2020, 8, 11)),
    row(GOLANG_P, &["1.14"], "1.14", d(2021, 2, 16)),
    row(GOLANG_P, &["1.15"], "1.15", d(2021, 8, 16)),
    row(GOLANG_P, &["1.16"], "1.16", d(2022, 3, 15)),
    row(GOLANG_P, &["1.17"], "1.17", d(2022, 8, 2)),
    row(GOLANG_P, &["1.18"], "1.18", d(2023, 2, 1)),
    row(GOLANG_P, &["1.19"], "1.19", d(2023, 8, 8)),
    row(GOLANG_P, &["1.20"], "1.20", d(2024, 2, 6)),
    row(GOLANG_P, &["1.21"], "1.21", d(2024, 8, 13)),
    row(GOLANG_P, &["1.22"], "1.22", d(2025, 2, 11)),
    row(GOLANG_P, &["1.23"], "1.23", d(2025, 8, 12)),
    row(GOLANG_P, &["1.24"], "1.24", d(2026, 2, 10)),
    row(GOLANG_P, &["1.25"], "1.25", d(2026, 8, 19)),
];

// The Docker Hub `openjdk` image is deprecated (https://hub.docker.com/_/openjdk): its notice says only the
// early-access builds receive updates beyond July 2022, and points to eclipse-temurin, amazoncorretto,
// ibm-semeru-runtimes, sapmachine and others. This is the image's end, not any Java release's: Java LTS
// releases are still supported by those vendors.
const OPENJDK_P: Product = Product {
    name: "The Docker Hub openjdk image",
    successor: "a maintained JDK image: eclipse-temurin, amazoncorretto, ibm-semeru-runtimes or sapmachine",
    source: "https://hub.docker.com/_/openjdk",
};
static OPENJDK: &[Row] = &[row(OPENJDK_P, &[], "(deprecated)", d(2022, 7, 31))];

// Ruby: https://www.ruby-lang.org/en/downloads/branches/. 3.2's end was scheduled for 2026-03-31; 3.3, 3.4
// and 4.0 use the expected ends the page gives (2027-03-31, 2028-03-31, 2029-03-31). `ruby:3` is 3.4, the
// last 3.x.
const RUBY_P: Product = Product {
    name: "Ruby",
    successor: "a supported Ruby (ruby:3.4 or newer)",
    source: "https://www.ruby-lang.org/en/downloads/branches/",
};
static RUBY: &[Row] = &[
    row(RUBY_P, &["1.9"], "1.9.3", d(2015, 2, 23)),
    row(RUBY_P, &["2.0"], "2.0.0", d(2016, 2, 24)),
    row(RUBY_P, &["2.1"], "2.1", d(2017, 3, 31)),
    row(RUBY_P, &["2.2"], "2.2", d(2018, 3, 31)),
    row(RUBY_P, &["2.3"], "2.3", d(2019, 3, 31)),
    row(RUBY_P, &["2.4"], "2.4", d(2020, 3, 31)),
    row(RUBY_P, &["2.5"], "2.5", d(2021, 4, 5)),
    row(RUBY_P, &["2.6"], "2.6", d(2022, 4, 12)),
    row(RUBY_P, &["2.7", "=2"], "2.7", d(2023, 3, 31)),
    row(RUBY_P, &["3.0"], "3.0", d(2024, 4, 23)),
    row(RUBY_P, &["3.1"], "3.1", d(2025, 3, 26)),
    row(RUBY_P, &["3.2"], "3.2", d(2026, 3, 31)),
    row(RUBY_P.then("a supported Ruby (ruby:3.4 or newer)"), &["3.3"], "3.3", d(2027, 3, 31)),
    row(RUBY_P.then("a supported Ruby (ruby:4.0 or newer)"), &["3.4", "=3"], "3.4", d(2028, 3, 31)),
    row(RUBY_P.then("a newer supported Ruby"), &["4.0"], "4.0", d(2029, 3, 31)),
];

// PHP: https://www.php.net/eol.php (end of security support). 8.1's was extended to 2025-12-31 by the 2024
// release-cycle RFC, which also fixed the ends of 8.2 to 8.5 at the 31st of December of their fourth year
// (2026 to 2029).
const PHP_P: Product = Product {
    name: "PHP",
    successor: "a supported PHP (php:8.4 or newer)",
    source: "https://www.php.net/eol.php",
};
static PHP: &[Row] = &[
    row(PHP_P, &["5.3"], "5.3", d(2014, 8, 14)),
    row(PHP_P, &["5.4"], "5.4", d(2015, 9, 3)),
    row(PHP_P, &["5.5"], "5.5", d(2016, 7, 21)),
    row(PHP_P, &["5.6", "=5"], "5.6", d(2018, 12, 31)),
    row(PHP_P, &["7.0"], "7.0", d(2019, 1, 10)),
    row(PHP_P, &["7.1"], "7.1", d(2019, 12, 1)),
    row(PHP_P, &["7.2"], "7.2", d(2020, 11, 30)),
    row(PHP_P, &["7.3"], "7.3", d(2021, 12, 6)),
    row(PHP_P, &["7.4", "=7"], "7.4", d(2022, 11, 28)),
    row(PHP_P, &["8.0"], "8.0", d(2023, 11, 26)),
    row(PHP_P, &["8.1"], "8.1", d(2025, 12, 31)),
    row(PHP_P, &["8.2"], "8.2", d(2026, 12, 31)),
    row(PHP_P.then("a supported PHP (php:8.5 or newer)"), &["8.3"], "8.3", d(2027, 12, 31)),
    row(PHP_P.then("a supported PHP (php:8.5 or newer)"), &["8.4"], "8.4", d(2028, 12, 31)),
    row(PHP_P.then("a newer supported PHP"), &["8.5"], "8.5", d(2029, 12, 31)),
];

// ---------------------------------------------------------------------------------------------------------
// Databases
// ---------------------------------------------------------------------------------------------------------

// PostgreSQL: "Final Release" column of https://www.postgresql.org/support/versioning/ (five years per
// major). 14's final release was scheduled for 2026-11-12; 15–18 use the final releases the page schedules.
const POSTGRES_P: Product = Product {
    name: "PostgreSQL",
    successor: "a supported major (postgres:17 or newer)",
    source: "https://www.postgresql.org/support/versioning/",
};
static POSTGRES: &[Row] = &[
    row(POSTGRES_P, &["8.4"], "8.4", d(2014, 7, 24)),
    row(POSTGRES_P, &["9.0"], "9.0", d(2015, 10, 8)),
    row(POSTGRES_P, &["9.1"], "9.1", d(2016, 10, 27)),
    row(POSTGRES_P, &["9.2"], "9.2", d(2017, 11, 9)),
    row(POSTGRES_P, &["9.3"], "9.3", d(2018, 11, 8)),
    row(POSTGRES_P, &["9.4"], "9.4", d(2020, 2, 13)),
    row(POSTGRES_P, &["9.5"], "9.5", d(2021, 2, 11)),
    row(POSTGRES_P, &["9.6", "=9"], "9.6", d(2021, 11, 11)),
    row(POSTGRES_P, &["10"], "10", d(2022, 11, 10)),
    row(POSTGRES_P, &["11"], "11", d(2023, 11, 9)),
    row(POSTGRES_P, &["12"], "12", d(2024, 11, 21)),
    row(POSTGRES_P, &["13"], "13", d(2025, 11, 13)),
    row(POSTGRES_P, &["14"], "14", d(2026, 11, 12)),
    row(POSTGRES_P, &["15"], "15", d(2027, 11, 11)),
    row(POSTGRES_P.then("a supported major (postgres:18 or newer)"), &["16"], "16", d(2028, 11, 9)),
    row(POSTGRES_P.then("a supported major (postgres:18 or newer)"), &["17"], "17", d(2029, 11, 8)),
    row(POSTGRES_P.then("a newer supported major"), &["18"], "18", d(2030, 11, 14)),
];

// MySQL: end of Oracle Extended Support per the Lifetime Support Policy, which gives months only (rows use
// the month's last day). Innovation releases (8.1–8.3, 9.x before 9.7) are left out: each ends when the next
// ships and the images are rarely pinned. 8.4 LTS uses its scheduled end of Extended Support, April 2032;
// `mysql:8` is 8.4, the last 8.x. 9.7 LTS is not listed (its dates were not confirmed when the table was
// compiled).
const MYSQL_P: Product = Product {
    name: "MySQL",
    successor: "mysql:8.4 (LTS)",
    source: "https://www.oracle.com/us/support/library/lifetime-support-technology-069183.pdf",
};
static MYSQL: &[Row] = &[
    row(MYSQL_P, &["5.5"], "5.5", d(2018, 12, 31)),
    row(MYSQL_P, &["5.6"], "5.6", d(2021, 2, 28)),
    row(MYSQL_P, &["5.7", "=5"], "5.7", d(2023, 10, 31)),
    row(MYSQL_P, &["8.0"], "8.0", d(2026, 4, 30)),
    row(MYSQL_P.then("a newer MySQL LTS release"), &["8.4", "=8"], "8.4", d(2032, 4, 30)),
];

// MariaDB: https://mariadb.org/about/#maintenance-policy. Short-term 11.x releases (11.0–11.3, 11.5–11.7)
// are left out for lack of certain dates, and so are the 12.x rolling releases. The LTS releases 10.11, 11.4
// and 11.8 use their scheduled community ends; `mariadb:10` is 10.11, the last 10.x. 12.3 LTS is not listed
// (its date was not confirmed when the table was compiled).
const MARIADB_P: Product = Product {
    name: "MariaDB",
    successor: "mariadb:11.4 (LTS) or newer",
    source: "https://mariadb.org/about/#maintenance-policy",
};
static MARIADB: &[Row] = &[
    row(MARIADB_P, &["5.5", "=5"], "5.5", d(2020, 4, 11)),
    row(MARIADB_P, &["10.0"], "10.0", d(2019, 3, 31)),
    row(MARIADB_P, &["10.1"], "10.1", d(2020, 10, 17)),
    row(MARIADB_P, &["10.2"], "10.2", d(2022, 5, 23)),
    row(MARIADB_P, &["10.3"], "10.3", d(2023, 5, 25)),
    row(MARIADB_P, &["10.4"], "10.4", d(2024, 6, 18)),
    row(MARIADB_P, &["10.5"], "10.5", d(2025, 6, 24)),
    row(MARIADB_P, &["10.6"], "10.6", d(2026, 7, 6)),
    row(MARIADB_P, &["10.7"], "10.7", d(2023, 2, 14)),
    row(MARIADB_P, &["10.8"], "10.8", d(2023, 5, 20)),
    row(MARIADB_P, &["10.9"], "10.9", d(2023, 8, 22)),
    row(MARIADB_P, &["10.10"], "10.10", d(2023, 11, 17)),
    row(MARIADB_P.then("mariadb:11.4 or 11.8 (LTS)"), &["10.11", "=10"], "10.11", d(2028, 2, 16)),
    row(MARIADB_P.then("a newer MariaDB LTS release"), &["11.4"], "11.4", d(2029, 5, 29)),
    row(MARIADB_P.then("a newer MariaDB LTS release"), &["11.8"], "11.8", d(2028, 6, 4)),
];

// MongoDB: https://www.mongodb.com/legal/support-policy/lifecycles (months; rows use the month's last day).
// Rapid releases (5.1–5.3, 6.1–6.3, …) are Atlas-only and not listed. 7.0 ("August 2027") and 8.0 ("October
// 2029") use their scheduled ends; `mongo:7` is 7.0, `mongo:8` is not matched (8.2 was also published).
const MONGO_P: Product = Product {
    name: "MongoDB",
    successor: "mongo:8.0 (or 7.0)",
    source: "https://www.mongodb.com/legal/support-policy/lifecycles",
};
static MONGO: &[Row] = &[
    row(MONGO_P, &["2.6"], "2.6", d(2016, 10, 31)),
    row(MONGO_P, &["3.0"], "3.0", d(2018, 2, 28)),
    row(MONGO_P, &["3.2"], "3.2", d(2018, 9, 30)),
    row(MONGO_P, &["3.4"], "3.4", d(2020, 1, 31)),
    row(MONGO_P, &["3.6", "=3"], "3.6", d(2021, 4, 30)),
    row(MONGO_P, &["4.0"], "4.0", d(2022, 4, 30)),
    row(MONGO_P, &["4.2"], "4.2", d(2023, 4, 30)),
    row(MONGO_P, &["4.4", "=4"], "4.4", d(2024, 2, 29)),
    row(MONGO_P, &["5.0", "=5"], "5.0", d(2024, 10, 31)),
    row(MONGO_P, &["6.0", "=6"], "6.0", d(2025, 7, 31)),
    row(MONGO_P.then("mongo:8.0"), &["7.0", "=7"], "7.0", d(2027, 8, 31)),
    row(MONGO_P.then("a newer MongoDB major release"), &["8.0"], "8.0", d(2029, 10, 31)),
];

// ---------------------------------------------------------------------------------------------------------
// Microsoft .NET (`mcr.microsoft.com/dotnet/{sdk,aspnet,runtime,runtime-deps}` and the older
// `mcr.microsoft.com/dotnet/core/…`): https://dotnet.microsoft.com/platform/support/policy/dotnet-core.
// Since 2025 STS releases get 24 months, so .NET 9 ends with .NET 8 on 2026-11-10. .NET 10 (LTS) uses its
// scheduled end, 2028-11-14; .NET 11 is not listed (its date was not confirmed when the table was compiled).
// ---------------------------------------------------------------------------------------------------------

const DOTNET_P: Product = Product {
    name: ".NET",
    successor: "mcr.microsoft.com/dotnet/*:10.0 (LTS)",
    source: "https://dotnet.microsoft.com/platform/support/policy/dotnet-core",
};
static DOTNET: &[Row] = &[
    row(DOTNET_P, &["1.0"], "Core 1.0", d(2019, 6, 27)),
    row(DOTNET_P, &["1.1"], "Core 1.1", d(2019, 6, 27)),
    row(DOTNET_P, &["2.0"], "Core 2.0", d(2018, 10, 1)),
    row(DOTNET_P, &["2.1"], "Core 2.1", d(2021, 8, 21)),
    row(DOTNET_P, &["2.2"], "Core 2.2", d(2019, 12, 23)),
    row(DOTNET_P, &["3.0"], "Core 3.0", d(2020, 3, 3)),
    row(DOTNET_P, &["3.1"], "Core 3.1", d(2022, 12, 13)),
    row(DOTNET_P, &["5.0"], "5.0", d(2022, 5, 10)),
    row(DOTNET_P, &["6.0"], "6.0", d(2024, 11, 12)),
    row(DOTNET_P, &["7.0"], "7.0", d(2024, 5, 14)),
    row(DOTNET_P, &["8.0"], "8.0", d(2026, 11, 10)),
    row(DOTNET_P, &["9.0"], "9.0", d(2026, 11, 10)),
    row(DOTNET_P.then("a newer .NET LTS release"), &["10.0"], "10.0", d(2028, 11, 14)),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn find(text: &str) -> Option<&'static EolEntry> {
        lookup(&ImageRef::parse(text).unwrap_or_else(|e| panic!("{text}: {e}")))
    }

    #[track_caller]
    fn assert_row(text: &str, product: &str, cycle: &str) {
        match find(text) {
            Some(entry) => assert_eq!((entry.product, entry.cycle), (product, cycle), "{text}"),
            None => panic!("{text}: no match, expected {product} {cycle}"),
        }
    }

    /// `text` falls on the row `product` `cycle`, which ends on `eol` (`YYYY-MM-DD`) after the compile date:
    /// supported on the compile date and the day before `eol`, end-of-life from `eol` on.
    #[track_caller]
    fn assert_scheduled(text: &str, product: &str, cycle: &str, eol: &str) {
        assert_row(text, product, cycle);
        let entry = find(text).unwrap();
        let eol = Date::parse(eol).unwrap();
        assert_eq!(entry.eol, eol, "{text}");
        assert!(eol > COMPILED_DATE, "{text}: {eol} is not after {COMPILED}");
        assert!(!is_eol(entry, COMPILED_DATE), "{text}: EOL on {COMPILED}");
        assert!(!is_eol(entry, day_before(eol)), "{text}: EOL before {eol}");
        assert!(is_eol(entry, eol), "{text}: not EOL on {eol}");
    }

    fn day_before(date: Date) -> Date {
        Date::from_days_since_epoch(date.days_since_epoch() - 1)
    }

    #[track_caller]
    fn assert_none(text: &str) {
        if let Some(entry) = find(text) {
            panic!("{text}: matched {} {}", entry.product, entry.cycle);
        }
    }

    const DIGEST: &str = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    #[test]
    fn compiled_date() {
        assert_eq!(Date::parse(COMPILED), Some(COMPILED_DATE));
    }

    #[test]
    fn table_is_consistent() {
        let mut total = 0;
        for rows in PRODUCTS {
            for (i, row) in rows.iter().enumerate() {
                let e = &row.entry;
                total += 1;
                // Every row has a valid date.
                assert_eq!(
                    Date::new(e.eol.year, e.eol.month, e.eol.day),
                    Some(e.eol),
                    "{} {}",
                    e.product,
                    e.cycle
                );
                assert_eq!(is_eol(e, COMPILED_DATE), e.eol <= COMPILED_DATE, "{} {}", e.product, e.cycle);
                assert!(e.source.starts_with("https://"), "{}", e.source);
                assert!(!e.successor.is_empty() && !e.cycle.is_empty());
                // No pattern selects two rows of a product.
                for later in &rows[i + 1..] {
                    for p in row.patterns {
                        assert!(!later.patterns.contains(p), "{} pattern {p} is ambiguous", e.product);
                    }
                }
            }
        }
        assert_eq!(entries().count(), total);
    }

    #[test]
    fn scheduled_rows_are_not_eol_on_the_compile_date() {
        let scheduled: Vec<_> = entries().filter(|e| e.eol > COMPILED_DATE).collect();
        assert!(!scheduled.is_empty());
        for e in scheduled {
            assert!(!is_eol(e, COMPILED_DATE), "{} {} is EOL on {COMPILED}", e.product, e.cycle);
            assert!(!is_eol(e, day_before(e.eol)), "{} {} is EOL before {}", e.product, e.cycle, e.eol);
            assert!(is_eol(e, e.eol), "{} {} is not EOL on {}", e.product, e.cycle, e.eol);
        }
    }

    #[test]
    fn every_product_has_a_scheduled_row_but_go_and_openjdk() {
        // Without a row ending after the compile date, a product's supported releases would never be
        // reported, however old the binary. Go's supported releases end on dates not yet known; the openjdk
        // image is EOL in every form.
        for rows in PRODUCTS {
            let product = rows[0].entry.product;
            let scheduled = rows.iter().any(|row| row.entry.eol > COMPILED_DATE);
            let expected = !matches!(product, "Go" | "The Docker Hub openjdk image");
            assert_eq!(scheduled, expected, "{product}");
        }
    }

    #[test]
    fn is_eol_compares_with_the_end_date() {
        let buster = find("debian:buster").unwrap();
        assert!(!is_eol(buster, Date::parse("2024-06-29").unwrap()));
        assert!(is_eol(buster, Date::parse("2024-06-30").unwrap()));
        assert!(is_eol(buster, Date::parse("2025-01-01").unwrap()));
    }

    #[test]
    fn python() {
        assert_row("python:2.7-slim", "Python", "2.7");
        assert_row("python:2", "Python", "2.7");
        assert_row("python:2.6", "Python", "2.6");
        assert_row("python:3.8.18-alpine3.18", "Python", "3.8");
        assert_row("python:3.9-slim-bookworm", "Python", "3.9");
        assert_row("python:3.10", "Python", "3.10");
        assert_row("python:3.1", "Python", "3.1");
        // Component-wise: `3.1` does not match `3.11`/`3.12`, `3` is the latest 3.x.
        assert_scheduled("python:3.11-slim", "Python", "3.11", "2027-10-31");
        assert_scheduled("python:3.12", "Python", "3.12", "2028-10-31");
        assert_scheduled("python:3.12.7-slim", "Python", "3.12", "2028-10-31");
        assert_scheduled("python:3.13-alpine", "Python", "3.13", "2029-10-31");
        assert_scheduled("python:3.14", "Python", "3.14", "2030-10-31");
        assert_scheduled("python:3.15-slim", "Python", "3.15", "2031-10-31");
        assert_none("python:3");
        assert_none("python:3.16");
    }

    #[test]
    fn node() {
        assert_row("node:14", "Node.js", "14 (fermium)");
        assert_row("node:14.21.3-alpine", "Node.js", "14 (fermium)");
        assert_row("node:16-bullseye", "Node.js", "16 (gallium)");
        assert_row("node:18", "Node.js", "18 (hydrogen)");
        assert_row("node:hydrogen-alpine", "Node.js", "18 (hydrogen)");
        assert_row("node:20", "Node.js", "20 (iron)");
        assert_row("node:21-alpine", "Node.js", "21");
        assert_row("node:0.10", "Node.js", "0.10");
        assert_scheduled("node:22", "Node.js", "22 (jod)", "2027-04-30");
        assert_scheduled("node:22.11.0-slim", "Node.js", "22 (jod)", "2027-04-30");
        assert_scheduled("node:jod-alpine", "Node.js", "22 (jod)", "2027-04-30");
        assert_scheduled("node:24-alpine", "Node.js", "24 (krypton)", "2028-04-30");
        assert_scheduled("node:krypton", "Node.js", "24 (krypton)", "2028-04-30");
        assert_scheduled("node:26", "Node.js", "26", "2029-04-30");
        assert_none("node:27");
        assert_none("node:1");
        assert_none("node:lts");
        assert_none("node:current-alpine");
    }

    #[test]
    fn debian_and_distro_variants() {
        assert_row("debian:stretch-slim", "Debian", "9 (stretch)");
        assert_row("debian:9", "Debian", "9 (stretch)");
        assert_row("debian:9.13", "Debian", "9 (stretch)");
        assert_row("debian:buster-20240612-slim", "Debian", "10 (buster)");
        assert_row("debian:bullseye", "Debian", "11 (bullseye)");
        assert_row("debian:jessie", "Debian", "8 (jessie)");
        assert_scheduled("debian:bookworm", "Debian", "12 (bookworm)", "2028-06-30");
        assert_scheduled("debian:12-slim", "Debian", "12 (bookworm)", "2028-06-30");
        assert_scheduled("debian:12.8", "Debian", "12 (bookworm)", "2028-06-30");
        assert_scheduled("debian:bookworm-20241111-slim", "Debian", "12 (bookworm)", "2028-06-30");
        assert_scheduled("debian:trixie", "Debian", "13 (trixie)", "2030-06-30");
        assert_none("debian:stable-slim");
        assert_none("debian:14");
        // A runtime on a distribution: the row that ends first, the runtime's or the distribution's.
        assert_row("python:3.12-buster", "Debian", "10 (buster)");
        assert_row("python:3.11-slim-bullseye", "Debian", "11 (bullseye)");
        assert_row("node:20-stretch", "Debian", "9 (stretch)");
        assert_row("node:20-bookworm", "Node.js", "20 (iron)");
        assert_row("node:22-bullseye-slim", "Debian", "11 (bullseye)");
        assert_row("golang:1.26-alpine3.12", "Alpine Linux", "3.12");
        assert_row("ruby:3.3-alpine3.19", "Alpine Linux", "3.19");
        assert_row("eclipse-temurin:21-jre-focal", "Ubuntu", "20.04 LTS (focal)");
        assert_row("rust:1.80-slim-buster", "Debian", "10 (buster)");
        assert_row("mcr.microsoft.com/dotnet/aspnet:10.0-bullseye-slim", "Debian", "11 (bullseye)");
        // Debian 12 (2028-06-30) ends before Python 3.12 (2028-10-31); Python 3.9 (2025-10-31) before it.
        assert_scheduled("python:3.12-bookworm", "Debian", "12 (bookworm)", "2028-06-30");
        assert_scheduled("python:3.12-slim-bookworm", "Debian", "12 (bookworm)", "2028-06-30");
        assert_row("python:3.9-slim-bookworm", "Python", "3.9");
        assert_scheduled("python:3.13-trixie", "Python", "3.13", "2029-10-31");
        // Node 22 (2027-04-30) ends the day before Alpine 3.22 (2027-05-01), and before Debian 12.
        assert_scheduled("node:22-alpine", "Node.js", "22 (jod)", "2027-04-30");
        assert_scheduled("node:22-alpine3.22", "Node.js", "22 (jod)", "2027-04-30");
        assert_scheduled("node:24-alpine3.22", "Alpine Linux", "3.22", "2027-05-01");
        assert_scheduled("node:22-bookworm-slim", "Node.js", "22 (jod)", "2027-04-30");
        assert_scheduled("golang:1.26-alpine3.23", "Alpine Linux", "3.23", "2027-11-01");
        assert_scheduled("eclipse-temurin:21-jre-jammy", "Ubuntu", "22.04 LTS (jammy)", "2027-05-31");
        assert_scheduled("eclipse-temurin:21-jre-noble", "Ubuntu", "24.04 LTS (noble)", "2029-05-31");
        assert_scheduled("mcr.microsoft.com/dotnet/aspnet:10.0-noble", ".NET", "10.0", "2028-11-14");
        assert_row("mcr.microsoft.com/dotnet/sdk:8.0-noble", ".NET", "8.0");
        // Only known images: a private image's tag conventions are unknown.
        assert_none("ghcr.io/org/app:1.0-buster");
    }

    #[test]
    fn ubuntu() {
        assert_row("ubuntu:18.04", "Ubuntu", "18.04 LTS (bionic)");
        assert_row("ubuntu:bionic-20230530", "Ubuntu", "18.04 LTS (bionic)");
        assert_row("ubuntu:14.04", "Ubuntu", "14.04 LTS (trusty)");
        assert_row("ubuntu:16.04", "Ubuntu", "16.04 LTS (xenial)");
        assert_row("ubuntu:xenial", "Ubuntu", "16.04 LTS (xenial)");
        assert_row("ubuntu:20.04", "Ubuntu", "20.04 LTS (focal)");
        assert_row("ubuntu:focal", "Ubuntu", "20.04 LTS (focal)");
        assert_row("ubuntu:21.04", "Ubuntu", "21.04 (hirsute)");
        assert_row("ubuntu:21.10", "Ubuntu", "21.10 (impish)");
        assert_row("ubuntu:22.10", "Ubuntu", "22.10 (kinetic)");
        assert_row("ubuntu:23.04", "Ubuntu", "23.04 (lunar)");
        assert_row("ubuntu:23.10", "Ubuntu", "23.10 (mantic)");
        assert_row("ubuntu:24.10", "Ubuntu", "24.10 (oracular)");
        assert_scheduled("ubuntu:22.04", "Ubuntu", "22.04 LTS (jammy)", "2027-05-31");
        assert_scheduled("ubuntu:jammy-20240911", "Ubuntu", "22.04 LTS (jammy)", "2027-05-31");
        assert_scheduled("ubuntu:24.04", "Ubuntu", "24.04 LTS (noble)", "2029-05-31");
        assert_scheduled("ubuntu:noble", "Ubuntu", "24.04 LTS (noble)", "2029-05-31");
        assert_none("ubuntu:26.04");
        assert_none("ubuntu:latest");
        assert_none("ubuntu");
    }

    #[test]
    fn centos() {
        assert_row("centos:7", "CentOS", "Linux 7");
        assert_row("centos:centos7.9.2009", "CentOS", "Linux 7");
        assert_row("centos:7.9.2009", "CentOS", "Linux 7");
        assert_row("centos:6", "CentOS", "Linux 6");
        assert_row("centos:8", "CentOS", "Linux 8");
        // Docker Hub `centos` only ever shipped CentOS Linux: EOL in every form.
        assert_row("centos:latest", "CentOS", "Linux 8");
        assert_row("centos", "CentOS", "Linux 8");
        assert_row(&format!("centos@{DIGEST}"), "CentOS", "Linux 8");
        assert_row("docker.io/library/centos:7", "CentOS", "Linux 7");
        // CentOS's own registry: by tag only, Stream 9 is supported.
        assert_row("quay.io/centos/centos:stream8", "CentOS", "Stream 8");
        assert_scheduled("quay.io/centos/centos:stream9", "CentOS", "Stream 9", "2027-05-31");
        assert_scheduled("quay.io/centos/centos:stream9-minimal", "CentOS", "Stream 9", "2027-05-31");
        assert_scheduled("quay.io/centos/centos:stream10", "CentOS", "Stream 10", "2030-01-01");
        assert_none("quay.io/centos/centos:latest");
        assert_none("quay.io/centos/centos:stream11");
        assert_scheduled("centos:stream9", "CentOS", "Stream 9", "2027-05-31");
        assert_none("centos:stream11");
    }

    #[test]
    fn other_operating_systems() {
        assert_row("alpine:3.12", "Alpine Linux", "3.12");
        assert_row("alpine:3.12.12", "Alpine Linux", "3.12");
        assert_row("alpine:3.1", "Alpine Linux", "3.1");
        assert_row("alpine:3.19", "Alpine Linux", "3.19");
        assert_row("alpine:3.20", "Alpine Linux", "3.20");
        assert_row("alpine:3.21.3", "Alpine Linux", "3.21");
        assert_scheduled("alpine:3.22", "Alpine Linux", "3.22", "2027-05-01");
        assert_scheduled("alpine:3.22.2", "Alpine Linux", "3.22", "2027-05-01");
        assert_scheduled("alpine:3.23", "Alpine Linux", "3.23", "2027-11-01");
        assert_none("alpine:3.24");
        assert_none("alpine:3");
        assert_none("alpine:edge");
        assert_row("fedora:38", "Fedora Linux", "38");
        assert_row("registry.fedoraproject.org/fedora:35", "Fedora Linux", "35");
        assert_scheduled("fedora:43", "Fedora Linux", "43", "2026-12-09");
        assert_scheduled("registry.fedoraproject.org/fedora:44", "Fedora Linux", "44", "2027-06-02");
        assert_none("fedora:45");
        assert_none("fedora:rawhide");
        assert_row("amazonlinux:1", "Amazon Linux", "1 (Amazon Linux AMI)");
        assert_row("amazonlinux:2018.03", "Amazon Linux", "1 (Amazon Linux AMI)");
        assert_row("amazonlinux:2", "Amazon Linux", "2");
        assert_row("public.ecr.aws/amazonlinux/amazonlinux:2.0.20240131.0", "Amazon Linux", "2");
        assert_scheduled("amazonlinux:2023", "Amazon Linux", "2023", "2029-06-30");
        assert_scheduled("amazonlinux:2023.6.20241010.0", "Amazon Linux", "2023", "2029-06-30");
        assert_none("amazonlinux");
        assert_none("amazonlinux:latest");
        assert_row("opensuse/leap:15.4", "openSUSE Leap", "15.4");
        assert_row("opensuse/leap:15", "openSUSE Leap", "15.6");
        assert_row("opensuse/leap:42.3", "openSUSE Leap", "42.3");
        assert_scheduled("opensuse/leap:16.0", "openSUSE Leap", "16.0", "2027-10-31");
        assert_scheduled("registry.opensuse.org/opensuse/leap:16.0", "openSUSE Leap", "16.0", "2027-10-31");
        assert_none("opensuse/leap:16");
        assert_row("registry.access.redhat.com/ubi7/ubi:7.9", "Red Hat Enterprise Linux (UBI)", "7 (UBI 7)");
        assert_row("registry.access.redhat.com/ubi7", "Red Hat Enterprise Linux (UBI)", "7 (UBI 7)");
        assert_row("registry.redhat.io/ubi7/ubi-minimal", "Red Hat Enterprise Linux (UBI)", "7 (UBI 7)");
        assert_row("registry.access.redhat.com/rhel7-atomic", "Red Hat Enterprise Linux (UBI)", "7 (UBI 7)");
        let rhel = "Red Hat Enterprise Linux (UBI)";
        assert_scheduled("registry.access.redhat.com/ubi8/ubi", rhel, "8 (UBI 8)", "2029-05-31");
        assert_scheduled("registry.access.redhat.com/ubi8-minimal:8.10", rhel, "8 (UBI 8)", "2029-05-31");
        assert_scheduled("registry.access.redhat.com/ubi9:latest", rhel, "9 (UBI 9)", "2032-05-31");
        assert_scheduled("registry.redhat.io/rhel9/postgresql-16", rhel, "9 (UBI 9)", "2032-05-31");
        assert_scheduled("registry.access.redhat.com/ubi10/ubi-minimal", rhel, "10 (UBI 10)", "2035-05-31");
        assert_none("registry.access.redhat.com/ubi70/ubi");
        assert_none("registry.access.redhat.com/ubi1/ubi");
        assert_none("registry.access.redhat.com/ubi/ubi");
        assert_none("registry.access.redhat.com/rhel-els/ubi");
    }

    #[test]
    fn runtimes_and_databases() {
        assert_row("golang:1.15-alpine", "Go", "1.15");
        assert_row("golang:1.21.5-bookworm", "Go", "1.21");
        assert_row("golang:1.25", "Go", "1.25");
        assert_row("golang:1.2", "Go", "1.2");
        // Their ends depend on the release dates of 1.28 and 1.29.
        assert_none("golang:1.26");
        assert_none("golang:1.27-alpine");
        assert_none("golang:1");
        assert_row("openjdk:8-jre-slim", "The Docker Hub openjdk image", "(deprecated)");
        assert_row("openjdk:17", "The Docker Hub openjdk image", "(deprecated)");
        assert_none("openjdk:27-ea-jdk-slim");
        assert_none("openjdk:26-ea");
        assert_none("openjdk");
        assert_none("eclipse-temurin:21");
        assert_row("ruby:2.7", "Ruby", "2.7");
        assert_row("ruby:3.1-slim", "Ruby", "3.1");
        assert_row("ruby:3.2.2-alpine", "Ruby", "3.2");
        assert_scheduled("ruby:3.3", "Ruby", "3.3", "2027-03-31");
        assert_scheduled("ruby:3.4-slim", "Ruby", "3.4", "2028-03-31");
        assert_scheduled("ruby:3", "Ruby", "3.4", "2028-03-31");
        assert_scheduled("ruby:4.0.1", "Ruby", "4.0", "2029-03-31");
        assert_none("ruby:4");
        assert_row("php:7.4-fpm", "PHP", "7.4");
        assert_row("php:8.1-apache", "PHP", "8.1");
        assert_row("php:5", "PHP", "5.6");
        assert_scheduled("php:8.2-fpm", "PHP", "8.2", "2026-12-31");
        assert_scheduled("php:8.3-apache", "PHP", "8.3", "2027-12-31");
        assert_scheduled("php:8.4", "PHP", "8.4", "2028-12-31");
        assert_scheduled("php:8.5-cli", "PHP", "8.5", "2029-12-31");
        assert_none("php:8");
        assert_row("postgres:9.6", "PostgreSQL", "9.6");
        assert_row("postgres:9", "PostgreSQL", "9.6");
        assert_row("postgres:9.4.26", "PostgreSQL", "9.4");
        assert_row("postgres:13-alpine", "PostgreSQL", "13");
        assert_row("postgres:14.12-bookworm", "PostgreSQL", "14");
        assert_scheduled("postgres:15", "PostgreSQL", "15", "2027-11-11");
        assert_scheduled("postgres:16.4", "PostgreSQL", "16", "2028-11-09");
        assert_scheduled("postgres:17-alpine", "PostgreSQL", "17", "2029-11-08");
        assert_scheduled("postgres:18", "PostgreSQL", "18", "2030-11-14");
        // PostgreSQL 17 and 18 outlive the Debian releases they are built on.
        assert_scheduled("postgres:17-bookworm", "Debian", "12 (bookworm)", "2028-06-30");
        assert_scheduled("postgres:18-trixie", "Debian", "13 (trixie)", "2030-06-30");
        assert_none("postgres:19");
        assert_none("postgres:1");
        assert_row("mysql:5.7", "MySQL", "5.7");
        assert_row("mysql:5", "MySQL", "5.7");
        assert_row("mysql:8.0.36-debian", "MySQL", "8.0");
        assert_scheduled("mysql:8.4", "MySQL", "8.4", "2032-04-30");
        assert_scheduled("mysql:8.4.3-oraclelinux9", "MySQL", "8.4", "2032-04-30");
        assert_scheduled("mysql:8", "MySQL", "8.4", "2032-04-30");
        assert_none("mysql:9.7");
        assert_none("mysql:lts");
        assert_row("mariadb:10.4", "MariaDB", "10.4");
        assert_row("mariadb:10.6", "MariaDB", "10.6");
        // Ubuntu 20.04 (2025-05-31) ended before MariaDB 10.6 (2026-07-06).
        assert_row("mariadb:10.6-focal", "Ubuntu", "20.04 LTS (focal)");
        assert_scheduled("mariadb:10.11", "MariaDB", "10.11", "2028-02-16");
        assert_scheduled("mariadb:10", "MariaDB", "10.11", "2028-02-16");
        assert_scheduled("mariadb:11.4", "MariaDB", "11.4", "2029-05-29");
        assert_scheduled("mariadb:11.8-noble", "MariaDB", "11.8", "2028-06-04");
        assert_none("mariadb:11");
        assert_none("mariadb:12.3");
        assert_row("mongo:4.4", "MongoDB", "4.4");
        assert_row("mongo:5.0.26-focal", "MongoDB", "5.0");
        assert_row("mongo:6", "MongoDB", "6.0");
        assert_scheduled("mongo:7.0", "MongoDB", "7.0", "2027-08-31");
        assert_scheduled("mongo:7", "MongoDB", "7.0", "2027-08-31");
        assert_scheduled("mongo:8.0.4", "MongoDB", "8.0", "2029-10-31");
        assert_scheduled("mongo:8.0-noble", "Ubuntu", "24.04 LTS (noble)", "2029-05-31");
        assert_none("mongo:8");
        assert_none("nginx:1.27");
        assert_none("redis:6.0");
    }

    #[test]
    fn dotnet() {
        assert_row("mcr.microsoft.com/dotnet/aspnet:6.0", ".NET", "6.0");
        assert_row("mcr.microsoft.com/dotnet/sdk:8.0.100-jammy", ".NET", "8.0");
        assert_row("mcr.microsoft.com/dotnet/runtime-deps:9.0-alpine", ".NET", "9.0");
        assert_row("mcr.microsoft.com/dotnet/runtime:5.0", ".NET", "5.0");
        assert_row("mcr.microsoft.com/dotnet/core/aspnet:3.1-buster-slim", ".NET", "Core 3.1");
        assert_row("mcr.microsoft.com/dotnet/core/sdk:2.1", ".NET", "Core 2.1");
        assert_scheduled("mcr.microsoft.com/dotnet/aspnet:10.0", ".NET", "10.0", "2028-11-14");
        // Alpine 3.22 (2027-05-01) ends before .NET 10 (2028-11-14).
        assert_scheduled(
            "mcr.microsoft.com/dotnet/sdk:10.0.100-alpine3.22",
            "Alpine Linux",
            "3.22",
            "2027-05-01",
        );
        assert_none("mcr.microsoft.com/dotnet/aspnet:11.0");
        assert_none("mcr.microsoft.com/dotnet/aspnet");
        assert_none("mcr.microsoft.com/dotnet/monitor:8.0");
        assert_none("mcr.microsoft.com/azure-cli:2.0");
    }

    #[test]
    fn repositories_and_mirrors() {
        // Official images under every spelling and on their well-known mirrors.
        for text in [
            "python:2.7",
            "library/python:2.7",
            "docker.io/python:2.7",
            "docker.io/library/python:2.7",
            "index.docker.io/library/python:2.7",
            "registry-1.docker.io/library/python:2.7",
            "public.ecr.aws/docker/library/python:2.7",
            "mirror.gcr.io/library/python:2.7",
            &format!("python:2.7@{DIGEST}"),
        ] {
            assert_row(text, "Python", "2.7");
        }
        // A private image named like an official one is someone else's.
        assert_none("myregistry.io/python:2.7");
        assert_none("ghcr.io/library/python:2.7");
        assert_none("someone/python:2.7");
        assert_none("public.ecr.aws/someone/python:2.7");
        assert_none("myregistry.io/centos");
        // No tag, `latest`, or a digest alone: the version is unknown.
        assert_none("python");
        assert_none("python:latest");
        assert_none(&format!("python@{DIGEST}"));
        assert_none("debian");
    }
}
