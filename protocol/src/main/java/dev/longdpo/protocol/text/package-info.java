/** Text measures every role agrees on: a task's required length is counted in these words. */
package dev.longdpo.protocol.text;
