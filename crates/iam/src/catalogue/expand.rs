//! The actions a statement's action pattern names: `s3:Get*`, `s3:*`, `*`, `ec2:Describe?nstances`.
//!
//! AWS matches the pattern against `service:action` case-insensitively, `*` standing for any run and `?`
//! for any one character. A pattern with a `:` is matched part by part, which is the same thing since a
//! name holds exactly one `:`; so a literal service part is a binary search and only the service's actions
//! are tried, and a literal action part is a second binary search. A pattern without `:` (`*`, `s3*`) is
//! matched against every full name.

use std::slice;

use super::Catalogue;
use super::model::{Action, Service};
use super::text::{cmp_ignore_case, glob_matches, has_wildcard};

/// The actions of the catalogue that `pattern` names, in catalogue order.
pub(super) fn expand<'p>(catalogue: &Catalogue, pattern: &'p str) -> Expand<'static, 'p> {
    let services = catalogue.services;
    // A full name without wildcards (most items of most policies) is one lookup in the action index.
    if pattern.contains(':') && !has_wildcard(pattern) {
        let (service, action) = pattern.split_once(':').unwrap_or((pattern, ""));
        let found = catalogue.action(pattern).map_or(&[][..], slice::from_ref);
        return Expand {
            services: [].iter(),
            actions: found.iter(),
            pattern: Pattern::Parts { service, action },
        };
    }
    let pattern = match pattern.split_once(':') {
        Some((service, action)) => Pattern::Parts { service, action },
        None => Pattern::Whole(pattern),
    };
    let services = match pattern {
        Pattern::Parts { service, .. } if !has_wildcard(service) => services
            .binary_search_by(|known| cmp_ignore_case(known.prefix, service))
            .map_or(&[][..], |index| slice::from_ref(&services[index])),
        _ => services,
    };
    Expand { services: services.iter(), actions: [].iter(), pattern }
}

/// The iterator [`expand`] returns.
pub(super) struct Expand<'a, 'p> {
    services: slice::Iter<'a, Service>,
    actions: slice::Iter<'a, Action>,
    pattern: Pattern<'p>,
}

#[derive(Clone, Copy)]
enum Pattern<'p> {
    /// `service:action`, each part matched against the same part of a name.
    Parts { service: &'p str, action: &'p str },
    /// No `:`: matched against the whole name.
    Whole(&'p str),
}

impl<'a> Iterator for Expand<'a, '_> {
    type Item = &'a Action;

    fn next(&mut self) -> Option<&'a Action> {
        loop {
            let pattern = self.pattern;
            let matches = |action: &&'a Action| match pattern {
                Pattern::Parts { action: part, .. } => glob_matches(part, action.name()),
                Pattern::Whole(whole) => glob_matches(whole, action.full_name()),
            };
            if let Some(action) = self.actions.find(matches) {
                return Some(action);
            }
            let service = self.services.next()?;
            self.actions = match pattern {
                Pattern::Parts { service: part, .. } if !glob_matches(part, service.prefix()) => [].iter(),
                Pattern::Parts { action: part, .. } if !has_wildcard(part) => {
                    service.action(part).map_or(&[][..], slice::from_ref).iter()
                }
                _ => service.actions().iter(),
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::catalogue::catalogue;

    fn count(pattern: &str) -> usize {
        catalogue().expand(pattern).count()
    }

    #[test]
    fn service_wildcard_names_every_action_of_the_service() {
        let s3 = catalogue().service("s3").expect("s3");
        assert_eq!(count("s3:*"), s3.actions().len());
        assert_eq!(count("S3:*"), s3.actions().len());
        assert!(s3.actions().len() > 100);
    }

    #[test]
    fn prefix_patterns() {
        let gets: Vec<_> = catalogue().expand("s3:Get*").collect();
        assert!(gets.len() > 30);
        assert!(
            gets.iter().all(|action| action.name().starts_with("Get") && action.service_prefix() == "s3")
        );
        assert!(gets.iter().any(|action| action.name() == "GetObject"));
        assert_eq!(count("s3:get*"), gets.len());
    }

    #[test]
    fn star_names_everything() {
        let all: usize = catalogue().services().iter().map(|service| service.actions().len()).sum();
        assert_eq!(count("*"), all);
        assert_eq!(count("*:*"), all);
        assert_eq!(count("**"), all);
    }

    #[test]
    fn question_marks_and_literals() {
        let found: Vec<_> =
            catalogue().expand("ec2:Describe?nstances").map(|action| action.full_name()).collect();
        assert_eq!(found, ["ec2:DescribeInstances"]);
        let found: Vec<_> = catalogue().expand("S3:GETOBJECT").map(|action| action.full_name()).collect();
        assert_eq!(found, ["s3:GetObject"]);
        assert_eq!(count("s3:GetObjet"), 0);
        assert_eq!(count("nosuchservice:*"), 0);
        assert_eq!(count(""), 0);
        assert_eq!(count("s3:"), 0);
    }

    #[test]
    fn wildcards_in_the_service_part() {
        // `*:GetObject`: every service's GetObject.
        let found: Vec<_> = catalogue().expand("*:GetObject").map(|action| action.service_prefix()).collect();
        assert!(found.contains(&"s3") && found.contains(&"s3-object-lambda"), "{found:?}");
        // `s3*:…` takes s3, s3-outposts, s3-object-lambda, s3express, …
        let found: Vec<_> =
            catalogue().expand("s3*:PutObject").map(|action| action.service_prefix()).collect();
        assert!(found.len() >= 3 && found.iter().all(|prefix| prefix.starts_with("s3")), "{found:?}");
        // Without `:`, the pattern runs over the whole name.
        assert_eq!(count("s3*"), count("s3*:*"));
        let whole: Vec<_> = catalogue().expand("iam:PassRol?").map(|action| action.full_name()).collect();
        assert_eq!(whole, ["iam:PassRole"]);
        assert!(catalogue().expand("*PassRole").any(|action| action.full_name() == "iam:PassRole"));
    }
}
