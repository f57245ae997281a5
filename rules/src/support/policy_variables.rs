//! IAM policy variables (`${aws:username}`, `${aws:PrincipalTag/team, 'none'}`, `${*}`) in policy
//! strings, told apart from the template placeholders policies often pass through on their way to AWS
//! (`${AWS::AccountId}`, `${var.bucket}`, `${self:custom.stage}`).

/// One `${…}` in a string.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Variable<'a> {
    /// Offset of the `$`.
    pub start: usize,
    /// Offset after the closing `}`, or where the variable text stops when it is never closed.
    pub end: usize,
    /// The text between the braces.
    pub body: &'a str,
    pub closed: bool,
}

impl<'a> Variable<'a> {
    /// The name, before a `, 'default'`.
    pub fn name(&self) -> &'a str {
        self.body.split_once(',').map_or(self.body, |(name, _)| name)
    }

    /// The text after the comma, when a default value is given.
    pub fn default(&self) -> Option<&'a str> {
        self.body.split_once(',').map(|(_, default)| default)
    }

    /// Whether the variable reads as an IAM policy variable: the escapes `${*}`, `${?}` and `${$}`, or a
    /// context key `prefix:key` (spaces aside, so a misspelt one still counts). Template placeholders
    /// (CloudFormation `${AWS::Region}`, Terraform `${var.x}`, Serverless `${self:…}`, `${opt:…}`) do not.
    pub fn is_iam(&self) -> bool {
        let name: String = self.name().chars().filter(|c| !c.is_whitespace()).collect();
        // `${aws:PrincipalTag/{{tag}}}`: a template fills the name in.
        if name.contains(['{', '<']) {
            return false;
        }
        if matches!(name.as_str(), "*" | "?" | "$") {
            return true;
        }
        let Some((prefix, key)) = name.split_once(':') else { return false };
        let prefix_ok = !prefix.is_empty()
            && prefix.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'.')
            && !TEMPLATE_PREFIXES.iter().any(|t| t.eq_ignore_ascii_case(prefix));
        prefix_ok && !key.is_empty() && !key.starts_with(':')
    }
}

/// Variable sources of the Serverless Framework, which share the `${source:…}` shape with IAM's.
const TEMPLATE_PREFIXES: [&str; 8] = ["self", "opt", "sls", "env", "ssm", "cf", "param", "file"];

/// Every `${…}` in `text`, in order. A variable that meets another `${` or the end of the string before
/// its `}` is unclosed.
pub fn variables(text: &str) -> Vec<Variable<'_>> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = text[from..].find("${").map(|i| from + i) {
        let inner = at + 2;
        let rest = &text[inner..];
        let close = rest.find('}');
        let next = rest.find("${");
        let variable = match (close, next) {
            (Some(c), n) if n.is_none_or(|n| c < n) => {
                Variable { start: at, end: inner + c + 1, body: &rest[..c], closed: true }
            }
            (_, Some(n)) => Variable { start: at, end: inner + n, body: &rest[..n], closed: false },
            _ => Variable { start: at, end: text.len(), body: rest, closed: false },
        };
        from = variable.end;
        found.push(variable);
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_variables_closed_or_not() {
        let found = variables("arn:aws:s3:::b/${aws:username}/${aws:userid, 'x'}");
        assert_eq!(found.len(), 2);
        assert_eq!((found[0].body, found[0].closed), ("aws:username", true));
        assert_eq!(found[1].name(), "aws:userid");
        assert_eq!(found[1].default(), Some(" 'x'"));
        let open = variables("home/${aws:username/*");
        assert_eq!((open[0].body, open[0].closed, open[0].end), ("aws:username/*", false, 21));
        let two = variables("${aws:username${aws:userid}");
        assert_eq!((two[0].closed, two[1].closed), (false, true));
    }

    #[test]
    fn iam_variables_and_templates() {
        let is_iam = |text: &str| variables(text)[0].is_iam();
        for iam in ["${aws:username}", "${*}", "${aws:PrincipalTag/team}", "${www.amazon.com:user_id}"] {
            assert!(is_iam(iam), "{iam}");
        }
        assert!(is_iam("${ aws:username }"), "spaces aside");
        assert!(!is_iam("${aws:PrincipalTag/{{tagName}}}"), "a template inside");
        for template in ["${AWS::Region}", "${var.bucket}", "${self:custom.x}", "${Bucket}", "${opt:s, 'd'}"]
        {
            assert!(!is_iam(template), "{template}");
        }
    }
}
