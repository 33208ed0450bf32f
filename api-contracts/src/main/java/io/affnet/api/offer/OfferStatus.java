package io.affnet.api.offer;

/** Whether an offer takes traffic. */
public enum OfferStatus { ACTIVE, PAUSED }
