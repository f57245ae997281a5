//! Comparing names as AWS does: case-insensitively, with the `*` and `?` wildcards of policy actions and
//! the placeholders of templated condition keys. Everything works on ASCII bytes in place, without
//! lower-casing copies: IAM names are ASCII.

use std::cmp::Ordering;

/// Orders two names as their ASCII-lower-cased forms would order; the catalogue's records are sorted so.
pub(super) fn cmp_ignore_case(a: &str, b: &str) -> Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    for (x, y) in a.iter().zip(b) {
        if x != y {
            let order = x.to_ascii_lowercase().cmp(&y.to_ascii_lowercase());
            if order.is_ne() {
                return order;
            }
        }
    }
    a.len().cmp(&b.len())
}

/// Whether a pattern holds a wildcard (`*` or `?`).
pub(super) fn has_wildcard(pattern: &str) -> bool {
    pattern.contains(['*', '?'])
}

/// Whether `text` matches `pattern` case-insensitively, where `*` stands for any run of characters (empty
/// included) and `?` for any one character, as in a statement's `Action`.
pub(super) fn glob_matches(pattern: &str, text: &str) -> bool {
    let (pattern, text) = (pattern.as_bytes(), text.as_bytes());
    let (mut p, mut t) = (0, 0);
    // After a mismatch, the last `*` seen takes one more character and matching resumes behind it: the
    // classic linear-time glob, exact because a later `*` can absorb whatever an earlier one could.
    let mut last_star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some(b'*') => {
                last_star = Some((p + 1, t));
                p += 1;
            }
            Some(&byte) if byte == b'?' || byte.eq_ignore_ascii_case(&text[t]) => {
                p += 1;
                t += 1;
            }
            _ => match last_star {
                Some((resume, taken)) => {
                    last_star = Some((resume, taken + 1));
                    p = resume;
                    t = taken + 1;
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|&byte| byte == b'*')
}

/// Whether `key` is an instance of the templated condition key `template`, case-insensitively: each
/// placeholder (`${TagKey}`, `<key>`) stands for one or more characters, so `aws:RequestTag/${TagKey}`
/// matches `aws:RequestTag/team` but not `aws:RequestTag/`. A template without placeholders matches only
/// itself.
pub(super) fn template_matches(template: &str, key: &str) -> bool {
    matches_from(template.as_bytes(), key.as_bytes())
}

fn matches_from(template: &[u8], key: &[u8]) -> bool {
    let mut t = 0;
    let mut k = 0;
    while t < template.len() {
        if let Some(end) = placeholder_end(template, t) {
            // Templates hold one or two placeholders: trying every length is cheap.
            return (k + 1..=key.len()).any(|split| matches_from(&template[end..], &key[split..]));
        }
        if k == key.len() || !template[t].eq_ignore_ascii_case(&key[k]) {
            return false;
        }
        t += 1;
        k += 1;
    }
    k == key.len()
}

/// The end (exclusive) of the placeholder that starts at `start`, if one does: `${Name}` or `<name>`.
fn placeholder_end(template: &[u8], start: usize) -> Option<usize> {
    let close = match template[start..] {
        [b'$', b'{', ..] => b'}',
        [b'<', ..] => b'>',
        _ => return None,
    };
    template[start..].iter().position(|&byte| byte == close).map(|offset| start + offset + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_case_insensitively() {
        assert_eq!(cmp_ignore_case("GetObject", "getobject"), Ordering::Equal);
        assert_eq!(cmp_ignore_case("abc", "ABD"), Ordering::Less);
        assert_eq!(cmp_ignore_case("ab", "Abc"), Ordering::Less);
    }

    #[test]
    fn globs_like_statement_actions() {
        assert!(glob_matches("Get*", "GetObject"));
        assert!(glob_matches("get*", "GetObject"));
        assert!(glob_matches("*", ""));
        assert!(glob_matches("*Object*", "PutObjectAcl"));
        assert!(glob_matches("Describe?nstances", "DescribeInstances"));
        assert!(!glob_matches("Describe?nstances", "DescribeNstances"));
        assert!(glob_matches("s3:*", "s3:GetObject"));
        assert!(glob_matches("*:Get*", "s3:GetObject"));
        assert!(!glob_matches("Get", "GetObject"));
        assert!(!glob_matches("Get*Acl", "GetObject"));
        assert!(glob_matches("a*b*c", "aXbYbZc"));
        assert!(!glob_matches("a*b*c", "aXbYbZ"));
        assert!(glob_matches("**", "x"));
    }

    #[test]
    fn templates_match_their_instances() {
        assert!(template_matches("aws:RequestTag/${TagKey}", "aws:requesttag/team"));
        assert!(template_matches("aws:RequestTag/${TagKey}", "aws:RequestTag/kubernetes.io/cluster/x"));
        assert!(!template_matches("aws:RequestTag/${TagKey}", "aws:RequestTag/"));
        assert!(!template_matches("aws:RequestTag/${TagKey}", "aws:ResourceTag/team"));
        assert!(template_matches("s3:ExistingObjectTag/<key>", "s3:ExistingObjectTag/Project"));
        assert!(template_matches(
            "codebuild:secondarySources/${sourceIdentifier}.location",
            "codebuild:secondarySources/extra.location"
        ));
        assert!(!template_matches("codebuild:secondarySources/${sourceIdentifier}.location", "codebuild:x"));
        assert!(template_matches("aws:SourceIp", "AWS:SOURCEIP"));
        assert!(!template_matches("aws:SourceIp", "aws:SourceIpv6"));
    }
}
