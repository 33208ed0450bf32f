package io.affnet.domain.tenant;

import io.affnet.api.tenant.RegisterTenantCommand;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Currency;
import java.util.regex.Pattern;

/** The invariants a tenant's registration must satisfy, whoever sends it. */
public final class TenantRules {

    public static final Pattern SLUG = Pattern.compile("[a-z0-9](?:[a-z0-9-]{1,38}[a-z0-9])");
    public static final int MAX_NAME_LENGTH = 200;

    private TenantRules() {
    }

    public static void validate(RegisterTenantCommand command) {
        if (command.slug() == null || !SLUG.matcher(command.slug()).matches()) {
            throw new InvalidTenantException("slug",
                    "slug must be 3-40 characters of a-z, 0-9 and '-', starting and ending with a letter or digit");
        }
        if (command.name() == null || command.name().isBlank()) {
            throw new InvalidTenantException("name", "name is required");
        }
        if (command.name().length() > MAX_NAME_LENGTH) {
            throw new InvalidTenantException("name", "name must be at most " + MAX_NAME_LENGTH + " characters");
        }
        String defect = io.affnet.api.common.Text.defect(command.name());
        if (defect != null) {
            throw new InvalidTenantException("name", "name " + defect);
        }
        try {
            ZoneId.of(command.timezone());
        } catch (DateTimeException | NullPointerException e) {
            throw new InvalidTenantException("timezone", "timezone must be an IANA zone id such as Europe/Berlin");
        }
        try {
            Currency.getInstance(command.currency());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InvalidTenantException("currency", "currency must be an ISO-4217 code such as EUR");
        }
        if (command.adminKeyHash() == null || command.adminKeyHash().isBlank()) {
            throw new InvalidTenantException("adminKeyHash", "an admin key hash is required");
        }
    }
}
