package io.affnet.api.offer;

/**
 * What an offer does with clicks from hosting networks (data centres, clouds), where real visitors are
 * rare and bots common: take them as any click, take them but mark them as suspect, or send them to the
 * fallback.
 */
public enum DatacenterTraffic {
    ALLOW,
    FLAG,
    REFUSE
}
