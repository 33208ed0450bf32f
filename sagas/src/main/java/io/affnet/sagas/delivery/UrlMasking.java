package io.affnet.sagas.delivery;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The URL as the delivery log shows it: values of query parameters that look like credentials
 * ({@code token}, {@code key}, {@code secret}, {@code signature}, {@code password}, {@code auth}…) become
 * {@code ***}, and so does any user-info. Affiliates often put their own API key in the postback URL.
 */
public final class UrlMasking {

    private static final Pattern PARAM = Pattern.compile("([?&;])([^=&;#]*)=([^&;#]*)");
    private static final Pattern USERINFO = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@?#]*@");
    private static final String[] SECRET_WORDS = {"token", "key", "secret", "sig", "password", "passwd", "pwd", "auth",
            "credential", "hash", "session", "apikey"};

    private UrlMasking() {
    }

    public static String mask(String url) {
        if (url == null) {
            return null;
        }
        String masked = USERINFO.matcher(url).replaceFirst("$1***@");
        Matcher m = PARAM.matcher(masked);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(2).toLowerCase(Locale.ROOT);
            boolean secret = false;
            for (String word : SECRET_WORDS) {
                secret |= name.contains(word);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + m.group(2) + "=" + (secret ? "***" : m.group(3))));
        }
        m.appendTail(out);
        return out.toString();
    }
}
