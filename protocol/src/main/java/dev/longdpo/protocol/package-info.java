/**
 * Messages that cross module or node boundaries, and how they travel: Protobuf for records that
 * are also stored or seen by other tools, Kryo for internal node-to-node payloads of one build.
 */
package dev.longdpo.protocol;
