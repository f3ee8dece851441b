package io.infracast.archfixture.platform;

import io.infracast.archfixture.Root;

public final class KernelUsesTheRoot {
  Root root;
}
