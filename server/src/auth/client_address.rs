//! The address a request's per-address limits count against.
//!
//! Without trusted proxies it is the socket's peer: `X-Forwarded-For` is written by whoever
//! sends the request, so reading it would let anyone pick a fresh address per request and walk
//! past every limit. Behind a reverse proxy every request comes from the proxy, so each limit
//! would become one budget for the whole hall; `trusted_proxies` names the proxies whose word
//! about the client is taken. Then the header is read from the right (each proxy appends the
//! address it received the request from) and the first address that is not a trusted proxy is
//! the client: entries left of it were written by the client itself and are never believed.

use std::net::IpAddr;

use axum::http::HeaderMap;
use ipnet::IpNet;

const FORWARDED_FOR: &str = "x-forwarded-for";

/// The proxies whose `X-Forwarded-For` is believed (setting `trusted_proxies`).
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// Parses addresses (`10.0.0.1`, `::1`) and networks (`10.0.0.0/8`).
    pub fn parse(entries: &[String]) -> Result<Self, String> {
        entries
            .iter()
            .map(|entry| {
                let entry = entry.trim();
                entry
                    .parse::<IpNet>()
                    .or_else(|_| entry.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| {
                        format!("trusted_proxies: {entry:?} is not an address or a network")
                    })
            })
            .collect::<Result<Vec<_>, _>>()
            .map(TrustedProxies)
    }

    fn trusts(&self, address: IpAddr) -> bool {
        let address = address.to_canonical();
        self.0.iter().any(|net| net.contains(&address))
    }

    /// The client behind `peer`, the address the request's socket came from.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        if !self.trusts(peer) {
            return peer;
        }
        // Several header lines are one list, in order.
        let hops: Vec<&str> = headers
            .get_all(FORWARDED_FOR)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .collect();
        let mut client = peer;
        for hop in hops.iter().rev() {
            // Garbage written to the right of the last trusted hop: the hop that passed it on
            // is the last address known to be true.
            let Ok(address) = hop.parse::<IpAddr>() else {
                return client;
            };
            if !self.trusts(address) {
                return address;
            }
            client = address;
        }
        client
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proxies(list: &[&str]) -> TrustedProxies {
        TrustedProxies::parse(&list.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap()
    }

    fn forwarded(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for v in values {
            headers.append(FORWARDED_FOR, v.parse().unwrap());
        }
        headers
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn without_trusted_proxies_the_header_is_never_believed() {
        let none = TrustedProxies::default();
        let headers = forwarded(&["203.0.113.7"]);
        assert_eq!(
            none.client(ip("198.51.100.1"), &headers),
            ip("198.51.100.1")
        );
    }

    #[test]
    fn a_request_from_outside_the_trusted_proxies_counts_as_its_socket() {
        let trusted = proxies(&["10.0.0.0/8"]);
        let headers = forwarded(&["203.0.113.7"]);
        assert_eq!(
            trusted.client(ip("198.51.100.1"), &headers),
            ip("198.51.100.1")
        );
    }

    #[test]
    fn behind_a_trusted_proxy_the_address_it_received_from_is_the_client() {
        let trusted = proxies(&["127.0.0.1"]);
        let headers = forwarded(&["203.0.113.7"]);
        assert_eq!(trusted.client(ip("127.0.0.1"), &headers), ip("203.0.113.7"));
    }

    #[test]
    fn addresses_the_client_wrote_itself_left_of_the_real_one_are_ignored() {
        let trusted = proxies(&["127.0.0.1", "10.0.0.0/8"]);
        let headers = forwarded(&["1.2.3.4, 203.0.113.7", "10.1.2.3"]);
        assert_eq!(trusted.client(ip("127.0.0.1"), &headers), ip("203.0.113.7"));
    }

    #[test]
    fn garbage_from_the_client_falls_back_to_the_last_trusted_hop() {
        let trusted = proxies(&["127.0.0.1", "10.0.0.0/8"]);
        let headers = forwarded(&["not-an-address, 10.1.2.3"]);
        assert_eq!(trusted.client(ip("127.0.0.1"), &headers), ip("10.1.2.3"));
        assert_eq!(
            trusted.client(ip("127.0.0.1"), &HeaderMap::new()),
            ip("127.0.0.1")
        );
    }

    #[test]
    fn an_ipv4_peer_seen_as_ipv6_is_still_trusted() {
        let trusted = proxies(&["127.0.0.1"]);
        let headers = forwarded(&["203.0.113.7"]);
        assert_eq!(
            trusted.client(ip("::ffff:127.0.0.1"), &headers),
            ip("203.0.113.7")
        );
    }

    #[test]
    fn a_setting_that_is_not_an_address_is_refused() {
        assert!(TrustedProxies::parse(&["proxy.local".to_string()]).is_err());
        assert!(TrustedProxies::parse(&["10.0.0.0/33".to_string()]).is_err());
    }
}
