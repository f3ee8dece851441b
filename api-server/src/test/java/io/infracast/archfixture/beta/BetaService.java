package io.infracast.archfixture.beta;

import io.infracast.archfixture.alpha.AlphaService;

public final class BetaService {
  AlphaService alpha;
}
