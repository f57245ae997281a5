//! A pretty-printed JSON document written one element of one of its arrays at a time, byte for byte as
//! `serde_json::to_writer_pretty` would write the whole document, so a run can stream its findings instead of
//! holding them all.

use std::io::{self, Write};

use serde::Serialize;

pub(crate) struct JsonArray {
    /// The document up to and including the streamed array's `[`.
    head: String,
    /// The document after the streamed array's `]`.
    tail: String,
    /// The indentation of the line holding the array's key: elements go two spaces deeper.
    indent: usize,
    elements: usize,
}

impl JsonArray {
    /// `empty` is the whole document pretty-printed with the streamed array empty; `marker` is the text that
    /// ends with that array's `[]` (`"results": []`, or `[]` for a bare array), and the array is its last
    /// occurrence: a string earlier in the document may hold the same characters, escaped.
    pub fn new(empty: String, marker: &str) -> JsonArray {
        let at = empty.rfind(marker).map(|start| start + marker.len() - 2);
        let at = at.expect("the marker names an array of the document");
        let line_start = empty[..at].rfind('\n').map_or(0, |newline| newline + 1);
        let indent = empty[line_start..].len() - empty[line_start..].trim_start_matches(' ').len();
        JsonArray { head: empty[..=at].to_string(), tail: empty[at + 2..].to_string(), indent, elements: 0 }
    }

    pub fn begin(&self, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(self.head.as_bytes())
    }

    pub fn element(&mut self, out: &mut dyn Write, value: &impl Serialize) -> io::Result<()> {
        let pretty = serde_json::to_string_pretty(value)?;
        let padding = " ".repeat(self.indent + 2);
        if self.elements > 0 {
            out.write_all(b",")?;
        }
        self.elements += 1;
        // Pretty JSON has line breaks only between tokens (strings escape theirs), so indenting every line is
        // exactly what the whole-document printer does at this depth.
        for line in pretty.split('\n') {
            write!(out, "\n{padding}{line}")?;
        }
        Ok(())
    }

    pub fn finish(&self, out: &mut dyn Write) -> io::Result<()> {
        if self.elements > 0 {
            write!(out, "\n{}", " ".repeat(self.indent))?;
        }
        out.write_all(b"]")?;
        out.write_all(self.tail.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::JsonArray;

    fn streamed(empty: &serde_json::Value, marker: &str, elements: &[serde_json::Value]) -> String {
        let mut array = JsonArray::new(serde_json::to_string_pretty(empty).unwrap(), marker);
        let mut out = Vec::new();
        array.begin(&mut out).unwrap();
        for element in elements {
            array.element(&mut out, element).unwrap();
        }
        array.finish(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn matches_the_whole_document_printer_at_any_depth() {
        let elements = [json!({"a": 1, "b": [1, {"c": "x\ny"}], "d": {}}), json!("s"), json!([])];
        for count in [0, 1, 3] {
            let nested = |items: Vec<serde_json::Value>| json!({"v": 1, "runs": [{"tool": {"x": [1]}, "results": items, "after": true}]});
            let expected = serde_json::to_string_pretty(&nested(elements[..count].to_vec())).unwrap();
            assert_eq!(streamed(&nested(Vec::new()), "\"results\": []", &elements[..count]), expected);
            let bare = serde_json::to_string_pretty(&elements[..count]).unwrap();
            assert_eq!(streamed(&json!([]), "[]", &elements[..count]), bare);
        }
    }
}
