//! A strict URL reader for network checks: scheme, host and port, nothing normalised that a
//! client could read differently. What it cannot read unambiguously it refuses.

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Host {
    /// A lower-cased DNS name without a trailing dot.
    Domain(String),
    Ipv4([u8; 4]),
    /// The groups, and the text as written between the brackets (lower-cased).
    Ipv6([u16; 8], String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedUrl {
    pub scheme: String,
    pub host: Host,
    pub port: Option<u16>,
}

impl Host {
    pub fn is_localhost(&self) -> bool {
        match self {
            Host::Domain(name) => name == "localhost" || name.ends_with(".localhost"),
            Host::Ipv4(octets) => octets[0] == 127 || *octets == [0, 0, 0, 0],
            Host::Ipv6(groups, _) => {
                let mapped = groups[..5] == [0; 5] && groups[5] == 0xffff;
                *groups == [0, 0, 0, 0, 0, 0, 0, 1]
                    || *groups == [0; 8]
                    || (mapped && (groups[6] >> 8 == 127 || (groups[6] == 0 && groups[7] == 0)))
            }
        }
    }

    /// Whether a domain-list entry names this host: whole labels for names, exact for IPs.
    pub fn matches(&self, entry: &str) -> bool {
        let entry = normalize_entry(entry);
        if entry.is_empty() {
            return false;
        }
        match self {
            Host::Domain(name) => {
                name == &entry
                    || (name.len() > entry.len()
                        && name.ends_with(&entry)
                        && name.as_bytes()[name.len() - entry.len() - 1] == b'.')
            }
            Host::Ipv4(octets) => {
                entry == format!("{}.{}.{}.{}", octets[0], octets[1], octets[2], octets[3])
            }
            Host::Ipv6(_, written) => {
                entry.trim_start_matches('[').trim_end_matches(']') == written
            }
        }
    }
}

fn normalize_entry(entry: &str) -> String {
    let lower = entry.to_ascii_lowercase();
    let trimmed = lower
        .strip_prefix("*.")
        .or_else(|| lower.strip_prefix('.'))
        .unwrap_or(&lower);
    trimmed.strip_suffix('.').unwrap_or(trimmed).to_owned()
}

pub fn parse_url(url: &str) -> Result<ParsedUrl, &'static str> {
    if url.bytes().any(|b| b <= 0x20 || b == 0x7f) {
        return Err("contains whitespace or control characters");
    }
    let (scheme, rest) = url.split_once("://").ok_or("expected scheme://host")?;
    let mut scheme_bytes = scheme.bytes();
    let valid_scheme = scheme_bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
        && scheme_bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'));
    if !valid_scheme {
        return Err("expected scheme://host");
    }
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    if authority.contains('@') {
        return Err("credentials are not allowed");
    }
    let (host, port) = split_host_port(authority)?;
    Ok(ParsedUrl {
        scheme: scheme.to_ascii_lowercase(),
        host,
        port,
    })
}

fn split_host_port(authority: &str) -> Result<(Host, Option<u16>), &'static str> {
    if let Some(bracketed) = authority.strip_prefix('[') {
        let close = bracketed.find(']').ok_or("invalid IPv6 address")?;
        let literal = bracketed[..close].to_ascii_lowercase();
        let groups = parse_ipv6(&literal).ok_or("invalid IPv6 address")?;
        let after = &bracketed[close + 1..];
        let port = match after.strip_prefix(':') {
            Some(port) => parse_port(port)?,
            None if after.is_empty() => None,
            None => return Err("invalid port"),
        };
        return Ok((Host::Ipv6(groups, literal), port));
    }
    let (host, port) = match authority.split_once(':') {
        Some((host, port)) => (host, parse_port(port)?),
        None => (authority, None),
    };
    if host.is_empty() {
        return Err("empty host");
    }
    Ok((parse_host(host)?, port))
}

fn parse_port(port: &str) -> Result<Option<u16>, &'static str> {
    if port.is_empty() {
        return Ok(None);
    }
    if port.len() > 5 || !port.bytes().all(|b| b.is_ascii_digit()) {
        return Err("invalid port");
    }
    port.parse::<u32>()
        .ok()
        .and_then(|n| u16::try_from(n).ok())
        .map(Some)
        .ok_or("invalid port")
}

fn parse_host(host: &str) -> Result<Host, &'static str> {
    let lower = host.to_ascii_lowercase();
    let name = lower.strip_suffix('.').unwrap_or(&lower);
    let labels: Vec<&str> = name.split('.').collect();
    let valid = labels.iter().all(|label| {
        !label.is_empty()
            && label
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
    });
    if !valid {
        return Err("invalid host");
    }
    let last = labels[labels.len() - 1];
    if last.bytes().all(|b| b.is_ascii_digit()) || last.starts_with("0x") {
        return dotted_quad(&labels)
            .map(Host::Ipv4)
            .ok_or("ambiguous numeric host");
    }
    Ok(Host::Domain(name.to_owned()))
}

fn dotted_quad(labels: &[&str]) -> Option<[u8; 4]> {
    if labels.len() != 4 {
        return None;
    }
    let mut octets = [0u8; 4];
    for (octet, label) in octets.iter_mut().zip(labels) {
        *octet = decimal_octet(label)?;
    }
    Some(octets)
}

fn decimal_octet(label: &str) -> Option<u8> {
    let canonical = label == "0" || !label.starts_with('0');
    if !canonical
        || label.is_empty()
        || label.len() > 3
        || !label.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    label.parse::<u16>().ok().and_then(|n| u8::try_from(n).ok())
}

/// Eight groups from `a:b::c`, `::1`, `::ffff:1.2.3.4`; no zone ids.
fn parse_ipv6(text: &str) -> Option<[u16; 8]> {
    let (head, tail, compressed) = match text.split_once("::") {
        Some((head, tail)) => (head, tail, true),
        None => (text, "", false),
    };
    let head = ipv6_groups(head, !compressed)?;
    let tail = if compressed {
        ipv6_groups(tail, true)?
    } else {
        Vec::new()
    };
    let total = head.len() + tail.len();
    if (compressed && total > 7) || (!compressed && total != 8) {
        return None;
    }
    let mut groups = [0u16; 8];
    groups[..head.len()].copy_from_slice(&head);
    groups[8 - tail.len()..].copy_from_slice(&tail);
    Some(groups)
}

/// Groups of one side of `::`; the last may be a dotted quad when `ipv4_last`.
fn ipv6_groups(text: &str, ipv4_last: bool) -> Option<Vec<u16>> {
    if text.is_empty() {
        return Some(Vec::new());
    }
    let parts: Vec<&str> = text.split(':').collect();
    let mut groups = Vec::with_capacity(parts.len() + 1);
    for (index, part) in parts.iter().enumerate() {
        if ipv4_last && index == parts.len() - 1 && part.contains('.') {
            let labels: Vec<&str> = part.split('.').collect();
            let octets = dotted_quad(&labels)?;
            groups.push(u16::from(octets[0]) << 8 | u16::from(octets[1]));
            groups.push(u16::from(octets[2]) << 8 | u16::from(octets[3]));
            continue;
        }
        if part.is_empty() || part.len() > 4 || !part.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        groups.push(u16::from_str_radix(part, 16).ok()?);
    }
    Some(groups)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_hosts_and_ports() {
        let url = parse_url("HTTPS://Api.Example.COM.:8443/x?y#z").unwrap();
        assert_eq!(url.scheme, "https");
        assert_eq!(url.host, Host::Domain("api.example.com".into()));
        assert_eq!(url.port, Some(8443));
        assert!(url.host.matches("example.com") && url.host.matches("*.example.com"));
        assert!(!Host::Domain("notexample.com".into()).matches("example.com"));
    }

    #[test]
    fn refuses_what_clients_read_differently() {
        for (url, why) in [
            ("http://2130706433/", "ambiguous numeric host"),
            ("http://0x7f.1/", "ambiguous numeric host"),
            ("http://127.1/", "ambiguous numeric host"),
            ("http://010.0.0.1/", "ambiguous numeric host"),
            ("http://user@evil.com/", "credentials are not allowed"),
            ("http://ex%61mple.com/", "invalid host"),
            ("http://a b/", "contains whitespace or control characters"),
            ("example.com", "expected scheme://host"),
            ("http://[::1/", "invalid IPv6 address"),
            ("http://[1::2::3]/", "invalid IPv6 address"),
            ("http://x:99999/", "invalid port"),
            ("http:///x", "empty host"),
        ] {
            assert_eq!(parse_url(url), Err(why), "{url}");
        }
    }

    #[test]
    fn knows_localhost_in_every_spelling() {
        for url in [
            "http://localhost/",
            "http://a.localhost/",
            "http://127.0.0.1/",
            "http://127.255.0.9/",
            "http://0.0.0.0/",
            "http://[::1]/",
            "http://[0:0:0:0:0:0:0:1]/",
            "http://[::]/",
            "http://[::ffff:127.0.0.1]/",
            "http://[::ffff:7f00:1]/",
        ] {
            assert!(parse_url(url).unwrap().host.is_localhost(), "{url}");
        }
        assert!(!parse_url("http://128.0.0.1/").unwrap().host.is_localhost());
        assert!(!parse_url("http://[::2]/").unwrap().host.is_localhost());
    }
}
