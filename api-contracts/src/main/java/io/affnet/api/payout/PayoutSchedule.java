package io.affnet.api.payout;

/** How often a tenant pays: weekly, monthly, or n days after the period ends (NET-n). */
public enum PayoutSchedule {
    WEEKLY, MONTHLY, NET
}
