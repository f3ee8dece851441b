/**
 * A miniature service that breaks each layout rule once, for {@code ArchitectureTest} to prove its rules fail:
 * its kernel uses a domain and the root, alpha and beta depend on each other, alpha reaches into beta's
 * internals and its module.
 */
package io.infracast.archfixture;
