package io.infracast.archfixture.platform;

import io.infracast.archfixture.alpha.AlphaService;

public final class KernelUsesADomain {
  AlphaService alpha;
}
