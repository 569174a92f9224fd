/** Starting this JVM's ActorSystem: a cluster of one with every role, or a member of a larger one. */
package dev.longdpo.cli.node;
