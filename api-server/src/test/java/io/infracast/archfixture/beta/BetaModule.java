package io.infracast.archfixture.beta;

public final class BetaModule {}
