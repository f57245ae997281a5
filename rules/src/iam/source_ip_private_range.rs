use std::net::IpAddr;

use plimsoll_linter::{Check, IamCtx, Reporter, declare_rule};

use crate::support::iam::is_template;
use crate::support::iam_conditions::{IpRange, ip_range, operator};

declare_rule! {
    /// ## What it does
    /// Checks the values of IP address conditions (`IpAddress`, `NotIpAddress`, with or without
    /// `IfExists`): a value that is not an IPv4 or IPv6 address or CIDR range, a range with bits set
    /// after its prefix (`10.1.2.3/16`, which IAM reads as `10.1.0.0/16`), and a private range compared
    /// with `aws:SourceIp`: RFC 1918 (`10.0.0.0/8`, `172.16.0.0/12`, `192.168.0.0/16`), loopback,
    /// link-local, and IPv6 unique local and link-local addresses.
    ///
    /// ## Why is this bad?
    /// `aws:SourceIp` holds the public address a request reaches AWS from. A request from inside a VPC
    /// arrives either from a public address (the instance's or a NAT gateway's) or through a VPC
    /// endpoint, and through an endpoint the key is absent and `aws:VpcSourceIp` holds the private
    /// address instead. A private range in `aws:SourceIp` therefore never matches: an `Allow` limited to
    /// the office network grants nothing, a `Deny` for requests "not from our network" (`NotIpAddress`)
    /// refuses the requests it meant to let through, and a `Deny` written with `IpAddress` denies
    /// nothing. A malformed range makes IAM reject the policy.
    ///
    /// ## Example
    /// ```iam,bad
    /// {
    ///   "Version": "2012-10-17",
    ///   "Statement": [
    ///     {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*",
    ///      "Condition": {"IpAddress": {"aws:SourceIp": "10.20.0.0/16"}}}
    ///   ]
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```iam,good
    /// {
    ///   "Version": "2012-10-17",
    ///   "Statement": [
    ///     {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*",
    ///      "Condition": {"IpAddress": {"aws:VpcSourceIp": "10.20.0.0/16"},
    ///                    "StringEquals": {"aws:SourceVpc": "vpc-0a1b2c3d4e5f67890"}}}
    ///   ]
    /// }
    /// ```
    ///
    /// ## References
    /// - [AWS global condition context keys: aws:SourceIp](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourceip)
    /// - [AWS global condition context keys: aws:VpcSourceIp](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-vpcsourceip)
    /// - [IP address condition operators](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IPAddress)
    code: "IAM032",
    name: "source-ip-private-range",
    family: Iam,
    severity: Warning,
    formats: [Iam],
    aliases: [
        "PRIVATE_IP_ADDRESS",
        "PRIVATE_NOT_IP_ADDRESS",
        "PRIVATE_IP_ADDRESS_SUBSET",
        "PRIVATE_NOT_IP_ADDRESS_SUBSET",
        "TYPE_MISMATCH_IP_RANGE",
        "IMPROVE_IP_RANGE",
    ],
    checks: [Check::Iam(check)],
}

/// Ranges a public request cannot come from: RFC 1918, loopback, link-local; IPv6 unique local,
/// link-local and loopback.
const PRIVATE: [(&str, u8); 8] = [
    ("10.0.0.0", 8),
    ("172.16.0.0", 12),
    ("192.168.0.0", 16),
    ("127.0.0.0", 8),
    ("169.254.0.0", 16),
    ("fc00::", 7),
    ("fe80::", 10),
    ("::1", 128),
];

fn check(ctx: &IamCtx, r: &mut Reporter) {
    let statements = ctx.file.policies.iter().flat_map(|p| &p.statements);
    for block in statements.flat_map(|s| s.condition.iter().flat_map(|c| &c.blocks)) {
        let op = operator(&block.operator.value);
        if !op.is("IpAddress") && !op.is("NotIpAddress") {
            continue;
        }
        for test in &block.tests {
            let source_ip = test.key.value.eq_ignore_ascii_case("aws:SourceIp");
            for value in test.values.items.iter().filter(|v| !is_template(&v.value)) {
                let Some(range) = ip_range(&value.value) else {
                    r.report(value.range, format!("`{}` is not an IP address or CIDR range", value.value))
                        .help("write an IPv4 or IPv6 address or range in CIDR notation, such as `203.0.113.0/24`");
                    continue;
                };
                let network = network(range);
                if network != range.address {
                    r.report(
                        value.range,
                        format!(
                            "`{}` has bits set after its /{} prefix, which IAM ignores",
                            value.value, range.prefix
                        ),
                    )
                    .help(format!(
                        "write `{network}/{}`, or a longer prefix if one address was meant",
                        range.prefix
                    ));
                } else if source_ip && is_private(range) {
                    r.report(
                        value.range,
                        format!("`{}` is a private range, which `aws:SourceIp` never holds, so the test never matches it", value.value),
                    )
                    .help("test private addresses with `aws:VpcSourceIp` (with `aws:SourceVpc` or `aws:SourceVpce`); keep `aws:SourceIp` for public ones");
                }
            }
        }
    }
}

/// The address with the bits after the prefix cleared.
fn network(range: IpRange) -> IpAddr {
    match range.address {
        IpAddr::V4(a) => {
            let mask = u32::MAX.checked_shl(32 - u32::from(range.prefix)).unwrap_or(0);
            IpAddr::V4((u32::from(a) & mask).into())
        }
        IpAddr::V6(a) => {
            let mask = u128::MAX.checked_shl(128 - u32::from(range.prefix)).unwrap_or(0);
            IpAddr::V6((u128::from(a) & mask).into())
        }
    }
}

/// Whether every address of the range is in one of the private blocks.
fn is_private(range: IpRange) -> bool {
    PRIVATE.iter().any(|(block, prefix)| {
        let block = IpRange { address: block.parse().expect("a valid address"), prefix: *prefix };
        range.address.is_ipv4() == block.address.is_ipv4()
            && range.prefix >= block.prefix
            && network(IpRange { prefix: block.prefix, ..range }) == block.address
    })
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_iam_clean, deny_with_condition, iam_spans, lint_iam};

    #[test]
    fn private_ranges_in_source_ip() {
        let text = deny_with_condition(
            r#"{"NotIpAddress": {"aws:SourceIp": ["203.0.113.0/24", "10.0.0.0/8", "172.20.1.0/24", "192.168.1.7", "fd00:ec2::/32"]}}"#,
        );
        assert_eq!(iam_spans(&RULE, &text), ["10.0.0.0/8", "172.20.1.0/24", "192.168.1.7", "fd00:ec2::/32"]);
        let text = deny_with_condition(r#"{"IpAddressIfExists": {"AWS:SOURCEIP": "127.0.0.1/32"}}"#);
        assert_eq!(iam_spans(&RULE, &text), ["127.0.0.1/32"]);
    }

    #[test]
    fn malformed_ranges_and_host_bits() {
        let text = deny_with_condition(
            r#"{"IpAddress": {"aws:SourceIp": ["10.0.0/8", "198.51.100.0/33", "any", "198.51.100.7/24"]}}"#,
        );
        assert_eq!(iam_spans(&RULE, &text), ["10.0.0/8", "198.51.100.0/33", "any", "198.51.100.7/24"]);
        let found = lint_iam(&RULE, &text);
        assert_eq!(
            found[3].help.as_deref(),
            Some("write `198.51.100.0/24`, or a longer prefix if one address was meant")
        );
    }

    #[test]
    fn public_ranges_vpc_source_ip_and_placeholders_pass() {
        assert_iam_clean(
            &RULE,
            &deny_with_condition(
                r#"{"NotIpAddress": {"aws:SourceIp": ["203.0.113.0/24", "2001:db8::/32", "172.32.0.0/16", "8.8.8.8"]},
          "IpAddress": {"aws:VpcSourceIp": "10.0.0.0/8"}, "StringEquals": {"aws:SourceIp": "whatever"},
          "IpAddressIfExists": {"aws:SourceIp": ["{{office-cidr}}", "<vpn-range>", "${Cidr}"]}}"#,
            ),
        );
    }
}
