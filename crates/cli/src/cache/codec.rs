//! The cache's binary encoding: little-endian integers and length-prefixed byte strings. Hand-written
//! because entries are read for every file of a warm run: this costs a copy per string and nothing else.
//! Reading never trusts the bytes: anything short, oversized or not UTF-8 is `None`, which callers treat as
//! a miss.

use super::key::Digest;

#[derive(Default)]
pub struct Writer {
    bytes: Vec<u8>,
}

impl Writer {
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }

    pub fn u8(&mut self, value: u8) {
        self.bytes.push(value);
    }

    pub fn u32(&mut self, value: u32) {
        self.bytes.extend_from_slice(&value.to_le_bytes());
    }

    /// A collection's length. Nothing plimsoll keeps per file comes near `u32::MAX` items.
    pub fn count(&mut self, len: usize) {
        self.u32(u32::try_from(len).unwrap_or(u32::MAX));
    }

    pub fn bytes(&mut self, value: &[u8]) {
        self.count(value.len());
        self.bytes.extend_from_slice(value);
    }

    pub fn str(&mut self, value: &str) {
        self.bytes(value.as_bytes());
    }

    pub fn opt_str(&mut self, value: Option<&str>) {
        match value {
            None => self.u8(0),
            Some(value) => {
                self.u8(1);
                self.str(value);
            }
        }
    }

    pub fn digest(&mut self, value: &Digest) {
        self.bytes.extend_from_slice(value);
    }

    pub fn raw(&mut self, value: &[u8]) {
        self.bytes.extend_from_slice(value);
    }
}

pub struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader { rest: bytes }
    }

    /// Whether everything was read: trailing bytes mean the entry is not what the reader expects.
    pub fn is_done(&self) -> bool {
        self.rest.is_empty()
    }

    pub fn take(&mut self, len: usize) -> Option<&'a [u8]> {
        if len > self.rest.len() {
            return None;
        }
        let (taken, rest) = self.rest.split_at(len);
        self.rest = rest;
        Some(taken)
    }

    pub fn u8(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }

    pub fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }

    /// A collection's length, refused when the entry cannot hold that many items (each takes at least a
    /// byte), so a damaged length never makes the reader allocate gigabytes.
    pub fn count(&mut self) -> Option<usize> {
        let len = self.u32()? as usize;
        (len <= self.rest.len()).then_some(len)
    }

    pub fn bytes(&mut self) -> Option<&'a [u8]> {
        let len = self.u32()? as usize;
        self.take(len)
    }

    pub fn str(&mut self) -> Option<&'a str> {
        std::str::from_utf8(self.bytes()?).ok()
    }

    pub fn opt_str(&mut self) -> Option<Option<&'a str>> {
        match self.u8()? {
            0 => Some(None),
            1 => Some(Some(self.str()?)),
            _ => None,
        }
    }

    pub fn digest(&mut self) -> Option<Digest> {
        self.take(32)?.try_into().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::{Reader, Writer};

    #[test]
    fn values_read_back_in_order() {
        let mut writer = Writer::default();
        writer.u8(7);
        writer.u32(70_000);
        writer.str("héllo");
        writer.opt_str(None);
        writer.opt_str(Some(""));
        writer.digest(&[9; 32]);
        let bytes = writer.into_bytes();
        let mut reader = Reader::new(&bytes);
        assert_eq!(reader.u8(), Some(7));
        assert_eq!(reader.u32(), Some(70_000));
        assert_eq!(reader.str(), Some("héllo"));
        assert_eq!(reader.opt_str(), Some(None));
        assert_eq!(reader.opt_str(), Some(Some("")));
        assert_eq!(reader.digest(), Some([9; 32]));
        assert!(reader.is_done());
        assert_eq!(reader.u8(), None, "nothing past the end");
    }

    #[test]
    fn damaged_input_is_refused() {
        let mut writer = Writer::default();
        writer.str("abc");
        let bytes = writer.into_bytes();
        assert_eq!(Reader::new(&bytes[..5]).str(), None, "truncated");
        assert_eq!(Reader::new(&[3, 0, 0, 0, 0xff, 0xfe, 0xfd]).str(), None, "not UTF-8");
        assert_eq!(Reader::new(&[0xff, 0xff, 0xff, 0xff, 1]).count(), None, "more items than bytes");
        assert_eq!(Reader::new(&[2]).opt_str(), None, "unknown tag");
    }
}
