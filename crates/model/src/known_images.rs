//! Base images whose default user is documented: images that run as a non-root user unless told otherwise
//! (distroless `nonroot` tags, Chainguard, Bitnami, `nginx-unprivileged`, …) and Windows images, where the
//! Linux root-user rules do not apply. Rules use this to avoid flagging "runs as root" when no `USER` is set
//! but the base image already drops privileges.

use crate::ImageRef;

/// What is known about an image's default user.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KnownUser {
    /// The image runs as this non-root user by default (e.g. `65532 (nonroot)`).
    NonRoot(&'static str),
    /// A Windows image: users are `ContainerUser`/`ContainerAdministrator`, Linux user rules do not apply.
    Windows,
}

const DISTROLESS_NONROOT: &str = "65532 (nonroot)";
const CHAINGUARD_NONROOT: &str = "65532 (nonroot)";
const NGINX_UNPRIVILEGED: &str = "101 (nginx)";
const BITNAMI: &str = "1001 (the non-root user of most Bitnami images)";
const DOTNET_APP: &str =
    "app (the non-root user of .NET chiseled and distroless images; uid 1654 since .NET 8)";
const BY_NAME: &str = "a non-root user (going by the image's name or tag)";

/// Whether a reference that could not be resolved (`mcr.microsoft.com/windows/servercore:$VERSION`) still
/// names a Windows base image.
pub fn mentions_windows(reference: &str) -> bool {
    let lower = reference.to_ascii_lowercase();
    ["windows", "servercore", "nanoserver"].iter().any(|marker| lower.contains(marker))
}

/// The documented default user of `image`, when it is not root (or the image is a Windows one).
///
/// - Windows: `mcr.microsoft.com/windows[/…]` (`servercore`, `nanoserver`, `server`), .NET Framework images
///   (`mcr.microsoft.com/dotnet/framework/…`, Windows-only), repositories named `windowsservercore` or
///   `nanoserver`, and any tag containing `windowsservercore` or `nanoserver`
///   (`mcr.microsoft.com/dotnet/aspnet:8.0-nanoserver-ltsc2022`, `python:3.12-windowsservercore`).
/// - distroless (`gcr.io/distroless/…`) tags containing `nonroot`: uid 65532. Other distroless tags run as
///   root.
/// - Chainguard (`cgr.dev/…`): nonroot (65532) by default, except the `-dev` variants (which include a shell
///   and package manager and are not documented as non-root for every image) and the OS base images
///   (`wolfi-base`, `chainguard-base`, `busybox`), which are meant to be built on and may run as root.
/// - `nginx-unprivileged` (`nginxinc/nginx-unprivileged`, `nginx/nginx-unprivileged`, and their GHCR
///   copies): uid 101.
/// - Bitnami (`bitnami/…`, `bitnamilegacy/…`, `bitnamisecure/…` on Docker Hub, `public.ecr.aws/bitnami/…`):
///   uid 1001 for most images (Bitnami's "non-root containers"); `minideb`, the Debian base, runs as root and
///   is excluded. A few Bitnami images still run as root; this is a documented default, not a guarantee.
/// - .NET chiseled and distroless images (`mcr.microsoft.com/dotnet/…:8.0-noble-chiseled`): the `app` user.
/// - Any other image whose repository path or tag contains `rootless`, `unprivileged` or `nonroot`
///   (`docker:dind-rootless`, `moby/buildkit:rootless`).
pub fn default_user(image: &ImageRef) -> Option<KnownUser> {
    let registry = image.registry().to_ascii_lowercase();
    let path = image.path.as_str();
    let name = image.name();
    let tag = image.tag.as_deref().unwrap_or("").to_ascii_lowercase();
    let tag_tokens = || tag.split(['-', '.', '_']);

    let mcr = registry == "mcr.microsoft.com";
    let windows_repository =
        mcr && (path == "windows" || path.starts_with("windows/") || path.starts_with("dotnet/framework/"));
    if windows_repository
        || matches!(name, "windowsservercore" | "nanoserver")
        || tag.contains("windowsservercore")
        || tag.contains("nanoserver")
    {
        return Some(KnownUser::Windows);
    }

    if registry == "gcr.io" && path.starts_with("distroless/") {
        return tag.contains("nonroot").then_some(KnownUser::NonRoot(DISTROLESS_NONROOT));
    }

    if registry == "cgr.dev" {
        let base_image = matches!(name, "wolfi-base" | "chainguard-base" | "busybox");
        let dev = tag_tokens().any(|token| token == "dev");
        return (!base_image && !dev).then_some(KnownUser::NonRoot(CHAINGUARD_NONROOT));
    }

    if name == "nginx-unprivileged" && matches!(registry.as_str(), "docker.io" | "ghcr.io") {
        return Some(KnownUser::NonRoot(NGINX_UNPRIVILEGED));
    }

    let namespace = path.split('/').next().unwrap_or(path);
    let bitnami = match registry.as_str() {
        "docker.io" => matches!(namespace, "bitnami" | "bitnamilegacy" | "bitnamisecure"),
        "public.ecr.aws" => namespace == "bitnami",
        _ => false,
    };
    if bitnami && path.contains('/') && name != "minideb" {
        return Some(KnownUser::NonRoot(BITNAMI));
    }

    if mcr && path.starts_with("dotnet/") && (tag.contains("chiseled") || tag.contains("distroless")) {
        return Some(KnownUser::NonRoot(DOTNET_APP));
    }

    let path_lower = path.to_ascii_lowercase();
    if ["rootless", "unprivileged", "nonroot"]
        .iter()
        .any(|word| path_lower.contains(word) || tag.contains(word))
    {
        return Some(KnownUser::NonRoot(BY_NAME));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(text: &str) -> Option<KnownUser> {
        default_user(&ImageRef::parse(text).unwrap_or_else(|e| panic!("{text}: {e}")))
    }

    #[test]
    fn distroless() {
        for text in [
            "gcr.io/distroless/static:nonroot",
            "gcr.io/distroless/static-debian12:nonroot-amd64",
            "gcr.io/distroless/base:debug-nonroot",
            "gcr.io/distroless/java17-debian12:latest-nonroot",
        ] {
            assert_eq!(user(text), Some(KnownUser::NonRoot("65532 (nonroot)")), "{text}");
        }
        for text in
            ["gcr.io/distroless/static", "gcr.io/distroless/static:latest", "gcr.io/distroless/base:debug"]
        {
            assert_eq!(user(text), None, "{text}");
        }
    }

    #[test]
    fn chainguard() {
        for text in
            ["cgr.dev/chainguard/static", "cgr.dev/chainguard/python:latest", "cgr.dev/chainguard/go:1.23"]
        {
            assert_eq!(user(text), Some(KnownUser::NonRoot("65532 (nonroot)")), "{text}");
        }
        for text in [
            "cgr.dev/chainguard/python:latest-dev",
            "cgr.dev/chainguard/node:22-dev",
            "cgr.dev/chainguard/wolfi-base",
        ] {
            assert_eq!(user(text), None, "{text}");
        }
    }

    #[test]
    fn nginx_unprivileged() {
        for text in [
            "nginxinc/nginx-unprivileged",
            "nginxinc/nginx-unprivileged:1.27-alpine",
            "ghcr.io/nginx/nginx-unprivileged:stable",
        ] {
            assert_eq!(user(text), Some(KnownUser::NonRoot("101 (nginx)")), "{text}");
        }
        assert_eq!(user("nginx:1.27"), None);
    }

    #[test]
    fn bitnami() {
        for text in [
            "bitnami/redis:7.2",
            "docker.io/bitnami/postgresql",
            "bitnamilegacy/kafka:3.6",
            "public.ecr.aws/bitnami/nginx",
        ] {
            assert!(matches!(user(text), Some(KnownUser::NonRoot(u)) if u.starts_with("1001")), "{text}");
        }
        assert_eq!(user("bitnami/minideb:bookworm"), None);
        assert_eq!(user("myregistry.io/bitnami/redis"), None);
    }

    #[test]
    fn windows() {
        for text in [
            "mcr.microsoft.com/windows/servercore:ltsc2022",
            "mcr.microsoft.com/windows/nanoserver:ltsc2022",
            "mcr.microsoft.com/windows/server:ltsc2025",
            "mcr.microsoft.com/windows:ltsc2019",
            "mcr.microsoft.com/powershell:lts-nanoserver-ltsc2022",
            "mcr.microsoft.com/dotnet/aspnet:8.0-nanoserver-ltsc2022",
            "mcr.microsoft.com/dotnet/framework/aspnet:4.8",
            "python:3.12-windowsservercore-ltsc2022",
            "golang:1.23-nanoserver",
            "microsoft/nanoserver",
        ] {
            assert_eq!(user(text), Some(KnownUser::Windows), "{text}");
        }
        assert_eq!(user("mcr.microsoft.com/dotnet/aspnet:8.0"), None);
        assert_eq!(user("mcr.microsoft.com/powershell:lts-ubuntu-22.04"), None);
    }

    #[test]
    fn dotnet_chiseled() {
        for text in [
            "mcr.microsoft.com/dotnet/aspnet:8.0-jammy-chiseled",
            "mcr.microsoft.com/dotnet/runtime:9.0-azurelinux3.0-distroless",
        ] {
            assert!(matches!(user(text), Some(KnownUser::NonRoot(u)) if u.starts_with("app")), "{text}");
        }
    }

    #[test]
    fn by_name_or_tag() {
        for text in [
            "docker:27-dind-rootless",
            "moby/buildkit:rootless",
            "ghcr.io/org/app-nonroot:1",
            "example.com/unprivileged/app",
        ] {
            assert_eq!(user(text), Some(KnownUser::NonRoot(BY_NAME)), "{text}");
        }
        for text in [
            "nginx",
            "python:3.12",
            "ubuntu:24.04",
            "ghcr.io/org/app:1.0",
            "alpine@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        ] {
            assert_eq!(user(text), None, "{text}");
        }
    }
}
