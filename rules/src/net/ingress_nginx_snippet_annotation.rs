use plimsoll_kubernetes::string;
use plimsoll_linter::{Check, KubernetesCtx, Reporter, declare_rule};
use plimsoll_span::TextRange;
use plimsoll_yaml::{NodeId, Tree};

use crate::support::pods;

declare_rule! {
    /// ## What it does
    /// Flags Ingress annotations that hand raw configuration to the NGINX ingress controller:
    ///
    /// - snippet annotations of ingress-nginx (`nginx.ingress.kubernetes.io/configuration-snippet`,
    ///   `server-snippet`, `auth-snippet`, `stream-snippet`, `modsecurity-snippet`, any `*-snippet`) and of
    ///   F5's NGINX Ingress Controller (`nginx.org/server-snippets`, `nginx.org/location-snippets`),
    ///   pointing at the annotation, or at the Lua directive (`content_by_lua_block`, any `*_by_lua*`) or
    ///   the `alias` directive the snippet contains;
    /// - the ingress-nginx annotations that were abused to smuggle configuration in (`auth-url`,
    ///   `auth-tls-match-cn`, `mirror-target`, `mirror-host`, `permanent-redirect`, `temporal-redirect`)
    ///   when their value holds a line break, `;`, `"`, `{` or `}`, which end the nginx directive the
    ///   value is written into.
    ///
    /// ## Why is this bad?
    /// The ingress controller renders every Ingress of the cluster into one nginx configuration and runs
    /// it with its own ServiceAccount, which can read the Secrets of every namespace it serves. A
    /// snippet is pasted into that configuration as is: with snippets allowed, anyone who may create an
    /// Ingress in any namespace can make nginx serve the controller's files with `alias` (its token at
    /// `/var/run/secrets/kubernetes.io/serviceaccount/token`) or run Lua code in the controller
    /// (CVE-2021-25742). ingress-nginx has turned snippets off by default since v1.9; an Ingress that
    /// needs them forces the whole cluster to turn them back on. The other annotations above were the
    /// injection points of CVE-2023-5044 and of the IngressNightmare vulnerabilities (CVE-2025-24514,
    /// CVE-2025-1097, CVE-2025-1098, chained with CVE-2025-1974): values that close their directive
    /// only make sense as an attack.
    ///
    /// ## Example
    /// ```kubernetes,bad
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: shop
    ///   annotations:
    ///     nginx.ingress.kubernetes.io/configuration-snippet: |
    ///       more_set_headers "X-Frame-Options: DENY";
    /// spec:
    ///   ingressClassName: nginx
    ///   rules:
    ///     - host: shop.example.com
    ///       http:
    ///         paths:
    ///           - path: /
    ///             pathType: Prefix
    ///             backend:
    ///               service: {name: shop, port: {number: 80}}
    /// ```
    ///
    /// Use instead (a dedicated annotation, or `add-headers` in the controller's ConfigMap):
    /// ```kubernetes,good
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: shop
    ///   annotations:
    ///     nginx.ingress.kubernetes.io/custom-headers: shop/security-headers
    /// spec:
    ///   ingressClassName: nginx
    ///   rules:
    ///     - host: shop.example.com
    ///       http:
    ///         paths:
    ///           - path: /
    ///             pathType: Prefix
    ///             backend:
    ///               service: {name: shop, port: {number: 80}}
    /// ```
    ///
    /// ## References
    /// - [CVE-2021-25742: ingress-nginx custom snippets allow retrieval of ingress-nginx serviceaccount token and secrets across all namespaces](https://github.com/kubernetes/ingress-nginx/issues/7837)
    /// - [Ingress-nginx CVE-2025-1974: what you need to know](https://kubernetes.io/blog/2025/03/24/ingress-nginx-cve-2025-1974/)
    /// - [ingress-nginx ConfigMap: allow-snippet-annotations](https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/configmap/#allow-snippet-annotations)
    code: "NET015",
    name: "ingress-nginx-snippet-annotation",
    family: Net,
    severity: Warning,
    formats: [Kubernetes],
    aliases: ["CKV_K8S_152", "CKV_K8S_153", "CKV_K8S_154", "KCV-0093"],
    checks: [Check::Kubernetes(check)],
}

/// ingress-nginx's default annotation prefix.
const NGINX: &str = "nginx.ingress.kubernetes.io/";

/// ingress-nginx annotations whose value is written into an nginx directive, and were injection points.
const INJECTABLE: [&str; 6] = [
    "auth-url",
    "auth-tls-match-cn",
    "mirror-target",
    "mirror-host",
    "permanent-redirect",
    "temporal-redirect",
];

/// Characters that end the directive a value is written into, or open a block of its own.
const DIRECTIVE_BREAKERS: [char; 6] = ['\n', '\r', ';', '"', '{', '}'];

const SNIPPET_HELP: &str = "Use the controller's dedicated annotations or its ConfigMap instead of a snippet, and keep \
                            `allow-snippet-annotations` off in the controller.";

fn check(ctx: &KubernetesCtx, r: &mut Reporter) {
    let tree = ctx.tree;
    for ingress in pods::objects_of_kind(ctx, &["Ingress"]) {
        let Some(annotations) = tree.path(ingress.node, &["metadata", "annotations"]) else { continue };
        for entry in tree.entries(annotations) {
            let Some(key) = tree.key_text(entry) else { continue };
            let Some(value) = string(tree, entry.value) else { continue };
            let key_range = tree.node(entry.key).range;
            if let Some(name) = snippet_name(key) {
                snippet(ctx, r, name, key_range, entry.value, &value.value);
            } else if let Some(name) = key.strip_prefix(NGINX).filter(|n| INJECTABLE.contains(n))
                && value.value.contains(DIRECTIVE_BREAKERS)
            {
                r.report(
                    value.range,
                    format!(
                        "The `{name}` annotation's value ends its nginx directive, injecting configuration into the \
                         ingress controller"
                    ),
                )
                .help(format!(
                    "Give `{name}` a plain value without line breaks, `;`, quotes or braces, and upgrade ingress-nginx \
                     to a release that validates it."
                ));
            }
        }
    }
}

/// `configuration-snippet` for `nginx.ingress.kubernetes.io/configuration-snippet`, `server-snippets` for
/// F5's `nginx.org/server-snippets`.
fn snippet_name(key: &str) -> Option<&str> {
    key.strip_prefix(NGINX)
        .filter(|n| n.ends_with("-snippet"))
        .or_else(|| key.strip_prefix("nginx.org/").filter(|n| n.ends_with("-snippets")))
}

fn snippet(ctx: &KubernetesCtx, r: &mut Reporter, name: &str, key: TextRange, node: NodeId, text: &str) {
    let found = match (lua_directive(text), alias_directive(text)) {
        (Some(lua), _) => Some((
            lua,
            format!(
                "The `{name}` annotation runs Lua code in the ingress controller, which holds every Secret it serves"
            ),
        )),
        (None, Some(alias)) => Some((
            alias,
            format!(
                "The `{name}` annotation serves the ingress controller's own files with `alias`, its ServiceAccount \
                 token included"
            ),
        )),
        (None, None) => None,
    };
    match found {
        Some((at, message)) => {
            let range = source_range(ctx.text, ctx.tree, node, text, at).unwrap_or(key);
            r.report(range, message).help(SNIPPET_HELP).label(key, "in this snippet annotation");
        }
        None => {
            r.report(
                key,
                format!(
                    "The `{name}` annotation pastes raw configuration into the ingress controller shared by every \
                     Ingress"
                ),
            )
            .help(SNIPPET_HELP);
        }
    }
}

/// A Lua directive (`content_by_lua_block`, `access_by_lua`, `init_by_lua_file`): byte range in `text`.
fn lua_directive(text: &str) -> Option<std::ops::Range<usize>> {
    words(text).find(|w| {
        let word = &text[w.clone()];
        ["_by_lua", "_by_lua_block", "_by_lua_file"].iter().any(|suffix| word.ends_with(suffix))
    })
}

/// An `alias` directive: the word `alias` at the start of a statement, followed by its path.
fn alias_directive(text: &str) -> Option<std::ops::Range<usize>> {
    words(text).find(|w| {
        &text[w.clone()] == "alias" && text[w.end..].starts_with(char::is_whitespace) && {
            let before = text[..w.start].trim_end();
            before.is_empty() || before.ends_with([';', '{', '}'])
        }
    })
}

/// The ranges of the words (`[A-Za-z0-9_]` runs) of `text`.
fn words(text: &str) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    text.char_indices().filter_map(move |(i, c)| {
        let starts = is_word(c) && !text[..i].ends_with(is_word);
        starts.then(|| i..text[i..].find(|c| !is_word(c)).map_or(text.len(), |n| i + n))
    })
}

/// Where `text[at]`, a word of the scalar at `node`, is written in the file. Block and quoted scalars
/// write their words as they are, so the word's n-th occurrence in the text is its n-th occurrence in
/// the source; `None` when the two disagree (escape sequences that spell letters).
fn source_range(
    file: &str,
    tree: &Tree,
    node: NodeId,
    text: &str,
    at: std::ops::Range<usize>,
) -> Option<TextRange> {
    let word = &text[at.clone()];
    let range = tree.node(node).range;
    let source = file.get(range.as_usize())?;
    let nth = text[..at.start].matches(word).count();
    if source.matches(word).count() != text.matches(word).count() {
        return None;
    }
    let (offset, _) = source.match_indices(word).nth(nth)?;
    let start = range.start as usize + offset;
    Some(TextRange::from_usize(start, start + word.len()))
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_k8s_clean, k8s_spans, lint_k8s};

    fn ingress(annotations: &str) -> String {
        format!(
            "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: app\n  annotations:\n{annotations}spec:\n  rules:\n    - http:\n        paths:\n          - path: /\n            pathType: Prefix\n            backend: {{service: {{name: app, port: {{number: 80}}}}}}\n"
        )
    }

    #[test]
    fn snippets_point_at_the_annotation() {
        let yaml = ingress(
            "    nginx.ingress.kubernetes.io/configuration-snippet: |\n      more_set_headers \"X-Frame-Options: DENY\";\n    nginx.ingress.kubernetes.io/server-snippet: \"location /x { return 200; }\"\n    nginx.org/location-snippets: |\n      add_header X-Test 1;\n",
        );
        assert_eq!(
            k8s_spans(&RULE, &yaml),
            [
                "nginx.ingress.kubernetes.io/configuration-snippet",
                "nginx.ingress.kubernetes.io/server-snippet",
                "nginx.org/location-snippets"
            ]
        );
        assert_eq!(
            lint_k8s(&RULE, &yaml)[0].message,
            "The `configuration-snippet` annotation pastes raw configuration into the ingress controller shared by every Ingress"
        );
    }

    #[test]
    fn lua_and_alias_point_at_the_directive() {
        let yaml = ingress(
            "    nginx.ingress.kubernetes.io/server-snippet: |\n      location ^~ \"/test\" {\n        default_type 'text/plain';\n        content_by_lua_block {\n          ngx.say(\"hello\");\n        }\n      }\n",
        );
        assert_eq!(k8s_spans(&RULE, &yaml), ["content_by_lua_block"]);
        let found = lint_k8s(&RULE, &yaml);
        assert_eq!(
            found[0].message,
            "The `server-snippet` annotation runs Lua code in the ingress controller, which holds every Secret it serves"
        );
        assert_eq!(found[0].labels[0].range.slice(&yaml), "nginx.ingress.kubernetes.io/server-snippet");
        let yaml = ingress(
            "    nginx.ingress.kubernetes.io/server-snippet: |\n      # serve an alias of /x\n      location /alias {\n        proxy_set_header X-Alias 1;\n        alias /var/run;\n      }\n",
        );
        assert_eq!(k8s_spans(&RULE, &yaml), ["alias"]);
        assert_eq!(&yaml[lint_k8s(&RULE, &yaml)[0].range.start as usize..][..15], "alias /var/run;");
        // JSON-style escapes: the directive is still found where it is written.
        let yaml = ingress(
            "    nginx.ingress.kubernetes.io/configuration-snippet: \"access_by_lua 'x';\\nalias /etc;\"\n",
        );
        assert_eq!(k8s_spans(&RULE, &yaml), ["access_by_lua"]);
        let yaml =
            ingress("    nginx.ingress.kubernetes.io/configuration-snippet: \"return 200;\\nalias /etc;\"\n");
        assert_eq!(k8s_spans(&RULE, &yaml), ["alias"]);
    }

    #[test]
    fn injected_values_point_at_the_value() {
        let yaml = ingress(
            "    nginx.ingress.kubernetes.io/auth-url: \"http://auth.svc/verify;\\nssl_engine /tmp/x.so;#\"\n    nginx.ingress.kubernetes.io/auth-tls-match-cn: |\n      CN=a #(\n      ){}}}\n",
        );
        assert_eq!(lint_k8s(&RULE, &yaml).len(), 2);
        assert_eq!(
            lint_k8s(&RULE, &yaml)[0].message,
            "The `auth-url` annotation's value ends its nginx directive, injecting configuration into the ingress controller"
        );
        let yaml =
            ingress("    nginx.ingress.kubernetes.io/mirror-target: https://test.env.com/$request_uri;x\n");
        assert_eq!(k8s_spans(&RULE, &yaml), ["https://test.env.com/$request_uri;x"]);
    }

    #[test]
    fn ordinary_annotations_and_other_objects_pass() {
        assert_k8s_clean(
            &RULE,
            &ingress(
                "    nginx.ingress.kubernetes.io/auth-url: \"https://$host/oauth2/auth\"\n    nginx.ingress.kubernetes.io/auth-tls-match-cn: \"CN=(client-a|client-b)\"\n    nginx.ingress.kubernetes.io/permanent-redirect: https://www.example.com\n    nginx.ingress.kubernetes.io/rewrite-target: /$2\n    kubernetes.io/ingress.class: nginx\n",
            ),
        );
        assert_k8s_clean(&RULE, &ingress("    example.com/server-snippet: x\n"));
        assert_k8s_clean(
            &RULE,
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  annotations:\n    nginx.ingress.kubernetes.io/server-snippet: x\n",
        );
    }
}
