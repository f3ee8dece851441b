package io.infracast.archfixture.alpha;

import io.infracast.archfixture.beta.BetaService;

public final class AlphaService {
  BetaService beta;
}
