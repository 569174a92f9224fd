/** What the coordinator accepts from outside: stream subscriptions, progress queries, stop. */
package dev.longdpo.protocol.coordinator;
