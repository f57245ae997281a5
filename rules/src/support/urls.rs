//! URLs written inside words (`https://user:pass@host:8080/path`, also inside `--index-url=…` or an echoed
//! `deb http://… main` line), with the byte ranges of their parts so a rule can point at exactly the scheme,
//! the credentials or the host. Variables (`${HOST}`, `$(cmd)`) stay as written and may be any part.

use std::ops::Range;

/// One `scheme://authority[/path]` URL found in a text; every range indexes that text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Url {
    pub range: Range<usize>,
    pub scheme: Range<usize>,
    /// `user[:password]`, before the last `@` of the authority.
    pub userinfo: Option<Range<usize>>,
    pub user: Option<Range<usize>>,
    /// The part after the first `:` of the userinfo (possibly empty).
    pub password: Option<Range<usize>>,
    /// The host without port (`[::1]` keeps its brackets).
    pub host: Range<usize>,
}

impl Url {
    /// Whether the scheme is `name`, ignoring case.
    pub fn has_scheme(&self, text: &str, name: &str) -> bool {
        text[self.scheme.clone()].eq_ignore_ascii_case(name)
    }

    /// The URL with its password replaced by `****` and without its path, for messages.
    pub fn masked(&self, text: &str) -> String {
        let mut out = String::with_capacity(self.range.len());
        out.push_str(&text[self.scheme.clone()]);
        out.push_str("://");
        if let Some(user) = &self.user {
            out.push_str(&text[user.clone()]);
            if self.password.is_some() {
                out.push_str(":****");
            }
            out.push('@');
        }
        out.push_str(&text[self.host.clone()]);
        out
    }
}

/// Every URL in `text`, left to right.
pub fn find_all(text: &str) -> Vec<Url> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(found) = text[from..].find("://") {
        let separator = from + found;
        let mut start = separator;
        while start > 0 && is_scheme_byte(bytes[start - 1]) {
            start -= 1;
        }
        // A scheme starts with a letter: `2http://` is not one, but `git+https://` is.
        while start < separator && !bytes[start].is_ascii_alphabetic() {
            start += 1;
        }
        if start == separator {
            from = separator + 3;
            continue;
        }
        let url = parse(text, start, separator);
        from = url.range.end.max(separator + 3);
        out.push(url);
    }
    out
}

/// The URL the text starts with, if it starts with one.
pub fn at_start(text: &str) -> Option<Url> {
    find_all(text).into_iter().next().filter(|u| u.range.start == 0)
}

/// Hosts whose traffic never leaves the build machine: loopback, link-local (cloud metadata services)
/// and Docker's name for the host.
pub fn is_local_host(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']').to_ascii_lowercase();
    let octets: Vec<&str> = host.split('.').collect();
    let ipv4 = octets.len() == 4 && octets.iter().all(|o| !o.is_empty() && o.parse::<u8>().is_ok());
    host == "localhost"
        || host.ends_with(".localhost")
        || host == "host.docker.internal"
        || host == "::1"
        || host == "0.0.0.0"
        || (ipv4 && (octets[0] == "127" || (octets[0] == "169" && octets[1] == "254")))
}

fn is_scheme_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'+' || b == b'-'
}

/// Characters that end a URL written in shell or configuration text.
fn ends_url(c: char) -> bool {
    c.is_whitespace() || matches!(c, '"' | '\'' | '`' | '<' | '>' | '|' | ';' | ',' | '\\')
}

/// Reads the URL whose scheme starts at `start` and whose `://` is at `separator`.
fn parse(text: &str, start: usize, separator: usize) -> Url {
    let authority_start = separator + 3;
    let authority_end = scan(text, authority_start, |c| matches!(c, '/' | '?' | '#') || ends_url(c));
    let end = match text[authority_end..].chars().next() {
        Some('/' | '?' | '#') => scan(text, authority_end, ends_url),
        _ => authority_end,
    };
    let authority = &text[authority_start..authority_end];
    let (userinfo, user, password, host_start) = match last_outside_expansions(authority, '@') {
        Some(at) => {
            let info = authority_start..authority_start + at;
            let (user, password) = match first_outside_expansions(&authority[..at], ':') {
                Some(colon) => (
                    authority_start..authority_start + colon,
                    Some(authority_start + colon + 1..authority_start + at),
                ),
                None => (info.clone(), None),
            };
            (Some(info), Some(user), password, authority_start + at + 1)
        }
        None => (None, None, None, authority_start),
    };
    let host_port = &text[host_start..authority_end];
    let host_len = if host_port.starts_with('[') {
        host_port.find(']').map_or(host_port.len(), |i| i + 1)
    } else {
        last_outside_expansions(host_port, ':').unwrap_or(host_port.len())
    };
    Url {
        range: start..end,
        scheme: start..separator,
        userinfo,
        user,
        password,
        host: host_start..host_start + host_len,
    }
}

/// The offset of the first character from `from` for which `stop` holds, stepping over `${…}` and `$(…)`
/// as units (their insides may contain anything) and over a `)` that closes a parenthesis opened inside.
fn scan(text: &str, from: usize, stop: impl Fn(char) -> bool) -> usize {
    let mut depth = 0usize;
    let mut chars = text[from..].char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '$' && matches!(chars.peek(), Some((_, '{' | '('))) {
            chars.next();
            depth += 1;
            continue;
        }
        if depth > 0 {
            if matches!(c, '}' | ')') {
                depth -= 1;
            }
            continue;
        }
        if c == ')' || stop(c) {
            return from + i;
        }
    }
    text.len()
}

fn first_outside_expansions(text: &str, needle: char) -> Option<usize> {
    outside_expansions(text, needle).next()
}

fn last_outside_expansions(text: &str, needle: char) -> Option<usize> {
    outside_expansions(text, needle).last()
}

/// Offsets of `needle` that are not inside `${…}` or `$(…)`.
fn outside_expansions(text: &str, needle: char) -> impl Iterator<Item = usize> + '_ {
    let mut depth = 0usize;
    let mut previous = ' ';
    text.char_indices().filter_map(move |(i, c)| {
        let before = std::mem::replace(&mut previous, c);
        if before == '$' && matches!(c, '{' | '(') {
            depth += 1;
        } else if depth > 0 && matches!(c, '}' | ')') {
            depth -= 1;
        } else if depth == 0 && c == needle {
            return Some(i);
        }
        None
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(text: &str, range: &Option<Range<usize>>) -> Option<String> {
        range.clone().map(|r| text[r].to_string())
    }

    #[test]
    fn parts_of_a_full_url() {
        let text = "--index-url=https://user:p%40ss@pypi.example.com:8443/simple?x=1 more";
        let url = &find_all(text)[0];
        assert_eq!(&text[url.range.clone()], "https://user:p%40ss@pypi.example.com:8443/simple?x=1");
        assert_eq!(&text[url.scheme.clone()], "https");
        assert_eq!(part(text, &url.userinfo).as_deref(), Some("user:p%40ss"));
        assert_eq!(part(text, &url.user).as_deref(), Some("user"));
        assert_eq!(part(text, &url.password).as_deref(), Some("p%40ss"));
        assert_eq!(&text[url.host.clone()], "pypi.example.com");
        assert_eq!(url.masked(text), "https://user:****@pypi.example.com");
    }

    #[test]
    fn urls_inside_longer_text() {
        let text = "deb [trusted=yes] http://ftp.debian.org/debian stable main";
        let urls = find_all(text);
        assert_eq!(urls.len(), 1);
        assert_eq!(&text[urls[0].range.clone()], "http://ftp.debian.org/debian");
        let text = "url.https://${TOKEN}@github.com/.insteadOf";
        let url = &find_all(text)[0];
        assert_eq!(&text[url.scheme.clone()], "https");
        assert_eq!(part(text, &url.userinfo).as_deref(), Some("${TOKEN}"));
        assert_eq!(part(text, &url.password), None);
        let text = "http://a.example,https://b.example|direct";
        let hosts: Vec<&str> = find_all(text).iter().map(|u| &text[u.host.clone()]).collect();
        assert_eq!(hosts, ["a.example", "b.example"]);
    }

    #[test]
    fn variables_are_kept_whole() {
        let text = "https://${USER:-me}:${PASS}@${HOST}:${PORT}/x";
        let url = &find_all(text)[0];
        assert_eq!(part(text, &url.user).as_deref(), Some("${USER:-me}"));
        assert_eq!(part(text, &url.password).as_deref(), Some("${PASS}"));
        assert_eq!(&text[url.host.clone()], "${HOST}");
        let text = "$(curl -s http://x/y)";
        assert_eq!(&text[find_all(text)[0].range.clone()], "http://x/y");
    }

    #[test]
    fn schemes_start_with_a_letter() {
        assert_eq!(find_all("git+https://h/r").len(), 1);
        assert_eq!(&"git+https://h/r"[find_all("git+https://h/r")[0].scheme.clone()], "git+https");
        assert!(find_all("://nothing 1://x").is_empty());
        assert!(at_start("see http://x").is_none());
        assert!(at_start("HTTP://X").is_some_and(|u| u.has_scheme("HTTP://X", "http")));
    }

    #[test]
    fn ipv6_hosts_and_ports() {
        let text = "http://[::1]:8080/x";
        let url = &find_all(text)[0];
        assert_eq!(&text[url.host.clone()], "[::1]");
        assert!(is_local_host(&text[url.host.clone()]));
    }

    #[test]
    fn local_hosts() {
        for host in
            ["localhost", "api.localhost", "127.0.0.1", "127.1.2.3", "169.254.169.254", "[::1]", "LOCALHOST"]
        {
            assert!(is_local_host(host), "{host}");
        }
        for host in ["example.com", "10.0.0.1", "192.168.1.1", "localhost.example.com", "127.0.0.1.nip.io"] {
            assert!(!is_local_host(host), "{host}");
        }
    }
}
