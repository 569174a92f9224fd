/** {@code longdpo ctl}: the control client of a cluster (gRPC, protocol/src/main/proto/longdpo/control.proto). */
package dev.longdpo.cli.ctl;
