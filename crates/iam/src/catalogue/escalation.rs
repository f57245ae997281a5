//! Privilege escalation as data, read from the hand-written `data/escalation.txt`: the methods by which a
//! principal allowed a set of actions can gain more permissions (Rhino Security Labs' list and later
//! public research), the actions whose responses hold credentials, and the actions that read stored
//! secrets and data. Every action named is lower-case `service:action` and is in the catalogue.

use std::sync::OnceLock;

use super::{Action, catalogue};

/// The hand-written data.
const ESCALATION: &str = include_str!("../../data/escalation.txt");

/// A privilege-escalation method: a principal allowed all of its actions can gain permissions it was not
/// granted.
#[derive(Debug)]
pub struct Method {
    /// The method's name: `CreateNewPolicyVersion`, `PassRoleToNewCodeBuildProject`.
    pub name: &'static str,
    /// The actions it needs, lower-case `service:action`: `iam:passrole`, `ec2:runinstances`.
    pub actions: Vec<&'static str>,
    /// The same actions as the catalogue's records, in the same order: rules judge every policy against
    /// every method, so the names are looked up once per process rather than once per policy.
    pub records: Vec<&'static Action>,
    /// What the attacker does, in a few words.
    pub summary: &'static str,
    /// The public research that describes it: title and URL.
    pub reference: &'static str,
}

/// Everything `escalation.txt` holds.
struct Escalation {
    methods: Vec<Method>,
    credentials: Vec<&'static str>,
    data: Vec<&'static str>,
    credential_records: Vec<&'static Action>,
    data_records: Vec<&'static Action>,
}

fn escalation() -> &'static Escalation {
    static ESCALATION_DATA: OnceLock<Escalation> = OnceLock::new();
    ESCALATION_DATA.get_or_init(|| parse(ESCALATION))
}

/// The privilege-escalation methods.
pub fn methods() -> &'static [Method] {
    &escalation().methods
}

/// The actions whose responses hold credentials (access keys, passwords, session or authorization tokens),
/// lower-case `service:action`: `sts:assumerole`, `iam:createaccesskey`, `ecr:getauthorizationtoken`.
pub fn credential_actions() -> &'static [&'static str] {
    &escalation().credentials
}

/// The actions that read stored secrets and data, lower-case `service:action`: `s3:getobject`,
/// `ssm:getparameter`, `secretsmanager:getsecretvalue`. `kms:Decrypt` is not one: it reveals nothing
/// without ciphertext that another grant must read.
pub fn data_read_actions() -> &'static [&'static str] {
    &escalation().data
}

/// [`credential_actions`] as the catalogue's records, in the same order.
pub fn credential_action_records() -> &'static [&'static Action] {
    &escalation().credential_records
}

/// [`data_read_actions`] as the catalogue's records, in the same order.
pub fn data_read_action_records() -> &'static [&'static Action] {
    &escalation().data_records
}

/// The catalogue's record of an action the data names; the data is compiled in and a test checks every
/// name, so a miss is a broken build, reported like a malformed line.
fn record(action: &str) -> &'static Action {
    catalogue().action(action).unwrap_or_else(|| panic!("escalation.txt: {action} is not in the catalogue"))
}

fn parse(text: &'static str) -> Escalation {
    let mut sources: Vec<(&str, &'static str)> = Vec::new();
    let mut escalation = Escalation {
        methods: Vec::new(),
        credentials: Vec::new(),
        data: Vec::new(),
        credential_records: Vec::new(),
        data_records: Vec::new(),
    };
    for line in text.lines().filter(|line| !line.is_empty() && !line.starts_with('#')) {
        let fields: Vec<&'static str> = line.split('\t').collect();
        match fields[..] {
            ["source", label, reference] => sources.push((label, reference)),
            ["method", name, actions, source, summary] => {
                let reference = sources
                    .iter()
                    .find(|(label, _)| *label == source)
                    .map(|(_, reference)| *reference)
                    .unwrap_or_else(|| panic!("escalation.txt: method {name} cites unknown source {source}"));
                let actions: Vec<&'static str> = actions.split(',').collect();
                let records = actions.iter().map(|action| record(action)).collect();
                escalation.methods.push(Method { name, actions, records, summary, reference });
            }
            ["credentials", action, _why] => {
                escalation.credentials.push(action);
                escalation.credential_records.push(record(action));
            }
            ["data", action, _what] => {
                escalation.data.push(action);
                escalation.data_records.push(record(action));
            }
            _ => panic!("escalation.txt: malformed line {line:?}"),
        }
    }
    escalation
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::catalogue;

    /// Every action the data names, with where it is named.
    fn every_action() -> impl Iterator<Item = (&'static str, &'static str)> {
        let methods =
            methods().iter().flat_map(|method| method.actions.iter().map(|action| (method.name, *action)));
        let credentials = credential_actions().iter().map(|action| ("credentials", *action));
        let data = data_read_actions().iter().map(|action| ("data", *action));
        methods.chain(credentials).chain(data)
    }

    #[test]
    fn every_action_is_in_the_catalogue_and_lower_case() {
        for (place, action) in every_action() {
            assert!(catalogue().action(action).is_some(), "{place}: {action} is not in the catalogue");
            assert_eq!(action, action.to_ascii_lowercase(), "{place}: {action} is not lower case");
        }
    }

    #[test]
    fn records_follow_the_names() {
        let full_names = |records: &[&Action]| -> Vec<String> {
            records.iter().map(|action| action.full_name().to_ascii_lowercase()).collect()
        };
        for method in methods() {
            assert_eq!(full_names(&method.records), method.actions, "{}", method.name);
        }
        assert_eq!(full_names(credential_action_records()), credential_actions());
        assert_eq!(full_names(data_read_action_records()), data_read_actions());
    }

    #[test]
    fn the_rhino_methods_are_all_there() {
        let rhino: Vec<_> = methods().iter().filter(|method| method.reference.contains("(2018)")).collect();
        assert_eq!(rhino.len(), 22);
        let pass_role_ec2 =
            methods().iter().find(|method| method.name == "CreateEC2WithExistingInstanceProfile");
        assert_eq!(
            pass_role_ec2.map(|method| &method.actions[..]),
            Some(&["iam:passrole", "ec2:runinstances"][..])
        );
    }

    #[test]
    fn methods_are_well_formed() {
        let mut names: Vec<_> = methods().iter().map(|method| method.name).collect();
        names.sort_unstable();
        let count = names.len();
        names.dedup();
        assert_eq!(names.len(), count, "duplicate method names");
        for method in methods() {
            assert!(!method.actions.is_empty() && !method.summary.is_empty(), "{}", method.name);
            assert!(method.reference.contains("https://"), "{}", method.name);
        }
        for later in
            ["PassRoleToNewCodeBuildProject", "PassRoleToNewEcsTaskWithRunTask", "PassRoleToNewGlueJob"]
        {
            assert!(methods().iter().any(|method| method.name == later), "{later}");
        }
    }

    #[test]
    fn credential_and_data_lists() {
        for action in
            ["sts:assumerole", "sts:getfederationtoken", "iam:createaccesskey", "ecr:getauthorizationtoken"]
        {
            assert!(credential_actions().contains(&action), "{action}");
        }
        for action in ["ec2:getpassworddata", "redshift:getclustercredentials", "rds-db:connect"] {
            assert!(credential_actions().contains(&action), "{action}");
        }
        assert!(credential_actions().contains(&"codeartifact:getauthorizationtoken"));
        for action in
            ["s3:getobject", "ssm:getparameter", "ssm:getparametersbypath", "secretsmanager:getsecretvalue"]
        {
            assert!(data_read_actions().contains(&action), "{action}");
        }
        assert!(!data_read_actions().contains(&"kms:decrypt"));
    }
}
