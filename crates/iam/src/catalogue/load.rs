//! Reading the compiled-in table into the catalogue's index, once per process.
//!
//! The records borrow their strings from the table. Records that point at other records (an action at its
//! resource types, a service at its actions) need those to stay put for the life of the process: the
//! catalogue lives in a `static` anyway, so its arrays are leaked into `'static` slices, which gives plain
//! references without unsafe code or index plumbing. The table is sorted by its generator, so nothing is
//! sorted here except the handful of keys listed away from their own service. The table is read in one
//! scan of its bytes (see [`records`]): the index must be built in well under 10 ms.

use std::ops::Range;

use super::Catalogue;
use super::keys::GlobalKeys;
use super::model::{AccessLevel, Action, ActionResource, ConditionKey, ResourceType, Service};
use super::text::cmp_ignore_case;

/// The most fields a record has (resource types and actions have five).
const FIELDS: usize = 5;

/// A service while its lines are read: where its records start and end in the flat arrays.
struct StagedService {
    prefix: &'static str,
    name: &'static str,
    keys: Range<usize>,
    resource_types: Range<usize>,
    actions: Range<usize>,
}

/// An action line, before its resource types are resolved.
struct StagedAction {
    /// The range of its full name in the string of all full names.
    full_name: Range<usize>,
    prefix_len: usize,
    access: AccessLevel,
    resource_types: &'static str,
    condition_keys: &'static str,
}

/// Builds the catalogue from the table and the list of global keys.
pub(super) fn load(table: &'static str, global_keys: &'static str) -> Catalogue {
    let mut services: Vec<StagedService> = Vec::with_capacity(512);
    let mut keys: Vec<ConditionKey> = Vec::with_capacity(4096);
    let mut resource_types: Vec<ResourceType> = Vec::with_capacity(4096);
    let mut actions: Vec<StagedAction> = Vec::with_capacity(32768);
    // Full names (`s3:GetObject`) side by side, so that each action can borrow its own.
    let mut names = String::with_capacity(table.len() / 2);
    for (line, fields) in records(table) {
        let [kind, first, second, third, fourth] = fields;
        // One-letter kinds, compared as bytes: string comparisons here called `memcmp` for every line.
        let kind = match kind.as_bytes() {
            [kind] if *kind == b'S' || !services.is_empty() => *kind,
            _ => malformed(line),
        };
        match kind {
            b'S' => {
                let (k, r, a) = (keys.len(), resource_types.len(), actions.len());
                let (prefix, name) = (first, second);
                services.push(StagedService {
                    prefix,
                    name,
                    keys: k..k,
                    resource_types: r..r,
                    actions: a..a,
                });
                continue;
            }
            b'K' => keys.push(ConditionKey::parse(first, second).unwrap_or_else(|| malformed(line))),
            b'R' => {
                let tail_excluded = if third == "-" { "" } else { third };
                resource_types.push(ResourceType {
                    name: first,
                    arn: second,
                    tail_excluded,
                    condition_keys: fourth,
                });
            }
            b'A' => {
                let access = AccessLevel::from_code(second).unwrap_or_else(|| malformed(line));
                let (start, prefix) = (names.len(), services[services.len() - 1].prefix);
                names.extend([prefix, ":", first]);
                let (full_name, prefix_len) = (start..names.len(), prefix.len());
                let (resource_types, condition_keys) = (third, fourth);
                actions.push(StagedAction { full_name, prefix_len, access, resource_types, condition_keys });
            }
            _ => malformed(line),
        }
        let service = services.len() - 1;
        let service = &mut services[service];
        service.keys.end = keys.len();
        service.resource_types.end = resource_types.len();
        service.actions.end = actions.len();
    }
    let keys: &'static [ConditionKey] = keys.leak();
    let resource_types: &'static [ResourceType] = resource_types.leak();
    let names: &'static str = names.leak();

    // Every action's resource types side by side in one array; each action keeps its range until the
    // array is in place.
    let mut references: Vec<ActionResource> = Vec::with_capacity(actions.len() * 2);
    let mut ranges: Vec<Range<usize>> = Vec::with_capacity(actions.len());
    for service in &services {
        let own_types = &resource_types[service.resource_types.clone()];
        for action in &actions[service.actions.clone()] {
            let start = references.len();
            for entry in action.resource_types.split(',').filter(|entry| !entry.is_empty()) {
                let (name, required) = match entry.strip_suffix('*') {
                    Some(name) => (name, true),
                    None => (entry, false),
                };
                // Resource types are sorted by their exact names, the spelling action lines use.
                let Ok(index) = own_types.binary_search_by(|resource| resource.name.cmp(name)) else {
                    panic!(
                        "catalogue.txt: {} names no resource type {name}",
                        &names[action.full_name.clone()]
                    )
                };
                references.push(ActionResource { resource_type: &own_types[index], required });
            }
            ranges.push(start..references.len());
        }
    }
    let references: &'static [ActionResource] = references.leak();

    let actions: &'static [Action] = actions
        .into_iter()
        .zip(ranges)
        .map(|(action, resources)| Action {
            full_name: &names[action.full_name],
            prefix_len: action.prefix_len,
            access: action.access,
            resource_types: &references[resources],
            condition_keys: action.condition_keys,
        })
        .collect::<Vec<_>>()
        .leak();

    let services: &'static [Service] = services
        .into_iter()
        .map(|service| Service {
            prefix: service.prefix,
            name: service.name,
            actions: &actions[service.actions],
            resource_types: &resource_types[service.resource_types],
            condition_keys: &keys[service.keys],
        })
        .collect::<Vec<_>>()
        .leak();

    let (foreign_keys, foreign_templates) = foreign_keys(services);
    Catalogue { services, global_keys: GlobalKeys::parse(global_keys), foreign_keys, foreign_templates }
}

/// The records of the table, each with its tab-separated fields (missing ones empty; a sixth stays part of
/// the fifth), skipping comments and blank lines.
fn records(table: &'static str) -> impl Iterator<Item = (&'static str, [&'static str; FIELDS])> {
    let mut separators = separators(table.as_bytes());
    let mut line_start = 0;
    std::iter::from_fn(move || {
        while line_start < table.len() {
            let mut fields = [""; FIELDS];
            let mut count = 0;
            let mut field_start = line_start;
            let mut line_end = table.len();
            for at in separators.by_ref() {
                if table.as_bytes()[at] == b'\n' {
                    line_end = at;
                    break;
                }
                if count < FIELDS - 1 {
                    fields[count] = &table[field_start..at];
                    count += 1;
                    field_start = at + 1;
                }
            }
            fields[count] = &table[field_start..line_end];
            let line = &table[line_start..line_end];
            line_start = line_end + 1;
            if !line.is_empty() && !line.starts_with('#') {
                return Some((line, fields));
            }
        }
        None
    })
}

/// The offsets of the tabs and newlines of `bytes`, in order. Eight bytes are tested at a time: a record
/// separator comes every dozen bytes of the 1.5 MB table, and testing them one by one (or searching for
/// line ends and then for tabs) was most of the time the index took to build.
fn separators(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    const ONES: u64 = u64::from_le_bytes([0x01; 8]);
    const LOW_BITS: u64 = ONES * 0x7f;
    /// The high bit of each byte of `word` that is zero, exactly (no borrow from one byte to the next).
    fn zero_bytes(word: u64) -> u64 {
        !(((word & LOW_BITS) + LOW_BITS) | word | LOW_BITS)
    }
    let (words, tail) = bytes.as_chunks::<8>();
    let in_words = words.iter().enumerate().flat_map(|(index, word)| {
        let word = u64::from_le_bytes(*word);
        let mut found =
            zero_bytes(word ^ (ONES * u64::from(b'\t'))) | zero_bytes(word ^ (ONES * u64::from(b'\n')));
        std::iter::from_fn(move || {
            if found == 0 {
                return None;
            }
            let byte = found.trailing_zeros() as usize / 8;
            found &= found - 1;
            Some(index * 8 + byte)
        })
    });
    let offset = words.len() * 8;
    let in_tail = tail
        .iter()
        .enumerate()
        .filter(|(_, byte)| matches!(byte, b'\t' | b'\n'))
        .map(move |(at, _)| offset + at);
    in_words.chain(in_tail)
}

/// The keys services list under another prefix than their own (`accounts.google.com:aud` and the `saml:`
/// keys under `sts`, `ec2:SourceInstanceARN` under `ssm`), apart from the global `aws:` ones: the plain
/// ones sorted and deduplicated for binary search, the templated ones in a list.
fn foreign_keys(services: &[Service]) -> (Vec<ConditionKey>, Vec<ConditionKey>) {
    let mut plain = Vec::new();
    let mut templated = Vec::new();
    for service in services {
        for key in service.condition_keys {
            let prefix = key.name.split_once(':').map_or(key.name, |(prefix, _)| prefix);
            if prefix.eq_ignore_ascii_case("aws") || prefix.eq_ignore_ascii_case(service.prefix) {
                continue;
            }
            if key.is_templated() { templated.push(*key) } else { plain.push(*key) }
        }
    }
    plain.sort_by(|a, b| cmp_ignore_case(a.name, b.name));
    plain.dedup_by(|a, b| a.name.eq_ignore_ascii_case(b.name));
    (plain, templated)
}

fn malformed(line: &str) -> ! {
    panic!("catalogue.txt: malformed line {line:?}")
}

#[cfg(test)]
mod tests {
    use super::{records, separators};

    #[test]
    fn records_and_fields() {
        let table = "#source x\n\nS\ts3\tAmazon S3\nA\tGetObject\tR\t\tk1,k2\nA\tListAllMyBuckets\tL";
        let read: Vec<_> = records(table).map(|(_, fields)| fields).collect();
        assert_eq!(
            read,
            [
                ["S", "s3", "Amazon S3", "", ""],
                ["A", "GetObject", "R", "", "k1,k2"],
                ["A", "ListAllMyBuckets", "L", "", ""],
            ]
        );
        // A sixth field stays part of the fifth.
        let read: Vec<_> = records("R\ta\tb\tc\td\te\n").map(|(_, fields)| fields).collect();
        assert_eq!(read, [["R", "a", "b", "c", "d\te"]]);
    }

    #[test]
    fn separators_are_found_exactly() {
        let text = "a\tb\nccccccccc\t\t\n\u{1}\u{8}\u{9}\u{a}\u{b}xx\tyyyyyyyy\n\t";
        let expected: Vec<usize> =
            text.bytes().enumerate().filter(|(_, b)| *b == b'\t' || *b == b'\n').map(|(at, _)| at).collect();
        assert_eq!(separators(text.as_bytes()).collect::<Vec<_>>(), expected);
        assert_eq!(separators(b"").count(), 0);
    }
}
