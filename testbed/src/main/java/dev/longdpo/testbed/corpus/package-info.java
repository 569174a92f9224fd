/** Reference answers written from the lexicon, with flaws planted at configurable rates. */
package dev.longdpo.testbed.corpus;
