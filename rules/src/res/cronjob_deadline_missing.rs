use plimsoll_kubernetes::{entry_range, integer};
use plimsoll_linter::{Check, KubernetesCtx, Reporter, declare_rule};

use crate::support::pods;

declare_rule! {
    /// ## What it does
    /// Flags CronJobs without `spec.startingDeadlineSeconds`, and CronJobs whose deadline is under 10
    /// seconds, shorter than the interval at which the CronJob controller looks for runs to start.
    ///
    /// The rule is off by default: it is about when jobs run, not about security.
    ///
    /// ## Why is this bad?
    /// When a run is missed (the controller was down or overloaded, the cluster was being upgraded, or
    /// `concurrencyPolicy: Forbid` held it back behind a long previous run), a CronJob without a deadline
    /// starts it as soon as it can, however late: a nightly report or a backup meant for 3 a.m. runs in the
    /// middle of the working day, competing with the load it was scheduled to avoid. With a deadline the
    /// run is skipped once it is too late, and the controller only counts the runs missed within that
    /// window rather than every one since the last run. A deadline under 10 seconds can make the
    /// controller skip runs it was merely slow to see.
    ///
    /// ## Example
    /// ```kubernetes,bad
    /// apiVersion: batch/v1
    /// kind: CronJob
    /// metadata:
    ///   name: backup
    /// spec:
    ///   schedule: "0 3 * * *"
    ///   jobTemplate:
    ///     spec:
    ///       template:
    ///         spec:
    ///           restartPolicy: OnFailure
    ///           containers:
    ///             - name: backup
    ///               image: example/backup:2.0
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: batch/v1
    /// kind: CronJob
    /// metadata:
    ///   name: backup
    /// spec:
    ///   schedule: "0 3 * * *"
    ///   startingDeadlineSeconds: 1800
    ///   jobTemplate:
    ///     spec:
    ///       template:
    ///         spec:
    ///           restartPolicy: OnFailure
    ///           containers:
    ///             - name: backup
    ///               image: example/backup:2.0
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: CronJob, deadline for delayed Job start](https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#starting-deadline)
    /// - [Kubernetes: CronJob limitations](https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#cron-job-limitations)
    code: "RES016",
    name: "cronjob-deadline-missing",
    family: Res,
    severity: Info,
    default_enabled: false,
    formats: [Kubernetes],
    aliases: ["cronjob-has-deadline"],
    checks: [Check::Kubernetes(check)],
}

/// How often the CronJob controller looks for runs to start.
const CONTROLLER_INTERVAL_SECONDS: i64 = 10;

fn check(ctx: &KubernetesCtx, r: &mut Reporter) {
    let tree = ctx.tree;
    for cron_job in pods::objects_of_kind(ctx, &["CronJob"]) {
        if cron_job.group() != "batch" {
            continue;
        }
        let spec = tree.get(cron_job.node, "spec");
        let deadline = spec.and_then(|s| tree.get(s, "startingDeadlineSeconds"));
        match deadline {
            None => {
                r.report(
                    cron_job.anchor,
                    "CronJob sets no `startingDeadlineSeconds`, so a missed run starts however late it is",
                )
                .help("Set `spec.startingDeadlineSeconds` to how late a run may still start, e.g. `1800`.");
            }
            Some(node) => {
                let Some(seconds) = integer(tree, node).filter(|&s| s < CONTROLLER_INTERVAL_SECONDS) else {
                    continue;
                };
                let range = spec
                    .and_then(|s| entry_range(tree, s, "startingDeadlineSeconds"))
                    .unwrap_or(cron_job.anchor);
                r.report(
                    range,
                    format!(
                        "CronJob's `startingDeadlineSeconds: {seconds}` is shorter than the controller's \
                         {CONTROLLER_INTERVAL_SECONDS}-second check, so runs may be skipped"
                    ),
                )
                .help("Set `spec.startingDeadlineSeconds` to at least `10`, e.g. `300`.");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_k8s_clean, k8s_spans, lint_k8s};

    fn cron_job(deadline: &str) -> String {
        format!(
            "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: backup\nspec:\n  schedule: \"0 3 * * *\"\n{deadline}  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n            - name: backup\n              image: x:1\n"
        )
    }

    #[test]
    fn a_missing_deadline_points_at_the_name() {
        let yaml = cron_job("");
        assert_eq!(k8s_spans(&RULE, &yaml), ["backup"]);
        let found = lint_k8s(&RULE, &yaml);
        assert_eq!(
            found[0].message,
            "CronJob sets no `startingDeadlineSeconds`, so a missed run starts however late it is"
        );
        assert_eq!(
            found[0].help.as_deref(),
            Some("Set `spec.startingDeadlineSeconds` to how late a run may still start, e.g. `1800`.")
        );
        // batch/v1beta1 is the same kind.
        assert_eq!(k8s_spans(&RULE, &yaml.replace("batch/v1", "batch/v1beta1")), ["backup"]);
    }

    #[test]
    fn a_deadline_under_ten_seconds_points_at_the_field() {
        let yaml = cron_job("  startingDeadlineSeconds: 5\n");
        assert_eq!(k8s_spans(&RULE, &yaml), ["startingDeadlineSeconds: 5"]);
        assert_eq!(
            lint_k8s(&RULE, &yaml)[0].message,
            "CronJob's `startingDeadlineSeconds: 5` is shorter than the controller's 10-second check, so runs may be skipped"
        );
    }

    #[test]
    fn deadlines_of_ten_seconds_or_more_pass() {
        assert_k8s_clean(&RULE, &cron_job("  startingDeadlineSeconds: 10\n"));
        assert_k8s_clean(&RULE, &cron_job("  startingDeadlineSeconds: 3600\n"));
        // Not a number: the API server rejects it; nothing to say here.
        assert_k8s_clean(&RULE, &cron_job("  startingDeadlineSeconds: \"{{ .Values.deadline }}\"\n"));
        assert_k8s_clean(
            &RULE,
            "apiVersion: example.com/v1\nkind: CronJob\nmetadata:\n  name: other\nspec: {}\n",
        );
    }
}
