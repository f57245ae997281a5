use plimsoll_kubernetes::{boolean, entry_range};
use plimsoll_linter::{Check, KubernetesCtx, Reporter, declare_rule};

use crate::support::pods;

declare_rule! {
    /// ## What it does
    /// Flags a ServiceAccount named `default` that the manifests define without
    /// `automountServiceAccountToken: false`. An explicit `automountServiceAccountToken: true` is reported
    /// at the field; a missing one, at the account's name.
    ///
    /// Pods that mount a token are reported by `service-account-token-automounted` (SEC010); this rule is
    /// about the namespace-wide default, which every pod that names no ServiceAccount of its own gets.
    ///
    /// ## Why is this bad?
    /// Every namespace has a `default` ServiceAccount, and every pod that names no other account runs as
    /// it with its API token mounted at `/var/run/secrets/kubernetes.io/serviceaccount`. Few of those pods
    /// call the Kubernetes API, yet anyone who compromises one of them holds the token, and any permission
    /// someone once granted to `default` to make something work. Turning the automount off on the
    /// account itself makes "no token" the namespace's default: pods that need the API name an account of
    /// their own, or opt back in with `automountServiceAccountToken: true` in their spec.
    ///
    /// ## Example
    /// ```kubernetes,bad
    /// apiVersion: v1
    /// kind: ServiceAccount
    /// metadata:
    ///   name: default
    ///   namespace: shop
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: v1
    /// kind: ServiceAccount
    /// metadata:
    ///   name: default
    ///   namespace: shop
    /// automountServiceAccountToken: false
    /// ```
    ///
    /// ## References
    /// - [Configure service accounts for pods: opt out of API credential automounting](https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting)
    /// - [Service accounts: the default service account](https://kubernetes.io/docs/concepts/security/service-accounts/#default-service-accounts)
    /// - CIS Kubernetes Benchmark v1.9, 5.1.5 "Ensure that default service accounts are not actively used"
    code: "SEC015",
    name: "default-service-account-automounts",
    family: Sec,
    severity: Info,
    formats: [Kubernetes],
    aliases: ["CKV_K8S_41"],
    checks: [Check::Kubernetes(check)],
}

const HELP: &str = "Set `automountServiceAccountToken: false` on the `default` ServiceAccount; give pods that call \
                    the Kubernetes API a ServiceAccount of their own.";

fn check(ctx: &KubernetesCtx, r: &mut Reporter) {
    let tree = ctx.tree;
    for account in pods::objects_of_kind(ctx, &["ServiceAccount"]) {
        if account.name.as_ref().is_none_or(|n| n.value != "default") {
            continue;
        }
        match tree.get(account.node, "automountServiceAccountToken").map(|v| boolean(tree, v)) {
            // Only a literal `false` turns it off; anything else the API server rejects or reads as on.
            Some(Some(false)) => {}
            Some(Some(true)) => {
                let range =
                    entry_range(tree, account.node, "automountServiceAccountToken").unwrap_or(account.anchor);
                r.report(range, "The `default` ServiceAccount mounts its token into every pod that names no other account")
                    .help(HELP);
            }
            _ => {
                r.report(
                    account.anchor,
                    "The `default` ServiceAccount mounts its token into every pod that names no other account, since \
                     `automountServiceAccountToken` is not false",
                )
                .help(HELP);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_k8s_clean, k8s_spans, lint_k8s, pod};

    const DEFAULT: &str =
        "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: default\n  namespace: shop\n";

    #[test]
    fn unset_points_at_the_name_and_true_at_the_field() {
        assert_eq!(k8s_spans(&RULE, DEFAULT), ["default"]);
        let yaml = format!("{DEFAULT}automountServiceAccountToken: true\n");
        assert_eq!(k8s_spans(&RULE, &yaml), ["automountServiceAccountToken: true"]);
        assert_eq!(
            lint_k8s(&RULE, &yaml)[0].message,
            "The `default` ServiceAccount mounts its token into every pod that names no other account"
        );
        // A quoted "false" is a string, which the API server rejects: not an opt-out.
        let yaml = format!("{DEFAULT}automountServiceAccountToken: \"false\"\n");
        assert_eq!(k8s_spans(&RULE, &yaml), ["default"]);
        let list = "apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ServiceAccount\n    metadata: {name: \"default\"}\n";
        assert_eq!(k8s_spans(&RULE, list), ["default"]);
    }

    #[test]
    fn opted_out_and_other_accounts_pass() {
        assert_k8s_clean(&RULE, &format!("{DEFAULT}automountServiceAccountToken: false\n"));
        assert_k8s_clean(&RULE, &DEFAULT.replace("name: default", "name: web"));
        // A pod running as `default` is SEC010's finding, not this rule's.
        assert_k8s_clean(&RULE, &pod("", ""));
        assert_k8s_clean(&RULE, "apiVersion: v1\nkind: Secret\nmetadata:\n  name: default\n");
    }
}
