//! What the catalogue knows of a service: its actions, resource types and condition keys. Every string
//! borrows from the table compiled into the binary, so the records are small and lookups copy nothing.

use super::text::{cmp_ignore_case, template_matches};

/// An AWS service: one service prefix of the Service Authorization Reference.
#[derive(Debug)]
pub struct Service {
    pub(super) prefix: &'static str,
    pub(super) name: &'static str,
    pub(super) actions: &'static [Action],
    pub(super) resource_types: &'static [ResourceType],
    pub(super) condition_keys: &'static [ConditionKey],
}

impl Service {
    /// The service prefix of its actions, lower case: `s3`, `ec2`, `execute-api`.
    pub fn prefix(&self) -> &'static str {
        self.prefix
    }

    /// The service's name: `Amazon S3`.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The service's actions, sorted case-insensitively by name.
    pub fn actions(&self) -> &'static [Action] {
        self.actions
    }

    /// The service's resource types, sorted by name (case first: `CIS Scan Configuration` before `finding`).
    pub fn resource_types(&self) -> &'static [ResourceType] {
        self.resource_types
    }

    /// The condition keys the service documents (its own and the `aws:` tag keys it supports), sorted
    /// case-insensitively.
    pub fn condition_keys(&self) -> &'static [ConditionKey] {
        self.condition_keys
    }

    /// The action of this name, compared case-insensitively as AWS does: `getobject` finds `GetObject`.
    pub fn action(&self, name: &str) -> Option<&'static Action> {
        let actions = self.actions;
        actions
            .binary_search_by(|action| cmp_ignore_case(action.name(), name))
            .ok()
            .map(|index| &actions[index])
    }

    /// The resource type of this name (`bucket`, `object`), compared case-insensitively.
    pub fn resource_type(&self, name: &str) -> Option<&'static ResourceType> {
        self.resource_types.iter().find(|resource| resource.name.eq_ignore_ascii_case(name))
    }

    /// The service condition key that names `key`: spelled the same up to case, or a templated key such as
    /// `s3:ExistingObjectTag/<key>` whose placeholder stands for the rest of `key`.
    pub fn condition_key(&self, key: &str) -> Option<ConditionKey> {
        let keys = self.condition_keys;
        match keys.binary_search_by(|known| cmp_ignore_case(known.name, key)) {
            Ok(index) => Some(keys[index]),
            Err(_) => {
                keys.iter().find(|known| known.is_templated() && template_matches(known.name, key)).copied()
            }
        }
    }
}

/// An action (a permission): `s3:GetObject`.
#[derive(Debug)]
pub struct Action {
    pub(super) full_name: &'static str,
    pub(super) prefix_len: usize,
    pub(super) access: AccessLevel,
    pub(super) resource_types: &'static [ActionResource],
    pub(super) condition_keys: &'static str,
}

impl Action {
    /// `s3:GetObject`: the service prefix and the action's name as AWS spells them.
    pub fn full_name(&self) -> &'static str {
        self.full_name
    }

    /// The service prefix: `s3`.
    pub fn service_prefix(&self) -> &'static str {
        &self.full_name[..self.prefix_len]
    }

    /// The action's name within its service: `GetObject`.
    pub fn name(&self) -> &'static str {
        &self.full_name[self.prefix_len + 1..]
    }

    /// The access level AWS classifies the action under.
    pub fn access(&self) -> AccessLevel {
        self.access
    }

    /// The resource types a statement can scope the action to, with whether each is required.
    pub fn resource_types(&self) -> &'static [ActionResource] {
        self.resource_types
    }

    /// Whether the action can be scoped to resources (it has at least one resource type); one that cannot
    /// works only with `"Resource": "*"`.
    pub fn supports_resource_scoping(&self) -> bool {
        !self.resource_types.is_empty()
    }

    /// The condition keys the action itself supports, as the catalogue spells them (templated keys keep
    /// their placeholder: `aws:RequestTag/${TagKey}`). The keys of its resource types come on top:
    /// [`Action::supports_condition_key`] looks at both.
    pub fn condition_keys(&self) -> impl Iterator<Item = &'static str> + use<> {
        self.condition_keys.split(',').filter(|key| !key.is_empty())
    }

    /// Whether the action's documentation lists `key` (case-insensitively, templated keys matching their
    /// instances): among the action's own condition keys or those of one of its resource types. Global
    /// `aws:` keys apply to every action and are not asked here.
    pub fn supports_condition_key(&self, key: &str) -> bool {
        let names = |list: &'static str| list.split(',').filter(|name| !name.is_empty());
        let matches = |name: &str| template_matches(name, key);
        names(self.condition_keys).any(matches)
            || self
                .resource_types
                .iter()
                .any(|resource| names(resource.resource_type.condition_keys).any(matches))
    }
}

/// One resource type an action accepts.
#[derive(Clone, Copy, Debug)]
pub struct ActionResource {
    /// The resource type.
    pub resource_type: &'static ResourceType,
    /// Whether AWS marks it required (`*` in the reference): a statement granting the action on other
    /// resources only does not allow it.
    pub required: bool,
}

/// A resource type of a service, with the format of its ARNs.
#[derive(Debug)]
pub struct ResourceType {
    pub(super) name: &'static str,
    pub(super) arn: &'static str,
    /// Characters the ARN format's last placeholder cannot hold: another type of the same ARN service
    /// extends the format with them (`${BucketName}` cannot hold `/`, which starts an object's key).
    pub(super) tail_excluded: &'static str,
    pub(super) condition_keys: &'static str,
}

impl ResourceType {
    /// The resource type's name: `bucket`, `object`, `role`.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The ARN format, placeholders included: `arn:${Partition}:s3:::${BucketName}/${ObjectName}`.
    pub fn arn_format(&self) -> &'static str {
        self.arn
    }

    /// The condition keys of the resource type, as the catalogue spells them.
    pub fn condition_keys(&self) -> impl Iterator<Item = &'static str> + use<> {
        self.condition_keys.split(',').filter(|key| !key.is_empty())
    }

    /// Whether a policy's `Resource` ARN can name a resource of this type: some ARN of this format matches
    /// the policy ARN, whose `*` and `?` are wildcards and whose policy variables (`${aws:username}`) can
    /// be anything. `arn:aws:s3:::my-bucket/*` names objects, not the bucket; `arn:aws:s3:::*` names both.
    pub fn matches(&self, arn: &str) -> bool {
        super::arn::intersects(arn, self.arn, self.tail_excluded)
    }
}

/// The access level of an action, as AWS classifies it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AccessLevel {
    /// Lists resources.
    List,
    /// Reads resources or their configuration.
    Read,
    /// Creates, changes or deletes resources.
    Write,
    /// Changes who can access what: policies, grants, credentials.
    PermissionsManagement,
    /// Changes the tags of resources.
    Tagging,
}

impl AccessLevel {
    /// The level as the Service Authorization Reference writes it: `Permissions management`.
    pub fn as_str(self) -> &'static str {
        match self {
            AccessLevel::List => "List",
            AccessLevel::Read => "Read",
            AccessLevel::Write => "Write",
            AccessLevel::PermissionsManagement => "Permissions management",
            AccessLevel::Tagging => "Tagging",
        }
    }

    /// The level from its one-letter code in the table: `L`, `R`, `W`, `P`, `T`.
    pub(super) fn from_code(code: &str) -> Option<AccessLevel> {
        Some(match code {
            "L" => AccessLevel::List,
            "R" => AccessLevel::Read,
            "W" => AccessLevel::Write,
            "P" => AccessLevel::PermissionsManagement,
            "T" => AccessLevel::Tagging,
            _ => return None,
        })
    }
}

/// A condition key: a global `aws:` key, a service's key, or the claim of a web identity provider.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConditionKey {
    /// The key as the catalogue spells it; templated keys keep their placeholder
    /// (`aws:RequestTag/${TagKey}`, `s3:ExistingObjectTag/<key>`, `${Provider}:sub`).
    pub name: &'static str,
    /// The type of the key's values, which decides the condition operators that fit it.
    pub value_type: ConditionType,
    /// Whether the request context can hold several values for the key (`ArrayOf…` types, `aws:TagKeys`,
    /// `aws:CalledVia`): only those take the `ForAnyValue:` / `ForAllValues:` set operators.
    pub multi_valued: bool,
}

impl ConditionKey {
    /// Whether the key holds a placeholder (`${TagKey}`, `<key>`) that stands for a part of the key used.
    pub fn is_templated(&self) -> bool {
        self.name.contains("${") || self.name.contains('<')
    }

    /// The key from the table's type name: `String`, `ArrayOfARN`, …
    pub(super) fn parse(name: &'static str, type_name: &str) -> Option<ConditionKey> {
        let (multi_valued, base) = match type_name.strip_prefix("ArrayOf") {
            Some(base) => (true, base),
            None => (false, type_name),
        };
        Some(ConditionKey { name, value_type: ConditionType::from_name(base)?, multi_valued })
    }
}

/// The type of a condition key's values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ConditionType {
    /// Compared with the `String…` operators.
    String,
    /// An ARN, compared with the `Arn…` operators (string operators also work).
    Arn,
    /// `true` or `false`, compared with `Bool`.
    Bool,
    /// A number, compared with the `Numeric…` operators.
    Numeric,
    /// A date and time, compared with the `Date…` operators.
    Date,
    /// An IP address or CIDR range, compared with `IpAddress` / `NotIpAddress`.
    IpAddress,
    /// Base64-encoded bytes, compared with `BinaryEquals`.
    Binary,
}

impl ConditionType {
    /// The type from the Service Authorization Reference's name of it.
    fn from_name(name: &str) -> Option<ConditionType> {
        Some(match name {
            "String" => ConditionType::String,
            "ARN" => ConditionType::Arn,
            "Bool" => ConditionType::Bool,
            "Numeric" => ConditionType::Numeric,
            "Date" => ConditionType::Date,
            "IPAddress" => ConditionType::IpAddress,
            "Binary" => ConditionType::Binary,
            _ => return None,
        })
    }
}
