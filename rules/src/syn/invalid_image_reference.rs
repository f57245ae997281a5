use plimsoll_linter::{Check, ComposeCtx, Reporter, declare_rule};
use plimsoll_model::{ImageSpec, ImageUse};
use plimsoll_span::TextRange;
use plimsoll_yaml::Style;

declare_rule! {
    /// ## What it does
    /// Reports an image reference that Docker or the kubelet would reject, such as a repository name with
    /// upper-case letters (`FROM baseImage`, Compose or Kubernetes `image: MyApp:1.0`) or a leftover template
    /// placeholder (`FROM REPLACE-ME`). In Compose this includes the `image:` of a service that has a
    /// `build:` section, the name the built image is tagged with. The Kubernetes API server accepts any
    /// image text: the pod is created and its container then fails to start with `InvalidImageName`.
    ///
    /// ## Why is this bad?
    /// The build or the deployment fails when it reaches this reference, and until then nothing in the file
    /// says which image was meant. plimsoll still applies its image rules to the lower-cased reading.
    ///
    /// ## Example
    /// ```dockerfile,bad
    /// FROM baseImage
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile,good
    /// FROM baseimage:1.0
    /// ```
    ///
    /// In a Compose file:
    /// ```compose,bad
    /// services:
    ///   api:
    ///     build: .
    ///     image: Acme/API:1.0
    /// ```
    ///
    /// Use instead:
    /// ```compose,good
    /// services:
    ///   api:
    ///     build: .
    ///     image: acme/api:1.0
    /// ```
    ///
    /// In a Kubernetes manifest:
    /// ```kubernetes,bad
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: api
    /// spec:
    ///   containers:
    ///     - name: api
    ///       image: Acme/API:1.0
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: api
    /// spec:
    ///   containers:
    ///     - name: api
    ///       image: acme/api:1.0
    /// ```
    ///
    /// ## References
    /// - [The distribution reference grammar](https://github.com/distribution/reference/blob/main/reference.go)
    code: "SYN004",
    name: "invalid-image-reference",
    family: Syn,
    severity: Error,
    formats: [Dockerfile, Compose, Kubernetes],
    aliases: [],
    checks: [Check::Image(check), Check::Compose(built_image_names)],
}

fn check(image: &ImageUse, r: &mut Reporter) {
    report(&image.spec, &image.written, image.range, r);
}

fn report(spec: &ImageSpec, written: &str, range: TextRange, r: &mut Reporter) {
    let ImageSpec::Invalid { lenient, error } = spec else { return };
    let error = error.strip_prefix(&format!("invalid image reference `{written}`: ")).unwrap_or(error);
    r.report(range, format!("Image reference `{written}` is not valid: {error}"))
        .help(format!("Use a valid reference; repository names are lower-case: `{lenient}`."));
}

/// The `image:` of a service that builds its image is the name the build is tagged with; it is not an image
/// use of the model (nothing is pulled), but Compose rejects an invalid one all the same.
fn built_image_names(ctx: &ComposeCtx, r: &mut Reporter) {
    let tree = ctx.tree;
    let Some(services) =
        tree.documents.iter().filter_map(|d| d.root).find_map(|root| tree.get(root, "services"))
    else {
        return;
    };
    for entry in tree.entries(services) {
        if tree.get(entry.value, "build").is_none() {
            continue;
        }
        let Some(node) = tree.get(entry.value, "image") else { continue };
        let Some(scalar) = tree.scalar(node) else { continue };
        let value = plimsoll_compose::interpolate(&scalar.text);
        if !value.complete {
            continue;
        }
        let mut range = tree.node(node).range;
        // Point inside the quotes when the quoted text is the value as written.
        let quoted = matches!(scalar.style, Style::SingleQuoted | Style::DoubleQuoted);
        if quoted && range.len() as usize == scalar.text.len() + 2 {
            range = TextRange::new(range.start + 1, range.end - 1);
        }
        report(&ImageSpec::from_text(&value.text), &scalar.text, range, r);
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_clean, assert_compose_clean, compose_spans, lint_compose, spans};
    use crate::testing::{assert_k8s_clean, k8s_spans, lint_k8s};

    #[test]
    fn upper_case_repositories_are_invalid() {
        assert_eq!(spans(&RULE, "FROM baseImage\n"), ["baseImage"]);
        assert_eq!(spans(&RULE, "FROM REPLACE-ME AS x\n"), ["REPLACE-ME"]);
        assert_eq!(spans(&RULE, "FROM a:1\nCOPY --from=Tools:1 /x /x\n"), ["Tools:1"]);
    }

    #[test]
    fn valid_and_unresolved_references_pass() {
        assert_clean(&RULE, "FROM GHCR.io/org/app:V1\n");
        assert_clean(&RULE, "ARG X\nFROM $X\n");
        assert_clean(&RULE, "FROM scratch\n");
    }

    #[test]
    fn compose_images_and_built_image_names() {
        let yaml =
            "services:\n  web:\n    image: Nginx:1.27\n  api:\n    build: .\n    image: \"Acme/API:1.0\"\n";
        assert_eq!(compose_spans(&RULE, yaml), ["Nginx:1.27", "Acme/API:1.0"]);
        let found = lint_compose(&RULE, yaml);
        assert_eq!(
            found[0].message,
            "Image reference `Nginx:1.27` is not valid: repository path `Nginx` must be lower-case"
        );
        assert_eq!(
            found[1].help.as_deref(),
            Some("Use a valid reference; repository names are lower-case: `acme/api:1.0`.")
        );
    }

    #[test]
    fn compose_valid_and_unresolved_names_pass() {
        assert_compose_clean(
            &RULE,
            "services:\n  web:\n    image: nginx:1.27\n  api:\n    build: .\n    image: acme/api:${TAG}\n",
        );
        assert_compose_clean(&RULE, "services:\n  api:\n    build: .\n    image: ${IMAGE}\n");
        assert_compose_clean(&RULE, "services:\n  api:\n    build: .\n");
    }

    /// A Pod whose container `app` runs `image`.
    fn k8s(image: &str) -> String {
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: app\n      image: {image}\n"
        )
    }

    #[test]
    fn kubernetes_containers_point_at_the_image() {
        let yaml = k8s("\"MyApp:1.0\"");
        assert_eq!(k8s_spans(&RULE, &yaml), ["MyApp:1.0"]);
        assert_eq!(
            lint_k8s(&RULE, &yaml)[0].help.as_deref(),
            Some("Use a valid reference; repository names are lower-case: `myapp:1.0`.")
        );
        assert_k8s_clean(&RULE, &k8s("myapp:1.0"));
        assert_k8s_clean(&RULE, &k8s("${IMAGE}"));
    }
}
