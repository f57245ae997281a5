use plimsoll_kubernetes::string;
use plimsoll_linter::{Check, KubernetesCtx, Reporter, declare_rule};
use plimsoll_model::ImageSpec;
use plimsoll_span::TextRange;
use plimsoll_yaml::{NodeId, Tree};

use crate::support::pods;

declare_rule! {
    /// ## What it does
    /// Flags Kubernetes containers that tell git-sync which program to run as `git`: the environment
    /// variable `GITSYNC_GIT` (git-sync v4) or `GIT_SYNC_GIT` (v3), in any container, or the `--git` flag in
    /// the arguments of a git-sync container.
    ///
    /// A value that names the standard `git` binary (`git`, `/usr/bin/git`, `/bin/git`,
    /// `/usr/local/bin/git`) is not reported. A value taken from a ConfigMap, a Secret or a field
    /// (`valueFrom`) is: whoever can change that object chooses the program.
    ///
    /// ## Why is this bad?
    /// git-sync runs the program it is given in place of `git`, with the sidecar's credentials (the
    /// repository's SSH key or token, the pod's service account) and its access to the volume it shares
    /// with the application. Pointed at a file in a writable volume, or at any other program, the setting
    /// turns git-sync into a way to run arbitrary commands inside the pod each time it syncs, and to
    /// tamper with the code the application serves. git-sync documents the setting as meant mostly for
    /// testing and does not restrict it, so the manifest is the place to catch it.
    ///
    /// ## Example
    /// ```kubernetes,bad
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: blog
    /// spec:
    ///   containers:
    ///     - name: git-sync
    ///       image: registry.k8s.io/git-sync/git-sync:v4.4.0
    ///       env:
    ///         - name: GITSYNC_REPO
    ///           value: https://github.com/example/blog
    ///         - name: GITSYNC_GIT
    ///           value: /tmp/payload/git
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: blog
    /// spec:
    ///   containers:
    ///     - name: git-sync
    ///       image: registry.k8s.io/git-sync/git-sync:v4.4.0
    ///       env:
    ///         - name: GITSYNC_REPO
    ///           value: https://github.com/example/blog
    /// ```
    ///
    /// ## References
    /// - [git-sync: manual (`--git`, "the git command to run")](https://github.com/kubernetes/git-sync/blob/master/README.md)
    code: "SEC013",
    name: "git-sync-command-injection",
    family: Sec,
    severity: Warning,
    formats: [Kubernetes],
    aliases: ["CKV_K8S_159"],
    checks: [Check::Kubernetes(check)],
}

/// The variables through which git-sync v4 and v3 take the program to run as git.
const VARIABLES: [&str; 2] = ["GITSYNC_GIT", "GIT_SYNC_GIT"];

/// Where the standard git binary is installed: naming it changes nothing.
const STANDARD_GIT: [&str; 4] = ["git", "/usr/bin/git", "/bin/git", "/usr/local/bin/git"];

const HELP: &str = "Remove the setting and let git-sync run the image's own `git`; restrict who may edit this \
                    workload.";

fn check(ctx: &KubernetesCtx, r: &mut Reporter) {
    let tree = ctx.tree;
    for pod in pods::pod_specs(ctx) {
        for container in pods::containers(tree, pod.spec) {
            environment(tree, container, r);
            if is_git_sync(tree, container) {
                flags(tree, container, r);
            }
        }
    }
}

/// `GITSYNC_GIT` in the container's `env` list.
fn environment(tree: &Tree, container: NodeId, r: &mut Reporter) {
    let Some(env) = tree.get(container, "env") else { return };
    for &var in tree.items(env) {
        let Some(name) = tree.get(var, "name").and_then(|n| string(tree, n)) else { continue };
        if !VARIABLES.contains(&name.value.as_str()) {
            continue;
        }
        match tree.get(var, "value").and_then(|v| string(tree, v)) {
            // An empty value leaves git-sync's default.
            Some(value) if value.value.trim().is_empty() || STANDARD_GIT.contains(&value.value.trim()) => {}
            Some(value) => report(r, value.range, &name.value, &value.value),
            None if tree.get(var, "valueFrom").is_some() => {
                r.report(
                    name.range,
                    format!(
                        "`{}` takes the program git-sync runs as git from another object, so whoever edits it can run \
                         any command in the pod",
                        name.value
                    ),
                )
                .help(HELP);
            }
            None => {}
        }
    }
}

/// `--git=<program>` or `--git <program>` in a git-sync container's arguments.
fn flags(tree: &Tree, container: NodeId, r: &mut Reporter) {
    let words: Vec<_> = ["command", "args"]
        .iter()
        .filter_map(|key| tree.get(container, key))
        .flat_map(|list| tree.items(list).iter().filter_map(|&w| string(tree, w)))
        .collect();
    for (i, word) in words.iter().enumerate() {
        let text = word.value.trim_start_matches('-');
        let dashes = word.value.len() - text.len();
        if !(1..=2).contains(&dashes) {
            continue;
        }
        let program = match text.strip_prefix("git") {
            Some("") => words.get(i + 1).map(|next| (next.value.as_str(), next.range)),
            Some(rest) => rest.strip_prefix('=').map(|program| {
                // The program's own range when the word is written as is, else the whole word.
                let exact = word.range.len() as usize == word.value.len();
                let range = if exact {
                    TextRange::new(word.range.end - program.len() as u32, word.range.end)
                } else {
                    word.range
                };
                (program, range)
            }),
            None => None,
        };
        if let Some((program, range)) = program
            && !STANDARD_GIT.contains(&program.trim())
        {
            report(r, range, &format!("{}git", &word.value[..dashes]), program);
        }
    }
}

fn report(r: &mut Reporter, range: TextRange, setting: &str, program: &str) {
    r.report(
        range,
        format!("`{setting}` makes git-sync run `{program}` in place of git, with its credentials"),
    )
    .help(HELP);
}

/// A git-sync container, by its image's name (`registry.k8s.io/git-sync/git-sync`, the older
/// `k8s.gcr.io/git-sync`, mirrors of either).
fn is_git_sync(tree: &Tree, container: NodeId) -> bool {
    let Some(image) = tree.get(container, "image").and_then(|i| string(tree, i)) else { return false };
    match ImageSpec::from_text(&image.value) {
        ImageSpec::Ref(r) | ImageSpec::Invalid { lenient: r, .. } => r.name() == "git-sync",
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_k8s_clean, k8s_spans, lint_k8s, pod};

    fn git_sync(env: &str, args: &str) -> String {
        pod("", &format!("{env}{args}")).replace("nginx:1.27", "registry.k8s.io/git-sync/git-sync:v4.4.0")
    }

    #[test]
    fn variables_point_at_their_value() {
        let yaml =
            git_sync("      env:\n        - name: GITSYNC_GIT\n          value: /tmp/payload/payload\n", "");
        assert_eq!(k8s_spans(&RULE, &yaml), ["/tmp/payload/payload"]);
        assert_eq!(
            lint_k8s(&RULE, &yaml)[0].message,
            "`GITSYNC_GIT` makes git-sync run `/tmp/payload/payload` in place of git, with its credentials"
        );
        // v3's name, in an init container of another workload whose image is not recognised.
        let yaml = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      initContainers:\n        - name: sync\n          image: internal/sync:1\n          env: [{name: GIT_SYNC_GIT, value: \"/repo/hooks/git\"}]\n      containers: [{name: app, image: app:1}]\n";
        assert_eq!(k8s_spans(&RULE, yaml), ["/repo/hooks/git"]);
    }

    #[test]
    fn values_from_other_objects_point_at_the_name() {
        let yaml = git_sync(
            "      env:\n        - name: GITSYNC_GIT\n          valueFrom:\n            configMapKeyRef: {name: sync, key: git}\n",
            "",
        );
        assert_eq!(k8s_spans(&RULE, &yaml), ["GITSYNC_GIT"]);
    }

    #[test]
    fn git_flags_of_git_sync_containers() {
        let yaml = git_sync(
            "",
            "      args:\n        - --repo=https://github.com/example/blog\n        - --git=/tmp/x/git\n",
        );
        assert_eq!(k8s_spans(&RULE, &yaml), ["/tmp/x/git"]);
        assert_eq!(
            lint_k8s(&RULE, &yaml)[0].message,
            "`--git` makes git-sync run `/tmp/x/git` in place of git, with its credentials"
        );
        let yaml = git_sync("", "      command: [/git-sync, \"-git\", /data/run.sh]\n");
        assert_eq!(k8s_spans(&RULE, &yaml), ["/data/run.sh"]);
        let yaml = git_sync("", "      args: [\"--git='/tmp/g'\"]\n");
        assert_eq!(k8s_spans(&RULE, &yaml), ["'/tmp/g'"]);
    }

    #[test]
    fn standard_git_other_flags_and_other_images_pass() {
        assert_k8s_clean(
            &RULE,
            &git_sync("      env:\n        - name: GITSYNC_GIT\n          value: /usr/bin/git\n", ""),
        );
        assert_k8s_clean(
            &RULE,
            &git_sync(
                "      env:\n        - name: GITSYNC_GIT\n          value: \"\"\n        - name: GITSYNC_REPO\n          value: https://x/y\n",
                "",
            ),
        );
        assert_k8s_clean(
            &RULE,
            &git_sync("", "      args: [--git-config=safe.directory:*, --git=git, --github-app-id=1]\n"),
        );
        // `--git` means something else to other programs.
        assert_k8s_clean(&RULE, &pod("", "      args: [--git, /tmp/x]\n"));
    }
}
