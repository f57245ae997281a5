use plimsoll_kubernetes::{Object, string};
use plimsoll_linter::{Check, KubernetesCtx, Reporter, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags entries of OPA Gatekeeper image allow-lists that admit more than they name: an entry of a
    /// `K8sAllowedRepos` constraint's `spec.parameters.repos` that does not end in `/`, `:` or `@`, and a
    /// wildcard entry of a `K8sAllowedReposv2` constraint's `spec.parameters.allowedImages` whose `*`
    /// does not follow one of them (`myorg*`, `*`).
    ///
    /// Constraints of other kinds whose name contains `AllowedRepos` (copies of the library template
    /// under another name) are read the same way. An entry without `*` in `allowedImages` is an exact
    /// match and always passes.
    ///
    /// ## Why is this bad?
    /// `K8sAllowedRepos` admits an image when its reference starts with one of the entries, character for
    /// character. `docker.io/myorg` therefore also admits `docker.io/myorg-evil/miner`, and
    /// `registry.example.com` admits `registry.example.com.attacker.net/app`: anyone can register such a
    /// name on a public registry, so the policy meant to keep untrusted images out lets them in. Ending
    /// the entry with `/` (a namespace or registry), `:` (the tags of one repository) or `@` (its
    /// digests) makes it name exactly what was meant. The same holds for the text before the `*` of a
    /// `K8sAllowedReposv2` pattern.
    ///
    /// ## Example
    /// ```kubernetes,bad
    /// apiVersion: constraints.gatekeeper.sh/v1beta1
    /// kind: K8sAllowedRepos
    /// metadata:
    ///   name: repo-is-myorg
    /// spec:
    ///   match:
    ///     kinds:
    ///       - apiGroups: [""]
    ///         kinds: ["Pod"]
    ///   parameters:
    ///     repos:
    ///       - "docker.io/myorg"
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: constraints.gatekeeper.sh/v1beta1
    /// kind: K8sAllowedRepos
    /// metadata:
    ///   name: repo-is-myorg
    /// spec:
    ///   match:
    ///     kinds:
    ///       - apiGroups: [""]
    ///         kinds: ["Pod"]
    ///   parameters:
    ///     repos:
    ///       - "docker.io/myorg/"
    /// ```
    ///
    /// ## References
    /// - [Gatekeeper library: Allowed Repositories](https://github.com/open-policy-agent/gatekeeper-library/tree/master/library/general/allowedrepos)
    /// - [Gatekeeper library: Allowed Images (K8sAllowedReposv2)](https://github.com/open-policy-agent/gatekeeper-library/tree/master/library/general/allowedreposv2)
    code: "IMG032",
    name: "allowed-repos-prefix-open",
    family: Img,
    severity: Warning,
    formats: [Kubernetes],
    aliases: ["KSV-0124"],
    checks: [Check::Kubernetes(check)],
}

/// Characters that end a repository prefix exactly: a path separator, the start of a tag or of a digest.
const BOUNDARIES: [char; 3] = ['/', ':', '@'];

fn check(ctx: &KubernetesCtx, r: &mut Reporter) {
    let tree = ctx.tree;
    for constraint in ctx.manifest.objects.iter().filter(|o| is_allowed_repos(o)) {
        let Some(parameters) = tree.path(constraint.node, &["spec", "parameters"]) else { continue };
        // `repos`: plain prefixes.
        for entry in tree.get(parameters, "repos").map_or(&[][..], |l| tree.items(l)) {
            let Some(prefix) = string(tree, *entry) else { continue };
            if !prefix.value.ends_with(BOUNDARIES) {
                // An empty entry has no text of its own to point at: show its quotes.
                let range = if prefix.value.is_empty() { tree.node(*entry).range } else { prefix.range };
                r.report(range, message(&prefix.value, &prefix.value)).help(help(&prefix.value));
            }
        }
        // `allowedImages`: exact names, or a prefix followed by `*`.
        for entry in tree.get(parameters, "allowedImages").map_or(&[][..], |l| tree.items(l)) {
            let Some(pattern) = string(tree, *entry) else { continue };
            let Some(prefix) = pattern.value.strip_suffix('*') else { continue };
            if !prefix.ends_with(BOUNDARIES) {
                r.report(pattern.range, message(&pattern.value, prefix)).help(help(prefix));
            }
        }
    }
}

/// A Gatekeeper constraint of the allowed-repositories family (a deny list, `K8sDisallowedRepos`, only
/// denies more when its entries are open).
fn is_allowed_repos(object: &Object) -> bool {
    let kind = object.kind.value.to_ascii_lowercase();
    object.group() == "constraints.gatekeeper.sh"
        && kind.contains("allowedrepos")
        && !kind.contains("disallowed")
}

fn message(entry: &str, prefix: &str) -> String {
    if entry.is_empty() {
        return "An empty allowed-image entry admits every image".to_string();
    }
    if prefix.is_empty() {
        return format!("The allowed-image entry `{entry}` admits every image");
    }
    format!(
        "The allowed-image entry `{entry}` also admits any image whose name merely starts with `{prefix}`"
    )
}

fn help(prefix: &str) -> String {
    if prefix.is_empty() {
        return "List the registries or repositories to allow, each ending in `/` (or `:` for one repository's tags)."
            .to_string();
    }
    format!(
        "End the entry with `/` (`{prefix}/`) to allow that registry or namespace, or `:` to allow one repository's tags."
    )
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_k8s_clean, k8s_spans, lint_k8s};

    fn constraint(kind: &str, parameters: &str) -> String {
        format!(
            "apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: {kind}\nmetadata:\n  name: c\nspec:\n  match:\n    kinds: [{{apiGroups: [\"\"], kinds: [Pod]}}]\n  parameters:\n{parameters}"
        )
    }

    #[test]
    fn open_prefixes_point_at_the_entry() {
        let yaml = constraint(
            "K8sAllowedRepos",
            "    repos:\n      - \"docker.io/myorg\"\n      - gcr.io/\n      - registry.example.com\n      - nginx:\n      - ghcr.io/org/app@\n",
        );
        assert_eq!(k8s_spans(&RULE, &yaml), ["docker.io/myorg", "registry.example.com"]);
        let found = lint_k8s(&RULE, &yaml);
        assert_eq!(
            found[0].message,
            "The allowed-image entry `docker.io/myorg` also admits any image whose name merely starts with `docker.io/myorg`"
        );
        assert_eq!(
            found[0].help.as_deref(),
            Some(
                "End the entry with `/` (`docker.io/myorg/`) to allow that registry or namespace, or `:` to allow one repository's tags."
            )
        );
        let yaml = constraint("K8sAllowedRepos", "    repos: [\"\"]\n");
        assert_eq!(k8s_spans(&RULE, &yaml), ["\"\""]);
        assert_eq!(lint_k8s(&RULE, &yaml)[0].message, "An empty allowed-image entry admits every image");
    }

    #[test]
    fn v2_wildcards_and_renamed_templates() {
        let yaml = constraint(
            "K8sAllowedReposv2",
            "    allowedImages:\n      - \"openpolicyagent/*\"\n      - myorg*\n      - \"ubuntu:20.04\"\n      - \"*\"\n      - 123456789123.dkr.ecr.eu-west-1.amazonaws.com/postgres\n",
        );
        assert_eq!(k8s_spans(&RULE, &yaml), ["myorg*", "*"]);
        assert_eq!(lint_k8s(&RULE, &yaml)[1].message, "The allowed-image entry `*` admits every image");
        let yaml = constraint("ProdAllowedRepos", "    repos: [quay.io/team]\n");
        assert_eq!(k8s_spans(&RULE, &yaml), ["quay.io/team"]);
    }

    #[test]
    fn closed_prefixes_deny_lists_and_other_groups_pass() {
        assert_k8s_clean(
            &RULE,
            &constraint(
                "K8sAllowedRepos",
                "    repos:\n      - openpolicyagent/\n      - quay.io/org/app:\n",
            ),
        );
        // A deny-list entry that matches more only denies more.
        assert_k8s_clean(&RULE, &constraint("K8sDisallowedRepos", "    repos: [k8s.gcr.io]\n"));
        let other = constraint("K8sAllowedRepos", "    repos: [docker.io/myorg]\n")
            .replace("constraints.gatekeeper.sh/v1beta1", "example.com/v1");
        assert_k8s_clean(&RULE, &other);
        assert_k8s_clean(&RULE, &constraint("K8sAllowedRepos", "    repos: []\n"));
    }
}
