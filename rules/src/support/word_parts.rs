//! Source ranges for parts of a word. A word's text has its quotes removed and escapes processed, so an
//! offset into the text is not an offset into the file: these helpers find the part where the word spells
//! it in the source, and fall back to the whole word when the source does not spell it verbatim (an escape
//! in the middle, for example).

use std::ops::Range;

use plimsoll_span::TextRange;

/// The source range of `text[part]`, where `text` is the unquoted text of the word written at `range` in
/// `source` (the whole file). Falls back to `range`.
pub fn part_range(source: &str, range: TextRange, text: &str, part: Range<usize>) -> TextRange {
    let (Some(spelled), Some(needle), Some(before)) =
        (source.get(range.as_usize()), text.get(part.clone()), text.get(..part.start))
    else {
        return range;
    };
    if needle.is_empty() {
        return range;
    }
    if spelled == text {
        return TextRange::from_usize(range.start as usize + part.start, range.start as usize + part.end);
    }
    // The same occurrence of the needle in the source as in the text.
    let nth = before.match_indices(needle).count();
    match spelled.match_indices(needle).nth(nth) {
        Some((at, _)) => {
            let start = range.start as usize + at;
            TextRange::from_usize(start, start + needle.len())
        }
        None => range,
    }
}

/// The source range of the first occurrence of `needle` in the word's text, or the whole word.
pub fn find_range(source: &str, range: TextRange, text: &str, needle: &str) -> TextRange {
    match text.find(needle) {
        Some(at) => part_range(source, range, text, at..at + needle.len()),
        None => range,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slice(source: &str, range: TextRange) -> &str {
        range.slice(source)
    }

    #[test]
    fn plain_words_map_one_to_one() {
        let source = "RUN curl http://x/y";
        let range = TextRange::from_usize(9, 19);
        assert_eq!(slice(source, part_range(source, range, "http://x/y", 7..8)), "x");
    }

    #[test]
    fn quoted_words_are_searched() {
        let source = "RUN echo \"a=b a=b\"";
        let range = TextRange::from_usize(9, 18);
        let found = part_range(source, range, "a=b a=b", 4..7);
        assert_eq!(found, TextRange::from_usize(14, 17));
        assert_eq!(slice(source, find_range(source, range, "a=b a=b", "b a")), "b a");
    }

    #[test]
    fn parts_not_spelled_verbatim_fall_back_to_the_word() {
        let source = "RUN echo a\\bc";
        let range = TextRange::from_usize(9, 13);
        assert_eq!(part_range(source, range, "abc", 0..3), range);
        assert_eq!(find_range(source, range, "abc", "zz"), range);
    }
}
