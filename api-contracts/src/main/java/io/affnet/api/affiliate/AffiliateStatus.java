package io.affnet.api.affiliate;

/** Whether an affiliate's traffic is accepted. */
public enum AffiliateStatus { ACTIVE, SUSPENDED }
