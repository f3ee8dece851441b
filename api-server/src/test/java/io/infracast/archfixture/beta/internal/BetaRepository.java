package io.infracast.archfixture.beta.internal;

public final class BetaRepository {}
