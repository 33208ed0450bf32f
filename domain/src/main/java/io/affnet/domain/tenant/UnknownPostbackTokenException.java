package io.affnet.domain.tenant;

/** The tenant has no active postback token with that id. */
public class UnknownPostbackTokenException extends RuntimeException {
    public UnknownPostbackTokenException(String tokenId) {
        super("no active postback token " + tokenId);
    }
}
