//! `ports:` in short (`"127.0.0.1:8080:80/tcp"`, `"[::1]:8080:80"`, `"9090-9091:8080-8081"`, `80`) and long
//! syntax (`target`, `published`, `host_ip`, `protocol`), and `expose:`.

use plimsoll_model::{Port, Protocol, Published};
use plimsoll_span::Spanned;
use plimsoll_yaml::{NodeId, Tree};

use crate::values::{Text, text};

/// One `ports:` item.
pub fn published_port(tree: &Tree, item: NodeId) -> Option<Port> {
    if tree.scalar(item).is_some() {
        return text(tree, item).map(|t| short_syntax(&t));
    }
    let target = tree.get(item, "target").and_then(|t| text(tree, t))?;
    let (start, end) = port_range(&target.value);
    let protocol =
        tree.get(item, "protocol").and_then(|p| text(tree, p)).map_or(Protocol::Tcp, |p| protocol(&p.value));
    let host_ip = tree.get(item, "host_ip").and_then(|h| text(tree, h)).filter(|h| !h.value.is_empty());
    let host_port = tree.get(item, "published").and_then(|p| text(tree, p));
    Some(Port {
        start: known(&target, start),
        end: known(&target, end),
        protocol,
        range: tree.node(item).range,
        published: Some(Published {
            host_ip: host_ip.map(|h| h.spanned()),
            host_port: host_port.map(|p| p.spanned()),
        }),
    })
}

/// One `expose:` item: a container port, not published.
pub fn exposed_port(tree: &Tree, item: NodeId) -> Option<Port> {
    let t = text(tree, item)?;
    let (number, proto) = t.value.split_once('/').unwrap_or((&t.value, "tcp"));
    let (start, end) = port_range(number);
    Some(Port {
        start: known(&t, start),
        end: known(&t, end),
        protocol: protocol(proto),
        range: t.range,
        published: None,
    })
}

fn short_syntax(t: &Text) -> Port {
    let value = t.value.as_str();
    let (mapping, proto) = value.rsplit_once('/').unwrap_or((value, "tcp"));
    // `[::1]:8080:80`: the host address is bracketed; otherwise the last two `:`-parts are ports.
    let (host_ip, rest, rest_at) = match mapping.strip_prefix('[') {
        Some(after) => match after.split_once("]:") {
            Some((ip, rest)) => (Some((ip, 1)), rest, ip.len() + 3),
            None => (None, mapping, 0),
        },
        None => {
            let parts: Vec<&str> = mapping.rsplitn(3, ':').collect();
            if parts.len() == 3 {
                let ip = parts[2];
                (Some((ip, 0)), &mapping[ip.len() + 1..], ip.len() + 1)
            } else {
                (None, mapping, 0)
            }
        }
    };
    let (host_port, container) = match rest.rsplit_once(':') {
        Some((host, container)) => (Some((host, rest_at)), container),
        None => (None, rest),
    };
    let (start, end) = port_range(container);
    let host_ip = host_ip
        .filter(|(ip, _)| !ip.is_empty())
        .map(|(ip, at)| Spanned::new(ip.to_string(), t.sub_range(at, at + ip.len())));
    let host_port = host_port
        .filter(|(port, _)| !port.is_empty())
        .map(|(port, at)| Spanned::new(port.to_string(), t.sub_range(at, at + port.len())));
    Port {
        start: known(t, start),
        end: known(t, end),
        protocol: protocol(proto),
        range: t.range,
        published: Some(Published { host_ip, host_port }),
    }
}

fn known(t: &Text, port: Option<u16>) -> Option<u16> {
    port.filter(|_| t.known)
}

fn port_range(text: &str) -> (Option<u16>, Option<u16>) {
    let (start, end) = text.split_once('-').unwrap_or((text, text));
    (start.trim().parse().ok(), end.trim().parse().ok())
}

fn protocol(text: &str) -> Protocol {
    match text.to_ascii_lowercase().as_str() {
        "udp" => Protocol::Udp,
        "sctp" => Protocol::Sctp,
        _ => Protocol::Tcp,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn port(yaml_item: &str) -> (Port, String) {
        let yaml = format!("ports:\n  - {yaml_item}\n");
        let tree = plimsoll_yaml::parse_yaml(&yaml);
        let root = tree.documents[0].root.unwrap();
        let item = tree.items(tree.get(root, "ports").unwrap())[0];
        (published_port(&tree, item).unwrap(), yaml)
    }

    fn ip(p: &Port, yaml: &str) -> Option<String> {
        p.published.as_ref().unwrap().host_ip.as_ref().map(|h| h.range.slice(yaml).to_string())
    }

    #[test]
    fn short_syntax_forms() {
        let (p, y) = port("\"8080:80\"");
        assert_eq!((p.start, ip(&p, &y)), (Some(80), None));
        assert_eq!(p.published.unwrap().host_port.unwrap().range.slice(&y), "8080");
        let (p, y) = port("\"127.0.0.1:8080:80/udp\"");
        assert_eq!((p.start, p.protocol, ip(&p, &y)), (Some(80), Protocol::Udp, Some("127.0.0.1".into())));
        let (p, y) = port("\"[::1]:6001:6001\"");
        assert_eq!(ip(&p, &y), Some("::1".into()));
        let (p, _) = port("\"9090-9091:8080-8081\"");
        assert_eq!((p.start, p.end), (Some(8080), Some(8081)));
        let (p, _) = port("80");
        assert_eq!((p.start, p.published.unwrap().host_port), (Some(80), None));
        let (p, y) = port("\"127.0.0.1::80\"");
        assert_eq!((ip(&p, &y), p.published.unwrap().host_port), (Some("127.0.0.1".into()), None));
    }

    #[test]
    fn long_syntax() {
        let (p, y) = port("{target: 80, published: \"8080\", host_ip: 0.0.0.0, protocol: tcp}");
        assert_eq!((p.start, ip(&p, &y)), (Some(80), Some("0.0.0.0".into())));
    }
}
