//! saphyr reports positions as character indices; the tree stores byte offsets.

/// Converts character indices of one text into byte offsets, exactly and in constant time.
///
/// saphyr counts every character, a byte order mark and both halves of CRLF included, so the character
/// index is the one position it reports that does not depend on how it splits lines (a lone `\r` is a
/// line break to saphyr but not to `LineIndex`). ASCII text, nearly every real file, needs no table.
pub(crate) struct CharOffsets<'a> {
    text: &'a str,
    /// Byte offset of every `STRIDE`-th character; empty for ASCII text.
    checkpoints: Vec<u32>,
    ascii: bool,
}

const STRIDE: usize = 64;

impl<'a> CharOffsets<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        let ascii = text.is_ascii();
        let checkpoints = if ascii {
            Vec::new()
        } else {
            text.char_indices().step_by(STRIDE).map(|(byte, _)| clamp(byte)).collect()
        };
        CharOffsets { text, checkpoints, ascii }
    }

    /// The byte offset of the character at `index`; indices past the end give the text's length.
    pub(crate) fn byte(&self, index: usize) -> u32 {
        if self.ascii {
            return clamp(index.min(self.text.len()));
        }
        let Some(&base) = self.checkpoints.get(index / STRIDE) else {
            return clamp(self.text.len());
        };
        let bytes = self.text.as_bytes();
        let mut at = base as usize;
        let steps = index % STRIDE;
        // Mostly-ASCII text (a YAML file with a few accented comments) skips the walk.
        if bytes.get(at..at + steps).is_some_and(<[u8]>::is_ascii) {
            return clamp(at + steps);
        }
        for _ in 0..steps {
            match bytes.get(at) {
                Some(&lead) => at += utf8_width(lead),
                None => break,
            }
        }
        clamp(at.min(self.text.len()))
    }
}

/// Length of the UTF-8 sequence that starts with `lead` (the text is valid UTF-8, so `lead` is a lead byte).
fn utf8_width(lead: u8) -> usize {
    match lead {
        0x00..=0x7f => 1,
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        _ => 4,
    }
}

pub(crate) fn clamp(offset: usize) -> u32 {
    u32::try_from(offset).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_is_the_identity() {
        let offsets = CharOffsets::new("abc");
        assert_eq!(offsets.byte(0), 0);
        assert_eq!(offsets.byte(2), 2);
        assert_eq!(offsets.byte(99), 3);
    }

    #[test]
    fn multi_byte_characters_match_char_indices() {
        // Long enough to cross several checkpoints, with 1- to 4-byte characters everywhere, and mostly ASCII
        // with a few wide characters (the fast path).
        let dense: String = "aé€😀\r\n".repeat(100);
        let sparse = format!("é{}😀{}", "a".repeat(200), "b\n".repeat(100));
        for text in [dense, sparse] {
            let offsets = CharOffsets::new(&text);
            for (index, (byte, _)) in text.char_indices().enumerate() {
                assert_eq!(offsets.byte(index), byte as u32, "character {index}");
            }
            assert_eq!(offsets.byte(text.chars().count()), text.len() as u32);
            assert_eq!(offsets.byte(usize::MAX / 2), text.len() as u32);
        }
    }

    #[test]
    fn byte_order_mark_is_one_character() {
        let text = "\u{feff}a: é";
        let offsets = CharOffsets::new(text);
        assert_eq!(offsets.byte(1), 3);
        assert_eq!(offsets.byte(4), 6);
        assert_eq!(offsets.byte(5), 8);
    }
}
