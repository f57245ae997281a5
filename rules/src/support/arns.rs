//! Amazon Resource Names: `arn:partition:service:region:account-id:resource`, taken apart with the offset
//! of each field so a rule can point inside the string.

/// The partitions AWS has: commercial, China, GovCloud (US), the isolated ones and the European
/// Sovereign Cloud.
pub const PARTITIONS: [&str; 8] =
    ["aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"];

/// One field of an ARN and where it starts in the ARN's text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Field<'a> {
    pub start: usize,
    pub text: &'a str,
}

impl Field<'_> {
    pub fn end(&self) -> usize {
        self.start + self.text.len()
    }
}

/// An ARN split into its six fields; the resource keeps any further colons (`function:name:alias`).
#[derive(Clone, Copy, Debug)]
pub struct Arn<'a> {
    pub prefix: Field<'a>,
    pub partition: Field<'a>,
    pub service: Field<'a>,
    pub region: Field<'a>,
    pub account: Field<'a>,
    pub resource: Field<'a>,
}

/// Splits `text` into the six fields, or `Err` with the fields found when there are fewer than six.
pub fn split(text: &str) -> Result<Arn<'_>, Vec<Field<'_>>> {
    let mut fields = Vec::with_capacity(6);
    let mut start = 0;
    for _ in 0..5 {
        let Some(colon) = text[start..].find(':') else { break };
        fields.push(Field { start, text: &text[start..start + colon] });
        start += colon + 1;
    }
    fields.push(Field { start, text: &text[start..] });
    match fields[..] {
        [prefix, partition, service, region, account, resource] => {
            Ok(Arn { prefix, partition, service, region, account, resource })
        }
        _ => Err(fields),
    }
}

/// The account of an ARN that names a whole account (`arn:aws:iam::123456789012:root`), or of a bare
/// account ID, as IAM accepts both in a principal.
pub fn whole_account(principal: &str) -> Option<&str> {
    if is_account_id(principal) {
        return Some(principal);
    }
    let arn = split(principal).ok()?;
    (arn.prefix.text == "arn" && arn.service.text == "iam" && arn.resource.text == "root")
        .then_some(arn.account.text)
}

/// Twelve digits.
pub fn is_account_id(text: &str) -> bool {
    text.len() == 12 && text.bytes().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_six_fields() {
        let arn = split("arn:aws:lambda:us-east-1:123456789012:function:f:live").unwrap();
        assert_eq!(arn.service.text, "lambda");
        assert_eq!(arn.resource.text, "function:f:live");
        assert_eq!(arn.account.start, 25);
        let arn = split("arn:aws:s3:::bucket/key").unwrap();
        assert_eq!((arn.region.text, arn.account.text, arn.resource.text), ("", "", "bucket/key"));
        assert_eq!(split("arn:aws:s3").unwrap_err().len(), 3);
    }

    #[test]
    fn whole_accounts() {
        assert_eq!(whole_account("arn:aws:iam::123456789012:root"), Some("123456789012"));
        assert_eq!(whole_account("123456789012"), Some("123456789012"));
        assert_eq!(whole_account("arn:aws:iam::123456789012:role/admin"), None);
        assert_eq!(whole_account("1234"), None);
    }
}
