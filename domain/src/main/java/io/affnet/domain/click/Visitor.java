package io.affnet.domain.click;

import java.util.Map;

/**
 * Who followed a link, as the click path saw them: the sub-ids and source they brought, their browser,
 * device class, country, region, city and autonomous system, and their address only as a keyed hash and
 * a truncated prefix. {@code hosting}: the visitor's network is a hosting network (data centre, cloud).
 */
public record Visitor(Map<String, String> subs, String userAgent, String referrer, String deviceClass, String country,
                      String ipHash, String ipPrefix, String region, String city, Long asn, boolean hosting) {
}
