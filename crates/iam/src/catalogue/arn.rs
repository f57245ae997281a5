//! Whether a policy's `Resource` ARN can name a resource of a given type: is there an ARN that both the
//! policy's pattern and the type's ARN format accept?
//!
//! Both sides are patterns. The policy ARN has `*` (any run), `?` (any one character) and policy variables
//! (`${aws:username}`, anything at evaluation time; `${*}`, `${?}`, `${$}` are the literal characters). The
//! ARN format has placeholders (`arn:${Partition}:s3:::${BucketName}`), each standing for:
//! * in the partition, service, region and account fields: any run without `:`, empty included (AWS-owned
//!   resources have an empty account: `arn:aws:ssm:us-east-1::document/AWS-RunShellScript`);
//! * in the resource part: a non-empty run without `:`, and without `/` where the format puts a `/` right
//!   after it (`table/${TableName}/index/${IndexName}`: a table name holds no `/`, while the log group
//!   name of `log-group:${LogGroupName}:log-stream:${LogStreamName}` may). The format's last placeholder
//!   holds `/` (object keys, role paths) unless another resource type of the service extends the format
//!   with it: the catalogue records such characters per type (`${BucketName}` cannot hold `/`, so
//!   `arn:aws:s3:::my-bucket/*` names objects and not the bucket). It holds `:` only in formats without
//!   region and account (S3 object keys may hold anything); elsewhere a `:` there would let the `*` in
//!   the region field of `arn:aws:ec2:*:*:instance/*` run on into a volume's ID and name volumes.
//!
//! Literal characters compare case-sensitively, as AWS compares ARNs. The answer comes from running the
//! format as a small automaton over the policy ARN, its states the format's byte offsets kept in a bit set:
//! no allocation, and linear in the policy ARN's length.

/// Formats longer than this are not in the catalogue (the longest is 222 bytes); the test of every format
/// guards it.
const MAX_FORMAT: usize = 255;

/// A set of states: byte offsets 0..=MAX_FORMAT of the format.
#[derive(Clone, Copy, PartialEq, Eq)]
struct States([u64; 4]);

impl States {
    const EMPTY: States = States([0; 4]);

    fn insert(&mut self, state: usize) {
        self.0[state / 64] |= 1 << (state % 64);
    }

    fn contains(&self, state: usize) -> bool {
        self.0[state / 64] & (1 << (state % 64)) != 0
    }

    fn is_empty(&self) -> bool {
        self.0 == [0; 4]
    }

    /// Visits the states in ascending order, including those `visit` inserts above the state it is given:
    /// the sets are small, so this beats walking every offset of the format.
    fn visit_ascending(&mut self, mut visit: impl FnMut(usize, &mut States)) {
        for word in 0..self.0.len() {
            let mut done = 0u64;
            loop {
                let pending = self.0[word] & !done;
                if pending == 0 {
                    break;
                }
                let bit = pending.trailing_zeros() as usize;
                done |= 1 << bit;
                visit(word * 64 + bit, self);
            }
        }
    }
}

/// What starts at an offset of the format, in three bytes: the table of steps is set up on every call.
#[derive(Clone, Copy)]
enum Step {
    /// A literal byte; the next state is the next offset.
    Literal(u8),
    /// A placeholder; its characters are counted at `inside` (the offset of its `}`), and it is left for
    /// `inside + 1`. `rule` indexes [`Format::rules`].
    Placeholder { inside: u8, rule: u8 },
    /// The offset of a placeholder's `}`: the placeholder has taken at least one character.
    Inside { rule: u8 },
    /// The end of the format.
    End,
}

/// What a placeholder may hold.
#[derive(Clone, Copy)]
struct Rule {
    colon: bool,
    slash: bool,
    /// Further characters it cannot hold: those another resource type's format puts after it.
    excluded: &'static str,
    may_be_empty: bool,
}

impl Rule {
    fn admits(self, byte: u8) -> bool {
        match byte {
            b':' if !self.colon => false,
            b'/' if !self.slash => false,
            _ => !self.excluded.as_bytes().contains(&byte),
        }
    }
}

/// The rules of [`Format::rules`] by index.
const FIELD: u8 = 0;
const LAST: u8 = 1;
const INNER: u8 = 2;
const INNER_BEFORE_SLASH: u8 = 3;

/// The format's steps by offset, worked out once per call.
struct Format {
    steps: [Step; MAX_FORMAT + 1],
    rules: [Rule; 4],
    len: usize,
}

impl Format {
    fn new(format: &str, tail_excluded: &'static str) -> Option<Format> {
        let bytes = format.as_bytes();
        if bytes.len() > MAX_FORMAT {
            return None;
        }
        // `arn:${Partition}:s3:::…`: names in a global namespace, free-form.
        let global = format.split(':').skip(3).take(2).all(str::is_empty);
        let inner = Rule { colon: false, slash: true, excluded: "", may_be_empty: false };
        let rules = [
            Rule { colon: false, slash: true, excluded: "", may_be_empty: true },
            Rule { colon: global, slash: true, excluded: tail_excluded, may_be_empty: false },
            inner,
            Rule { slash: false, ..inner },
        ];
        let mut steps = [Step::End; MAX_FORMAT + 1];
        let mut colons = 0;
        let mut at = 0;
        while at < bytes.len() {
            if bytes[at..].starts_with(b"${")
                && let Some(close) = bytes[at..].iter().position(|&byte| byte == b'}')
            {
                let inside = at + close;
                // The resource part starts after the fifth colon: `arn:partition:service:region:account:`.
                let rule = match bytes.get(inside + 1) {
                    _ if colons < 5 => FIELD,
                    None => LAST,
                    Some(b'/') => INNER_BEFORE_SLASH,
                    Some(_) => INNER,
                };
                // `inside` < MAX_FORMAT: it fits a byte.
                steps[at] = Step::Placeholder { inside: inside as u8, rule };
                steps[inside] = Step::Inside { rule };
                at = inside + 1;
            } else {
                colons += usize::from(bytes[at] == b':');
                steps[at] = Step::Literal(bytes[at]);
                at += 1;
            }
        }
        Some(Format { steps, rules, len: bytes.len() })
    }

    /// Adds the states reachable without reading a character: leaving a placeholder that may be empty,
    /// or one that has taken a character. Such moves only go forward.
    fn close(&self, mut states: States) -> States {
        states.visit_ascending(|state, states| match self.steps[state] {
            Step::Placeholder { inside, rule } if self.rules[usize::from(rule)].may_be_empty => {
                states.insert(usize::from(inside) + 1)
            }
            Step::Inside { .. } => states.insert(state + 1),
            _ => {}
        });
        states
    }

    /// The states after reading one character: `Some(byte)` for a literal one, `None` for any.
    fn read(&self, mut states: States, byte: Option<u8>) -> States {
        let admits = |rule: u8| byte.is_none_or(|byte| self.rules[usize::from(rule)].admits(byte));
        let mut next = States::EMPTY;
        states.visit_ascending(|state, _| match self.steps[state] {
            Step::Literal(literal) if byte.is_none_or(|byte| byte == literal) => next.insert(state + 1),
            Step::Placeholder { inside, rule } if admits(rule) => next.insert(usize::from(inside)),
            Step::Inside { rule } if admits(rule) => next.insert(state),
            _ => {}
        });
        self.close(next)
    }

    /// The states after reading any run of characters (a policy `*`): every state's successors, and
    /// theirs. Every move is forward or stays put.
    fn read_any_run(&self, mut states: States) -> States {
        states.visit_ascending(|state, states| match self.steps[state] {
            Step::Literal(_) | Step::Inside { .. } => states.insert(state + 1),
            Step::Placeholder { inside, rule } => {
                states.insert(usize::from(inside));
                if self.rules[usize::from(rule)].may_be_empty {
                    states.insert(usize::from(inside) + 1);
                }
            }
            Step::End => {}
        });
        states
    }
}

/// A piece of the policy ARN.
enum Piece {
    Byte(u8),
    AnyOne,
    AnyRun,
}

/// The policy ARN's pieces: `*`, `?`, policy variables (any run) and their escapes, literal bytes.
fn pieces(arn: &str) -> impl Iterator<Item = Piece> + '_ {
    let bytes = arn.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        let byte = *bytes.get(at)?;
        if byte == b'$'
            && bytes.get(at + 1) == Some(&b'{')
            && let Some(close) = bytes[at..].iter().position(|&byte| byte == b'}')
        {
            let variable = &bytes[at + 2..at + close];
            at += close + 1;
            return Some(match variable {
                b"*" => Piece::Byte(b'*'),
                b"?" => Piece::Byte(b'?'),
                b"$" => Piece::Byte(b'$'),
                _ => Piece::AnyRun,
            });
        }
        at += 1;
        Some(match byte {
            b'*' => Piece::AnyRun,
            b'?' => Piece::AnyOne,
            _ => Piece::Byte(byte),
        })
    })
}

/// Whether some ARN matches both the policy ARN `arn` and the resource type's `format`.
pub(super) fn intersects(arn: &str, format: &str, tail_excluded: &'static str) -> bool {
    let Some(format) = Format::new(format, tail_excluded) else { return false };
    let mut start = States::EMPTY;
    start.insert(0);
    let mut states = format.close(start);
    for piece in pieces(arn) {
        states = match piece {
            Piece::Byte(byte) => format.read(states, Some(byte)),
            Piece::AnyOne => format.read(states, None),
            Piece::AnyRun => format.read_any_run(states),
        };
        if states.is_empty() {
            return false;
        }
    }
    states.contains(format.len)
}

#[cfg(test)]
mod tests {
    use super::intersects;
    use crate::catalogue::catalogue;

    /// Whether `arn` matches the resource type `name` of service `prefix` in the real catalogue.
    fn names(prefix: &str, name: &str, arn: &str) -> bool {
        let service = catalogue().service(prefix).expect("service");
        service.resource_type(name).expect("resource type").matches(arn)
    }

    #[test]
    fn buckets_and_objects() {
        assert!(names("s3", "bucket", "arn:aws:s3:::my-bucket"));
        assert!(!names("s3", "object", "arn:aws:s3:::my-bucket"));
        assert!(names("s3", "object", "arn:aws:s3:::my-bucket/*"));
        assert!(!names("s3", "bucket", "arn:aws:s3:::my-bucket/*"));
        assert!(names("s3", "object", "arn:aws:s3:::my-bucket/reports/2024/q1.csv"));
        assert!(names("s3", "object", "arn:aws:s3:::my-bucket/logs/2024-01-01T00:00:00Z.json"));
        // `*` spans `/`: both the buckets and their objects.
        assert!(names("s3", "bucket", "arn:aws:s3:::*"));
        assert!(names("s3", "object", "arn:aws:s3:::*"));
        assert!(names("s3", "bucket", "arn:aws:s3:::my-bucket*"));
        assert!(names("s3", "object", "arn:aws:s3:::my-bucket*"));
        assert!(names("s3", "bucket", "arn:aws:s3:::my-bucke?"));
        assert!(!names("s3", "object", "arn:aws:s3:::my-bucket/"));
        assert!(names("s3", "bucket", "*"));
        assert!(names("s3", "object", "arn:*"));
    }

    #[test]
    fn other_services_and_malformed_arns_name_nothing() {
        assert!(!names("s3", "bucket", "arn:aws:sqs:us-east-1:123456789012:queue"));
        assert!(!names("s3", "bucket", "arn:aws:s3"));
        assert!(!names("s3", "bucket", "my-bucket"));
        assert!(!names("s3", "bucket", ""));
        // ARNs are case-sensitive: the service field is lower case.
        assert!(!names("s3", "bucket", "arn:aws:S3:::my-bucket"));
    }

    #[test]
    fn partitions() {
        assert!(names("s3", "bucket", "arn:aws-cn:s3:::my-bucket"));
        assert!(names("iam", "role", "arn:aws-us-gov:iam::123456789012:role/deploy"));
        assert!(names("iam", "role", "arn:*:iam::123456789012:role/deploy"));
    }

    #[test]
    fn policy_variables() {
        assert!(names("s3", "object", "arn:aws:s3:::home-bucket/home/${aws:username}/*"));
        assert!(names("iam", "user", "arn:aws:iam::123456789012:user/${aws:username}"));
        assert!(names("s3", "object", "arn:aws:s3:::bucket/${aws:userid}"));
        // `${*}` is a literal star, no wildcard: it cannot stand for the `/` of an object's ARN.
        assert!(names("s3", "object", "arn:aws:s3:::bucket/${*}"));
        assert!(names("s3", "object", "arn:aws:s3:::bucket*"));
        assert!(!names("s3", "object", "arn:aws:s3:::bucket${*}"));
        assert!(names("s3", "bucket", "arn:aws:s3:::bucket${aws:username}"));
        assert!(names("s3", "object", "arn:aws:s3:::bucket${aws:username}"));
    }

    #[test]
    fn paths_and_nested_types() {
        assert!(names("iam", "role", "arn:aws:iam::123456789012:role/service-role/my-role"));
        assert!(names("iam", "role", "arn:aws:iam::123456789012:role/*"));
        assert!(!names("iam", "user", "arn:aws:iam::123456789012:role/*"));
        assert!(names("dynamodb", "table", "arn:aws:dynamodb:us-east-1:123456789012:table/Books"));
        assert!(!names("dynamodb", "index", "arn:aws:dynamodb:us-east-1:123456789012:table/Books"));
        assert!(names("dynamodb", "index", "arn:aws:dynamodb:us-east-1:123456789012:table/Books/index/*"));
        assert!(!names("dynamodb", "table", "arn:aws:dynamodb:us-east-1:123456789012:table/Books/index/*"));
        assert!(!names("dynamodb", "stream", "arn:aws:dynamodb:us-east-1:123456789012:table/Books/index/*"));
        assert!(names("dynamodb", "stream", "arn:aws:dynamodb:us-east-1:123456789012:table/Books/*"));
        assert!(names("ec2", "instance", "arn:aws:ec2:*:*:instance/*"));
        assert!(!names("ec2", "volume", "arn:aws:ec2:*:*:instance/*"));
        assert!(!names("ec2", "volume", "arn:aws:ec2:*:*:instance/i-0123456789abcdef0"));
        assert!(names("ec2", "volume", "arn:aws:ec2:*"));
        let group = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/my-function";
        assert!(names("logs", "log-group", group));
        assert!(names("logs", "log-stream", &format!("{group}:*")));
        assert!(!names("logs", "log-stream", group));
    }

    #[test]
    fn qualified_lambda_functions_are_not_the_function() {
        let function = "arn:aws:lambda:us-east-1:123456789012:function:my-function";
        assert!(names("lambda", "function", function));
        // AWS documents that `function:name:*` does not cover the unqualified function.
        assert!(!names("lambda", "function", &format!("{function}:*")));
        assert!(names("lambda", "function alias", &format!("{function}:*")));
    }

    #[test]
    fn empty_region_and_account_fields() {
        assert!(names("ssm", "document", "arn:aws:ssm:us-east-1::document/AWS-RunShellScript"));
        assert!(names("ec2", "image", "arn:aws:ec2:us-east-1::image/ami-0123456789abcdef0"));
        // A resource part needs its placeholders filled.
        assert!(!names("iam", "role", "arn:aws:iam::123456789012:role/"));
    }

    #[test]
    fn every_format_fits_and_matches_itself_with_wildcards() {
        for service in catalogue().services() {
            for resource in service.resource_types() {
                let format = resource.arn_format();
                assert!(format.len() <= super::MAX_FORMAT, "{format}");
                // The format with every placeholder written as `*` is an ARN pattern naming this type.
                let mut pattern = String::new();
                let mut rest = format;
                while let Some(start) = rest.find("${") {
                    let close = rest[start..].find('}').expect("closed placeholder") + start;
                    pattern.push_str(&rest[..start]);
                    pattern.push('*');
                    rest = &rest[close + 1..];
                }
                pattern.push_str(rest);
                assert!(resource.matches(&pattern), "{} {}: {pattern}", service.prefix(), resource.name());
            }
        }
    }

    #[test]
    fn intersects_plain_formats() {
        assert!(intersects("arn:aws:a:::x", "arn:${Partition}:a:::x", ""));
        assert!(!intersects("arn:aws:a:::x", "arn:${Partition}:a:::y", ""));
        assert!(intersects("arn:aws:a:::x/y", "arn:${Partition}:a:::${Name}", ""));
        assert!(!intersects("arn:aws:a:::x/y", "arn:${Partition}:a:::${Name}", "/"));
        assert!(intersects("arn:aws:a:::x:y", "arn:${Partition}:a:::${Name}", "/"));
        assert!(!intersects("arn:aws:a:r:1:x:y", "arn:${Partition}:a:${Region}:${Account}:${Name}", ""));
        assert!(intersects("arn:aws:a:r:1:p/x", "arn:${Partition}:a:${Region}:${Account}:p/${Id}", ""));
        assert!(!intersects(
            "arn:aws:a:r:1:p/x/y",
            "arn:${Partition}:a:${Region}:${Account}:p/${A}/${B}/z",
            ""
        ));
        assert!(intersects(
            "arn:aws:a:r:1:p/x/y/z",
            "arn:${Partition}:a:${Region}:${Account}:p/${A}/${B}/z",
            ""
        ));
    }
}
