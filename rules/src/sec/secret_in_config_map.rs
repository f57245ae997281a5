use std::ops::Range;

use plimsoll_kubernetes::string;
use plimsoll_linter::{Check, KubernetesCtx, Reporter, declare_rule};
use plimsoll_span::TextRange;
use plimsoll_yaml::{NodeId, Style};

use crate::support::{pods, secrets, yaml_tokens};

declare_rule! {
    /// ## What it does
    /// Flags credentials written into ConfigMaps:
    ///
    /// - a `data` or `binaryData` entry whose key names a credential (`db-password`, `API_KEY`,
    ///   `client_secret`, `privateKey`) and whose value is a literal, not a placeholder (`changeme`,
    ///   `<token>`), a template (`{{ .Values.password }}`, `${DB_PASSWORD}`) or a path;
    /// - a line of a configuration file held in a `data` entry (`application.properties`, `.env`,
    ///   `config.yaml`, `redis.conf`) that sets such a setting: `spring.datasource.password=…`,
    ///   `password: …`, `"apiKey": "…"`, `requirepass …`;
    /// - a `KEY=value` literal of a Kustomize `configMapGenerator` that sets such a setting.
    ///
    /// The finding points at the value. Credentials recognisable by their format (private keys, cloud and
    /// forge tokens) are reported wherever they are written, ConfigMaps included, by `hardcoded-secret`
    /// (SEC002), and not again here.
    ///
    /// ## Why is this bad?
    /// ConfigMaps are meant for configuration that is not secret, and Kubernetes treats them so: any
    /// Role that reads configuration (`get configmaps`, often granted to monitoring agents, CI systems and
    /// developers) reads the credential; `kubectl describe` prints it; it is never encrypted at rest; and
    /// the manifest that holds it sits in version control for anyone with the repository. Secrets can be
    /// kept out of version control, encrypted at rest, and granted separately from the rest of the
    /// configuration.
    ///
    /// ## Example
    /// ```kubernetes,bad
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: shop-config
    /// data:
    ///   DB_HOST: postgres.shop.svc
    ///   DB_PASSWORD: Wq8rTz3vLp9x
    /// ```
    ///
    /// Use instead (the password in a Secret created outside version control, referenced from the pod):
    /// ```kubernetes,good
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: shop-config
    /// data:
    ///   DB_HOST: postgres.shop.svc
    ///   DB_PASSWORD_FILE: /run/secrets/db/password
    /// ```
    ///
    /// ## References
    /// - [ConfigMaps: "ConfigMap does not provide secrecy or encryption"](https://kubernetes.io/docs/concepts/configuration/configmap/)
    /// - [Good practices for Kubernetes Secrets](https://kubernetes.io/docs/concepts/security/secrets-good-practices/)
    code: "SEC014",
    name: "secret-in-config-map",
    family: Sec,
    severity: Error,
    formats: [Kubernetes],
    aliases: ["KSV-0109", "sensitiveConfigmapContent"],
    checks: [Check::Kubernetes(check)],
}

const HELP: &str = "Revoke this credential (it is in version control), then keep it in a Secret created outside \
                    version control (or in an external secret store) and mount or reference that Secret instead.";

fn check(ctx: &KubernetesCtx, r: &mut Reporter) {
    // Scanning for tokens is most of this check's cost, and most manifests hold no ConfigMap and no
    // Kustomization that generates one.
    if pods::objects_of_kind(ctx, &["ConfigMap", "Kustomization"]).next().is_none() {
        return;
    }
    // Credentials of known formats are SEC002's, wherever they are.
    let tokens = disjoint(yaml_tokens::tokens(ctx.text, ctx.tree).into_iter().map(|t| t.range).collect());
    let mut report = |range: TextRange, message: String| {
        let after = tokens.partition_point(|t| t.end <= range.start);
        if tokens.get(after).is_none_or(|t| t.start >= range.end) {
            r.report(range, message).help(HELP);
        }
    };
    let tree = ctx.tree;
    for config_map in pods::objects_of_kind(ctx, &["ConfigMap"]) {
        for (section, lines) in [("data", true), ("binaryData", false)] {
            let Some(map) = tree.get(config_map.node, section) else { continue };
            for entry in tree.entries(map) {
                let (Some(key), Some(value)) = (tree.key_text(entry), string(tree, entry.value)) else {
                    continue;
                };
                if secrets::is_secret_name(key)
                    && literal(&value.value)
                    && !names_secret_object(key, &value.value)
                {
                    report(value.range, entry_message(key, &value.value));
                } else if lines && value.value.contains('\n') {
                    let source = SourceLines::of(ctx.text, tree, entry.value);
                    for found in file_settings(&value.value) {
                        report(
                            source.range(&found),
                            format!(
                                "`{}` in ConfigMap entry `{key}` is set to a hardcoded secret{}",
                                found.name,
                                shown(&found.line[found.value.clone()])
                            ),
                        );
                    }
                }
            }
        }
    }
    for kustomization in pods::objects_of_kind(ctx, &["Kustomization"]) {
        let Some(generators) = tree.get(kustomization.node, "configMapGenerator") else { continue };
        for &generator in tree.items(generators) {
            let Some(literals) = tree.get(generator, "literals") else { continue };
            for &item in tree.items(literals) {
                let Some(literal_item) = string(tree, item) else { continue };
                let Some((name, value)) = literal_item.value.split_once('=') else { continue };
                if secrets::is_secret_name(name.trim()) && literal(value) {
                    // Exact when the item is written as is, else the whole item.
                    let exact = literal_item.range.len() as usize == literal_item.value.len();
                    let range = if exact {
                        TextRange::new(literal_item.range.end - value.len() as u32, literal_item.range.end)
                    } else {
                        literal_item.range
                    };
                    report(
                        range,
                        format!(
                            "`{}` in a ConfigMap generator is set to a hardcoded secret{}",
                            name.trim(),
                            shown(value)
                        ),
                    );
                }
            }
        }
    }
}

/// A literal credential: not a placeholder, template, reference, path or switch, and not something that
/// only points at where the secret is kept.
fn literal(value: &str) -> bool {
    let v = value.trim();
    // YAML syntax left in a file's line (a tag, an anchor, a block or a flow collection) and encrypted or
    // referenced values: SOPS (`ENC[…]`), Spring Cloud Config (`{cipher}…`), vals and Bank-Vaults refs.
    let not_a_value = v.starts_with(['|', '>', '!', '&', '*', '{', '['])
        || ["ENC[", "vault:", "ref+", "secretref:"].iter().any(|p| v.starts_with(p));
    !not_a_value && secrets::is_literal_secret(v)
}

/// `DB_PASSWORD: …` entry message, showing the start of long values.
fn entry_message(key: &str, value: &str) -> String {
    format!("ConfigMap entry `{key}` holds a hardcoded secret{}", shown(value))
}

/// ` \`abcd…\``, or nothing for values too short to show a part of.
fn shown(value: &str) -> String {
    secrets::masked(value.trim()).map_or_else(String::new, |m| format!(" `{m}`"))
}

/// Directives written `name value` whose value is a password: Redis's own and its replicas' passwords.
const SPACED_DIRECTIVES: [&str; 2] = ["requirepass", "masterauth"];

/// A secret-named setting found in a line of a configuration file.
struct FileSetting<'a> {
    name: &'a str,
    /// The line's index in the file, and its text without the line break.
    index: usize,
    line: &'a str,
    /// The value's range in `line`.
    value: Range<usize>,
}

/// The secret-named settings of a configuration file's lines (`key = value`, `key: value`, `"key": "value"`,
/// `export KEY=value`, `requirepass value`).
fn file_settings(text: &str) -> Vec<FileSetting<'_>> {
    let mut out = Vec::new();
    for (index, line) in text.split('\n').enumerate() {
        let line = line.trim_end_matches('\r');
        let Some(setting) = setting(line) else { continue };
        let value = &line[setting.value.clone()];
        let credential = secrets::is_secret_name(setting.name) || SPACED_DIRECTIVES.contains(&setting.name);
        // Unquoted code reads the secret from somewhere else: `SECRET_KEY = os.environ["SECRET_KEY"]`.
        let expression = !setting.quoted && (value.contains(['(', '[']) || value.starts_with("process.env."));
        if credential
            && !expression
            && literal(value)
            && !names_secret_object(setting.name, value)
            && secrets::find_tokens(&format!("{}={value}", setting.name)).is_empty()
        {
            out.push(FileSetting { name: setting.name, index, line, value: setting.value });
        }
    }
    out
}

/// One line of a configuration file read as a setting.
struct Setting<'a> {
    name: &'a str,
    /// The value's range in the line, without its quotes.
    value: Range<usize>,
    quoted: bool,
}

/// Reads `key = value`, `key: value`, `"key": "value",`, `export KEY=value` and the directives of
/// [`SPACED_DIRECTIVES`]; `None` for comments, sections, and keys without a value on their line.
fn setting(line: &str) -> Option<Setting<'_>> {
    let content = line.trim_end_matches(['\n', '\r']);
    let indent = content.len() - content.trim_start().len();
    let mut rest = content.trim_start();
    let mut at = indent;
    if rest.starts_with(['#', ';', '!']) || rest.starts_with("//") {
        return None;
    }
    for prefix in ["- ", "export "] {
        if let Some(after) = rest.strip_prefix(prefix) {
            at += prefix.len();
            rest = after;
        }
    }
    let key_len = rest.find(|c: char| !(c.is_ascii_alphanumeric() || "_.-\"'".contains(c)))?;
    let name = rest[..key_len].trim_matches(['"', '\'']);
    let after_key = rest[key_len..].trim_start();
    let value_text = match after_key.chars().next() {
        Some('=' | ':') if !after_key[1..].starts_with(['=', ':']) => &after_key[1..],
        // `requirepass s3cr3t`: the directive and its value, separated by blanks only.
        Some(_) if SPACED_DIRECTIVES.contains(&name) && rest[key_len..].starts_with([' ', '\t']) => after_key,
        _ => return None,
    };
    if name.is_empty() {
        return None;
    }
    let mut value_start = at + (rest.len() - value_text.len());
    let mut value = value_text.trim_end().trim_end_matches(',');
    // A YAML comment after an unquoted value.
    if let Some(comment) = value.find(" #") {
        value = &value[..comment];
    }
    let leading = value.len() - value.trim_start().len();
    value_start += leading;
    value = value.trim();
    let mut quoted = false;
    for quote in ['"', '\''] {
        if value.len() >= 2 && value.starts_with(quote) && value.ends_with(quote) {
            value = &value[1..value.len() - 1];
            value_start += 1;
            quoted = true;
        }
    }
    (!value.is_empty()).then(|| Setting { name, value: value_start..value_start + value.len(), quoted })
}

/// `secret: traefik-tls`: a setting named just "secret" whose value is the name of a Kubernetes Secret
/// (a lower-case DNS label with dashes, not a dashed hex string such as a UUID) rather than a secret.
fn names_secret_object(name: &str, value: &str) -> bool {
    let last = secrets::words(name).pop().unwrap_or_default();
    let dns_label = value.contains('-')
        && value.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !value.starts_with('-')
        && !value.ends_with('-');
    let hex = value.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-');
    matches!(last.as_str(), "secret" | "secrets") && dns_label && !hex
}

/// Sorted, non-overlapping ranges covering `ranges`, so that a binary search finds any overlap.
fn disjoint(mut ranges: Vec<TextRange>) -> Vec<TextRange> {
    ranges.sort_by_key(|r| r.start);
    let mut out: Vec<TextRange> = Vec::with_capacity(ranges.len());
    for range in ranges {
        match out.last_mut() {
            Some(last) if range.start <= last.end => *last = last.cover(range),
            _ => out.push(range),
        }
    }
    out
}

/// Where the lines of a scalar's value are written. In a literal block scalar (`|`) each line of the
/// value is a line of the source after the header, behind the block's indentation, so ranges are
/// exact; elsewhere escape sequences and folding move the text, and the whole scalar is shown.
struct SourceLines<'a> {
    whole: TextRange,
    /// Each content line of a literal block: its offset in the file and its text; empty otherwise.
    lines: Vec<(usize, &'a str)>,
}

impl<'a> SourceLines<'a> {
    fn of(file: &'a str, tree: &plimsoll_yaml::Tree, node: NodeId) -> SourceLines<'a> {
        let whole = tree.node(node).range;
        let literal = tree.scalar(node).is_some_and(|s| s.style == Style::Literal);
        let mut lines = Vec::new();
        if let Some(source) = file.get(whole.as_usize()).filter(|_| literal) {
            let mut offset = whole.start as usize;
            for line in source.split_inclusive('\n') {
                lines.push((offset, line.trim_end_matches(['\n', '\r'])));
                offset += line.len();
            }
            // Line 0 is the header (`|`, `|-`, `|2`).
            lines.drain(..lines.len().min(1));
        }
        SourceLines { whole, lines }
    }

    /// The file range of a setting's value.
    fn range(&self, found: &FileSetting) -> TextRange {
        let Some(&(offset, line)) = self.lines.get(found.index) else { return self.whole };
        let Some(indent) = line.len().checked_sub(found.line.len()) else { return self.whole };
        let (start, end) = (indent + found.value.start, indent + found.value.end);
        match line.get(start..end) {
            Some(written) if written == &found.line[found.value.clone()] => {
                TextRange::from_usize(offset + start, offset + end)
            }
            _ => self.whole,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_k8s_clean, k8s_spans, lint_k8s};

    fn config_map(data: &str) -> String {
        format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n{data}")
    }

    #[test]
    fn secret_named_entries_point_at_the_value() {
        let yaml =
            config_map("  DB_HOST: postgres\n  DB_PASSWORD: Wq8rTz3vLp9x\n  client-secret: \"0a1b2c3d\"\n");
        assert_eq!(k8s_spans(&RULE, &yaml), ["Wq8rTz3vLp9x", "0a1b2c3d"]);
        let found = lint_k8s(&RULE, &yaml);
        assert_eq!(found[0].message, "ConfigMap entry `DB_PASSWORD` holds a hardcoded secret `Wq8r…`");
        assert_eq!(found[1].message, "ConfigMap entry `client-secret` holds a hardcoded secret");
        let binary = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\nbinaryData:\n  api-key: c2VjcmV0LWtleS12YWx1ZQ==\n";
        assert_eq!(k8s_spans(&RULE, binary), ["c2VjcmV0LWtleS12YWx1ZQ=="]);
    }

    #[test]
    fn settings_inside_configuration_files() {
        let yaml = config_map(
            "  application.properties: |\n    spring.datasource.url=jdbc:postgresql://db/shop\n    spring.datasource.password = Wq8rTz3vLp9x\n    # password=commented-out\n  config.json: |\n    {\n      \"user\": \"shop\",\n      \"apiKey\": \"k3Yx9Qp2Lm7v\",\n      \"token_url\": \"https://auth.example.com\"\n    }\n  app.yaml: |\n    db:\n      password: 'hunter22'  # rotate yearly\n      passwordFile: /run/secrets/db\n",
        );
        assert_eq!(k8s_spans(&RULE, &yaml), ["Wq8rTz3vLp9x", "k3Yx9Qp2Lm7v", "hunter22"]);
        assert_eq!(
            lint_k8s(&RULE, &yaml)[0].message,
            "`spring.datasource.password` in ConfigMap entry `application.properties` is set to a hardcoded secret `Wq8r…`"
        );
        let yaml = config_map(
            "  redis.conf: |\n    port 6379\n    requirepass Wq8rTz3vLp9x\n    masterauth replace-default-auth\n    requirepassword x\n",
        );
        assert_eq!(k8s_spans(&RULE, &yaml), ["Wq8rTz3vLp9x"]);
        // Code that reads the secret, and settings that name a Secret object.
        let yaml = config_map(
            "  settings.py: |\n    SECRET_KEY = os.environ[\"SECRET_KEY\"]\n    API_TOKEN = \"abcd1234efgh\"\n  traefik.yaml: |\n    tls:\n      secret: traefik-tls\n  keycloak.yaml: |\n    secret: d0b8122f-8dfb-46b7-b68a-f5cc4e25d000\n  secret: db-credentials\n",
        );
        assert_eq!(k8s_spans(&RULE, &yaml), ["abcd1234efgh", "d0b8122f-8dfb-46b7-b68a-f5cc4e25d000"]);
        // An escaped file is reported at the whole value.
        let yaml = config_map("  .env: \"export DB_USER=shop\\nexport DB_PASS=Wq8rTz3vLp9x\\n\"\n");
        assert_eq!(k8s_spans(&RULE, &yaml), ["\"export DB_USER=shop\\nexport DB_PASS=Wq8rTz3vLp9x\\n\""]);
    }

    #[test]
    fn kustomize_generators() {
        let yaml = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nconfigMapGenerator:\n  - name: app\n    literals:\n      - LOG_LEVEL=info\n      - API_TOKEN=Wq8rTz3vLp9x\n";
        assert_eq!(k8s_spans(&RULE, yaml), ["Wq8rTz3vLp9x"]);
        assert_eq!(
            lint_k8s(&RULE, yaml)[0].message,
            "`API_TOKEN` in a ConfigMap generator is set to a hardcoded secret `Wq8r…`"
        );
    }

    #[test]
    fn placeholders_references_and_formats_left_to_sec002_pass() {
        assert_k8s_clean(
            &RULE,
            &config_map(
                "  DB_PASSWORD: changeme\n  API_KEY: \"{{ .Values.apiKey }}\"\n  TOKEN: ${TOKEN}\n  DB_PASSWORD_FILE: /run/secrets/db\n  secret-name: shop-db\n  AWS_ACCESS_KEY_ID: AKIA...\n  password: \"\"\n",
            ),
        );
        // A GitHub token: SEC002 reports it, where it is written.
        assert_k8s_clean(&RULE, &config_map("  GITHUB_TOKEN: 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\n"));
        assert_k8s_clean(
            &RULE,
            &config_map(
                "  app.yaml: |\n    password: ${DB_PASSWORD}\n    secret: !vault |\n      $ANSIBLE_VAULT;1.1;AES256\n    token: ENC[AES256_GCM,data:abc]\n    auth:\n      tokenTTL: 3600\n",
            ),
        );
        // A Secret is the right kind of object; SEC002 looks at its values.
        assert_k8s_clean(
            &RULE,
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\nstringData:\n  DB_PASSWORD: Wq8rTz3vLp9x\n",
        );
    }
}
