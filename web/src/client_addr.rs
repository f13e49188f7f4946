//! The one source of a request's client address, for rate limits, sign-in
//! failure keys and logs. It is the TCP peer, unless the peer is one of
//! `[server] trusted_proxies`: then it is the right-most address in
//! `X-Forwarded-For` (or, without that header, `Forwarded: for=`) that is
//! not itself a trusted proxy. Anything a client writes into those headers
//! is ignored unless a trusted proxy handed the request on, and only the
//! hops that trusted proxies appended are believed, so a client cannot
//! pick its own address to dodge a limit or lock out someone else's.

use std::net::IpAddr;

use actix_web::http::header::HeaderMap;
use actix_web::HttpRequest;
use serde::Deserialize;

/// An address or a network (`10.0.0.0/8`, `2001:db8::/32`, `192.0.2.7`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct Cidr {
    net: IpAddr,
    prefix: u8,
}

impl TryFrom<String> for Cidr {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        s.parse()
    }
}

impl std::str::FromStr for Cidr {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("{s:?} is not an IP address or network (a.b.c.d/n)");
        let (addr, prefix) = match s.trim().split_once('/') {
            Some((a, p)) => (a, Some(p.parse::<u8>().map_err(|_| bad())?)),
            None => (s.trim(), None),
        };
        let net: IpAddr = addr.parse().map_err(|_| bad())?;
        let net = net.to_canonical();
        let max = if net.is_ipv4() { 32 } else { 128 };
        let prefix = prefix.unwrap_or(max);
        if prefix > max {
            return Err(bad());
        }
        Ok(Cidr { net, prefix })
    }
}

impl Cidr {
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.net, ip.to_canonical()) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

fn trusted(proxies: &[Cidr], ip: IpAddr) -> bool {
    proxies.iter().any(|c| c.contains(ip))
}

/// One hop as a forwarding header writes it: `192.0.2.1`, `2001:db8::1`,
/// `"[2001:db8::1]:4711"`, `192.0.2.1:8080`. None for `unknown`, an
/// obfuscated name, or garbage.
fn parse_hop(raw: &str) -> Option<IpAddr> {
    let s = raw.trim().trim_matches('"');
    if let Some(rest) = s.strip_prefix('[') {
        return rest.split_once(']')?.0.parse().ok();
    }
    if let Ok(ip) = s.parse::<IpAddr>() {
        return Some(ip);
    }
    // An IPv4 address with a port.
    let (host, port) = s.rsplit_once(':')?;
    port.parse::<u16>().ok()?;
    host.parse::<std::net::Ipv4Addr>().ok().map(IpAddr::V4)
}

/// The hops the proxies recorded, left (the original client, as claimed)
/// to right (the hop nearest to us). `X-Forwarded-For` when present, else
/// the `for=` of `Forwarded`; every instance of the header, in order. A
/// hop that cannot be read is kept as None.
fn forwarded_chain(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    let xff: Vec<Option<IpAddr>> = headers
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter(|h| !h.trim().is_empty())
        .map(parse_hop)
        .collect();
    if !xff.is_empty() {
        return xff;
    }
    headers
        .get_all("forwarded")
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|element| {
            element.split(';').find_map(|pair| {
                let (k, v) = pair.split_once('=')?;
                k.trim().eq_ignore_ascii_case("for").then(|| parse_hop(v))
            })
        })
        .collect()
}

/// The client address of a request that came from `peer` with `headers`.
pub fn client_ip(peer: Option<IpAddr>, headers: &HeaderMap, proxies: &[Cidr]) -> Option<IpAddr> {
    let peer = peer?.to_canonical();
    if !trusted(proxies, peer) {
        return Some(peer);
    }
    // Walk back from the nearest hop: each trusted proxy vouches for the
    // hop to its left; the first address that is not a trusted proxy is
    // the client. A hop that cannot be read ends the walk at the last
    // address a trusted proxy vouched for.
    let mut client = peer;
    for hop in forwarded_chain(headers).into_iter().rev() {
        match hop {
            Some(ip) => {
                client = ip.to_canonical();
                if !trusted(proxies, client) {
                    break;
                }
            }
            None => break,
        }
    }
    Some(client)
}

/// The client address of `req` as text (`unknown` when there is no peer,
/// as in some tests).
pub fn of(req: &HttpRequest) -> String {
    let proxies = req
        .app_data::<actix_web::web::Data<crate::AppState>>()
        .map(|s| s.config.server.trusted_proxies.as_slice())
        .unwrap_or_default();
    client_ip(req.peer_addr().map(|a| a.ip()), req.headers(), proxies)
        .map_or_else(|| "unknown".to_owned(), |ip| ip.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::http::header::{HeaderName, HeaderValue};

    fn cidrs(list: &[&str]) -> Vec<Cidr> {
        list.iter().map(|s| s.parse().unwrap()).collect()
    }

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(
                HeaderName::from_bytes(k.as_bytes()).unwrap(),
                HeaderValue::from_str(v).unwrap(),
            );
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn client(peer: &str, h: &[(&str, &str)], proxies: &[&str]) -> String {
        client_ip(Some(ip(peer)), &headers(h), &cidrs(proxies))
            .unwrap()
            .to_string()
    }

    #[test]
    fn networks_parse_and_match() {
        let net: Cidr = "10.0.0.0/8".parse().unwrap();
        assert!(net.contains(ip("10.200.3.4")));
        assert!(!net.contains(ip("11.0.0.1")));
        assert!(net.contains(ip("::ffff:10.1.2.3")), "IPv4-mapped IPv6");
        let one: Cidr = "192.0.2.7".parse().unwrap();
        assert!(one.contains(ip("192.0.2.7")) && !one.contains(ip("192.0.2.8")));
        let v6: Cidr = "2001:db8::/32".parse().unwrap();
        assert!(v6.contains(ip("2001:db8:1::5")) && !v6.contains(ip("2001:db9::1")));
        let all: Cidr = "0.0.0.0/0".parse().unwrap();
        assert!(all.contains(ip("8.8.8.8")) && !all.contains(ip("::1")));
        for bad in ["", "10.0.0.0/33", "::/129", "example.com", "10.0.0.0/x"] {
            assert!(bad.parse::<Cidr>().is_err(), "{bad}");
        }
    }

    #[test]
    fn without_trusted_proxies_the_peer_is_the_client() {
        let spoof = [("x-forwarded-for", "1.2.3.4")];
        assert_eq!(client("203.0.113.9", &spoof, &[]), "203.0.113.9");
        assert_eq!(
            client("203.0.113.9", &[("forwarded", "for=1.2.3.4")], &[]),
            "203.0.113.9"
        );
    }

    #[test]
    fn an_untrusted_peer_cannot_choose_its_address() {
        let spoof = [("x-forwarded-for", "1.2.3.4")];
        assert_eq!(
            client("203.0.113.9", &spoof, &["10.0.0.0/8"]),
            "203.0.113.9"
        );
    }

    #[test]
    fn behind_one_proxy_the_right_most_hop_is_the_client() {
        // The client wrote a fake first hop; the proxy appended the real one.
        let h = [("x-forwarded-for", "1.2.3.4, 198.51.100.7")];
        assert_eq!(client("10.0.0.2", &h, &["10.0.0.0/8"]), "198.51.100.7");
    }

    #[test]
    fn a_chain_of_proxies_is_walked_back_to_the_first_untrusted_hop() {
        // client → CDN edge (192.0.2.10) → balancer (10.0.0.5) → us.
        let h = [("x-forwarded-for", "6.6.6.6, 198.51.100.7, 192.0.2.10")];
        let proxies = ["10.0.0.0/8", "192.0.2.0/24"];
        assert_eq!(client("10.0.0.5", &h, &proxies), "198.51.100.7");
        // Several header lines count as one list, in order.
        let split = [
            ("x-forwarded-for", "6.6.6.6, 198.51.100.7"),
            ("x-forwarded-for", "192.0.2.10"),
        ];
        assert_eq!(client("10.0.0.5", &split, &proxies), "198.51.100.7");
        // Only proxies in the chain: the left-most of them.
        let inner = [("x-forwarded-for", "10.0.0.9")];
        assert_eq!(client("10.0.0.5", &inner, &proxies), "10.0.0.9");
        // A trusted peer with no header is the client itself.
        assert_eq!(client("10.0.0.5", &[], &proxies), "10.0.0.5");
    }

    #[test]
    fn unreadable_hops_stop_the_walk() {
        let h = [("x-forwarded-for", "1.2.3.4, garbage, 192.0.2.10")];
        let proxies = ["10.0.0.0/8", "192.0.2.0/24"];
        assert_eq!(client("10.0.0.5", &h, &proxies), "192.0.2.10");
    }

    #[test]
    fn the_forwarded_header_is_read_too() {
        let proxies = ["10.0.0.0/8"];
        let h = [(
            "forwarded",
            "for=1.2.3.4, for=\"[2001:db8:cafe::17]:4711\";proto=https",
        )];
        assert_eq!(client("10.0.0.5", &h, &proxies), "2001:db8:cafe::17");
        let v4 = [("forwarded", "for=198.51.100.7:5000;by=10.0.0.5")];
        assert_eq!(client("10.0.0.5", &v4, &proxies), "198.51.100.7");
        // X-Forwarded-For wins when both are sent.
        let both = [
            ("forwarded", "for=1.1.1.1"),
            ("x-forwarded-for", "198.51.100.7"),
        ];
        assert_eq!(client("10.0.0.5", &both, &proxies), "198.51.100.7");
    }
}
