//! Kernel parameters (sysctls) a container may set that weaken the isolation between it, its neighbours and
//! the host, with the reason for each.
//!
//! A container can only set *namespaced* sysctls: those of its own network namespace (`net.*`) and IPC
//! namespace (`kernel.shm*`, `kernel.msg*`, `kernel.sem`, `fs.mqueue.*`), plus `kernel.domainname`. runc
//! refuses everything else (`vm.*`, most of `kernel.*` and `fs.*`) with "is not in a separate kernel
//! namespace", and the kubelet rejects them too, so such a setting fails to start rather than changing the
//! host. Most namespaced sysctls only tune the container's own network stack or IPC limits
//! (`net.core.somaxconn`, `net.ipv4.tcp_keepalive_time`, `net.ipv6.conf.all.disable_ipv6`,
//! `kernel.shmmax`): the Kubernetes Pod Security Standards leave them off their "safe" list because they were
//! never audited for resource accounting, not because they reach outside the container, so this table does
//! not report them. What it lists are the settings that, once switched on, change who can reach what:
//! packet forwarding, routing of loopback addresses, and proxy ARP/NDP.

/// Why a sysctl weakens isolation, when `name=value` does.
pub fn weakens_isolation(name: &str, value: &str) -> Option<&'static str> {
    let name = name.trim().replace('/', ".");
    if !switched_on(value) {
        return None;
    }
    let per_interface = |family: &str, setting: &str| {
        name.strip_prefix(family)
            .and_then(|rest| rest.strip_prefix(".conf."))
            .and_then(|rest| rest.strip_suffix(setting))
            .is_some_and(|interface| interface.len() > 1 && interface.ends_with('.'))
    };
    if name == "net.ipv4.ip_forward"
        || per_interface("net.ipv4", "forwarding")
        || per_interface("net.ipv6", "forwarding")
    {
        Some(
            "makes the container a router between the networks it is attached to, bypassing their separation",
        )
    } else if per_interface("net.ipv4", "route_localnet") {
        Some(
            "routes traffic for 127.0.0.0/8 from other hosts, exposing services that listen only on localhost",
        )
    } else if per_interface("net.ipv4", "proxy_arp") || per_interface("net.ipv6", "proxy_ndp") {
        Some("makes the container answer address lookups for other hosts, drawing their traffic through it")
    } else {
        None
    }
}

/// The settings above are switches: any non-zero integer turns them on. Anything unreadable is left alone.
fn switched_on(value: &str) -> bool {
    value.trim().parse::<i64>().is_ok_and(|v| v != 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwarding_and_routing_switches() {
        for name in [
            "net.ipv4.ip_forward",
            "net/ipv4/ip_forward",
            "net.ipv4.conf.all.forwarding",
            "net.ipv4.conf.eth0.forwarding",
            "net.ipv6.conf.default.forwarding",
            "net.ipv4.conf.all.route_localnet",
            "net.ipv4.conf.eth0/100.proxy_arp",
            "net.ipv6.conf.all.proxy_ndp",
        ] {
            assert!(weakens_isolation(name, "1").is_some(), "{name}");
            assert!(weakens_isolation(name, "0").is_none(), "{name}=0");
        }
        assert!(weakens_isolation("net.ipv6.conf.all.forwarding", " 2 ").is_some());
    }

    #[test]
    fn tuning_and_unknown_values_pass() {
        for (name, value) in [
            ("net.core.somaxconn", "1024"),
            ("net.ipv6.conf.all.disable_ipv6", "1"),
            ("net.ipv4.conf.all.src_valid_mark", "1"),
            ("net.ipv4.ip_unprivileged_port_start", "0"),
            ("kernel.shmmax", "68719476736"),
            ("net.ipv4.ip_forward", "${FORWARD}"),
            ("net.ipv4.ip_forward", "yes"),
            ("net.ipv4.conf.forwarding", "1"),
            ("net.ipv4.ip_forwarding_extra", "1"),
        ] {
            assert!(weakens_isolation(name, value).is_none(), "{name}={value}");
        }
    }
}
