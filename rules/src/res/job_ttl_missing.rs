use plimsoll_kubernetes::Object;
use plimsoll_linter::{Check, KubernetesCtx, Reporter, declare_rule};
use plimsoll_yaml::Tree;

use crate::support::pods;

declare_rule! {
    /// ## What it does
    /// Flags Jobs without `spec.ttlSecondsAfterFinished`: once they finish, the Job and its pods stay in
    /// the cluster until someone deletes them.
    ///
    /// Jobs that a deployment tool cleans up are not reported: Helm and Argo CD hooks
    /// (`helm.sh/hook`, `argocd.argoproj.io/hook`) with a `hook-delete-policy`, or with a fixed
    /// `metadata.name`, which both tools replace at the next run by default. The Jobs of a CronJob are not
    /// reported either: its `successfulJobsHistoryLimit` and `failedJobsHistoryLimit` (3 and 1 unless set)
    /// already delete old ones; nor are other Jobs with an owner (`metadata.ownerReferences`, as in
    /// `kubectl get -o yaml` output), which their owner's controller creates and deletes.
    ///
    /// The rule is off by default: it is housekeeping rather than security.
    ///
    /// ## Why is this bad?
    /// Finished Jobs pile up: every run leaves a Job and at least one completed pod, with its logs, in the
    /// API server's storage. Listing them slows down, object-count quotas fill up, and the pods of
    /// one-off tasks (migrations, imports) linger long after anyone looks at them. With a TTL, the Job
    /// controller deletes the Job and its pods the given number of seconds after the Job finishes.
    ///
    /// ## Example
    /// ```kubernetes,bad
    /// apiVersion: batch/v1
    /// kind: Job
    /// metadata:
    ///   name: migrate
    /// spec:
    ///   template:
    ///     spec:
    ///       restartPolicy: Never
    ///       containers:
    ///         - name: migrate
    ///           image: example/migrate:1.4
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: batch/v1
    /// kind: Job
    /// metadata:
    ///   name: migrate
    /// spec:
    ///   ttlSecondsAfterFinished: 86400
    ///   template:
    ///     spec:
    ///       restartPolicy: Never
    ///       containers:
    ///         - name: migrate
    ///           image: example/migrate:1.4
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: automatic cleanup for finished Jobs](https://kubernetes.io/docs/concepts/workloads/controllers/ttlafterfinished/)
    /// - [Kubernetes: CronJob jobs history limits](https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#jobs-history-limits)
    /// - [Helm: hook deletion policies](https://helm.sh/docs/topics/charts_hooks/#hook-deletion-policies)
    /// - [Argo CD: resource hooks](https://argo-cd.readthedocs.io/en/stable/user-guide/resource_hooks/)
    code: "RES015",
    name: "job-ttl-missing",
    family: Res,
    severity: Info,
    default_enabled: false,
    formats: [Kubernetes],
    aliases: ["job-ttl-seconds-after-finished"],
    checks: [Check::Kubernetes(check)],
}

fn check(ctx: &KubernetesCtx, r: &mut Reporter) {
    let tree = ctx.tree;
    for job in pods::objects_of_kind(ctx, &["Job"]) {
        if job.group() != "batch"
            || tree.path(job.node, &["spec", "ttlSecondsAfterFinished"]).is_some()
            || tree
                .path(job.node, &["metadata", "ownerReferences"])
                .is_some_and(|o| !tree.items(o).is_empty())
            || cleaned_up_by_a_deployment_tool(tree, job)
        {
            continue;
        }
        r.report(
            job.anchor,
            "Finished Job and its pods are never deleted, since `ttlSecondsAfterFinished` is not set",
        )
        .help(
            "Set `spec.ttlSecondsAfterFinished` (e.g. `86400`) so the Job and its pods are deleted a while \
             after it finishes.",
        );
    }
}

/// A Helm or Argo CD hook the tool deletes: one with a deletion policy, or one with a fixed name, which both
/// tools delete before they create it again unless told otherwise (a `generateName` hook gets a new name at
/// every run, so the old ones stay).
fn cleaned_up_by_a_deployment_tool(tree: &Tree, job: &Object) -> bool {
    let Some(annotations) = tree.path(job.node, &["metadata", "annotations"]) else { return false };
    let has = |key: &str| tree.get(annotations, key).is_some();
    let hook = has("helm.sh/hook") || has("argocd.argoproj.io/hook");
    has("helm.sh/hook-delete-policy")
        || has("argocd.argoproj.io/hook-delete-policy")
        || hook && job.name.is_some()
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_k8s_clean, k8s_spans, lint_k8s};

    fn job(metadata: &str, spec: &str) -> String {
        format!(
            "apiVersion: batch/v1\nkind: Job\nmetadata:\n{metadata}spec:\n{spec}  template:\n    spec:\n      restartPolicy: Never\n      containers:\n        - name: task\n          image: x:1\n"
        )
    }

    #[test]
    fn jobs_without_a_ttl_point_at_their_name() {
        let yaml = job("  name: import\n", "");
        assert_eq!(k8s_spans(&RULE, &yaml), ["import"]);
        let found = lint_k8s(&RULE, &yaml);
        assert_eq!(
            found[0].message,
            "Finished Job and its pods are never deleted, since `ttlSecondsAfterFinished` is not set"
        );
        // Without a name, the kind.
        assert_eq!(k8s_spans(&RULE, &job("  generateName: import-\n", "")), ["Job"]);
    }

    #[test]
    fn a_ttl_passes_even_zero() {
        assert_k8s_clean(&RULE, &job("  name: import\n", "  ttlSecondsAfterFinished: 3600\n"));
        assert_k8s_clean(&RULE, &job("  name: import\n", "  ttlSecondsAfterFinished: 0\n"));
    }

    #[test]
    fn hooks_that_tools_delete() {
        let helm = "  name: migrate\n  annotations:\n    helm.sh/hook: pre-upgrade\n";
        assert_k8s_clean(&RULE, &job(helm, ""));
        let argo = "  generateName: smoke-\n  annotations:\n    argocd.argoproj.io/hook: PostSync\n    argocd.argoproj.io/hook-delete-policy: HookSucceeded\n";
        assert_k8s_clean(&RULE, &job(argo, ""));
        // A generated name escapes the default policy, which deletes by name.
        let generated = "  generateName: smoke-\n  annotations:\n    argocd.argoproj.io/hook: PostSync\n";
        assert_eq!(k8s_spans(&RULE, &job(generated, "")), ["Job"]);
    }

    #[test]
    fn cron_jobs_their_jobs_and_other_groups_are_not_reported() {
        let cron = "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nightly\nspec:\n  schedule: \"0 3 * * *\"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n            - name: task\n              image: x:1\n";
        assert_k8s_clean(&RULE, cron);
        let owned = "  name: nightly-29000000\n  ownerReferences:\n    - {apiVersion: batch/v1, kind: CronJob, name: nightly, uid: 1, controller: true}\n";
        assert_k8s_clean(&RULE, &job(owned, ""));
        assert_k8s_clean(
            &RULE,
            "apiVersion: example.com/v1\nkind: Job\nmetadata:\n  name: other\nspec: {}\n",
        );
    }
}
