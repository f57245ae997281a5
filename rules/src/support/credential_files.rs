//! Files that hold credentials and have no place in an image: SSH private keys, registry and
//! package-manager credentials, cloud CLI credentials, kubeconfigs, dotenv files, private keys and
//! keystores, and the directories that keep them (`.ssh`, `.aws`, `.docker`, `.kube`, `.gnupg`).
//!
//! Names only say what a file usually holds: `*.pem` is as often a public CA bundle as a key, so only the
//! names that say "key" count; templates (`.env.example`, `.npmrc.template`) and public halves
//! (`id_rsa.pub`, `known_hosts`) never count.

/// What the file at `path` (a `COPY` source or destination, `/`-separated, possibly a glob) holds, as a
/// noun phrase for messages ("SSH private key"), or `None` when its name says nothing about credentials.
pub fn classify(path: &str) -> Option<&'static str> {
    let trimmed = path.trim_end_matches('/');
    let components: Vec<&str> = trimmed.split('/').filter(|c| !c.is_empty() && *c != ".").collect();
    let (&name, dirs) = components.split_last()?;
    let lower = name.to_ascii_lowercase();
    if is_template_name(&lower) {
        return None;
    }
    let parent = dirs.last().copied().unwrap_or("");
    let in_dir = |dir: &str| dirs.contains(&dir);
    let extension = lower.rsplit_once('.').map_or("", |(_, ext)| ext);

    if let Some(dir) = credential_directory(parent, name) {
        return Some(dir);
    }
    if in_dir(".ssh")
        || matches!(
            lower.as_str(),
            "id_rsa" | "id_dsa" | "id_ecdsa" | "id_ed25519" | "id_ecdsa_sk" | "id_ed25519_sk"
        )
    {
        let public = lower.contains("known_hosts")
            || lower.contains("authorized_keys")
            || lower.contains("config")
            || matches!(lower.as_str(), "environment" | "rc");
        return (!public).then_some("SSH private key");
    }
    let by_name = match lower.as_str() {
        ".npmrc" => Some("npm credentials file"),
        ".pypirc" => Some("PyPI credentials file"),
        ".netrc" | "_netrc" => Some("netrc credentials file"),
        ".git-credentials" => Some("Git credentials file"),
        ".pgpass" => Some("PostgreSQL password file"),
        ".my.cnf" => Some("MySQL client credentials file"),
        ".htpasswd" => Some("htpasswd password file"),
        ".dockercfg" => Some("Docker registry credentials file"),
        ".vault-token" => Some("Vault token file"),
        ".s3cfg" | ".boto" => Some("cloud storage credentials file"),
        ".env" => Some("dotenv file"),
        "credentials.json" => Some("credentials file"),
        "application_default_credentials.json" => Some("Google application default credentials file"),
        "kubeconfig" => Some("kubeconfig file"),
        "credentials.tfrc.json" => Some("Terraform credentials file"),
        "secring.gpg" | "private-keys-v1.d" => Some("GnuPG private keyring"),
        "ipsec.secrets" | "chap-secrets" | "pap-secrets" => Some("VPN secrets file"),
        "privkey.pem" | "key.pem" => Some("private key"),
        _ => None,
    };
    if by_name.is_some() {
        return by_name;
    }
    // The host keys of an SSH server: every container of the image would share them.
    if lower.starts_with("ssh_host_") && lower.contains("_key") {
        return Some("SSH host private key");
    }
    match (parent, lower.as_str()) {
        ("etc", "shadow" | "gshadow") => return Some("password hash file"),
        (".m2", "settings.xml" | "settings-security.xml") => return Some("Maven settings file"),
        (".gradle", "gradle.properties") => return Some("Gradle user properties file"),
        (".cargo", "credentials" | "credentials.toml") => return Some("Cargo credentials file"),
        (".composer" | "composer", "auth.json") => return Some("Composer credentials file"),
        (".docker", "config.json") => return Some("Docker registry credentials file"),
        (".aws", "credentials") => return Some("AWS credentials file"),
        (".kube", "config") => return Some("kubeconfig file"),
        _ => {}
    }
    if lower.starts_with(".env.") {
        return Some("dotenv file");
    }
    let (stem, _) = lower.split_once('.').unwrap_or((&lower, ""));
    let data = ["json", "yaml", "yml", "env", "txt", "ini", "toml", "properties", "conf", "cfg"];
    // SOPS and similar tools keep encrypted secrets as `secrets.enc.yaml`: safe to ship.
    if matches!(stem, "secret" | "secrets") && data.contains(&extension) && !lower.contains(".enc") {
        return Some("secrets file");
    }
    if extension == "json" {
        if lower.starts_with("client_secret") {
            return Some("OAuth client secret file");
        }
        let service_account = ["service-account", "service_account", "serviceaccount", "firebase-adminsdk"];
        if service_account.iter().any(|s| lower.contains(s)) {
            return Some("service account key");
        }
    }
    match extension {
        "kubeconfig" => Some("kubeconfig file"),
        "key" if !looks_public(&lower) => Some("secret key file"),
        "pem"
            if !looks_public(&lower)
                && (lower.ends_with("-key.pem")
                    || lower.ends_with("_key.pem")
                    || lower.ends_with(".key.pem")
                    || lower.contains("private")) =>
        {
            Some("private key")
        }
        "ppk" => Some("PuTTY private key"),
        "p12" | "pfx" | "pkcs12" => Some("PKCS#12 keystore"),
        "jks" | "keystore" | "bks" if !lower.contains("trust") && !lower.contains("cacert") => {
            Some("Java keystore")
        }
        _ => None,
    }
}

/// The credential directories themselves (`COPY .ssh /root/.ssh`, `COPY . /root/.aws/`).
fn credential_directory(parent: &str, name: &str) -> Option<&'static str> {
    match name {
        ".ssh" => Some("SSH directory"),
        ".aws" => Some("AWS credentials directory"),
        ".docker" => Some("Docker configuration directory"),
        ".kube" => Some("Kubernetes configuration directory"),
        ".gnupg" => Some("GnuPG keyring directory"),
        ".azure" => Some("Azure CLI credentials directory"),
        "gcloud" if parent == ".config" => Some("gcloud credentials directory"),
        _ => None,
    }
}

/// Signing keys of package repositories and public keys are meant to be shipped (`Release.key`,
/// `nginx_signing.key`, `repo.gpg.key`, `pubkey.pem`).
fn looks_public(lower: &str) -> bool {
    ["pub", "gpg", "pgp", "signing", "release", "apt", "repo", "archive", "keyring", "trust", "cert"]
        .iter()
        .any(|w| lower.contains(w))
}

/// Templates and samples that hold no real credentials (`.env.example`, `.npmrc.template`,
/// `credentials.json.sample`, `id_rsa.pub`).
pub fn is_template(path: &str) -> bool {
    let name = path.trim_end_matches('/').rsplit('/').next().unwrap_or(path);
    is_template_name(&name.to_ascii_lowercase())
}

fn is_template_name(lower: &str) -> bool {
    const SUFFIXES: &[&str] = &[
        ".example",
        ".sample",
        ".template",
        ".tmpl",
        ".tpl",
        ".dist",
        ".j2",
        ".jinja",
        ".defaults",
        ".schema",
        ".pub",
        ".vault",
        ".in",
    ];
    SUFFIXES.iter().any(|s| lower.ends_with(s))
        || ["example", "sample", "template"].iter().any(|w| lower.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credential_files() {
        let cases = [
            ("id_rsa", "SSH private key"),
            ("keys/id_ed25519", "SSH private key"),
            ("/root/.ssh/id_ecdsa", "SSH private key"),
            ("/root/.ssh/deploy_key", "SSH private key"),
            (".ssh", "SSH directory"),
            (".ssh/", "SSH directory"),
            ("/home/app/.ssh", "SSH directory"),
            (".npmrc", "npm credentials file"),
            ("/root/.npmrc", "npm credentials file"),
            (".pypirc", "PyPI credentials file"),
            (".netrc", "netrc credentials file"),
            (".git-credentials", "Git credentials file"),
            (".pgpass", "PostgreSQL password file"),
            (".htpasswd", "htpasswd password file"),
            ("/root/.docker/config.json", "Docker registry credentials file"),
            ("/kaniko/.docker/config.json", "Docker registry credentials file"),
            (".aws/credentials", "AWS credentials file"),
            (".aws", "AWS credentials directory"),
            ("/root/.kube/config", "kubeconfig file"),
            ("kubeconfig", "kubeconfig file"),
            ("prod.kubeconfig", "kubeconfig file"),
            ("credentials.json", "credentials file"),
            ("client_secret_1234.apps.googleusercontent.com.json", "OAuth client secret file"),
            ("service-account.json", "service account key"),
            ("gcp/service_account_key.json", "service account key"),
            ("my-project-firebase-adminsdk-abc12-0123456789.json", "service account key"),
            (".env", "dotenv file"),
            (".env.production", "dotenv file"),
            (".env.local", "dotenv file"),
            ("server.key", "secret key file"),
            ("certs/tls.key", "secret key file"),
            ("*.key", "secret key file"),
            ("config/master.key", "secret key file"),
            ("secrets.json", "secrets file"),
            ("config/secrets.yaml", "secrets file"),
            ("/root/.m2/settings.xml", "Maven settings file"),
            ("/root/.composer/auth.json", "Composer credentials file"),
            ("credentials.tfrc.json", "Terraform credentials file"),
            ("privkey.pem", "private key"),
            ("server-key.pem", "private key"),
            ("client_key.pem", "private key"),
            ("private.pem", "private key"),
            ("keystore.p12", "PKCS#12 keystore"),
            ("cert.pfx", "PKCS#12 keystore"),
            ("release.jks", "Java keystore"),
            ("app.keystore", "Java keystore"),
            ("putty.ppk", "PuTTY private key"),
            (".gnupg", "GnuPG keyring directory"),
            (".config/gcloud", "gcloud credentials directory"),
            ("ipsec.secrets", "VPN secrets file"),
            ("./data/chap-secrets", "VPN secrets file"),
            ("ssh_host_*_key*", "SSH host private key"),
            ("/etc/ssh/ssh_host_ed25519_key", "SSH host private key"),
            ("/etc/shadow", "password hash file"),
        ];
        for (path, what) in cases {
            assert_eq!(classify(path), Some(what), "{path}");
        }
    }

    #[test]
    fn files_that_are_not_credentials() {
        for path in [
            "id_rsa.pub",
            "/root/.ssh/known_hosts",
            "/root/.ssh/config",
            "/home/app/.ssh/authorized_keys",
            ".env.example",
            ".env.sample",
            ".env.template",
            ".env.dist",
            ".env.vault",
            ".envrc",
            "env",
            ".npmrc.template",
            "credentials.json.example",
            "config.json",
            "docker/config.json",
            ".aws/config",
            "cert.pem",
            "ca.pem",
            "fullchain.pem",
            "ca-certificates.crt",
            "pubkey.pem",
            "Release.key",
            "nginx_signing.key",
            "nodesource.gpg.key",
            "repo.key",
            "truststore.jks",
            "cacerts.jks",
            "package.json",
            ".",
            "./",
            "src/",
            "keys",
            "secrets.enc.yaml",
            "settings.xml",
            "auth.json",
            "credentials.yml.enc",
            "/etc/passwd",
            "ssh_host_rsa_key.pub",
            "shadow",
        ] {
            assert_eq!(classify(path), None, "{path}");
        }
    }

    #[test]
    fn templates() {
        assert!(is_template(".env.example"));
        assert!(is_template("config/.npmrc.sample"));
        assert!(is_template("id_rsa.pub"));
        assert!(!is_template(".env"));
    }
}
