//! [`Setting`]: an effective value together with where it came from.

use plimsoll_span::TextRange;

/// An effective value and where it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Setting<T> {
    /// Set in this file, at this range.
    Explicit(T, TextRange),
    /// Not set at this level but known from elsewhere: a base image, a pod-level securityContext, the
    /// Dockerfile a Compose service builds. The range is where to point in this file (the `FROM` image, the
    /// pod's field, the `build:` key).
    Inherited(T, TextRange),
    /// Not set anywhere we can see; `anchor` is where to point when reporting that it is missing (the `FROM`
    /// line, the service key, the container's `name:`).
    Unset { anchor: TextRange },
    /// Set here, to a value that cannot be known before run time (`read_only: ${READ_ONLY}` without a
    /// default). Rules neither report it as missing nor guess what it holds.
    Unknown(TextRange),
}

impl<T> Setting<T> {
    pub fn value(&self) -> Option<&T> {
        match self {
            Setting::Explicit(v, _) | Setting::Inherited(v, _) => Some(v),
            Setting::Unset { .. } | Setting::Unknown(_) => None,
        }
    }

    /// Where to point: the value's range, or the anchor when unset.
    pub fn range(&self) -> TextRange {
        match self {
            Setting::Explicit(_, r) | Setting::Inherited(_, r) | Setting::Unknown(r) => *r,
            Setting::Unset { anchor } => *anchor,
        }
    }

    pub fn is_explicit(&self) -> bool {
        matches!(self, Setting::Explicit(..))
    }

    pub fn is_unset(&self) -> bool {
        matches!(self, Setting::Unset { .. })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn range_points_at_value_or_anchor() {
        let set = Setting::Explicit(1, TextRange::new(3, 4));
        assert_eq!(set.value(), Some(&1));
        assert_eq!(set.range(), TextRange::new(3, 4));
        let unset: Setting<i32> = Setting::Unset { anchor: TextRange::new(0, 4) };
        assert_eq!(unset.value(), None);
        assert_eq!(unset.range(), TextRange::new(0, 4));
        assert!(unset.is_unset() && !unset.is_explicit());
        let unknown: Setting<i32> = Setting::Unknown(TextRange::new(5, 9));
        assert_eq!(unknown.value(), None);
        assert_eq!(unknown.range(), TextRange::new(5, 9));
        assert!(!unknown.is_unset() && !unknown.is_explicit());
    }
}
