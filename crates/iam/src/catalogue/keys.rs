//! The condition keys that are not any one service's: the global `aws:` keys (hand-written in
//! `data/global-condition-keys.txt` from the AWS documentation, since the service tables list only the tag
//! keys) and the claims of web identity providers, whose keys begin with the provider's host name.

use std::cmp::Ordering;

use super::model::ConditionKey;
use super::text::{cmp_ignore_case, template_matches};

/// The hand-written list of global keys and provider claims.
pub(super) const GLOBAL_KEYS: &str = include_str!("../../data/global-condition-keys.txt");

/// How the list writes a provider claim: `${Provider}:sub`.
const PROVIDER: &str = "${Provider}:";

/// The global keys, split by how they are looked up.
#[derive(Debug)]
pub(super) struct GlobalKeys {
    /// Keys without placeholders, sorted case-insensitively.
    plain: Vec<ConditionKey>,
    /// `aws:RequestTag/${TagKey}` and the like.
    templated: Vec<ConditionKey>,
    /// `${Provider}:sub` and the like.
    claims: Vec<ConditionKey>,
}

impl GlobalKeys {
    /// Reads the list: `key <TAB> type` lines, `#` comments and blank lines.
    pub(super) fn parse(text: &'static str) -> GlobalKeys {
        let mut keys = GlobalKeys { plain: Vec::new(), templated: Vec::new(), claims: Vec::new() };
        for line in text.lines().filter(|line| !line.is_empty() && !line.starts_with('#')) {
            let key = line
                .split_once('\t')
                .and_then(|(name, type_name)| ConditionKey::parse(name, type_name))
                .unwrap_or_else(|| panic!("global-condition-keys.txt: malformed line {line:?}"));
            if key.name.starts_with(PROVIDER) {
                keys.claims.push(key);
            } else if key.is_templated() {
                keys.templated.push(key);
            } else {
                keys.plain.push(key);
            }
        }
        keys.plain.sort_by(|a, b| cmp_ignore_case(a.name, b.name));
        keys
    }

    /// The global key `key` names: spelled the same up to case, or an instance of a templated key.
    pub(super) fn get(&self, key: &str) -> Option<ConditionKey> {
        match self.plain.binary_search_by(|known| cmp_ignore_case(known.name, key)) {
            Ok(index) => Some(self.plain[index]),
            Err(_) => self.templated.iter().find(|known| template_matches(known.name, key)).copied(),
        }
    }

    /// The provider claim `key` names (`token.actions.githubusercontent.com:sub` → `${Provider}:sub`).
    pub(super) fn claim(&self, key: &str) -> Option<ConditionKey> {
        let (provider, claim) = key.rsplit_once(':')?;
        if !is_provider(provider) {
            return None;
        }
        self.claims
            .iter()
            .find(|known| cmp_ignore_case(&known.name[PROVIDER.len()..], claim) == Ordering::Equal)
            .copied()
    }

    /// Every global key and provider claim.
    #[cfg(test)]
    pub(super) fn all(&self) -> impl Iterator<Item = &ConditionKey> {
        self.plain.iter().chain(&self.templated).chain(&self.claims)
    }
}

/// Whether `provider` reads as the host name (and path) of an identity provider's URL:
/// `token.actions.githubusercontent.com`, `oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE`. Service prefixes
/// never hold a dot, so `s3:sub` is no provider claim.
fn is_provider(provider: &str) -> bool {
    let host = provider.split_once('/').map_or(provider, |(host, _)| host);
    host.contains('.')
        && host.split('.').all(|label| {
            !label.is_empty() && label.bytes().all(|byte| byte.is_ascii_alphanumeric() || byte == b'-')
        })
        && provider.bytes().all(|byte| byte.is_ascii_graphic() && byte != b':')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::model::ConditionType;

    fn keys() -> GlobalKeys {
        GlobalKeys::parse(GLOBAL_KEYS)
    }

    #[test]
    fn global_keys_with_their_types() {
        let keys = keys();
        let source_ip = keys.get("aws:SourceIp").expect("aws:SourceIp");
        assert_eq!((source_ip.value_type, source_ip.multi_valued), (ConditionType::IpAddress, false));
        assert_eq!(keys.get("AWS:SOURCEIP"), Some(source_ip));
        assert_eq!(keys.get("aws:PrincipalArn").map(|key| key.value_type), Some(ConditionType::Arn));
        assert_eq!(keys.get("aws:SecureTransport").map(|key| key.value_type), Some(ConditionType::Bool));
        assert_eq!(
            keys.get("aws:MultiFactorAuthAge").map(|key| key.value_type),
            Some(ConditionType::Numeric)
        );
        assert_eq!(keys.get("aws:CurrentTime").map(|key| key.value_type), Some(ConditionType::Date));
        assert_eq!(keys.get("aws:SourceIpAddress"), None);
        assert_eq!(keys.get("s3:prefix"), None);
    }

    #[test]
    fn multivalued_keys() {
        let keys = keys();
        let multi: Vec<&str> = keys.all().filter(|key| key.multi_valued).map(|key| key.name).collect();
        for name in [
            "aws:TagKeys",
            "aws:CalledVia",
            "aws:PrincipalOrgPaths",
            "aws:PrincipalServiceNamesList",
            "aws:ResourceOrgPaths",
            "aws:SourceOrgPaths",
            "aws:VpceOrgPaths",
        ] {
            assert!(multi.contains(&name), "{name}");
        }
        assert!(!keys.get("aws:PrincipalOrgID").expect("aws:PrincipalOrgID").multi_valued);
    }

    #[test]
    fn templated_global_keys() {
        let keys = keys();
        assert_eq!(keys.get("aws:RequestTag/team").map(|key| key.name), Some("aws:RequestTag/${TagKey}"));
        assert_eq!(
            keys.get("aws:ResourceTag/Cost Center").map(|key| key.name),
            Some("aws:ResourceTag/${TagKey}")
        );
        assert_eq!(keys.get("aws:principaltag/dept").map(|key| key.name), Some("aws:PrincipalTag/${TagKey}"));
        assert_eq!(keys.get("aws:RequestTag/"), None);
    }

    #[test]
    fn provider_claims() {
        let keys = keys();
        for key in [
            "token.actions.githubusercontent.com:sub",
            "token.actions.githubusercontent.com:aud",
            "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub",
            "accounts.google.com:aud",
            "cognito-identity.amazonaws.com:amr",
            "www.amazon.com:app_id",
            "graph.facebook.com:app_id",
            "gitlab.example.com:SUB",
        ] {
            assert!(keys.claim(key).is_some(), "{key}");
        }
        assert!(keys.claim("cognito-identity.amazonaws.com:amr").expect("amr").multi_valued);
        for key in ["s3:sub", "token.actions.githubusercontent.com:subject", "token..com:sub", ":sub", "sub"]
        {
            assert!(keys.claim(key).is_none(), "{key}");
        }
    }
}
