package io.infracast.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Presets from the documented ECS deployment's development and production tables. */
public enum Profile {
  @JsonProperty("development")
  DEVELOPMENT,
  @JsonProperty("production")
  PRODUCTION
}
