//! Finding an action by its full name in one step. Policies name actions by the hundred (managed policies
//! list thousands), and every rule that reads them looks each one up: two binary searches of
//! case-insensitive string comparisons (service, then action) were a tenth of linting IAM policies. This
//! index keeps the actions sorted by a case-insensitive hash of `service:action`, so a lookup hashes the
//! name once, searches integers, and compares one name.

use super::model::Action;

/// The catalogue's actions by the hash of their lower-cased full names.
#[derive(Debug)]
pub(super) struct ActionIndex {
    /// `(hash, index into the catalogue's actions)`, sorted; equal hashes (none today) sit side by side.
    entries: Vec<(u64, u32)>,
}

impl ActionIndex {
    pub(super) fn new(actions: &[Action]) -> ActionIndex {
        let mut entries: Vec<(u64, u32)> = actions
            .iter()
            .enumerate()
            .map(|(index, action)| {
                let index = u32::try_from(index).expect("fewer than 2^32 actions");
                (name_hash(action.full_name()), index)
            })
            .collect();
        entries.sort_unstable();
        ActionIndex { entries }
    }

    /// The action of `actions` (the slice the index was built from) named `full_name`, compared
    /// case-insensitively: `s3:GetObject`, `S3:getobject`.
    pub(super) fn get(&self, actions: &'static [Action], full_name: &str) -> Option<&'static Action> {
        let hash = name_hash(full_name);
        let first = self.entries.partition_point(|&(known, _)| known < hash);
        self.entries[first..]
            .iter()
            .take_while(|&&(known, _)| known == hash)
            .map(|&(_, index)| &actions[index as usize])
            .find(|action| action.full_name().eq_ignore_ascii_case(full_name))
    }
}

/// FNV-1a over the ASCII-lower-cased bytes: names are short, so a plain loop beats a general hasher.
fn name_hash(name: &str) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    name.bytes().fold(OFFSET, |hash, byte| (hash ^ u64::from(byte.to_ascii_lowercase())).wrapping_mul(PRIME))
}

#[cfg(test)]
mod tests {
    use super::name_hash;
    use crate::catalogue::catalogue;

    #[test]
    fn every_action_is_found_by_its_name_in_any_case() {
        let catalogue = catalogue();
        for service in catalogue.services() {
            for action in service.actions() {
                for name in [action.full_name().to_string(), action.full_name().to_ascii_uppercase()] {
                    let found = catalogue.action(&name);
                    assert!(found.is_some_and(|found| std::ptr::eq(found, action)), "{name}");
                }
            }
        }
    }

    #[test]
    fn hashes_ignore_case_only() {
        assert_eq!(name_hash("s3:GetObject"), name_hash("S3:GETOBJECT"));
        assert_ne!(name_hash("s3:GetObject"), name_hash("s3:GetObjects"));
    }
}
