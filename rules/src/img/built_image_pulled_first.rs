use plimsoll_linter::{Check, ComposeCtx, Reporter, declare_rule};
use plimsoll_yaml::{NodeId, Tree};

declare_rule! {
    /// ## What it does
    /// Flags Compose services that set both `build:` and `image:` without a `pull_policy` that makes
    /// Compose build: Compose then pulls the `image:` name from its registry first and only builds when the
    /// pull fails.
    ///
    /// ## Why is this bad?
    /// With both keys, `image:` is meant to name the image the build produces. But without
    /// `pull_policy: build` (or `never`), Compose tries the registry first: a service that builds
    /// `image: alpine` runs Docker Hub's `alpine` instead of your Dockerfile, and a name that nobody owns
    /// yet (`image: acme-worker`, `image: someone/app`) runs whatever a stranger publishes under it later.
    /// The container silently stops being the code you reviewed.
    ///
    /// ## Example
    /// ```compose,bad
    /// services:
    ///   worker:
    ///     build: ./worker
    ///     image: acme-worker
    /// ```
    ///
    /// Use instead:
    /// ```compose,good
    /// services:
    ///   worker:
    ///     build: ./worker
    ///     image: registry.example.com/acme/worker:2.1
    ///     pull_policy: build
    /// ```
    ///
    /// ## References
    /// - [Compose: using build and image](https://docs.docker.com/reference/compose-file/build/#using-build-and-image)
    /// - [Compose: pull_policy](https://docs.docker.com/reference/compose-file/services/#pull_policy)
    code: "IMG023",
    name: "built-image-pulled-first",
    family: Img,
    severity: Warning,
    formats: [Compose],
    aliases: [],
    checks: [Check::Compose(check)],
}

fn check(ctx: &ComposeCtx, r: &mut Reporter) {
    let tree = ctx.tree;
    for root in tree.documents.iter().filter_map(|d| d.root) {
        let Some(services) = tree.get(root, "services") else { continue };
        for entry in tree.entries(services) {
            let service = entry.value;
            if tree.get(service, "build").is_none() || builds_first(tree, service) {
                continue;
            }
            let Some(image) = tree.get(service, "image") else { continue };
            let Some(name) = tree.text(image).filter(|n| !n.is_empty()) else { continue };
            r.report(
                tree.value_range(image),
                format!("Compose pulls `{name}` from its registry before building this service's image"),
            )
            .help(
                "Add `pull_policy: build` so Compose builds the image, and name it in a registry namespace you \
                 control (`registry.example.com/team/app`).",
            );
        }
    }
}

/// `pull_policy: build` or `never`: Compose does not look for the image in a registry first.
fn builds_first(tree: &Tree, service: NodeId) -> bool {
    matches!(tree.get(service, "pull_policy").and_then(|p| tree.text(p)), Some("build" | "never"))
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_compose_clean, compose_spans, lint_compose};

    #[test]
    fn built_services_with_a_pullable_name_point_at_it() {
        let yaml = "services:\n  a:\n    build: .\n    image: alpine\n  b:\n    build: {context: ./b}\n    image: \"someone/app:1.0\"\n    pull_policy: missing\n";
        assert_eq!(compose_spans(&RULE, yaml), ["alpine", "someone/app:1.0"]);
        assert_eq!(
            lint_compose(&RULE, yaml)[0].message,
            "Compose pulls `alpine` from its registry before building this service's image"
        );
    }

    #[test]
    fn build_policies_and_single_keys_pass() {
        assert_compose_clean(
            &RULE,
            "services:\n  a:\n    build: .\n    image: acme/a\n    pull_policy: build\n",
        );
        assert_compose_clean(
            &RULE,
            "services:\n  a:\n    build: .\n    image: acme/a\n    pull_policy: never\n",
        );
        assert_compose_clean(&RULE, "services:\n  a:\n    build: .\n  b:\n    image: nginx:1.27\n");
    }
}
