/** Messages between a cluster's nodes about runs: the run manager's and the search hosts'. */
package dev.longdpo.protocol.cluster;
