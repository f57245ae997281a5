//! The exec form's JSON array. Docker's rule: if the arguments parse as a JSON array of strings it is the
//! exec form; a valid JSON array holding anything else is an error; anything else is the shell form.

use std::ops::Range;

#[derive(Debug, PartialEq, Eq)]
pub(crate) enum JsonArray {
    /// Every string with the range of its token (quotes included) and its unescaped text.
    Strings(Vec<(Range<usize>, String)>),
    /// Valid JSON, but an element is not a string.
    NotStrings,
    /// Not a JSON array at all.
    Invalid,
}

/// Reads `text[range]` (already trimmed of surrounding whitespace) as a JSON array.
pub(crate) fn parse_array(text: &str, range: Range<usize>) -> JsonArray {
    if !text[range.clone()].starts_with('[') {
        return JsonArray::Invalid;
    }
    let mut reader = Reader { text, pos: range.start + 1, end: range.end };
    let mut strings = Vec::new();
    let mut only_strings = true;
    reader.ws();
    if !reader.eat(b']') {
        loop {
            reader.ws();
            let start = reader.pos;
            if reader.peek() == Some(b'"') {
                let Some(s) = reader.string(true) else { return JsonArray::Invalid };
                strings.push((start..reader.pos, s));
            } else if reader.value() {
                only_strings = false;
            } else {
                return JsonArray::Invalid;
            }
            reader.ws();
            if reader.eat(b']') {
                break;
            }
            if !reader.eat(b',') {
                return JsonArray::Invalid;
            }
        }
    }
    reader.ws();
    match (reader.pos == reader.end, only_strings) {
        (false, _) => JsonArray::Invalid,
        (true, true) => JsonArray::Strings(strings),
        (true, false) => JsonArray::NotStrings,
    }
}

struct Reader<'a> {
    text: &'a str,
    pos: usize,
    end: usize,
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        (self.pos < self.end).then(|| self.text.as_bytes()[self.pos])
    }

    fn eat(&mut self, byte: u8) -> bool {
        let hit = self.peek() == Some(byte);
        self.pos += usize::from(hit);
        hit
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    /// A string token at `pos` (which is `"`); the decoded text when `decode` is set.
    fn string(&mut self, decode: bool) -> Option<String> {
        self.pos += 1;
        let mut out = String::new();
        let mut run = self.pos;
        loop {
            let byte = self.peek()?;
            match byte {
                b'"' => {
                    if decode {
                        out.push_str(&self.text[run..self.pos]);
                    }
                    self.pos += 1;
                    return Some(out);
                }
                b'\\' => {
                    if decode {
                        out.push_str(&self.text[run..self.pos]);
                    }
                    self.pos += 1;
                    let escaped = self.peek()?;
                    self.pos += 1;
                    let ch = match escaped {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode_escape()?,
                        _ => return None,
                    };
                    if decode {
                        out.push(ch);
                    }
                    run = self.pos;
                }
                0..=0x1f => return None,
                _ => self.pos += 1,
            }
        }
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = self.text.get(self.pos..self.pos + 4).filter(|_| self.pos + 4 <= self.end)?;
        let value =
            u32::from_str_radix(digits, 16).ok().filter(|_| digits.bytes().all(|b| b.is_ascii_hexdigit()))?;
        self.pos += 4;
        Some(value)
    }

    /// The character of `\uXXXX` (after the `u`); a lone surrogate becomes U+FFFD, as in Go.
    fn unicode_escape(&mut self) -> Option<char> {
        let high = self.hex4()?;
        if (0xD800..0xDC00).contains(&high) && self.text[self.pos..self.end].starts_with("\\u") {
            let save = self.pos;
            self.pos += 2;
            if let Some(low) = self.hex4().filter(|low| (0xDC00..0xE000).contains(low)) {
                return char::from_u32(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00));
            }
            self.pos = save;
        }
        Some(char::from_u32(high).unwrap_or('\u{fffd}'))
    }

    fn number(&mut self) -> bool {
        self.eat(b'-');
        let digits = |r: &mut Self| {
            let start = r.pos;
            while r.peek().is_some_and(|b| b.is_ascii_digit()) {
                r.pos += 1;
            }
            r.pos - start
        };
        if self.eat(b'0') {
            // A leading zero stands alone.
        } else if digits(self) == 0 {
            return false;
        }
        if self.eat(b'.') && digits(self) == 0 {
            return false;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if !self.eat(b'+') {
                self.eat(b'-');
            }
            if digits(self) == 0 {
                return false;
            }
        }
        true
    }

    fn literal(&mut self, word: &str) -> bool {
        let hit = self.text[self.pos..self.end].starts_with(word);
        if hit {
            self.pos += word.len();
        }
        hit
    }

    /// `"key" :` inside an object.
    fn key(&mut self) -> bool {
        self.ws();
        if self.peek() != Some(b'"') || self.string(false).is_none() {
            return false;
        }
        self.ws();
        self.eat(b':')
    }

    /// Skips any JSON value. Nesting is tracked on an explicit stack, so deep input cannot overflow.
    fn value(&mut self) -> bool {
        let mut closers: Vec<u8> = Vec::new();
        loop {
            self.ws();
            let scalar_ok = match self.peek() {
                Some(b'[') => {
                    self.pos += 1;
                    self.ws();
                    if !self.eat(b']') {
                        closers.push(b']');
                        continue;
                    }
                    true
                }
                Some(b'{') => {
                    self.pos += 1;
                    self.ws();
                    if !self.eat(b'}') {
                        closers.push(b'}');
                        if !self.key() {
                            return false;
                        }
                        continue;
                    }
                    true
                }
                Some(b'"') => self.string(false).is_some(),
                Some(b't') => self.literal("true"),
                Some(b'f') => self.literal("false"),
                Some(b'n') => self.literal("null"),
                Some(b'-' | b'0'..=b'9') => self.number(),
                _ => false,
            };
            if !scalar_ok {
                return false;
            }
            // After a value: close finished containers, or move to the container's next element.
            loop {
                let Some(&closer) = closers.last() else { return true };
                self.ws();
                if self.eat(closer) {
                    closers.pop();
                    continue;
                }
                if !self.eat(b',') || (closer == b'}' && !self.key()) {
                    return false;
                }
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> JsonArray {
        parse_array(text, 0..text.len())
    }

    fn strings(text: &str) -> Vec<String> {
        match parse(text) {
            JsonArray::Strings(s) => s.into_iter().map(|(_, s)| s).collect(),
            other => panic!("{text}: {other:?}"),
        }
    }

    #[test]
    fn arrays_of_strings() {
        assert_eq!(strings(r#"["a", "b c"]"#), vec!["a", "b c"]);
        assert_eq!(strings("[]"), Vec::<String>::new());
        assert_eq!(strings("[ \"x\" ,\n\"y\" ]"), vec!["x", "y"]);
        assert_eq!(
            strings(r#"["\"q\" \\ \/ \n \u00e9 \ud83d\ude00 \ud800"]"#),
            vec!["\"q\" \\ / \n é 😀 \u{fffd}"]
        );
        assert_eq!(strings(r#"["é ü"]"#), vec!["é ü"]);
    }

    #[test]
    fn token_ranges_include_quotes() {
        let text = r#"["sh", "-c"]"#;
        let JsonArray::Strings(s) = parse(text) else { panic!() };
        assert_eq!(&text[s[1].0.clone()], r#""-c""#);
    }

    #[test]
    fn other_values_are_not_strings() {
        assert_eq!(parse(r#"["a", 1]"#), JsonArray::NotStrings);
        assert_eq!(parse(r#"[{"a": [1, -2.5e3, true, null]}, "x"]"#), JsonArray::NotStrings);
        assert_eq!(parse("[[[[]]]]"), JsonArray::NotStrings);
    }

    #[test]
    fn invalid_json_is_shell_form() {
        for text in [
            r#"["nginx", "-g", ]"#,
            r#"['single']"#,
            r#"["a" "b"]"#,
            r#"["a"] trailing"#,
            r#"["unterminated]"#,
            "[\"tab\there\"]",
            r#"["bad \x escape"]"#,
            "[01]",
            "[1.]",
            "[tru]",
            r#"[{"a" 1}]"#,
            "[",
            "echo [x]",
            r#"["\u12"]"#,
        ] {
            assert_eq!(parse(text), JsonArray::Invalid, "{text}");
        }
    }

    #[test]
    fn deep_nesting_does_not_recurse() {
        let deep = format!("[{}{}]", "[".repeat(100_000), "]".repeat(100_000));
        assert_eq!(parse(&deep), JsonArray::NotStrings);
        let open = "[".repeat(100_000);
        assert_eq!(parse(&open), JsonArray::Invalid);
    }
}
