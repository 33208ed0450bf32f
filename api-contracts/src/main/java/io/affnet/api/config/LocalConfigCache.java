package io.affnet.api.config;

/**
 * An in-process copy of read-model rows named by {@link ConfigCacheKeys} (the postback path's tokens,
 * settings, advertisers' allowlists and offers' pixel settings). The projections that change such a row
 * drop this node's copy right after their commit, before the change's request is answered; the other
 * nodes drop theirs when the change is announced on {@link ConfigCacheKeys#CHANNEL}. Without the first, a
 * request right after the change on the same node could be judged by the copy from before it.
 */
public interface LocalConfigCache {

    /** Drops the entry the key names; keys of other caches are ignored. */
    void invalidate(String key);
}
