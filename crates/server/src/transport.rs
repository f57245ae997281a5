//! LSP framing over stdio that survives bad input. `lsp-server`'s own stdio transport stops reading at the
//! first malformed message; an editor's language server must not die because one message was garbled, so
//! this reader skips what it cannot parse and reports it to the main loop instead.

use std::io::{self, BufRead, Read, Write};
use std::thread;

use crossbeam_channel::{Sender, bounded, unbounded};
use lsp_server::{Connection, Message, Notification};

/// The notification the reader sends in place of a message it could not parse; its params are the reason.
pub const MALFORMED: &str = "$/plimsoll/malformedMessage";

/// A message body larger than this is refused unread (an open buffer of the largest file plimsoll lints,
/// JSON-escaped, fits with room to spare), so a bogus `Content-Length` cannot exhaust memory.
const MAX_BODY_BYTES: usize = 256 * 1024 * 1024;

/// The reader and writer threads; join them after the main loop ends.
pub struct IoThreads {
    reader: thread::JoinHandle<()>,
    writer: thread::JoinHandle<io::Result<()>>,
}

impl IoThreads {
    pub fn join(self) -> io::Result<()> {
        // The reader may be blocked on standard input the client never closes; it ends with the process.
        drop(self.reader);
        self.writer.join().unwrap_or_else(|_| Err(io::Error::other("the writer thread panicked")))
    }
}

/// A connection on the process's standard input and output.
pub fn stdio() -> io::Result<(Connection, IoThreads)> {
    let (to_client, outgoing) = unbounded::<Message>();
    let (incoming, from_client) = bounded::<Message>(64);
    let writer = thread::Builder::new().name("plimsoll-lsp-writer".into()).spawn(move || {
        let mut stdout = io::stdout().lock();
        for message in outgoing {
            message.write(&mut stdout)?;
            stdout.flush()?;
        }
        Ok(())
    })?;
    let reader = thread::Builder::new().name("plimsoll-lsp-reader".into()).spawn(move || {
        let mut stdin = io::stdin().lock();
        read_messages(&mut stdin, &incoming);
    })?;
    Ok((Connection { sender: to_client, receiver: from_client }, IoThreads { reader, writer }))
}

/// Reads framed messages until end of input, an exit notification or a closed channel.
pub fn read_messages(input: &mut impl BufRead, incoming: &Sender<Message>) {
    loop {
        let message = match read_one(input) {
            Ok(Some(Ok(message))) => message,
            Ok(Some(Err(reason))) => Message::Notification(Notification::new(MALFORMED.into(), reason)),
            Ok(None) | Err(_) => return,
        };
        let exit = matches!(&message, Message::Notification(n) if n.method == "exit");
        if incoming.send(message).is_err() || exit {
            return;
        }
    }
}

/// One message: `None` at end of input, `Some(Err(reason))` for a frame whose body is not a message.
fn read_one(input: &mut impl BufRead) -> io::Result<Option<Result<Message, String>>> {
    let mut length: Option<usize> = None;
    let mut bad_header = None;
    let mut line = String::new();
    loop {
        line.clear();
        // Header lines are short; a line that never ends is bounded by the take.
        if input.by_ref().take(8 * 1024).read_line(&mut line)? == 0 {
            return Ok(None);
        }
        let header = line.trim_end_matches(['\r', '\n']);
        if header.is_empty() {
            if length.is_some() || bad_header.is_some() {
                break;
            }
            // Blank lines between frames carry nothing.
            continue;
        }
        match header.split_once(':') {
            Some((name, value)) if name.trim().eq_ignore_ascii_case("content-length") => {
                match value.trim().parse::<usize>() {
                    Ok(n) => length = Some(n),
                    Err(_) => bad_header = Some(format!("invalid Content-Length `{}`", value.trim())),
                }
            }
            Some(_) => {}
            None => bad_header = Some(format!("invalid header line `{}`", truncate(header))),
        }
    }
    let Some(length) = length else {
        return Ok(Some(Err(bad_header.unwrap_or_else(|| "a message without Content-Length".into()))));
    };
    if length > MAX_BODY_BYTES {
        io::copy(&mut input.by_ref().take(length as u64), &mut io::sink())?;
        return Ok(Some(Err(format!("a message of {length} bytes is over the limit of {MAX_BODY_BYTES}"))));
    }
    let mut body = vec![0; length];
    input.read_exact(&mut body)?;
    Ok(Some(serde_json::from_slice::<Message>(&body).map_err(|err| {
        format!("not a JSON-RPC message ({err}): {}", truncate(&String::from_utf8_lossy(&body)))
    })))
}

fn truncate(text: &str) -> String {
    match text.char_indices().nth(120) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

/// Reads everything `input` frames into messages, for tests.
#[cfg(test)]
pub fn read_all(input: &[u8]) -> Vec<Message> {
    let (sender, receiver) = unbounded();
    read_messages(&mut io::BufReader::new(input), &sender);
    drop(sender);
    receiver.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[test]
    fn reads_consecutive_messages() {
        let input = frame(r#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#)
            + &frame(r#"{"jsonrpc":"2.0","method":"exit"}"#);
        let messages = read_all(input.as_bytes());
        assert_eq!(messages.len(), 2);
        assert!(matches!(&messages[0], Message::Request(r) if r.method == "shutdown"));
    }

    #[test]
    fn a_garbled_body_is_reported_and_reading_goes_on() {
        let input = frame("{not json") + &frame(r#"{"jsonrpc":"2.0","method":"exit"}"#);
        let messages = read_all(input.as_bytes());
        assert!(matches!(&messages[0], Message::Notification(n) if n.method == MALFORMED));
        assert!(matches!(&messages[1], Message::Notification(n) if n.method == "exit"));
    }

    #[test]
    fn a_bad_header_is_reported_and_reading_goes_on() {
        let input =
            "Content-Length: lots\r\n\r\n".to_string() + &frame(r#"{"jsonrpc":"2.0","method":"exit"}"#);
        let messages = read_all(input.as_bytes());
        assert!(matches!(&messages[0], Message::Notification(n) if n.method == MALFORMED));
        assert!(matches!(&messages[1], Message::Notification(n) if n.method == "exit"));
    }

    #[test]
    fn a_truncated_body_ends_the_input_quietly() {
        let messages = read_all(b"Content-Length: 500\r\n\r\n{\"jsonrpc\"");
        assert!(messages.is_empty());
    }

    #[test]
    fn an_oversized_length_is_refused_unread() {
        let input = format!("Content-Length: {}\r\n\r\n", MAX_BODY_BYTES + 1);
        let messages = read_all(input.as_bytes());
        assert_eq!(messages.len(), 1);
        assert!(matches!(&messages[0], Message::Notification(n) if n.method == MALFORMED));
    }
}
