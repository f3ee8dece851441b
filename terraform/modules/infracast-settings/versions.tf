terraform {
  # Output preconditions and `tofu test`.
  required_version = ">= 1.6.0"
}
