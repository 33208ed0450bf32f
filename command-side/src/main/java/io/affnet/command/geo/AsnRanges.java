package io.affnet.command.geo;

import java.io.BufferedReader;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * IP ranges to autonomous systems, from ip-location-db's {@code asn-ipv4-num.csv} and
 * {@code asn-ipv6-num.csv} ({@code first,last,asn,organisation}, ranges sorted and disjoint). Held
 * as sorted primitive arrays and searched by bisection: about 0.5 M ranges in some 15 MB, no object per
 * range and no I/O per lookup.
 */
final class AsnRanges {

    /** One autonomous system: its number and the organisation that holds it. */
    record As(long number, String organisation) {
    }

    private final long[] v4First;
    private final long[] v4Last;
    private final int[] v4As;
    private final long[] v6FirstHi;
    private final long[] v6FirstLo;
    private final long[] v6LastHi;
    private final long[] v6LastLo;
    private final int[] v6As;
    private final As[] systems;

    private AsnRanges(Builder v4, Builder v6, As[] systems) {
        this.v4First = Arrays.copyOf(v4.firstLo, v4.size);
        this.v4Last = Arrays.copyOf(v4.lastLo, v4.size);
        this.v4As = Arrays.copyOf(v4.as, v4.size);
        this.v6FirstHi = Arrays.copyOf(v6.firstHi, v6.size);
        this.v6FirstLo = Arrays.copyOf(v6.firstLo, v6.size);
        this.v6LastHi = Arrays.copyOf(v6.lastHi, v6.size);
        this.v6LastLo = Arrays.copyOf(v6.lastLo, v6.size);
        this.v6As = Arrays.copyOf(v6.as, v6.size);
        this.systems = systems;
    }

    /** Reads both files; a missing IPv6 file leaves IPv6 unknown. */
    static AsnRanges load(Path ipv4Csv, Path ipv6Csv) throws IOException {
        Map<Long, Integer> index = new HashMap<>();
        Map<Integer, As> byIndex = new HashMap<>();
        Builder v4 = read(ipv4Csv, index, byIndex, false);
        Builder v6 = ipv6Csv != null && Files.isReadable(ipv6Csv) ? read(ipv6Csv, index, byIndex, true) : new Builder();
        As[] systems = new As[index.size()];
        byIndex.forEach((i, as) -> systems[i] = as);
        return new AsnRanges(v4, v6, systems);
    }

    int size() {
        return v4First.length + v6FirstHi.length;
    }

    /** The AS of a 4- or 16-byte address; null when no range holds it. */
    As lookup(byte[] address) {
        if (address.length == 4) {
            long ip = ((address[0] & 0xFFL) << 24) | ((address[1] & 0xFFL) << 16) | ((address[2] & 0xFFL) << 8) | (address[3] & 0xFFL);
            int i = Arrays.binarySearch(v4First, ip);
            if (i < 0) {
                i = -i - 2;
            }
            return i >= 0 && ip <= v4Last[i] ? systems[v4As[i]] : null;
        }
        long hi = 0;
        long lo = 0;
        for (int b = 0; b < 8; b++) {
            hi = (hi << 8) | (address[b] & 0xFFL);
            lo = (lo << 8) | (address[b + 8] & 0xFFL);
        }
        int low = 0;
        int high = v6FirstHi.length - 1;
        int found = -1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (compare(v6FirstHi[mid], v6FirstLo[mid], hi, lo) <= 0) {
                found = mid;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return found >= 0 && compare(hi, lo, v6LastHi[found], v6LastLo[found]) <= 0 ? systems[v6As[found]] : null;
    }

    private static int compare(long aHi, long aLo, long bHi, long bLo) {
        int c = Long.compareUnsigned(aHi, bHi);
        return c != 0 ? c : Long.compareUnsigned(aLo, bLo);
    }

    private static Builder read(Path csv, Map<Long, Integer> index, Map<Integer, As> byIndex, boolean v6) throws IOException {
        Builder out = new Builder();
        try (BufferedReader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            String line;
            int lineNo = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                int c1 = line.indexOf(',');
                int c2 = c1 < 0 ? -1 : line.indexOf(',', c1 + 1);
                int c3 = c2 < 0 ? -1 : line.indexOf(',', c2 + 1);
                if (c3 < 0) {
                    throw new IOException(csv + " line " + lineNo + ": expected first,last,asn,organisation");
                }
                long asn;
                try {
                    asn = Long.parseLong(line.substring(c2 + 1, c3));
                } catch (NumberFormatException e) {
                    throw new IOException(csv + " line " + lineNo + ": bad AS number", e);
                }
                String organisation = unquote(line.substring(c3 + 1));
                int as = index.computeIfAbsent(asn, n -> {
                    int i = index.size();
                    byIndex.put(i, new As(n, organisation.isEmpty() ? null : organisation));
                    return i;
                });
                if (v6) {
                    BigInteger first = new BigInteger(line.substring(0, c1));
                    BigInteger last = new BigInteger(line.substring(c1 + 1, c2));
                    out.add(first.shiftRight(64).longValue(), first.longValue(), last.shiftRight(64).longValue(), last.longValue(), as);
                } else {
                    out.add(0, Long.parseLong(line.substring(0, c1)), 0, Long.parseLong(line.substring(c1 + 1, c2)), as);
                }
                if (out.size > 1 && compare(out.firstHi[out.size - 1], out.firstLo[out.size - 1],
                        out.firstHi[out.size - 2], out.firstLo[out.size - 2]) <= 0) {
                    throw new IOException(csv + " line " + lineNo + ": ranges must be sorted by their first address");
                }
            }
        }
        return out;
    }

    private static String unquote(String field) {
        if (field.length() >= 2 && field.charAt(0) == '"' && field.charAt(field.length() - 1) == '"') {
            return field.substring(1, field.length() - 1).replace("\"\"", "\"");
        }
        return field;
    }

    private static final class Builder {
        long[] firstHi = new long[1024];
        long[] firstLo = new long[1024];
        long[] lastHi = new long[1024];
        long[] lastLo = new long[1024];
        int[] as = new int[1024];
        int size;

        void add(long fHi, long fLo, long lHi, long lLo, int system) {
            if (size == as.length) {
                int n = size * 2;
                firstHi = Arrays.copyOf(firstHi, n);
                firstLo = Arrays.copyOf(firstLo, n);
                lastHi = Arrays.copyOf(lastHi, n);
                lastLo = Arrays.copyOf(lastLo, n);
                as = Arrays.copyOf(as, n);
            }
            firstHi[size] = fHi;
            firstLo[size] = fLo;
            lastHi[size] = lHi;
            lastLo[size] = lLo;
            as[size] = system;
            size++;
        }
    }
}
