/** Search-node actors: host a policy and expand tree nodes for many trees in batches. */
package dev.longdpo.actors.searchnode;
