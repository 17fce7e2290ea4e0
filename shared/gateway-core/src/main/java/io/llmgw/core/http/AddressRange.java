package io.llmgw.core.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * An IP address or CIDR range ({@code 10.0.0.0/8}, {@code 2001:db8::/32}, {@code 192.0.2.7}), and
 * the client address a request really comes from when it passes trusted proxies. Only literal
 * addresses are accepted: a host name here would make every request wait on DNS.
 */
public record AddressRange(byte[] network, int prefixBits) {

    /** The range, or null when {@code text} is not an address or CIDR range. */
    public static AddressRange parse(String text) {
        String value = text.trim();
        int slash = value.indexOf('/');
        String address = slash < 0 ? value : value.substring(0, slash);
        byte[] bytes = literal(address);
        if (bytes == null) {
            return null;
        }
        int bits = bytes.length * 8;
        if (slash >= 0) {
            String prefix = value.substring(slash + 1);
            if (!prefix.matches("\\d{1,3}") || Integer.parseInt(prefix) > bits) {
                return null;
            }
            bits = Integer.parseInt(prefix);
        }
        return new AddressRange(bytes, bits);
    }

    public boolean contains(String address) {
        byte[] candidate = literal(address);
        if (candidate == null || candidate.length != network.length) {
            return false;
        }
        int full = prefixBits / 8;
        for (int i = 0; i < full; i++) {
            if (candidate[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixBits % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xFF << (8 - rest) & 0xFF;
        return (candidate[full] & mask) == (network[full] & mask);
    }

    /**
     * The address the request came from: the peer, unless the peer is a trusted proxy, in which case
     * the right-most {@code X-Forwarded-For} entry that is not itself a trusted proxy (entries further
     * left were written by the client and prove nothing).
     */
    public static String clientAddress(String peer, Headers headers, List<AddressRange> trusted) {
        if (peer == null || trusted.isEmpty() || !anyContains(trusted, peer)) {
            return peer;
        }
        List<String> forwarded = headers.all("x-forwarded-for");
        String client = peer;
        for (int h = forwarded.size() - 1; h >= 0; h--) {
            String[] hops = forwarded.get(h).split(",");
            for (int i = hops.length - 1; i >= 0; i--) {
                String hop = hops[i].trim();
                if (literal(hop) == null) {
                    return client;  // garbage: stop at the last address we could trust
                }
                client = hop;
                if (!anyContains(trusted, hop)) {
                    return hop;
                }
            }
        }
        return client;
    }

    private static boolean anyContains(List<AddressRange> ranges, String address) {
        for (AddressRange range : ranges) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** The bytes of a literal IPv4 or IPv6 address, or null; never a DNS lookup. */
    private static byte[] literal(String address) {
        if (address == null || address.isEmpty() || address.length() > 64) {
            return null;
        }
        // checked before InetAddress sees it: a string that is not a valid literal would become a DNS lookup
        boolean v4 = address.matches("\\d{1,3}(\\.\\d{1,3}){3}")
                && java.util.Arrays.stream(address.split("\\.")).allMatch(octet -> Integer.parseInt(octet) <= 255);
        boolean v6 = address.indexOf(':') >= 0 && address.matches("[0-9A-Fa-f:.]+");
        if (!v4 && !v6) {
            return null;
        }
        try {
            return InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException | SecurityException e) {
            return null;
        }
    }
}
