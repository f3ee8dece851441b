package io.infracast.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FormatTest {

  @Test
  void everyFileIsFormattedAsTofuFmtWritesIt() {
    var result = OpenTofu.tofu(OpenTofu.TERRAFORM, "fmt", "-check", "-recursive", "-diff", "-no-color", ".");

    assertThat(result.exitCode())
        .as("tofu fmt -check -recursive terraform/ found files to reformat (run tofu fmt -recursive terraform/):%n%s",
            result.output())
        .isZero();
  }
}
