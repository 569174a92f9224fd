/** The testbed's world: kinds of topics, their attributes and aspects, sentence templates, names. */
package dev.longdpo.testbed.world;
