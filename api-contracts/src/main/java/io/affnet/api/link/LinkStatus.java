package io.affnet.api.link;

/** Whether a tracking link redirects. */
public enum LinkStatus { ACTIVE, DISABLED }
