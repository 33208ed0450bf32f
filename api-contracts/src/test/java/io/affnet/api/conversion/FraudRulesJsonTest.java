package io.affnet.api.conversion;

import io.affnet.api.config.ConfigCacheJson;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FraudRulesJsonTest {

    @Test
    void rulesSavedBeforeReapprovalExistedReadWithReapprovalOff() throws Exception {
        FraudRules old = ConfigCacheJson.MAPPER.readValue(
                "{\"minSecondsToConvert\":10,\"maxConversionsPerClickGoal\":5,\"selfReferral\":true,\"flagOnly\":false}",
                FraudRules.class);
        assertThat(old).isEqualTo(new FraudRules(10, 5, true, false, false));
        FraudRules now = new FraudRules(0, 0, true, false, true);
        assertThat(ConfigCacheJson.MAPPER.readValue(ConfigCacheJson.write(now), FraudRules.class)).isEqualTo(now);
    }
}
