/**
 * The search's node-to-node protocols: expanding tree nodes on search-node actors, scoring steps
 * on reward actors, critiques on critic actors. Kryo: internal to one build.
 */
package dev.longdpo.protocol.search;
