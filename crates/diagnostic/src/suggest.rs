//! "Did you mean": the known name closest to a misspelt one, by an edit distance small enough for a typo.
//! One suggester for every "did you mean" plimsoll prints: AWS services and actions, condition operators
//! and keys, configuration keys, rule selectors and suppressed ids. Only asked about names that are not
//! known, so it is off the hot path.

/// Costs in half-edits, so that a substitution within the same class of character (a digit for a digit,
/// a letter for a letter) is cheaper than one across classes: `ec3` is nearer `ec2` than `ecr`.
const EDIT: usize = 2;
const CROSS_CLASS_SUBSTITUTION: usize = 3;

/// The candidate nearest to `name` (case-insensitively), if it is within the typo budget of a name that
/// long: one edit up to 4 characters, two up to 12, three beyond. Ties go to the first candidate.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let budget = EDIT
        * match name.len() {
            0 => return None,
            1..=4 => 1,
            5..=12 => 2,
            _ => 3,
        };
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        let limit = best.map_or(budget, |(cost, _)| cost - 1);
        if let Some(cost) = distance(name.as_bytes(), candidate.as_bytes(), limit) {
            best = Some((cost, candidate));
            if cost == 0 {
                break;
            }
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// The weighted edit distance between `a` and `b` (insertions, deletions, substitutions and transpositions
/// of neighbours, ASCII case ignored) if it is at most `limit`.
fn distance(a: &[u8], b: &[u8], limit: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) * EDIT > limit {
        return None;
    }
    let width = b.len() + 1;
    // Three rows of the dynamic programme: two back for transpositions.
    let mut rows = vec![0; 3 * width];
    for (j, cell) in rows[..width].iter_mut().enumerate() {
        *cell = j * EDIT;
    }
    for i in 1..=a.len() {
        let (current, previous, before) = ((i % 3) * width, ((i - 1) % 3) * width, ((i + 1) % 3) * width);
        rows[current] = i * EDIT;
        let mut row_min = rows[current];
        for j in 1..=b.len() {
            let (x, y) = (a[i - 1].to_ascii_lowercase(), b[j - 1].to_ascii_lowercase());
            let substitution = match () {
                _ if x == y => 0,
                _ if same_class(x, y) => EDIT,
                _ => CROSS_CLASS_SUBSTITUTION,
            };
            let mut cost = (rows[previous + j - 1] + substitution)
                .min(rows[previous + j] + EDIT)
                .min(rows[current + j - 1] + EDIT);
            if i > 1
                && j > 1
                && x == b[j - 2].to_ascii_lowercase()
                && a[i - 2].to_ascii_lowercase() == y
                && x != y
            {
                cost = cost.min(rows[before + j - 2] + EDIT);
            }
            rows[current + j] = cost;
            row_min = row_min.min(cost);
        }
        if row_min > limit {
            return None;
        }
    }
    let cost = rows[(a.len() % 3) * width + b.len()];
    (cost <= limit).then_some(cost)
}

fn same_class(x: u8, y: u8) -> bool {
    (x.is_ascii_digit() && y.is_ascii_digit()) || (x.is_ascii_alphabetic() && y.is_ascii_alphabetic())
}

#[cfg(test)]
mod tests {
    use super::{closest, distance};

    #[test]
    fn distances() {
        assert_eq!(distance(b"GetObjet", b"GetObject", 10), Some(2));
        assert_eq!(distance(b"getobject", b"GetObject", 10), Some(0));
        assert_eq!(distance(b"ec3", b"ec2", 10), Some(2));
        assert_eq!(distance(b"ec3", b"ecr", 10), Some(3));
        assert_eq!(distance(b"GetObejct", b"GetObject", 10), Some(2));
        assert_eq!(distance(b"abc", b"abcdef", 4), None);
        assert_eq!(distance(b"", b"ab", 4), Some(4));
    }

    #[test]
    fn closest_within_budget() {
        let services = ["ec2", "ecr", "ecs", "s3", "sqs"];
        assert_eq!(closest("ec3", services), Some("ec2"));
        assert_eq!(closest("sq", services), Some("sqs"));
        assert_eq!(closest("ecq", services), Some("ecr"));
        assert_eq!(closest("lambda", services), None);
        assert_eq!(closest("", services), None);
        assert_eq!(closest("GetObjectz", ["GetObject", "GetObjectAcl"]), Some("GetObject"));
    }

    #[test]
    fn closest_names() {
        let operators = ["StringEquals", "StringLike", "Bool", "Null"];
        assert_eq!(closest("StringEqual", operators), Some("StringEquals"));
        assert_eq!(closest("stringlike", operators), Some("StringLike"));
        assert_eq!(closest("Boolean", operators), None);
        assert_eq!(closest("", operators), None);
    }
}
