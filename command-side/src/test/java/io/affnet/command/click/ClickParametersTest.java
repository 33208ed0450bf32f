package io.affnet.command.click;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClickParametersTest {

    @Test
    void readsSubsAndSourceAndTuneAliasesWhereTheSubNWins() {
        Map<String, String> subs = ClickParameters.subs(Map.of(
                "aff_sub", new String[]{"tune-1"},
                "aff_sub2", new String[]{"tune-2"},
                "sub2", new String[]{"own-2"},
                "sub10", new String[]{"ten"},
                "source", new String[]{"newsletter"},
                "sub11", new String[]{"ignored"},
                "utm_source", new String[]{"ignored"}));
        assertThat(subs).containsExactlyInAnyOrderEntriesOf(Map.of(
                "sub1", "tune-1", "sub2", "own-2", "sub10", "ten", "source", "newsletter"));
    }

    @Test
    void takesTheFirstOfRepeatedValuesAndKeepsTabsAndUnicode() {
        assertThat(ClickParameters.subs(Map.of("sub1", new String[]{"first", "second"}))).containsEntry("sub1", "first");
        assertThat(ClickParameters.subs(Map.of("sub3", new String[]{"a\tb ü 日本"}))).containsEntry("sub3", "a\tb ü 日本");
        assertThat(ClickParameters.subs(Map.of("sub4", new String[]{"x".repeat(ClickParameters.MAX_LENGTH)})))
                .containsKey("sub4");
    }

    @Test
    void refusesControlCharactersAndDeleteAndOverlongValues() {
        assertThatThrownBy(() -> ClickParameters.subs(Map.of("sub1", new String[]{"a\rb"})))
                .isInstanceOf(ClickParameters.InvalidParameterException.class).hasMessageContaining("'sub1'");
        assertThatThrownBy(() -> ClickParameters.subs(Map.of("aff_sub5", new String[]{"a\u007fb"})))
                .isInstanceOf(ClickParameters.InvalidParameterException.class).hasMessageContaining("'aff_sub5'");
        assertThatThrownBy(() -> ClickParameters.subs(Map.of("sub9", new String[]{"x".repeat(ClickParameters.MAX_LENGTH + 1)})))
                .isInstanceOf(ClickParameters.InvalidParameterException.class).hasMessageContaining("at most 500");
    }
}
