package io.infracast.archfixture;

public final class Root {}
