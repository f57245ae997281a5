//! Reading the compiled-in table into the catalogue's index, once per process.
//!
//! The records borrow their strings from the table. Records that point at other records (an action at its
//! resource types, a service at its actions) need those to stay put for the life of the process: the
//! catalogue lives in a `static` anyway, so its arrays are leaked into `'static` slices, which gives plain
//! references without unsafe code or index plumbing. The table is sorted by its generator, so nothing is
//! sorted here except the handful of keys listed away from their own service.
//!
//! The index must be built in well under 10 ms, so the table is read in one scan of its bytes (see
//! [`records`]), and each service is finished as soon as its lines are read, while they are in cache: its
//! resource types, its actions' full names and its actions' resource types become `'static` slices, and
//! its actions go straight into the one array of all actions.

use std::ops::Range;

use super::Catalogue;
use super::action_index::ActionIndex;
use super::keys::GlobalKeys;
use super::model::{AccessLevel, Action, ActionResource, ConditionKey, ResourceType, Service};
use super::text::cmp_ignore_case;

/// The most fields a record has (resource types and actions have five).
const FIELDS: usize = 5;

/// A service whose records are all read: where they are in the flat arrays.
struct ReadService {
    prefix: &'static str,
    name: &'static str,
    keys: Range<usize>,
    resource_types: &'static [ResourceType],
    actions: Range<usize>,
}

/// The service whose lines are being read.
struct Reading {
    prefix: &'static str,
    name: &'static str,
    keys_start: usize,
    resource_types: Vec<ResourceType>,
    /// Action lines: name, access, resource types, condition keys.
    actions: Vec<(&'static str, AccessLevel, &'static str, &'static str)>,
    /// Scratch space of [`Reading::finish`].
    ends: Vec<usize>,
}

impl Reading {
    /// Resolves the service's records into `'static` ones, adding its actions to `actions`.
    fn finish(&mut self, keys_end: usize, actions: &mut Vec<Action>) -> ReadService {
        let resource_types: &'static [ResourceType] = std::mem::take(&mut self.resource_types).leak();
        let prefix_len = self.prefix.len();
        let names_len = self.actions.iter().map(|(name, ..)| prefix_len + 1 + name.len()).sum();
        let mut names = String::with_capacity(names_len);
        let mut references: Vec<ActionResource> = Vec::with_capacity(self.actions.len() * 2);
        // Where each action's references end; its name's end follows from the names' lengths.
        self.ends.clear();
        for &(name, _, types, _) in &self.actions {
            names.extend([self.prefix, ":", name]);
            for entry in types.split(',').filter(|entry| !entry.is_empty()) {
                let (type_name, required) = match entry.strip_suffix('*') {
                    Some(type_name) => (type_name, true),
                    None => (entry, false),
                };
                // Resource types are sorted by their exact names, the spelling action lines use.
                let Ok(index) = resource_types.binary_search_by(|resource| resource.name.cmp(type_name))
                else {
                    panic!("catalogue.txt: {}:{name} names no resource type {type_name}", self.prefix)
                };
                references.push(ActionResource { resource_type: &resource_types[index], required });
            }
            self.ends.push(references.len());
        }
        let names: &'static str = names.leak();
        let references: &'static [ActionResource] = references.leak();

        let start = actions.len();
        let (mut name_at, mut reference_at) = (0, 0);
        for (&(name, access, _, condition_keys), &reference_end) in self.actions.iter().zip(&self.ends) {
            let name_end = name_at + prefix_len + 1 + name.len();
            actions.push(Action {
                full_name: &names[name_at..name_end],
                prefix_len,
                access,
                resource_types: &references[reference_at..reference_end],
                condition_keys,
            });
            (name_at, reference_at) = (name_end, reference_end);
        }
        self.actions.clear();
        ReadService {
            prefix: self.prefix,
            name: self.name,
            keys: self.keys_start..keys_end,
            resource_types,
            actions: start..actions.len(),
        }
    }
}

/// Builds the catalogue from the table and the list of global keys.
pub(super) fn load(table: &'static str, global_keys: &'static str) -> Catalogue {
    let mut services: Vec<ReadService> = Vec::with_capacity(512);
    let mut keys: Vec<ConditionKey> = Vec::with_capacity(4096);
    let mut actions: Vec<Action> = Vec::with_capacity(32768);
    let mut reading: Option<Reading> = None;
    for (line, fields) in records(table) {
        let [kind, first, second, third, fourth] = fields;
        // One-letter kinds, compared as bytes: string comparisons here called `memcmp` for every line.
        let kind = match kind.as_bytes() {
            [kind] => *kind,
            _ => malformed(line),
        };
        if kind == b'S' {
            let mut next = Reading {
                prefix: first,
                name: second,
                keys_start: keys.len(),
                resource_types: Vec::new(),
                actions: Vec::new(),
                ends: Vec::new(),
            };
            if let Some(mut previous) = reading.take() {
                services.push(previous.finish(keys.len(), &mut actions));
                // Its lines are resolved: the buffers serve the next service.
                (next.actions, next.ends) = (previous.actions, previous.ends);
            }
            reading = Some(next);
            continue;
        }
        let Some(service) = reading.as_mut() else { malformed(line) };
        match kind {
            b'K' => keys.push(ConditionKey::parse(first, second).unwrap_or_else(|| malformed(line))),
            b'R' => {
                let tail_excluded = if third == "-" { "" } else { third };
                service.resource_types.push(ResourceType {
                    name: first,
                    arn: second,
                    tail_excluded,
                    condition_keys: fourth,
                });
            }
            b'A' => {
                let access = AccessLevel::from_code(second).unwrap_or_else(|| malformed(line));
                service.actions.push((first, access, third, fourth));
            }
            _ => malformed(line),
        }
    }
    if let Some(last) = reading.as_mut() {
        services.push(last.finish(keys.len(), &mut actions));
    }
    let keys: &'static [ConditionKey] = keys.leak();
    let actions: &'static [Action] = actions.leak();
    let services: &'static [Service] = services
        .into_iter()
        .map(|service| Service {
            prefix: service.prefix,
            name: service.name,
            actions: &actions[service.actions],
            resource_types: service.resource_types,
            condition_keys: &keys[service.keys],
        })
        .collect::<Vec<_>>()
        .leak();

    let (foreign_keys, foreign_templates) = foreign_keys(services);
    Catalogue {
        services,
        actions,
        action_index: ActionIndex::new(actions),
        global_keys: GlobalKeys::parse(global_keys),
        foreign_keys,
        foreign_templates,
    }
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
