use std::fmt;
use std::ops::Range;

/// A half-open byte range `start..end` into one source text.
///
/// `u32` offsets keep every node small; the front ends refuse files larger than 4 GiB long before that.
#[derive(
    Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, serde::Serialize, serde::Deserialize,
)]
pub struct TextRange {
    pub start: u32,
    pub end: u32,
}

impl TextRange {
    pub const fn new(start: u32, end: u32) -> Self {
        debug_assert!(start <= end);
        TextRange { start, end }
    }

    /// Builds a range from `usize` offsets; offsets beyond `u32::MAX` saturate.
    pub fn from_usize(start: usize, end: usize) -> Self {
        let clamp = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
        TextRange::new(clamp(start), clamp(end.max(start)))
    }

    pub const fn empty(at: u32) -> Self {
        TextRange { start: at, end: at }
    }

    pub const fn len(self) -> u32 {
        self.end - self.start
    }

    pub const fn is_empty(self) -> bool {
        self.start == self.end
    }

    pub fn contains_range(self, other: TextRange) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    pub fn contains(self, offset: u32) -> bool {
        self.start <= offset && offset < self.end
    }

    /// The smallest range covering both.
    pub fn cover(self, other: TextRange) -> TextRange {
        TextRange::new(self.start.min(other.start), self.end.max(other.end))
    }

    /// Moves the range right by `offset` bytes (used when a nested text, such as the script of `sh -c`, was
    /// parsed on its own).
    pub fn shift(self, offset: u32) -> TextRange {
        TextRange::new(self.start.saturating_add(offset), self.end.saturating_add(offset))
    }

    pub fn as_usize(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }

    /// The text this range covers, or `""` if it does not fall on character boundaries of `text`.
    pub fn slice(self, text: &str) -> &str {
        text.get(self.as_usize()).unwrap_or("")
    }
}

impl fmt::Debug for TextRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

impl From<TextRange> for Range<usize> {
    fn from(r: TextRange) -> Self {
        r.as_usize()
    }
}

/// A value together with the range of source text it was read from.
#[derive(Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Spanned<T> {
    pub value: T,
    pub range: TextRange,
}

impl<T> Spanned<T> {
    pub fn new(value: T, range: TextRange) -> Self {
        Spanned { value, range }
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Spanned<U> {
        Spanned { value: f(self.value), range: self.range }
    }

    pub fn as_ref(&self) -> Spanned<&T> {
        Spanned { value: &self.value, range: self.range }
    }
}

impl<T: fmt::Debug> fmt::Debug for Spanned<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}@{:?}", self.value, self.range)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cover_and_contains() {
        let a = TextRange::new(2, 5);
        let b = TextRange::new(4, 9);
        assert_eq!(a.cover(b), TextRange::new(2, 9));
        assert!(a.contains(4) && !a.contains(5));
        assert!(TextRange::new(0, 10).contains_range(b));
        assert_eq!(a.shift(10), TextRange::new(12, 15));
    }

    #[test]
    fn slice_is_total() {
        let text = "héllo";
        assert_eq!(TextRange::new(0, 1).slice(text), "h");
        assert_eq!(TextRange::new(1, 2).slice(text), "", "not a char boundary");
        assert_eq!(TextRange::new(4, 99).slice(text), "", "past the end");
    }
}
