package io.infracast.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BooleanSettingTest {

  @ParameterizedTest
  @CsvSource({"true,true", "TRUE,true", "True,true", "' true ',true", "false,false", "FALSE,false", "fAlSe,false"})
  void trueOrFalseInAnyCase(String value, boolean expected) {
    assertThat(BooleanSetting.read(Map.of("FLAG", value), "FLAG", !expected)).isEqualTo(expected);
  }

  @Test
  void unsetOrBlankIsTheFallback() {
    assertThat(BooleanSetting.read(Map.of(), "FLAG", true)).isTrue();
    assertThat(BooleanSetting.read(Map.of("FLAG", " "), "FLAG", false)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"1", "0", "yes", "no", "on", "off", "t", "truee", "enabled"})
  void anythingElseIsRefusedNamingTheSetting(String value) {
    assertThatThrownBy(() -> BooleanSetting.read(Map.of("MIGRATE_ON_START", value), "MIGRATE_ON_START", false))
        .isInstanceOf(ConfigException.class)
        .hasMessage("MIGRATE_ON_START must be true or false, got \"" + value + "\"");
  }

  @Test
  void longValuesAreShortenedInTheMessage() {
    assertThatThrownBy(() -> BooleanSetting.read(Map.of("FLAG", "x".repeat(50)), "FLAG", false))
        .hasMessage("FLAG must be true or false, got \"" + "x".repeat(20) + "...\"");
  }
}
