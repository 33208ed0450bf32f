package io.affnet.api.outbound;

/** How an affiliate wants its postbacks sent: GET with the macros in the URL, or POST with a JSON body as well. */
public enum PostbackMethod {
    GET, POST
}
