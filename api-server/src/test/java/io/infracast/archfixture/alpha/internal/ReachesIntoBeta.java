package io.infracast.archfixture.alpha.internal;

import io.infracast.archfixture.beta.BetaModule;
import io.infracast.archfixture.beta.internal.BetaRepository;

public final class ReachesIntoBeta {
  BetaRepository repository;
  BetaModule module;
}
